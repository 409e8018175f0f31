// Self-service account flows that travel by email: POST /authRealm/verifyEmail/request|confirm,
// /authRealm/forgotPassword, /authRealm/resetPassword, /authRealm/emailCode/request|login,
// /authRealm/register and /authRealm/changePassword.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/Routes.h"


namespace authrealm {

namespace {

ApiResponse message(const QString &text, int status = 200)
{
    return ApiResponse::json(QJsonObject{{QStringLiteral("message"), text}}, status);
}

// The one answer for every email, known or not, limited or not.
const QString kResetAnswer = QStringLiteral("If an account exists for that email address, we have sent it a link to reset the password.");
const QString kCodeAnswer = QStringLiteral("If an account exists for that email address, we have sent it a sign-in code.");
const QString kRegisterAnswer = QStringLiteral("Thanks. We have sent an email to that address with the next step.");

} // namespace

void registerAccountRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    Router &router = context.router;
    const auto principalOf = [&core](const ApiRequest &request) {
        return core.authenticator().authenticate(request.realmId, bearerToken(request), clientOf(request));
    };

    router.add("POST", QStringLiteral("/authRealm/verifyEmail/request"), Scope::Realm, Execution::Inline,
               [&core, principalOf](const ApiRequest &request) {
        const Principal caller = principalOf(request);
        const bool sent = core.account().requestEmailVerification(caller, clientOf(request));
        return sent ? message(QStringLiteral("We have sent a verification link to your email address."), 202)
                    : message(QStringLiteral("Your email address is already verified."));
    });

    router.add("POST", QStringLiteral("/authRealm/verifyEmail/confirm"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        core.account().confirmEmail(request.realmId, body.requiredString("token", 128), clientOf(request));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Your email address is verified.")},
                                             {QStringLiteral("emailVerified"), true}});
    });

    router.add("POST", QStringLiteral("/authRealm/forgotPassword"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        core.account().forgotPassword(request.realmId, body.requiredString("email", 254), clientOf(request));
        return message(kResetAnswer);
    });

    router.add("POST", QStringLiteral("/authRealm/resetPassword"), Scope::Realm, Execution::PasswordWork, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString token = body.requiredString("token", 128);
        const QString password = body.requiredString("newPassword", 4096);
        core.account().resetPassword(request.realmId, token, password, clientOf(request));
        return message(QStringLiteral("Your password is changed and every session was signed out. Sign in with the new password."));
    });

    router.add("POST", QStringLiteral("/authRealm/emailCode/request"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        core.account().requestEmailCode(request.realmId, body.requiredString("email", 254), clientOf(request));
        return message(kCodeAnswer);
    });

    router.add("POST", QStringLiteral("/authRealm/emailCode/login"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString email = body.requiredString("email", 254);
        const QString code = body.requiredString("code", 16);
        const QString appId = body.optionalString("tenantId", 64);
        return signInResponse(core.account().emailCodeLogin(request.realmId, email, code, appId, clientOf(request)));
    });

    router.add("POST", QStringLiteral("/authRealm/register"), Scope::Realm, Execution::PasswordWork, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString email = body.requiredString("email", 254);
        const QString password = body.requiredString("password", 4096);
        const QString displayName = body.optionalString("displayName", 200);
        const QString locale = body.optionalString("locale", 8);
        core.account().registerUser(request.realmId, email, password, displayName, locale, clientOf(request));
        return message(kRegisterAnswer, 202);
    });

    router.add("POST", QStringLiteral("/authRealm/changePassword"), Scope::Realm, Execution::PasswordWork,
               [&core, principalOf](const ApiRequest &request) {
        const Principal caller = principalOf(request);
        const JsonBody body(request);
        const QString current = body.requiredSecret("currentPassword", 4096);
        const QString next = body.requiredString("newPassword", 4096);
        const int ended = core.account().changePassword(caller, current, next, clientOf(request));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Your password is changed.")},
                                             {QStringLiteral("sessionsEnded"), ended}});
    });
}

} // namespace authrealm
