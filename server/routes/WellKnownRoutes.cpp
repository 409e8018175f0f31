// Public signing keys, so products can verify access tokens offline.
#include "AuthRealmCore.h"
#include "routes/Routes.h"

namespace authrealm {

void registerWellKnownRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    context.router.add("GET", QStringLiteral("/.well-known/jwks.json"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        ApiResponse response = ApiResponse::json(core.keys().jwks(request.realmId));
        response.contentType = "application/jwk-set+json";
        return response;
    });
}

} // namespace authrealm
