#include "auth/AuthService.h"

#include "auth/MfaService.h"
#include "auth/Principal.h"
#include "auth/RevocationList.h"
#include "auth/SignInThrottle.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/PasswordHasher.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/SessionStore.h"
#include "storage/UserStore.h"

#include <QJsonArray>

namespace authrealm {

namespace {
const QString kRefreshPrefix = QStringLiteral("rt_");
constexpr int kRefreshBytes = 32;

[[noreturn]] void invalidCredentials()
{
    throw DomainError(ErrorCode::InvalidCredentials, QStringLiteral("Invalid email or password"));
}
// The scopes of `held` that `asked` names, in held's order.
QStringList narrowed(const QStringList &held, const QStringList &asked)
{
    QStringList out;
    for (const QString &scope : held) {
        if (asked.contains(scope))
            out.append(scope);
    }
    return out;
}

[[noreturn]] void invalidRefreshToken()
{
    throw DomainError(ErrorCode::InvalidRefreshToken, QStringLiteral("The refresh token is invalid, expired or revoked"));
}
} // namespace

bool AuthService::looksLikeRefreshToken(const QString &token)
{
    // 32 bytes in unpadded base64url are 43 characters.
    if (token.size() != kRefreshPrefix.size() + 43 || !token.startsWith(kRefreshPrefix))
        return false;
    for (qsizetype i = kRefreshPrefix.size(); i < token.size(); ++i) {
        const char16_t c = token.at(i).unicode();
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

QString AuthService::newRefreshToken() const
{
    return kRefreshPrefix + randomToken(kRefreshBytes);
}

AuditEvent signInEvent(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                       const ClientInfo &client, const QString &outcome, const QString &summary)
{
    const QString actor = userId.isEmpty() ? QStringLiteral("anonymous") : QStringLiteral("user:") + userId;
    return AuditEvent::of(realmId, kind, actor, outcome)
        .inApp(appId).target(QStringLiteral("user"), userId).from(client.ip, client.userAgent).says(summary);
}

void AuthService::auditAuth(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                            const ClientInfo &client, const QString &outcome, const QString &summary) const
{
    d.audit.record(signInEvent(realmId, appId, kind, userId, client, outcome, summary));
}

EffectiveLifetimes AuthService::lifetimes(const QString &realmId, const QString &appId) const
{
    return effectiveLifetimes(d.lifetimeBounds, d.realms.settings(realmId), d.realms.appLifetimes(realmId, appId));
}

TokenPair AuthService::issue(const QString &realmId, const User &user, const Session &session, const QStringList &roleNames,
                             const QString &refreshToken, const ClientBinding &binding) const
{
    const EffectiveLifetimes life = lifetimes(realmId, session.appId);
    const Grant grant = d.permissions.grantFor(realmId, session.appId, roleNames);
    AccessClaims claims;
    claims.realmId = realmId;
    claims.subject = user.id;
    claims.appId = session.appId;
    claims.sessionId = session.id;
    claims.roles = grant.roles;
    claims.scopes = grant.scopes;
    claims.amr = session.amr;
    claims.mfaAt = session.mfaAt;
    qint64 lifetime = life.accessToken;
    if (!session.clientId.isEmpty()) {
        // A session of the OpenID provider: the token names its client and
        // carries the OAuth scopes granted at sign-in beside the product's.
        claims.clientId = session.clientId;
        for (const QString &scope : session.scope.split(u' ', Qt::SkipEmptyParts)) {
            if (!claims.scopes.contains(scope))
                claims.scopes.append(scope);
        }
        if (binding.accessTokenLifetime > 0)
            lifetime = std::min(lifetime, binding.accessTokenLifetime);
        if (!binding.narrowedScope.isEmpty())
            claims.scopes = narrowed(claims.scopes, binding.narrowedScope);
    }
    TokenPair pair;
    pair.accessToken = d.accessTokens.mint(claims, lifetime);
    pair.refreshToken = refreshToken;
    pair.expiresIn = lifetime;
    pair.roles = grant.roles;
    pair.scopes = claims.scopes;
    pair.appId = session.appId;
    pair.sessionId = session.id;
    return pair;
}

SignInResult AuthService::login(const QString &realmId, const QString &login, const QString &password, const QString &appId,
                                const ClientInfo &client) const
{
    const User user = verifyPassword(realmId, login, password, appId, client);
    const Membership membership = chooseMembership(realmId, user, appId, client);
    return finishSignIn(realmId, user, membership, {QStringLiteral("pwd")}, QStringLiteral("password"), client);
}

User AuthService::verifyPassword(const QString &realmId, const QString &login, const QString &password, const QString &appId,
                                 const ClientInfo &client) const
{
    // The lock is checked (and this attempt charged) before the password is
    // looked at, so a locked account answers the same for right and wrong
    // passwords, and for accounts that do not exist.
    std::optional<SignInThrottle::Attempt> admitted;
    try {
        admitted = d.throttle.admit(realmId, login, client.ip);
    } catch (const DomainError &e) {
        if (e.code() == ErrorCode::TooManyAttempts)
            auditAuth(realmId, appId, QStringLiteral("login.throttled"), {}, client, QStringLiteral("denied"),
                      QStringLiteral("sign-in refused while locked out: %1").arg(login.left(254)));
        throw;
    }
    const SignInThrottle::Attempt &attempt = *admitted;
    const std::optional<User> user = d.users.findByLogin(realmId, login);
    // Unknown users cost the same argon2id work as known ones, so neither the
    // answer nor its timing tells which emails exist.
    if (!user || user->passwordHash.isEmpty()) {
        d.hasher.verifyDummy(password);
        d.throttle.failed(attempt, client, {});
        auditAuth(realmId, appId, QStringLiteral("login.failure"), {}, client, QStringLiteral("failure"),
                  QStringLiteral("unknown account: %1").arg(login.left(254)));
        invalidCredentials();
    }
    if (!d.hasher.verify(user->passwordHash, password)) {
        d.throttle.failed(attempt, client, user->id);
        auditAuth(realmId, appId, QStringLiteral("login.failure"), user->id, client, QStringLiteral("failure"),
                  QStringLiteral("wrong password"));
        invalidCredentials();
    }
    // With a second factor still to come, the password alone does not clear
    // the account's failures (wrong codes count there too): it only takes
    // this attempt back. The code's success clears them.
    if (d.mfa.enabled(user->id))
        d.throttle.refund(attempt);
    else
        d.throttle.succeeded(attempt);
    if (user->status != UserStatus::Active) {
        auditAuth(realmId, appId, QStringLiteral("login.failure"), user->id, client, QStringLiteral("denied"),
                  QStringLiteral("account is %1").arg(userStatusName(user->status)));
        invalidCredentials();
    }
    if (d.hasher.needsRehash(user->passwordHash))
        d.users.setPasswordHash(user->id, d.hasher.hash(password), d.clock.nowMs());
    return *user;
}

Membership AuthService::chooseMembership(const QString &realmId, const User &user, const QString &appId, const ClientInfo &client) const
{
    const QList<Membership> memberships = d.users.memberships(user.id);
    const Membership *chosen = nullptr;
    if (!appId.isEmpty()) {
        for (const Membership &m : memberships) {
            if (m.appId == appId)
                chosen = &m;
        }
    } else if (memberships.size() == 1) {
        chosen = &memberships.constFirst();
    } else if (memberships.size() > 1) {
        auditAuth(realmId, {}, QStringLiteral("login.failure"), user.id, client, QStringLiteral("failure"),
                  QStringLiteral("no tenantId given for a user of several apps"));
        throw DomainError(ErrorCode::TenantRequired, QStringLiteral("Choose the product to sign in to: send its tenantId"));
    }
    if (!chosen) {
        // The same answer whether the app does not exist or the user is not in it.
        auditAuth(realmId, appId, QStringLiteral("login.failure"), user.id, client, QStringLiteral("denied"),
                  QStringLiteral("not a member of the requested app"));
        throw DomainError(ErrorCode::TenantForbidden, QStringLiteral("You do not have access to this product"));
    }
    return *chosen;
}

SignInResult AuthService::finishSignIn(const QString &realmId, const User &user, const Membership &membership, const QStringList &amr,
                                       const QString &method, const ClientInfo &client) const
{
    SignInResult result;
    if (!amr.contains(QStringLiteral("otp")) && d.mfa.enabled(user.id)) {
        result.challengeId = d.mfa.startChallenge(user, membership.appId, amr);
        result.challengeExpiresIn = MfaService::kChallengeLifetimeSeconds;
        auditAuth(realmId, membership.appId, QStringLiteral("login.mfa_challenge"), user.id, client, QStringLiteral("success"),
                  QStringLiteral("%1 accepted; second factor required").arg(method));
        return result;
    }
    const qint64 mfaAt = amr.contains(QStringLiteral("otp")) ? d.clock.nowSeconds() : 0;
    result.tokens = startSession(realmId, user, membership, amr, mfaAt, method, client);
    return result;
}

TokenPair AuthService::startSession(const QString &realmId, const User &user, const Membership &membership, const QStringList &amr,
                                    qint64 mfaAt, const QString &method, const ClientInfo &client) const
{
    const qint64 now = d.clock.nowMs();
    const EffectiveLifetimes life = lifetimes(realmId, membership.appId);
    Session session;
    session.id = randomToken(16);
    session.realmId = realmId;
    session.userId = user.id;
    session.appId = membership.appId;
    session.createdAt = now;
    session.lastUsedAt = now;
    session.expiresAt = now + life.sessionMax * 1000;
    session.ip = client.ip;
    session.userAgent = client.userAgent.left(256);
    session.amr = amr;
    session.mfaAt = mfaAt;
    const QString refreshToken = newRefreshToken();
    d.sessions.createSession(session, d.tokenHasher.hashHex(refreshToken.toUtf8()), now + life.refreshToken * 1000);
    TokenPair pair = issue(realmId, user, session, membership.roles, refreshToken);
    auditAuth(realmId, membership.appId, QStringLiteral("login.success"), user.id, client, QStringLiteral("success"),
              QStringLiteral("%1 sign-in (%2), session %3").arg(method, amr.join(u'+'), session.id));
    return pair;
}

TokenPair AuthService::loginWithSecondFactor(const QString &realmId, const QString &challengeId, const QString &code,
                                             const ClientInfo &client) const
{
    const MfaStore::Challenge challenge = d.mfa.completeChallenge(realmId, challengeId, code, client);
    const std::optional<User> user = d.users.user(realmId, challenge.userId);
    const std::optional<Membership> membership = user ? d.users.membership(user->id, challenge.appId) : std::nullopt;
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidMfaChallenge, QStringLiteral("The sign-in challenge is no longer valid: sign in again"));
    if (!membership)
        throw DomainError(ErrorCode::TenantForbidden, QStringLiteral("You do not have access to this product"));
    QStringList amr = challenge.amr;
    amr.append(QStringLiteral("otp"));
    const SignInResult result = finishSignIn(realmId, *user, *membership, amr, QStringLiteral("two-step"), client);
    return *result.tokens;
}

TokenPair AuthService::stepUp(const Principal &caller, const QString &code, const ClientInfo &client) const
{
    caller.requireInteractiveSession();
    const std::optional<User> user = d.users.user(caller.realmId, caller.userId);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    (void)d.mfa.verify(*user, code, client, QStringLiteral("step-up"));
    const std::optional<Session> current = d.sessions.session(caller.sessionId);
    const std::optional<Membership> membership = current ? d.users.membership(user->id, current->appId) : std::nullopt;
    if (!current || !membership)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    Session session = *current;
    if (!session.amr.contains(QStringLiteral("otp")))
        session.amr.append(QStringLiteral("otp"));
    session.mfaAt = d.clock.nowSeconds();
    const qint64 now = d.clock.nowMs();
    const QString refreshToken = newRefreshToken();
    if (!d.sessions.reissue(session.id, session.amr, session.mfaAt, d.tokenHasher.hashHex(refreshToken.toUtf8()), now,
                            now + lifetimes(caller.realmId, session.appId).refreshToken * 1000))
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    TokenPair pair = issue(caller.realmId, *user, session, membership->roles, refreshToken);
    auditAuth(caller.realmId, session.appId, QStringLiteral("mfa.step_up"), user->id, client, QStringLiteral("success"),
              QStringLiteral("fresh second factor proven, session %1").arg(session.id));
    return pair;
}

TokenPair AuthService::refresh(const QString &realmId, const QString &refreshToken, const ClientInfo &client,
                               const ClientBinding &binding) const
{
    if (!looksLikeRefreshToken(refreshToken))
        invalidRefreshToken();
    const qint64 now = d.clock.nowMs();
    const QString presentedHash = d.tokenHasher.hashHex(refreshToken.toUtf8());
    // The app's lifetimes need the session's app: look it up without consuming first.
    // (A spent token already counts as reuse here, with the same outcome rotate() would give.)
    SessionStore::Rotation rotation = d.sessions.identify(realmId, presentedHash, now);
    // Bound to its client: another client's (or a v1) refresh token is
    // refused before it is used, so presenting it elsewhere spends nothing.
    if (rotation.outcome == SessionStore::RotationOutcome::Rotated && rotation.session.clientId != binding.clientId) {
        auditAuth(realmId, rotation.session.appId, QStringLiteral("refresh.failure"), rotation.session.userId, client,
                  QStringLiteral("denied"), QStringLiteral("refresh token presented by another client"));
        invalidRefreshToken();
    }
    if (!binding.narrowedScope.isEmpty()) {
        const QStringList held = rotation.session.scope.split(u' ', Qt::SkipEmptyParts);
        for (const QString &scope : binding.narrowedScope) {
            if (!held.contains(scope))
                throw DomainError(ErrorCode::InvalidScope, QStringLiteral("A refresh cannot add the scope %1").arg(scope.left(64)));
        }
    }
    const QString next = newRefreshToken();
    if (rotation.outcome == SessionStore::RotationOutcome::Rotated) {
        const EffectiveLifetimes life = lifetimes(realmId, rotation.session.appId);
        rotation = d.sessions.rotate(realmId, presentedHash, d.tokenHasher.hashHex(next.toUtf8()), now, now + life.refreshToken * 1000,
                                     life.refreshIdle * 1000, SessionStore::ClientSeen{client.ip, client.userAgent});
    }
    switch (rotation.outcome) {
    case SessionStore::RotationOutcome::Invalid:
        auditAuth(realmId, {}, QStringLiteral("refresh.failure"), {}, client, QStringLiteral("failure"),
                  QStringLiteral("unknown, expired, idle or revoked refresh token"));
        invalidRefreshToken();
    case SessionStore::RotationOutcome::ReuseDetected:
        d.revocations.markRevoked(rotation.session.id);
        auditAuth(realmId, rotation.session.appId, QStringLiteral("refresh.reuse_detected"), rotation.session.userId, client,
                  QStringLiteral("denied"),
                  QStringLiteral("an already rotated refresh token was presented; session %1 and all its tokens revoked")
                      .arg(rotation.session.id));
        invalidRefreshToken();
    case SessionStore::RotationOutcome::Rotated:
        break;
    }

    const Session &session = rotation.session;
    const std::optional<User> user = d.users.user(realmId, session.userId);
    const std::optional<Membership> membership = user ? d.users.membership(user->id, session.appId) : std::nullopt;
    if (!user || user->status != UserStatus::Active || !membership) {
        // False only if it ended meanwhile: either way it is over and the token refused.
        (void)d.sessions.revokeSession(session.id, QStringLiteral("access_removed"), now);
        d.revocations.markRevoked(session.id);
        auditAuth(realmId, session.appId, QStringLiteral("refresh.failure"), session.userId, client, QStringLiteral("denied"),
                  QStringLiteral("account disabled or membership removed; session %1 ended").arg(session.id));
        invalidRefreshToken();
    }
    TokenPair pair = issue(realmId, *user, session, membership->roles, next, binding);
    auditAuth(realmId, session.appId, QStringLiteral("refresh.success"), user->id, client, QStringLiteral("success"),
              QStringLiteral("refresh token rotated, session %1").arg(session.id));
    return pair;
}

int AuthService::logout(const QString &realmId, const QString &refreshToken, bool everywhere, const ClientInfo &client) const
{
    if (!looksLikeRefreshToken(refreshToken))
        invalidRefreshToken();
    const qint64 now = d.clock.nowMs();
    const SessionStore::Rotation found = d.sessions.identify(realmId, d.tokenHasher.hashHex(refreshToken.toUtf8()), now);
    if (found.outcome == SessionStore::RotationOutcome::Invalid)
        invalidRefreshToken();
    if (found.outcome == SessionStore::RotationOutcome::ReuseDetected) {
        d.revocations.markRevoked(found.session.id);
        auditAuth(realmId, found.session.appId, QStringLiteral("refresh.reuse_detected"), found.session.userId, client,
                  QStringLiteral("denied"),
                  QStringLiteral("an already rotated refresh token was presented to logout; session %1 revoked").arg(found.session.id));
        invalidRefreshToken();
    }
    QStringList ended;
    if (everywhere) {
        ended = d.sessions.revokeUserSessions(realmId, found.session.userId, QStringLiteral("logout_all"), now);
    } else if (d.sessions.revokeSession(found.session.id, QStringLiteral("logout"), now)) {
        ended.append(found.session.id);
    }
    for (const QString &sid : std::as_const(ended))
        d.revocations.markRevoked(sid);
    auditAuth(realmId, found.session.appId, everywhere ? QStringLiteral("logout.all") : QStringLiteral("logout"),
              found.session.userId, client, QStringLiteral("success"), QStringLiteral("%1 session(s) ended").arg(ended.size()));
    return int(ended.size());
}

QJsonObject AuthService::profile(const QString &realmId, const QString &userId, const QString &appId) const
{
    const std::optional<User> user = d.users.user(realmId, userId);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    const std::optional<Membership> membership = d.users.membership(user->id, appId);
    const Grant grant = membership ? d.permissions.grantFor(realmId, appId, membership->roles) : Grant{};
    return QJsonObject{
        {QStringLiteral("id"), user->id},
        {QStringLiteral("email"), user->email},
        {QStringLiteral("displayName"), user->displayName},
        {QStringLiteral("status"), userStatusName(user->status)},
        {QStringLiteral("tenantId"), appId},
        {QStringLiteral("roles"), QJsonArray::fromStringList(grant.roles)},
        {QStringLiteral("scope"), grant.scopes.join(u' ')},
        {QStringLiteral("createdAt"), QDateTime::fromMSecsSinceEpoch(user->createdAt, Qt::UTC).toString(Qt::ISODate)},
    };
}

} // namespace authrealm
