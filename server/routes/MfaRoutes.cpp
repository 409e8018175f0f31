// Two-step sign-in for the signed-in user: POST /authRealm/totp/enroll,
// /totp/confirm, /totp/disable, and POST /authRealm/stepUp.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "crypto/Totp.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

void registerMfaRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const auto principalOf = [&core](const ApiRequest &request) {
        return core.authenticator().authenticate(request.realmId, bearerToken(request), clientOf(request));
    };

    context.router.add("POST", QStringLiteral("/authRealm/totp/enroll"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const MfaService::Enrolment e = core.mfa().enroll(p, clientOf(request));
        // qr_url is the same URI under the name some clients expect; render it as a QR code.
        return ApiResponse::json(QJsonObject{{QStringLiteral("secret"), e.secret},
                                             {QStringLiteral("otpauth_uri"), e.uri},
                                             {QStringLiteral("qr_url"), e.uri},
                                             {QStringLiteral("algorithm"), QStringLiteral("SHA1")},
                                             {QStringLiteral("digits"), Totp::kDigits},
                                             {QStringLiteral("period"), Totp::kPeriodSeconds}});
    });

    context.router.add("POST", QStringLiteral("/authRealm/totp/confirm"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const JsonBody body(request);
        const QStringList codes = core.mfa().confirm(p, body.requiredString("code", 32), clientOf(request));
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("message"), QStringLiteral("Two-step sign-in is on. Keep the backup codes somewhere safe: they are shown only now.")},
            {QStringLiteral("backup_codes"), QJsonArray::fromStringList(codes)},
        });
    });

    context.router.add("POST", QStringLiteral("/authRealm/totp/disable"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const JsonBody body(request);
        core.mfa().disable(p, body.requiredString("code", 32), clientOf(request));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Two-step sign-in is off; your other sessions were ended")}});
    });

    context.router.add("POST", QStringLiteral("/authRealm/stepUp"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const JsonBody body(request);
        return tokenResponse(core.auth().stepUp(p, body.requiredString("code", 32), clientOf(request)));
    });
}

} // namespace authrealm
