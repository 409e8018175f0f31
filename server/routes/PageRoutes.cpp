// The hosted pages' stylesheet (the pages themselves are rendered by the OIDC
// routes). Global: one URL for every realm, so browsers cache it once.
#include "pages/HostedPages.h"
#include "routes/Routes.h"

#include <memory>

namespace authrealm {

void registerPageRoutes(const RouteContext &context)
{
    auto pages = std::make_shared<const HostedPages>();
    context.router.add("GET", HostedPages::kStylesheetPath, Scope::Global, Execution::Inline,
                       [pages](const ApiRequest &) { return pages->stylesheet(); });
}

} // namespace authrealm
