// The OpenID provider's back channel: token, userinfo, introspection and
// revocation. Client authentication is an HMAC of the secret (or a signed
// assertion), never argon2id, so these stay on the I/O threads.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "oidc/FormBody.h"
#include "routes/Routes.h"

namespace authrealm {

namespace {
// Where a client assertion (private_key_jwt) may be addressed: the endpoint itself or the issuer.
QStringList audiences(const AuthRealmCore &core, const ApiRequest &request, const char *endpoint)
{
    const QString issuer = core.accessTokens().issuer(request.realmId);
    return {issuer + QLatin1String(endpoint), issuer, issuer + QStringLiteral("/oauth2/token")};
}

OAuthClient authenticated(const AuthRealmCore &core, const ApiRequest &request, const FormBody &form, const char *endpoint)
{
    return core.clients().authenticate(request.realmId, clientCredentials(request, form), audiences(core, request, endpoint));
}

// A bearer token from the Authorization header (RFC 6750 §2.1) or, on POST, the form (§2.2); not both.
QString bearerOf(const ApiRequest &request)
{
    const QByteArray authorization = request.header("Authorization");
    QString token;
    if (authorization.size() > 7 && authorization.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        token = QString::fromLatin1(authorization.mid(7).trimmed());
    if (request.method == "POST" && request.header("Content-Type").toLower().startsWith("application/x-www-form-urlencoded")) {
        const QString fromForm = FormBody(request).value("access_token", 16384);
        if (!fromForm.isEmpty() && !token.isEmpty())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Send the access token in one place only"));
        if (!fromForm.isEmpty())
            token = fromForm;
    }
    if (token.isEmpty())
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is missing"));
    return token;
}
} // namespace

void registerOidcTokenRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    Router &router = context.router;

    router.add("POST", QStringLiteral("/oauth2/token"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const FormBody form(request);
        const QString grant = form.value("grant_type", 64);
        const OAuthClient client = authenticated(core, request, form, "/oauth2/token");
        const ClientInfo from = clientOf(request);
        if (grant == u"authorization_code") {
            return ApiResponse::json(core.oidcTokens().exchangeCode(request.realmId, client, form.value("code", 256),
                                                                    form.value("redirect_uri"), form.value("code_verifier", 256), from));
        }
        if (grant == u"refresh_token") {
            return ApiResponse::json(
                core.oidcTokens().refresh(request.realmId, client, form.value("refresh_token", 256), form.value("scope"), from));
        }
        if (grant == u"client_credentials")
            return ApiResponse::json(core.oidcTokens().clientCredentials(request.realmId, client, form.value("scope"), from));
        if (grant.isEmpty())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("grant_type is required"));
        throw DomainError(ErrorCode::UnsupportedGrantType,
                          QStringLiteral("Supported grants: authorization_code, refresh_token, client_credentials"));
    });

    const auto userinfo = [&core](const ApiRequest &request) {
        ApiResponse response = ApiResponse::json(core.oidcTokens().userinfo(request.realmId, bearerOf(request)));
        response.headers.append(qMakePair(QByteArray("Access-Control-Allow-Origin"), QByteArray("*")));
        return response;
    };
    router.add("GET", QStringLiteral("/oauth2/userinfo"), Scope::Realm, Execution::Inline, userinfo);
    router.add("POST", QStringLiteral("/oauth2/userinfo"), Scope::Realm, Execution::Inline, userinfo);

    router.add("POST", QStringLiteral("/oauth2/introspect"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const FormBody form(request);
        const OAuthClient client = authenticated(core, request, form, "/oauth2/introspect");
        return ApiResponse::json(core.oidcTokens().introspect(request.realmId, client, form.value("token", 16384)));
    });

    router.add("POST", QStringLiteral("/oauth2/revoke"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        const FormBody form(request);
        const OAuthClient client = authenticated(core, request, form, "/oauth2/revoke");
        core.oidcTokens().revoke(request.realmId, client, form.value("token", 16384), clientOf(request));
        ApiResponse response;
        response.status = 200;
        response.body = QByteArray();
        return response;
    });
}

} // namespace authrealm
