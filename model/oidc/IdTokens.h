#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace authrealm {

class AccessTokens;
class Clock;
class KeyManager;
struct OAuthClient;
struct User;

// OpenID Connect ID tokens (OIDC Core §2): signed with the client's
// registered algorithm by the realm's ID-token key of that algorithm.
class IdTokens
{
public:
    IdTokens(const KeyManager &keys, const AccessTokens &accessTokens, const Clock &clock)
        : m_keys(keys), m_accessTokens(accessTokens), m_clock(clock)
    {
    }

    struct Content
    {
        QString realmId;
        const OAuthClient *client = nullptr;
        const User *user = nullptr;
        QStringList scopes;       // profile / email add their claims
        qint64 authTime = 0;      // seconds
        QString nonce;
        QString accessToken;      // for at_hash; empty: none
        QStringList amr;
        QString sid;              // the browser session
        qint64 lifetime = 300;    // seconds
    };
    [[nodiscard]] QString mint(const Content &content) const;

    // acr for what was proven: two factors or one.
    [[nodiscard]] static QString acrFor(const QStringList &amr);

    // An ID token this realm issued (signature and issuer checked; expiry
    // not, as id_token_hint and logout allow expired ones): its claims.
    [[nodiscard]] std::optional<QJsonObject> verifyHint(const QString &realmId, const QString &token) const;

    // Claims of the user for these scopes (userinfo and ID tokens).
    [[nodiscard]] static QJsonObject userClaims(const User &user, const QStringList &scopes);

private:
    const KeyManager &m_keys;
    const AccessTokens &m_accessTokens;
    const Clock &m_clock;
};

} // namespace authrealm
