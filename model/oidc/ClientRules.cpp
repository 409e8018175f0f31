#include "oidc/ClientRules.h"

#include "core/DomainError.h"
#include "crypto/SigningKey.h"
#include "domain/Entities.h"
#include "oidc/RedirectUris.h"

#include <QJsonArray>
#include <QSet>

namespace authrealm::ClientRules {

namespace {

const QString kAuthorizationCode = QStringLiteral("authorization_code");
const QString kRefreshToken = QStringLiteral("refresh_token");
const QString kClientCredentials = QStringLiteral("client_credentials");
constexpr qsizetype kMaxUris = 20;
constexpr qsizetype kMaxScopes = 100;
constexpr qsizetype kMaxKeys = 10;
constexpr qsizetype kMaxName = 100;

[[noreturn]] void invalid(const QString &message)
{
    throw DomainError(ErrorCode::InvalidRequest, message);
}

void requireUnique(const QStringList &values, const QString &field)
{
    if (QSet<QString>(values.begin(), values.end()).size() != values.size())
        invalid(QStringLiteral("%1 lists a value twice").arg(field));
}

void checkUris(const QStringList &uris, const QString &field)
{
    if (uris.size() > kMaxUris)
        invalid(QStringLiteral("%1: at most %2 entries").arg(field).arg(kMaxUris));
    requireUnique(uris, field);
    for (const QString &uri : uris) {
        if (const auto bad = RedirectUris::problem(uri))
            invalid(*bad + QStringLiteral(" (%1)").arg(field));
    }
}

void checkName(QString &name)
{
    name = name.trimmed();
    if (name.isEmpty())
        invalid(QStringLiteral("name is required"));
    if (name.size() > kMaxName)
        invalid(QStringLiteral("name: at most %1 characters").arg(kMaxName));
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            invalid(QStringLiteral("name must not contain control characters"));
    }
}

void checkAuthMethod(ClientRegistry::Draft &draft)
{
    QString &method = draft.tokenEndpointAuthMethod;
    if (!draft.confidential) {
        if (method.isEmpty())
            method = ClientRegistry::kMethodNone;
        if (method != ClientRegistry::kMethodNone)
            invalid(QStringLiteral("tokenEndpointAuthMethod of a public client must be none"));
        return;
    }
    if (method.isEmpty())
        method = ClientRegistry::kMethodBasic;
    if (method == ClientRegistry::kMethodNone)
        invalid(QStringLiteral("tokenEndpointAuthMethod none is only for public clients (confidential false)"));
    if (method != ClientRegistry::kMethodBasic && method != ClientRegistry::kMethodPost && method != ClientRegistry::kMethodJwt)
        invalid(QStringLiteral("tokenEndpointAuthMethod must be client_secret_basic, client_secret_post, private_key_jwt or none"));
}

void checkGrants(ClientRegistry::Draft &draft)
{
    QStringList &grants = draft.grantTypes;
    if (grants.isEmpty())
        grants = {kAuthorizationCode, kRefreshToken};
    requireUnique(grants, QStringLiteral("grantTypes"));
    for (const QString &grant : grants) {
        if (grant != kAuthorizationCode && grant != kRefreshToken && grant != kClientCredentials)
            invalid(QStringLiteral("grantTypes: '%1' is not supported (authorization_code, refresh_token, client_credentials)")
                        .arg(grant.left(64)));
    }
    if (grants.contains(kRefreshToken) && !grants.contains(kAuthorizationCode))
        invalid(QStringLiteral("grantTypes: refresh_token needs authorization_code"));
    if (!draft.confidential) {
        // A public client cannot keep a secret: it signs people in with the
        // code flow (the provider insists on PKCE) and never acts on its own.
        if (grants.contains(kClientCredentials))
            invalid(QStringLiteral("grantTypes: a public client may not use client_credentials"));
        if (!grants.contains(kAuthorizationCode))
            invalid(QStringLiteral("grantTypes: a public client needs authorization_code"));
    }
    if (grants.contains(kAuthorizationCode) && draft.redirectUris.isEmpty())
        invalid(QStringLiteral("Redirect URI required: authorization_code needs at least one redirectUris entry"));
}

void checkScopes(QStringList &scopes)
{
    if (scopes.isEmpty())
        scopes = {QStringLiteral("openid"), QStringLiteral("profile"), QStringLiteral("email"), QStringLiteral("offline_access")};
    if (scopes.size() > kMaxScopes)
        invalid(QStringLiteral("allowedScopes: at most %1 entries").arg(kMaxScopes));
    requireUnique(scopes, QStringLiteral("allowedScopes"));
    for (const QString &scope : scopes) {
        if (!Validate::scope(scope))
            invalid(QStringLiteral("allowedScopes: '%1' is not a valid scope").arg(scope.left(64)));
    }
}

void checkLifetimes(const ClientRegistry::Draft &draft, const EffectiveLifetimes &limits)
{
    if (draft.accessTokenLifetime < 0 || draft.refreshTokenLifetime < 0)
        invalid(QStringLiteral("Token lifetimes must not be negative (0 inherits the product's)"));
    if (draft.accessTokenLifetime > limits.accessToken)
        invalid(QStringLiteral("accessTokenLifetime may be at most %1 seconds, the product's").arg(limits.accessToken));
    if (draft.refreshTokenLifetime > limits.refreshToken)
        invalid(QStringLiteral("refreshTokenLifetime may be at most %1 seconds, the product's").arg(limits.refreshToken));
}

} // namespace

QList<SigningKey> publicKeys(const QJsonObject &jwks)
{
    const QJsonValue keysValue = jwks.value(QLatin1String("keys"));
    if (!keysValue.isArray() || keysValue.toArray().isEmpty())
        invalid(QStringLiteral("jwks must be {\"keys\": [...]} with at least one public key"));
    const QJsonArray keys = keysValue.toArray();
    if (keys.size() > kMaxKeys)
        invalid(QStringLiteral("jwks: at most %1 keys").arg(kMaxKeys));
    QList<SigningKey> out;
    QSet<QString> kids;
    for (const QJsonValue &value : keys) {
        const QJsonObject jwk = value.toObject();
        // A pasted private key would now sit in the database in the clear.
        for (const char *member : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
            if (jwk.contains(QLatin1String(member)))
                invalid(QStringLiteral("jwks must hold public keys only (found private member '%1')").arg(QLatin1String(member)));
        }
        const std::optional<SigningKey> key = SigningKey::fromPublicJwk(jwk);
        if (!key)
            invalid(QStringLiteral("jwks: a key is not a valid RS256 (RSA >= 2048), ES256 (P-256) or EdDSA (Ed25519) signing key"));
        if (key->kid().isEmpty())
            invalid(QStringLiteral("jwks: every key needs a kid"));
        if (kids.contains(key->kid()))
            invalid(QStringLiteral("jwks: kid '%1' appears twice").arg(key->kid().left(64)));
        kids.insert(key->kid());
        out.append(*key);
    }
    return out;
}

void normalise(ClientRegistry::Draft &draft, const EffectiveLifetimes &appLimits)
{
    checkName(draft.name);
    checkAuthMethod(draft);
    checkUris(draft.redirectUris, QStringLiteral("redirectUris"));
    checkUris(draft.postLogoutRedirectUris, QStringLiteral("postLogoutRedirectUris"));
    checkGrants(draft);
    checkScopes(draft.allowedScopes);
    if (draft.idTokenAlgorithm.isEmpty())
        draft.idTokenAlgorithm = QStringLiteral("RS256");
    if (draft.idTokenAlgorithm != u"RS256" && draft.idTokenAlgorithm != u"ES256" && draft.idTokenAlgorithm != u"EdDSA")
        invalid(QStringLiteral("idTokenAlgorithm must be RS256, ES256 or EdDSA"));
    if (draft.tokenEndpointAuthMethod == ClientRegistry::kMethodJwt)
        (void)publicKeys(draft.jwks);
    else if (!draft.jwks.isEmpty())
        invalid(QStringLiteral("jwks is only used with tokenEndpointAuthMethod private_key_jwt"));
    checkLifetimes(draft, appLimits);
    requireUnique(draft.extraAppIds, QStringLiteral("extraAppIds"));
    if (draft.extraAppIds.contains(draft.appId))
        invalid(QStringLiteral("extraAppIds must not repeat the client's own app"));
}

bool isRedirectUriProblem(const QString &message)
{
    return message.startsWith(QLatin1String("Redirect URI"));
}

} // namespace authrealm::ClientRules
