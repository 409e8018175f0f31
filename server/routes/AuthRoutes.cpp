// The v1 sign-in API: POST /authRealm/login, /login/totp, /refresh and /logout.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

ApiResponse tokenResponse(const TokenPair &pair)
{
    return ApiResponse::json(QJsonObject{
        {QStringLiteral("accessToken"), pair.accessToken},
        {QStringLiteral("refreshToken"), pair.refreshToken},
        {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
        {QStringLiteral("expiresIn"), pair.expiresIn},
        {QStringLiteral("roles"), QJsonArray::fromStringList(pair.roles)},
        {QStringLiteral("scope"), pair.scopes.join(u' ')},
        {QStringLiteral("tenantId"), pair.appId},
    });
}

ApiResponse signInResponse(const SignInResult &result)
{
    if (!result.mfaRequired())
        return tokenResponse(*result.tokens);
    // 202: the first factor was right, the second is still missing. No token.
    return ApiResponse::json(QJsonObject{
                                 {QStringLiteral("mfa_required"), true},
                                 {QStringLiteral("challenge_id"), result.challengeId},
                                 {QStringLiteral("expires_in"), result.challengeExpiresIn},
                                 {QStringLiteral("methods"), QJsonArray{QStringLiteral("totp"), QStringLiteral("backup_code")}},
                             },
                             202);
}

void registerAuthRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;

    context.router.add("POST", QStringLiteral("/authRealm/login"), Scope::Realm, Execution::PasswordWork, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString email = body.requiredString("email", 254);
        // An empty password is a wrong password: the same answer, cost and
        // failure count (AuthService::login), not a cheap 400.
        const QString password = body.requiredSecret("password", 4096);
        const QString appId = body.optionalString("tenantId", 64);
        return signInResponse(core.auth().login(request.realmId, email, password, appId, clientOf(request)));
    });

    context.router.add("POST", QStringLiteral("/authRealm/login/totp"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString challenge = body.requiredString("challenge_id", 128);
        const QString code = body.requiredString("code", 32);
        return tokenResponse(core.auth().loginWithSecondFactor(request.realmId, challenge, code, clientOf(request)));
    });

    context.router.add("POST", QStringLiteral("/authRealm/refresh"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString token = body.requiredString("refreshToken", 256);
        return tokenResponse(core.auth().refresh(request.realmId, token, clientOf(request)));
    });

    context.router.add("POST", QStringLiteral("/authRealm/logout"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const JsonBody body(request);
        const QString token = body.requiredString("refreshToken", 256);
        const bool everywhere = body.optionalBool("all", false);
        const int ended = core.auth().logout(request.realmId, token, everywhere, clientOf(request));
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("message"), everywhere ? QStringLiteral("Signed out everywhere") : QStringLiteral("Signed out")},
            {QStringLiteral("sessionsEnded"), ended},
        });
    });
}

} // namespace authrealm
