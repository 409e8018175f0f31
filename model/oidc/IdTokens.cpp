#include "oidc/IdTokens.h"

#include "auth/AccessTokens.h"
#include "auth/KeyManager.h"
#include "core/Clock.h"
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"
#include "crypto/Random.h"
#include "domain/Entities.h"
#include "oidc/OAuthClient.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>

namespace authrealm {

QString IdTokens::acrFor(const QStringList &amr)
{
    return amr.contains(QStringLiteral("otp")) ? QStringLiteral("urn:authrealm:acr:2fa") : QStringLiteral("urn:authrealm:acr:1fa");
}

QJsonObject IdTokens::userClaims(const User &user, const QStringList &scopes)
{
    QJsonObject claims;
    if (scopes.contains(QStringLiteral("profile"))) {
        claims.insert(QStringLiteral("name"), user.displayName.isEmpty() ? user.email : user.displayName);
        claims.insert(QStringLiteral("preferred_username"), user.username.isEmpty() ? user.email : user.username);
        claims.insert(QStringLiteral("updated_at"), user.updatedAt / 1000);
        if (!user.locale.isEmpty())
            claims.insert(QStringLiteral("locale"), user.locale);
    }
    if (scopes.contains(QStringLiteral("email"))) {
        claims.insert(QStringLiteral("email"), user.email);
        claims.insert(QStringLiteral("email_verified"), user.emailVerified);
    }
    return claims;
}

QString IdTokens::mint(const Content &c) const
{
    const auto algorithm = algorithmFromName(c.client->idTokenAlgorithm).value_or(SigningAlgorithm::RS256);
    const SigningKey key = m_keys.idTokenKey(c.realmId, algorithm);
    const qint64 now = m_clock.nowSeconds();
    QJsonObject claims = userClaims(*c.user, c.scopes);
    claims.insert(QStringLiteral("iss"), m_accessTokens.issuer(c.realmId));
    claims.insert(QStringLiteral("sub"), c.user->id);
    claims.insert(QStringLiteral("aud"), c.client->id);
    claims.insert(QStringLiteral("azp"), c.client->id);
    claims.insert(QStringLiteral("iat"), now);
    claims.insert(QStringLiteral("exp"), now + c.lifetime);
    claims.insert(QStringLiteral("auth_time"), c.authTime);
    claims.insert(QStringLiteral("jti"), randomToken(16));
    claims.insert(QStringLiteral("amr"), QJsonArray::fromStringList(c.amr));
    claims.insert(QStringLiteral("acr"), acrFor(c.amr));
    if (!c.sid.isEmpty())
        claims.insert(QStringLiteral("sid"), c.sid);
    if (!c.nonce.isEmpty())
        claims.insert(QStringLiteral("nonce"), c.nonce);
    if (!c.accessToken.isEmpty()) {
        // OIDC Core §3.1.3.6: the left half of the hash that goes with the
        // signature algorithm (SHA-512 for Ed25519).
        const auto hashAlgorithm = algorithm == SigningAlgorithm::EdDSA ? QCryptographicHash::Sha512 : QCryptographicHash::Sha256;
        const QByteArray digest = QCryptographicHash::hash(c.accessToken.toLatin1(), hashAlgorithm);
        claims.insert(QStringLiteral("at_hash"), base64UrlEncodeString(digest.left(digest.size() / 2)));
    }
    return Jwt::sign(claims, key, QStringLiteral("JWT"));
}

std::optional<QJsonObject> IdTokens::verifyHint(const QString &realmId, const QString &token) const
{
    const auto result = Jwt::verify(token, [&](const QString &kid) { return m_keys.verificationKey(realmId, kid); });
    const auto *decoded = std::get_if<DecodedJwt>(&result);
    if (!decoded || decoded->header.value(QStringLiteral("typ")).toString() == u"at+jwt")
        return std::nullopt;
    if (decoded->claims.value(QStringLiteral("iss")).toString() != m_accessTokens.issuer(realmId))
        return std::nullopt;
    if (decoded->claims.value(QStringLiteral("sub")).toString().isEmpty())
        return std::nullopt;
    return decoded->claims;
}

} // namespace authrealm
