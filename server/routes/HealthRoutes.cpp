// Liveness (/healthz: the process answers) and readiness (/readyz: it can reach its database).
#include "AuthRealmCore.h"
#include "routes/Routes.h"

namespace authrealm {

void registerHealthRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    context.router.add("GET", QStringLiteral("/healthz"), Scope::Global, Execution::Inline, [](const ApiRequest &) {
        return ApiResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
    });
    context.router.add("GET", QStringLiteral("/readyz"), Scope::Global, Execution::Inline, [&core](const ApiRequest &) {
        core.database().ping();
        return ApiResponse::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ready")}});
    });
}

} // namespace authrealm
