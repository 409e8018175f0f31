// First-boot administrator setup with the one-time code the server printed.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/Routes.h"

namespace authrealm {

void registerSetupRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    context.router.add("POST", QStringLiteral("/_/setup"), Scope::Global, Execution::PasswordWork, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString code = body.requiredString("code", 128);
        const QString password = body.requiredString("password", 4096);
        core.bootstrap().completeSetup(code, password, request.clientIp);
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("message"), QStringLiteral("Administrator password set. Sign in to realm \"master\" as \"admin\".")},
        });
    });
}

} // namespace authrealm
