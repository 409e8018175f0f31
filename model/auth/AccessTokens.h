#pragma once

#include <QString>
#include <QStringList>

namespace authrealm {

class KeyManager;
class RevocationList;
class Clock;

struct AccessClaims
{
    QString realmId;
    QString subject;   // user id
    QString appId;     // aud
    QString sessionId; // sid
    QStringList roles;
    QStringList scopes;
    qint64 expiresAt = 0; // seconds
    qint64 issuedAt = 0;
    QString tokenId;   // jti
    QStringList amr;   // authentication methods (RFC 8176): "pwd", "otp"
    qint64 mfaAt = 0;  // seconds: last second-factor proof, 0 if none (then no mfa_at claim)
    QString clientId;  // the OAuth client (client_id claim); empty: the app, as for v1 sign-ins
};

// Mints and checks the realm-signed JWT access tokens (RFC 9068 profile:
// typ "at+jwt"). Verification chooses the algorithm from the realm's own key,
// never from the token, and refuses tokens of ended sessions.
class AccessTokens
{
public:
    AccessTokens(const KeyManager &keys, const RevocationList &revocations, const Clock &clock, QString publicBaseUrl);

    [[nodiscard]] QString issuer(const QString &realmId) const;
    [[nodiscard]] QString mint(const AccessClaims &claims, qint64 lifetimeSeconds) const;
    // Throws DomainError(InvalidToken) for anything that is not a live token of this realm.
    [[nodiscard]] AccessClaims verify(const QString &realmId, const QString &token) const;

    static constexpr qint64 kClockSkewSeconds = 30;

private:
    const KeyManager &m_keys;
    const RevocationList &m_revocations;
    const Clock &m_clock;
    QString m_publicBaseUrl;
};

} // namespace authrealm
