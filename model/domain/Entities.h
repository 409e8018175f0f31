#pragma once

#include <QString>
#include <QStringList>

namespace authrealm {

enum class UserStatus { Active, Suspended, Deactivated };

[[nodiscard]] QString userStatusName(UserStatus status);
[[nodiscard]] std::optional<UserStatus> userStatusFromName(const QString &name);

struct Realm
{
    QString id;          // the name used in URLs: /realms/{id}/
    QString displayName;
    qint64 createdAt = 0;
};

struct User
{
    QString id;
    QString realmId;
    QString email;
    QString username;    // optional login name (the bootstrap "admin" has one)
    QString displayName;
    QString passwordHash; // argon2id PHC string; empty when no password is set
    UserStatus status = UserStatus::Active;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    bool emailVerified = false;
    QString locale;       // "en", "de", "fr" for account emails; empty: the realm's default language
};

struct App
{
    QString realmId;
    QString id;          // what clients send as tenantId
    QString displayName;
    qint64 createdAt = 0;
};

// Per-app token lifetimes in seconds; 0 inherits the realm's. They can only
// shorten what the realm and the deployment allow (see TokenLifetimes).
struct AppLifetimes
{
    qint64 accessToken = 0;
    qint64 refreshToken = 0;
    qint64 sessionMax = 0;
};

struct Role
{
    QString realmId;
    QString appId;
    QString name;
    QStringList scopes;
    bool system = false; // "owner" and "member": cannot be renamed or deleted
};

// A product feature: while it is off, the scopes it unlocks are taken out of
// every token and every scope check of its app.
struct Feature
{
    QString realmId;
    QString appId;
    QString key;
    bool enabled = true;
    QStringList scopes;
};

struct PersonalAccessToken
{
    QString id;
    QString realmId;
    QString appId;
    QString userId;
    QString name;
    QStringList scopes;
    qint64 createdAt = 0;
    qint64 expiresAt = 0;
    qint64 lastUsedAt = 0;
    qint64 revokedAt = 0;
};

struct Membership
{
    QString appId;
    QStringList roles;
};

struct Session
{
    QString id;
    QString realmId;
    QString userId;
    QString appId;
    qint64 createdAt = 0;
    qint64 lastUsedAt = 0;
    qint64 expiresAt = 0;
    QString ip;
    QString userAgent;
    qint64 revokedAt = 0;
    QStringList amr{QStringLiteral("pwd")}; // how the person proved who they are (RFC 8176 values)
    qint64 mfaAt = 0;                       // seconds: the last second-factor proof in this session, 0 if none
    // Sessions started through the OpenID provider: the OAuth client, the
    // browser (SSO) session it came from, the granted scope, and when the
    // person authenticated (seconds). Empty/0 for v1 API sign-ins.
    QString clientId;
    QString browserSession;
    QString scope;
    qint64 authTime = 0;
};

// Input validation shared by the API, import and the console.
namespace Validate {
// Realm and app identifiers appear in URLs and tokens: a conservative alphabet.
[[nodiscard]] bool identifier(const QString &id);
[[nodiscard]] bool email(const QString &email);
[[nodiscard]] QString emailKey(const QString &email); // case-insensitive uniqueness key
[[nodiscard]] bool scope(const QString &scope);
[[nodiscard]] bool roleName(const QString &name);
[[nodiscard]] bool featureKey(const QString &key);
} // namespace Validate

} // namespace authrealm
