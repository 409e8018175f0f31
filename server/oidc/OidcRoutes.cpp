// The OpenID provider's browser side: discovery, the authorization endpoint
// and its hosted sign-in steps, and RP-initiated logout.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "oidc/FormBody.h"
#include "oidc/OidcPages.h"
#include "routes/Routes.h"

#include <QJsonArray>
#include <QUrl>

namespace authrealm {

namespace {
QJsonArray strings(std::initializer_list<const char *> values)
{
    QJsonArray out;
    for (const char *v : values)
        out.append(QLatin1String(v));
    return out;
}

QJsonObject discovery(const QString &issuer)
{
    const auto at = [&](const char *path) { return issuer + QLatin1String(path); };
    const QJsonArray clientAuth = strings({"client_secret_basic", "client_secret_post", "private_key_jwt"});
    const QJsonArray algorithms = strings({"RS256", "ES256", "EdDSA"});
    return QJsonObject{
        {QStringLiteral("issuer"), issuer},
        {QStringLiteral("authorization_endpoint"), at("/oauth2/authorize")},
        {QStringLiteral("token_endpoint"), at("/oauth2/token")},
        {QStringLiteral("userinfo_endpoint"), at("/oauth2/userinfo")},
        {QStringLiteral("jwks_uri"), at("/.well-known/jwks.json")},
        {QStringLiteral("end_session_endpoint"), at("/oauth2/logout")},
        {QStringLiteral("introspection_endpoint"), at("/oauth2/introspect")},
        {QStringLiteral("revocation_endpoint"), at("/oauth2/revoke")},
        {QStringLiteral("registration_endpoint"), at("/oauth2/register")},
        {QStringLiteral("response_types_supported"), strings({"code"})},
        {QStringLiteral("response_modes_supported"), strings({"query"})},
        {QStringLiteral("grant_types_supported"), strings({"authorization_code", "refresh_token", "client_credentials"})},
        {QStringLiteral("subject_types_supported"), strings({"public"})},
        {QStringLiteral("id_token_signing_alg_values_supported"), algorithms},
        {QStringLiteral("token_endpoint_auth_methods_supported"), QJsonArray(clientAuth) << QStringLiteral("none")},
        {QStringLiteral("token_endpoint_auth_signing_alg_values_supported"), algorithms},
        {QStringLiteral("introspection_endpoint_auth_methods_supported"), clientAuth},
        {QStringLiteral("revocation_endpoint_auth_methods_supported"), QJsonArray(clientAuth) << QStringLiteral("none")},
        {QStringLiteral("code_challenge_methods_supported"), strings({"S256"})},
        {QStringLiteral("scopes_supported"), strings({"openid", "profile", "email", "offline_access"})},
        {QStringLiteral("claims_supported"),
         strings({"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "azp", "at_hash", "name",
                  "preferred_username", "updated_at", "locale", "email", "email_verified", "roles"})},
        {QStringLiteral("acr_values_supported"), strings({"urn:authrealm:acr:1fa", "urn:authrealm:acr:2fa"})},
        {QStringLiteral("prompt_values_supported"), strings({"none", "login", "consent", "select_account"})},
        {QStringLiteral("ui_locales_supported"), strings({"en", "de", "fr"})},
        {QStringLiteral("authorization_response_iss_parameter_supported"), true},
        {QStringLiteral("request_parameter_supported"), false},
        {QStringLiteral("request_uri_parameter_supported"), false},
        {QStringLiteral("claims_parameter_supported"), false},
    };
}

OidcProvider::Form formOf(const FormBody &form)
{
    return OidcProvider::Form{form.value("req", 128), form.value("csrf", 128)};
}
} // namespace

void registerOidcRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    static const HostedPages hostedPages;
    const bool https = core.accessTokens().issuer(QString()).startsWith(QStringLiteral("https:"));
    auto pages = std::make_shared<OidcPages>(core, hostedPages, https);
    Router &router = context.router;

    router.add("GET", QStringLiteral("/.well-known/openid-configuration"), Scope::Realm, Execution::Inline, [&core](const ApiRequest &request) {
        ApiResponse response = ApiResponse::json(discovery(core.accessTokens().issuer(request.realmId)));
        response.headers.append(qMakePair(QByteArray("Access-Control-Allow-Origin"), QByteArray("*")));
        return response;
    });

    const auto authorize = [&core, pages](const ApiRequest &request, const QueryItems &items) {
        return pages->respond(request, core.oidc().authorize(request.realmId, items, pages->cookies().read(request)));
    };
    router.add("GET", QStringLiteral("/oauth2/authorize"), Scope::Realm, Execution::Inline, [authorize](const ApiRequest &request) {
        return authorize(request, queryItems(request));
    });
    router.add("POST", QStringLiteral("/oauth2/authorize"), Scope::Realm, Execution::Inline, [authorize](const ApiRequest &request) {
        return authorize(request, FormBody(request).items());
    });
    router.add("GET", QStringLiteral("/oauth2/authorize/continue"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const QString id = request.query.queryItemValue(QStringLiteral("req"), QUrl::FullyDecoded).left(128);
        const QString notice = request.query.queryItemValue(QStringLiteral("notice"), QUrl::FullyDecoded).left(32);
        return pages->respond(request, core.oidc().resume(request.realmId, id, notice, pages->cookies().read(request)));
    });
    // The password step runs on the hashing pool (argon2id).
    router.add("POST", QStringLiteral("/oauth2/authorize/password"), Scope::Realm, Execution::PasswordWork, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        return pages->respond(request, core.oidc().submitPassword(request.realmId, formOf(form), form.value("email", 254),
                                                                  form.secret("password"), pages->cookies().read(request)));
    });
    router.add("POST", QStringLiteral("/oauth2/authorize/totp"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        return pages->respond(request, core.oidc().submitSecondFactor(request.realmId, formOf(form), form.value("code", 32).trimmed(),
                                                                      pages->cookies().read(request)));
    });
    router.add("POST", QStringLiteral("/oauth2/authorize/email-code/send"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        return pages->respond(request, core.oidc().sendEmailCode(request.realmId, formOf(form), form.value("email", 254),
                                                                 pages->cookies().read(request)));
    });
    router.add("POST", QStringLiteral("/oauth2/authorize/email-code/verify"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        return pages->respond(request, core.oidc().submitEmailCode(request.realmId, formOf(form), form.value("code", 32).trimmed(),
                                                                   pages->cookies().read(request)));
    });
    router.add("POST", QStringLiteral("/oauth2/authorize/product"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        return pages->respond(request, core.oidc().chooseProduct(request.realmId, formOf(form), form.value("product", 64),
                                                                 pages->cookies().read(request)));
    });
    router.add("POST", QStringLiteral("/oauth2/authorize/consent"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        const bool allow = form.value("decision", 16) == u"allow";
        return pages->respond(request, core.oidc().consent(request.realmId, formOf(form), allow, pages->cookies().read(request)));
    });
    registerOidcLogoutRoutes(context, pages);
}

} // namespace authrealm
