// What a product can read about the signed-in caller: GET /v1/tenant/me.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/Routes.h"

namespace authrealm {

void registerTenantRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    context.router.add("GET", QStringLiteral("/v1/tenant/me"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const AccessClaims claims = core.accessTokens().verify(request.realmId, bearerToken(request));
        return ApiResponse::json(core.auth().profile(claims));
    });
}

} // namespace authrealm
