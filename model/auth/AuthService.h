#pragma once

#include "auth/AccessTokens.h"
#include "auth/Permissions.h"
#include "auth/TokenLifetimes.h"
#include "domain/Entities.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace authrealm {

class AuditLog;
class Clock;
class KeyManager;
class MfaService;
class PasswordHashing;
class SignInThrottle;
struct Principal;
class RealmStore;
class RevocationList;
class SessionStore;
class TokenHasher;
class UserStore;

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
    QString appId;
    QString sessionId; // the session the tokens belong to
};

// How a sign-in step ended: with tokens, or (second factor on, not yet
// proven) with a challenge to complete at POST /authRealm/login/totp.
struct SignInResult
{
    std::optional<TokenPair> tokens;
    QString challengeId;
    qint64 challengeExpiresIn = 0; // seconds
    [[nodiscard]] bool mfaRequired() const { return !tokens.has_value(); }
};

struct AuditEvent;
// The audit event of a sign-in step about a person (or "anonymous" when the
// account is unknown): shared by the v1 sign-in and the OpenID provider, so
// both write the same kinds the same way.
[[nodiscard]] AuditEvent signInEvent(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                                     const ClientInfo &client, const QString &outcome, const QString &summary);

// Which OAuth client tokens are minted for: empty for the v1 API. A refresh
// token of a session begun by another client (or by the v1 API) is refused.
struct ClientBinding
{
    QString clientId;
    qint64 accessTokenLifetime = 0; // the client's own cap, 0: the app's
    QStringList narrowedScope;      // the refresh's `scope`: a subset of the session's, or empty for all
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
        const PasswordHashing &hasher;
        const TokenHasher &tokenHasher;
        const AccessTokens &accessTokens;
        RevocationList &revocations;
        const AuditLog &audit;
        const Clock &clock;
        const MfaService &mfa;
        const SignInThrottle &throttle;
        LifetimeBounds lifetimeBounds;
    };
    explicit AuthService(Deps deps) : d(deps) {}

    // Password sign-in, throttled per account and per client address (the
    // lock is checked before the password). With TOTP on, no tokens: a challenge.
    [[nodiscard]] SignInResult login(const QString &realmId, const QString &login, const QString &password,
                                     const QString &appId, const ClientInfo &client) const;
    // The password check of login() alone: throttle, dummy work for unknown
    // accounts, failures audited, rehash; InvalidCredentials for every
    // failure. appId only labels the audit events. Used by login() and by
    // the OpenID provider's sign-in page, which starts no v1 session.
    [[nodiscard]] User verifyPassword(const QString &realmId, const QString &login, const QString &password, const QString &appId,
                                      const ClientInfo &client) const;
    // Second step of a two-step sign-in: the challenge plus a TOTP or backup code.
    [[nodiscard]] TokenPair loginWithSecondFactor(const QString &realmId, const QString &challengeId, const QString &code,
                                                  const ClientInfo &client) const;
    // A signed-in user proves a fresh second factor: new token pair, same
    // session, with a fresh mfa_at and "otp" in amr.
    [[nodiscard]] TokenPair stepUp(const Principal &caller, const QString &code, const ClientInfo &client) const;

    // THE MFA GATE. Every sign-in method ends here once it has proven its
    // factor(s) and chosen the app; none mints tokens by itself. If the user
    // has a second factor on and `amr` holds none yet ("otp"), the result is a
    // challenge (HTTP 202) instead of tokens; otherwise a new session and its
    // token pair. `amr` names what was proven (RFC 8176: "pwd", "otp", "email"
    // for an e-mailed code…); `method` is for the audit log.
    [[nodiscard]] SignInResult finishSignIn(const QString &realmId, const User &user, const Membership &membership,
                                            const QStringList &amr, const QString &method, const ClientInfo &client) const;
    // The user's membership for a sign-in: the one named by appId (the API's tenantId), or the
    // only one. TenantRequired / TenantForbidden otherwise (audited).
    [[nodiscard]] Membership chooseMembership(const QString &realmId, const User &user, const QString &appId,
                                              const ClientInfo &client) const;
    // Effective lifetimes for tokens of an app (deployment > realm > app).
    [[nodiscard]] EffectiveLifetimes lifetimes(const QString &realmId, const QString &appId) const;
    [[nodiscard]] TokenPair refresh(const QString &realmId, const QString &refreshToken, const ClientInfo &client,
                                    const ClientBinding &binding = {}) const;
    // Tokens for a new session of the OpenID provider (code redemption): the
    // session row is written by the caller's transaction; this mints.
    [[nodiscard]] TokenPair tokensFor(const QString &realmId, const User &user, const Session &session, const QStringList &roleNames,
                                      const QString &refreshToken, const ClientBinding &binding) const
    {
        return issue(realmId, user, session, roleNames, refreshToken, binding);
    }
    [[nodiscard]] QString newRefreshTokenValue() const { return newRefreshToken(); }
    // Returns how many sessions ended.
    [[nodiscard]] int logout(const QString &realmId, const QString &refreshToken, bool everywhere, const ClientInfo &client) const;

    // The caller's own profile and roles in their app (GET /v1/tenant/me).
    [[nodiscard]] QJsonObject profile(const QString &realmId, const QString &userId, const QString &appId) const;

    // Refresh tokens: "rt_" + 256 random bits, base64url.
    [[nodiscard]] static bool looksLikeRefreshToken(const QString &token);

private:
    [[nodiscard]] QString newRefreshToken() const;
    [[nodiscard]] TokenPair issue(const QString &realmId, const User &user, const Session &session, const QStringList &roleNames,
                                  const QString &refreshToken, const ClientBinding &binding = {}) const;
    [[nodiscard]] TokenPair startSession(const QString &realmId, const User &user, const Membership &membership, const QStringList &amr,
                                         qint64 mfaAt, const QString &method, const ClientInfo &client) const;
    void auditAuth(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                   const ClientInfo &client, const QString &outcome, const QString &summary) const;

    Deps d;
};

} // namespace authrealm
