#include "auth/AccessTokens.h"

#include "auth/KeyManager.h"
#include "auth/RevocationList.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Jwt.h"
#include "crypto/Random.h"

#include <QJsonArray>

namespace authrealm {

namespace {
const QString kTokenType = QStringLiteral("at+jwt");

[[noreturn]] void reject()
{
    // One message for every reason: a caller learns nothing about which check failed.
    throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
}
} // namespace

AccessTokens::AccessTokens(const KeyManager &keys, const RevocationList &revocations, const Clock &clock, QString publicBaseUrl)
    : m_keys(keys), m_revocations(revocations), m_clock(clock), m_publicBaseUrl(std::move(publicBaseUrl))
{
    while (m_publicBaseUrl.endsWith(u'/'))
        m_publicBaseUrl.chop(1);
}

QString AccessTokens::issuer(const QString &realmId) const
{
    return m_publicBaseUrl + QStringLiteral("/realms/") + realmId;
}

QString AccessTokens::mint(const AccessClaims &claims, qint64 lifetimeSeconds) const
{
    const qint64 now = m_clock.nowSeconds();
    QJsonObject payload{
        {QStringLiteral("iss"), issuer(claims.realmId)},
        {QStringLiteral("sub"), claims.subject},
        {QStringLiteral("aud"), claims.appId},
        {QStringLiteral("client_id"), claims.clientId.isEmpty() ? claims.appId : claims.clientId},
        {QStringLiteral("iat"), now},
        {QStringLiteral("nbf"), now},
        {QStringLiteral("exp"), now + lifetimeSeconds},
        {QStringLiteral("jti"), randomToken(16)},
        {QStringLiteral("sid"), claims.sessionId},
        {QStringLiteral("tenantId"), claims.appId},
        {QStringLiteral("roles"), QJsonArray::fromStringList(claims.roles)},
        {QStringLiteral("scope"), claims.scopes.join(u' ')},
        {QStringLiteral("amr"), QJsonArray::fromStringList(claims.amr)},
    };
    if (claims.mfaAt > 0)
        payload.insert(QStringLiteral("mfa_at"), claims.mfaAt);
    return Jwt::sign(payload, m_keys.activeKey(claims.realmId), kTokenType);
}

AccessClaims AccessTokens::verify(const QString &realmId, const QString &token) const
{
    const auto result = Jwt::verify(token, [&](const QString &kid) { return m_keys.verificationKey(realmId, kid); });
    const auto *decoded = std::get_if<DecodedJwt>(&result);
    if (!decoded)
        reject();
    // Refuse ID tokens or other JWTs signed by the same key (RFC 8725 3.11).
    if (decoded->header.value(QStringLiteral("typ")).toString() != kTokenType)
        reject();
    const QJsonObject &c = decoded->claims;
    const qint64 now = m_clock.nowSeconds();
    const auto number = [&](const char *name) {
        const QJsonValue v = c.value(QLatin1String(name));
        return v.isDouble() ? qint64(v.toDouble()) : qint64(-1);
    };
    const qint64 exp = number("exp");
    const qint64 iat = number("iat");
    const qint64 nbf = c.contains(QStringLiteral("nbf")) ? number("nbf") : iat;
    if (c.value(QStringLiteral("iss")).toString() != issuer(realmId) || exp < 0 || iat < 0 || nbf < 0)
        reject();
    if (now >= exp + kClockSkewSeconds || nbf > now + kClockSkewSeconds)
        reject();
    AccessClaims claims;
    claims.realmId = realmId;
    claims.subject = c.value(QStringLiteral("sub")).toString();
    claims.appId = c.value(QStringLiteral("aud")).toString();
    claims.sessionId = c.value(QStringLiteral("sid")).toString();
    claims.tokenId = c.value(QStringLiteral("jti")).toString();
    claims.expiresAt = exp;
    claims.issuedAt = iat;
    claims.scopes = c.value(QStringLiteral("scope")).toString().split(u' ', Qt::SkipEmptyParts);
    for (const QJsonValue &role : c.value(QStringLiteral("roles")).toArray())
        claims.roles.append(role.toString());
    for (const QJsonValue &method : c.value(QStringLiteral("amr")).toArray())
        claims.amr.append(method.toString());
    claims.mfaAt = c.contains(QStringLiteral("mfa_at")) ? number("mfa_at") : 0;
    claims.clientId = c.value(QStringLiteral("client_id")).toString();
    // Only a client_credentials token (the client is its own subject) has no session.
    const bool clientToken = !claims.clientId.isEmpty() && claims.subject == claims.clientId;
    if (claims.subject.isEmpty() || claims.appId.isEmpty() || (claims.sessionId.isEmpty() && !clientToken))
        reject();
    if (!claims.sessionId.isEmpty() && m_revocations.isRevoked(claims.sessionId))
        reject();
    return claims;
}

} // namespace authrealm
