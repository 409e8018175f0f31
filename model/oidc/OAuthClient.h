#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace authrealm {

// An OAuth 2.0 / OpenID Connect client of one product (app) of a realm
// (table oauth_clients). The client_id is random and unique across realms.
struct OAuthClient
{
    QString realmId;
    QString id;                       // client_id
    QString appId;                    // the product that owns it
    QStringList appIds;               // products it may sign people in to; appIds.first() == appId
    QString name;
    bool confidential = true;         // false: a public client (SPA, native app): PKCE, no secret
    QStringList redirectUris;         // exact match; only loopback http may vary its port
    QStringList postLogoutRedirectUris;
    QStringList grantTypes;           // "authorization_code", "refresh_token", "client_credentials"
    QStringList allowedScopes;        // "openid", "profile", "email", "offline_access" and product scopes
    QString idTokenAlgorithm = QStringLiteral("RS256"); // RS256, ES256 or EdDSA
    QString tokenEndpointAuthMethod;  // client_secret_basic | client_secret_post | private_key_jwt | none
    QJsonObject jwks;                 // public keys for private_key_jwt ({"keys":[...]})
    bool firstParty = true;           // false: the user is asked to consent
    qint64 accessTokenLifetime = 0;   // seconds; 0 inherits the product's; never longer than it
    qint64 refreshTokenLifetime = 0;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;

    [[nodiscard]] bool allowsGrant(const QString &grant) const { return grantTypes.contains(grant); }
};

} // namespace authrealm
