// Dynamic client registration (RFC 7591) and its management endpoint
// (RFC 7592), realm-scoped: /realms/{realm}/oauth2/register[/{client}].
// Metadata use the RFC names; validation is the admin API's (ClientRegistry).
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "oidc/ClientRules.h"
#include "routes/AdminAuth.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

namespace {

QString field(const QJsonObject &o, const char *name)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("%1 must be a string").arg(QLatin1String(name)));
    return v.toString();
}

// RFC 7591 §2 metadata -> the registry's draft. Unknown metadata are ignored
// (§2: the server MUST ignore what it does not understand).
ClientRegistry::Draft draftFromMetadata(const JsonBody &body)
{
    const QJsonObject &o = body.object();
    ClientRegistry::Draft d;
    d.name = field(o, "client_name");
    if (d.name.isEmpty())
        d.name = QStringLiteral("Unnamed client");
    d.redirectUris = body.stringList("redirect_uris", 20);
    d.postLogoutRedirectUris = body.stringList("post_logout_redirect_uris", 20);
    d.grantTypes = body.stringList("grant_types", 3);
    const QStringList responseTypes = body.stringList("response_types", 3);
    if (!responseTypes.isEmpty() && responseTypes != QStringList{QStringLiteral("code")})
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("response_types: only [\"code\"] is supported"));
    d.tokenEndpointAuthMethod = field(o, "token_endpoint_auth_method");
    if (d.tokenEndpointAuthMethod.isEmpty())
        d.tokenEndpointAuthMethod = ClientRegistry::kMethodBasic; // RFC 7591 §2 default
    d.confidential = d.tokenEndpointAuthMethod != ClientRegistry::kMethodNone;
    d.allowedScopes = field(o, "scope").split(u' ', Qt::SkipEmptyParts);
    d.idTokenAlgorithm = field(o, "id_token_signed_response_alg");
    if (o.contains(QStringLiteral("jwks_uri")))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("jwks_uri is not supported (no server-side fetches): send jwks"));
    const QJsonValue jwks = o.value(QStringLiteral("jwks"));
    if (!jwks.isUndefined() && !jwks.isNull() && !jwks.isObject())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("jwks must be an object"));
    d.jwks = jwks.toObject();
    return d;
}

QJsonObject metadataJson(const AuthRealmCore &core, const OAuthClient &c, const QString &registrationToken)
{
    QJsonObject out{
        {QStringLiteral("client_id"), c.id},
        {QStringLiteral("client_id_issued_at"), c.createdAt / 1000},
        {QStringLiteral("client_name"), c.name},
        {QStringLiteral("redirect_uris"), QJsonArray::fromStringList(c.redirectUris)},
        {QStringLiteral("post_logout_redirect_uris"), QJsonArray::fromStringList(c.postLogoutRedirectUris)},
        {QStringLiteral("grant_types"), QJsonArray::fromStringList(c.grantTypes)},
        {QStringLiteral("response_types"), QJsonArray{QStringLiteral("code")}},
        {QStringLiteral("token_endpoint_auth_method"), c.tokenEndpointAuthMethod},
        {QStringLiteral("scope"), c.allowedScopes.join(u' ')},
        {QStringLiteral("id_token_signed_response_alg"), c.idTokenAlgorithm},
        {QStringLiteral("registration_access_token"), registrationToken},
        {QStringLiteral("registration_client_uri"),
         core.accessTokens().issuer(c.realmId) + QStringLiteral("/oauth2/register/") + c.id},
    };
    if (!c.jwks.isEmpty())
        out.insert(QStringLiteral("jwks"), c.jwks);
    return out;
}

// RFC 7591 §3.2.2 error codes for what the registry refuses as invalid input.
template <typename F>
ApiResponse registrationCall(F &&f)
{
    try {
        return f();
    } catch (const DomainError &e) {
        if (e.code() != ErrorCode::InvalidRequest && e.code() != ErrorCode::InvalidJson)
            throw;
        const QString code = ClientRules::isRedirectUriProblem(e.message()) && !e.message().contains(u"postLogoutRedirectUris")
            ? QStringLiteral("invalid_redirect_uri")
            : QStringLiteral("invalid_client_metadata");
        return ApiResponse::json(QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("error_description"), e.message()},
                                             {QStringLiteral("message"), e.message()}},
                                 400);
    }
}

} // namespace

void registerRegistrationRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    Router &router = context.router;
    const ClientRegistry &clients = core.clients();

    router.add("POST", QStringLiteral("/oauth2/register"), Scope::Realm, Execution::Inline, [&core, &clients](const ApiRequest &request) {
        const QString token = bearerToken(request);
        return registrationCall([&] {
            const JsonBody body(request);
            const ClientInfo from = clientOf(request);
            const ClientRegistry::Registration r =
                clients.registerDynamically(request.realmId, token, draftFromMetadata(body), from.ip, from.userAgent);
            QJsonObject out = metadataJson(core, r.created.client, r.registrationAccessToken);
            if (!r.created.secret.isEmpty()) {
                out.insert(QStringLiteral("client_secret"), r.created.secret);
                out.insert(QStringLiteral("client_secret_expires_at"), 0);
            }
            return ApiResponse::json(out, 201);
        });
    });
    router.add("GET", QStringLiteral("/oauth2/register/{client}"), Scope::Realm, Execution::Inline, [&core, &clients](const ApiRequest &request) {
        const QString token = bearerToken(request);
        const OAuthClient c = clients.registeredClient(request.realmId, pathParam(request, "client"), token);
        return ApiResponse::json(metadataJson(core, c, token));
    });
    router.add("PUT", QStringLiteral("/oauth2/register/{client}"), Scope::Realm, Execution::Inline, [&core, &clients](const ApiRequest &request) {
        const QString token = bearerToken(request);
        const QString clientId = pathParam(request, "client");
        (void)clients.registeredClient(request.realmId, clientId, token); // 401 before any 400
        return registrationCall([&] {
            const JsonBody body(request);
            // RFC 7592 §2.2: the body names the client it replaces.
            if (field(body.object(), "client_id") != clientId)
                throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("client_id must be the client's own"));
            const OAuthClient c = clients.updateRegistered(request.realmId, clientId, token, draftFromMetadata(body));
            return ApiResponse::json(metadataJson(core, c, token));
        });
    });
    router.add("DELETE", QStringLiteral("/oauth2/register/{client}"), Scope::Realm, Execution::Inline, [&clients](const ApiRequest &request) {
        clients.removeRegistered(request.realmId, pathParam(request, "client"), bearerToken(request));
        ApiResponse r;
        r.status = 204;
        return r;
    });
}

} // namespace authrealm
