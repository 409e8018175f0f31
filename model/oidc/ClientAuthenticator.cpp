#include "oidc/ClientRegistry.h"

#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "crypto/Jwt.h"
#include "crypto/TokenHasher.h"
#include "oidc/ClientRules.h"
#include "storage/Sql.h"

#include <QJsonArray>

// ClientRegistry::authenticate: the token, introspection and revocation
// endpoints' client authentication (RFC 6749 §2.3, RFC 7523 §3).
namespace authrealm {

namespace {

// One answer for every failure, so a caller learns nothing about which
// clients exist or which check failed.
[[noreturn]] void fail()
{
    throw DomainError(ErrorCode::InvalidClient, QStringLiteral("Client authentication failed"));
}

bool audienceMatches(const QJsonValue &aud, const QStringList &audiences)
{
    if (aud.isString())
        return audiences.contains(aud.toString());
    if (!aud.isArray())
        return false;
    for (const QJsonValue &one : aud.toArray()) {
        if (one.isString() && audiences.contains(one.toString()))
            return true;
    }
    return false;
}

} // namespace

bool ClientRegistry::secretMatches(const ClientCache::Client &entry, const QString &secret) const
{
    // Every live secret is compared, in constant time, whether or not one matched.
    const QByteArray presented = d.tokenHasher.hashHex(secret.toUtf8()).toLatin1();
    const qint64 now = d.clock.nowMs();
    bool found = false;
    for (const ClientCache::Secret &stored : entry.secrets) {
        const bool live = stored.expiresAt == 0 || stored.expiresAt > now;
        found = (constantTimeEquals(stored.hash.toLatin1(), presented) && live) || found;
    }
    return found && !secret.isEmpty();
}

qint64 ClientRegistry::accessTokenLifetime(const OAuthClient &client) const
{
    std::optional<qint64> app = m_cache.accessLifetime(client.realmId, client.appId);
    if (!app) {
        app = appLimits(client.realmId, client.appId).accessToken;
        m_cache.putAccessLifetime(client.realmId, client.appId, *app);
    }
    return client.accessTokenLifetime > 0 ? std::min(client.accessTokenLifetime, *app) : *app;
}

bool ClientRegistry::assertionValid(const OAuthClient &client, const QString &assertion, const QStringList &audiences) const
{
    QList<SigningKey> keys;
    try {
        keys = ClientRules::publicKeys(client.jwks);
    } catch (const DomainError &) {
        return false;
    }
    // Keys come only from the client's registration, never from the token's
    // own headers, and the key's algorithm decides (Jwt::verify).
    const auto verified = Jwt::verify(assertion, [&keys](const QString &kid) -> std::optional<SigningKey> {
        for (const SigningKey &key : keys) {
            if (key.kid() == kid)
                return key;
        }
        return std::nullopt;
    });
    const DecodedJwt *jwt = std::get_if<DecodedJwt>(&verified);
    if (!jwt)
        return false;
    const QJsonObject &claims = jwt->claims;
    if (claims.value(QLatin1String("iss")).toString() != client.id || claims.value(QLatin1String("sub")).toString() != client.id)
        return false;
    if (!audienceMatches(claims.value(QLatin1String("aud")), audiences))
        return false;
    const qint64 now = d.clock.nowSeconds();
    const QJsonValue exp = claims.value(QLatin1String("exp"));
    if (!exp.isDouble())
        return false;
    const qint64 expiresAt = static_cast<qint64>(exp.toDouble());
    // A short lifetime bounds how long a jti must be remembered.
    if (expiresAt <= now || expiresAt > now + kMaxAssertionLifetime)
        return false;
    const QJsonValue nbf = claims.value(QLatin1String("nbf"));
    if (!nbf.isUndefined() && (!nbf.isDouble() || static_cast<qint64>(nbf.toDouble()) > now))
        return false;
    const QString jti = claims.value(QLatin1String("jti")).toString();
    if (jti.isEmpty() || jti.size() > 256)
        return false;

    Transaction tx(d.db);
    SqlQuery(d.db, QStringLiteral("DELETE FROM oauth_assertion_jtis WHERE client_id = :c AND expires_at <= :now"))
        .bind(QStringLiteral(":c"), client.id)
        .bind(QStringLiteral(":now"), now)
        .exec();
    SqlQuery insert(d.db, QStringLiteral("INSERT INTO oauth_assertion_jtis (client_id, jti, expires_at) VALUES (:c, :j, :e) "
                                         "ON CONFLICT DO NOTHING"));
    insert.bind(QStringLiteral(":c"), client.id).bind(QStringLiteral(":j"), jti).bind(QStringLiteral(":e"), expiresAt).exec();
    const bool fresh = insert.rowsAffected() == 1;
    tx.commit();
    return fresh;
}

OAuthClient ClientRegistry::authenticate(const QString &realmId, const ClientCredentials &credentials, const QStringList &audiences) const
{
    const bool jwtPresented = !credentials.assertion.isEmpty() || !credentials.assertionType.isEmpty();
    const int methods = int(credentials.hasBasic) + int(!credentials.formSecret.isEmpty()) + int(jwtPresented);
    if (methods > 1)
        fail(); // RFC 6749 §2.3: exactly one authentication method per request

    QString method;
    QString clientId = credentials.formClientId;
    if (credentials.hasBasic) {
        method = kMethodBasic;
        if (!clientId.isEmpty() && clientId != credentials.basicId)
            fail();
        clientId = credentials.basicId;
    } else if (!credentials.formSecret.isEmpty()) {
        method = kMethodPost;
    } else if (jwtPresented) {
        method = kMethodJwt;
        if (credentials.assertionType != kAssertionType || credentials.assertion.isEmpty())
            fail();
        // Which client's keys to try; the signature check below decides.
        const std::optional<DecodedJwt> unverified = Jwt::decodeUnverified(credentials.assertion);
        const QString subject = unverified ? unverified->claims.value(QLatin1String("sub")).toString() : QString();
        if (clientId.isEmpty())
            clientId = subject;
        else if (clientId != subject)
            fail();
    } else {
        method = kMethodNone;
    }
    if (clientId.isEmpty())
        fail();

    if (clientId.size() > 128)
        fail();
    const ClientCache::Client entry = cachedClient(realmId, clientId);
    const std::optional<OAuthClient> &client = entry.client;
    if (method == kMethodBasic || method == kMethodPost) {
        const QString &secret = method == kMethodBasic ? credentials.basicSecret : credentials.formSecret;
        const bool ok = secretMatches(entry, secret);
        if (!client || client->tokenEndpointAuthMethod != method || !ok)
            fail();
        return *client;
    }
    if (!client || client->tokenEndpointAuthMethod != method)
        fail();
    if (method == kMethodJwt && !assertionValid(*client, credentials.assertion, audiences))
        fail();
    return *client;
}

} // namespace authrealm
