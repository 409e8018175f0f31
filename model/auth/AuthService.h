#pragma once

#include "auth/AccessTokens.h"
#include "auth/Permissions.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace authrealm {

class AuditLog;
class Clock;
class KeyManager;
class PasswordHasher;
class RealmStore;
class RevocationList;
class SessionStore;
class TokenHasher;
class UserStore;
struct User;

// Who is asking, for the audit log and the session list.
struct ClientInfo
{
    QString ip;
    QString userAgent;
};

struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0;
    QStringList roles;
    QStringList scopes;
    QString tenantId;
};

// Password sign-in, refresh-token rotation with reuse detection, and logout:
// the rules of the v1 API, independent of HTTP.
class AuthService
{
public:
    struct Deps
    {
        const RealmStore &realms;
        const UserStore &users;
        const SessionStore &sessions;
        const Permissions &permissions;
        const PasswordHasher &hasher;
        const TokenHasher &tokenHasher;
        const AccessTokens &accessTokens;
        RevocationList &revocations;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit AuthService(Deps deps) : d(deps) {}

    [[nodiscard]] TokenPair login(const QString &realmId, const QString &login, const QString &password,
                                  const QString &tenantId, const ClientInfo &client) const;
    [[nodiscard]] TokenPair refresh(const QString &realmId, const QString &refreshToken, const ClientInfo &client) const;
    // The end of every sign-in method (password, email code): picks the app
    // (tenantId, or the user's only one), starts a session and issues tokens.
    // The caller has already proven who the user is and that they are active.
    [[nodiscard]] TokenPair completeSignIn(const QString &realmId, const User &user, const QString &tenantId, const ClientInfo &client,
                                           const QString &method) const;

    // Returns how many sessions ended.
    int logout(const QString &realmId, const QString &refreshToken, bool everywhere, const ClientInfo &client) const;

    // The caller's own profile and roles in their app (GET /v1/tenant/me).
    [[nodiscard]] QJsonObject profile(const QString &realmId, const QString &userId, const QString &appId) const;

    // Refresh tokens: "rt_" + 256 random bits, base64url.
    [[nodiscard]] static bool looksLikeRefreshToken(const QString &token);

private:
    [[nodiscard]] QString newRefreshToken() const;
    [[nodiscard]] TokenPair issue(const QString &realmId, const User &user, const QString &appId, const QString &sessionId,
                                  const QStringList &roleNames, const QString &refreshToken) const;
    void auditAuth(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                   const ClientInfo &client, const QString &outcome, const QString &summary) const;

    Deps d;
};

} // namespace authrealm
