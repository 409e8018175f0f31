#include "auth/AuthService.h"

#include "auth/RevocationList.h"
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

void AuthService::auditAuth(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                            const ClientInfo &client, const QString &outcome, const QString &summary) const
{
    const QString actor = userId.isEmpty() ? QStringLiteral("anonymous") : QStringLiteral("user:") + userId;
    d.audit.record(AuditEvent::of(realmId, kind, actor, outcome)
                       .inApp(appId).target(QStringLiteral("user"), userId).from(client.ip, client.userAgent).says(summary));
}

TokenPair AuthService::issue(const QString &realmId, const User &user, const QString &appId, const QString &sessionId,
                             const QStringList &roleNames, const QString &refreshToken) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    const Grant grant = d.permissions.grantFor(realmId, appId, roleNames);
    AccessClaims claims;
    claims.realmId = realmId;
    claims.subject = user.id;
    claims.appId = appId;
    claims.sessionId = sessionId;
    claims.roles = grant.roles;
    claims.scopes = grant.scopes;
    TokenPair pair;
    pair.accessToken = d.accessTokens.mint(claims, settings.accessTokenLifetime());
    pair.refreshToken = refreshToken;
    pair.expiresIn = settings.accessTokenLifetime();
    pair.roles = grant.roles;
    pair.scopes = grant.scopes;
    pair.tenantId = appId;
    return pair;
}

TokenPair AuthService::login(const QString &realmId, const QString &login, const QString &password, const QString &tenantId,
                             const ClientInfo &client) const
{
    const std::optional<User> user = d.users.findByLogin(realmId, login);
    // Unknown users cost the same argon2id work as known ones, so neither the
    // answer nor its timing tells which emails exist.
    if (!user || user->passwordHash.isEmpty()) {
        d.hasher.verifyDummy(password);
        auditAuth(realmId, tenantId, QStringLiteral("login.failure"), {}, client, QStringLiteral("failure"),
                  QStringLiteral("unknown account: %1").arg(login.left(254)));
        invalidCredentials();
    }
    if (!d.hasher.verify(user->passwordHash, password)) {
        auditAuth(realmId, tenantId, QStringLiteral("login.failure"), user->id, client, QStringLiteral("failure"),
                  QStringLiteral("wrong password"));
        invalidCredentials();
    }
    if (user->status != UserStatus::Active) {
        auditAuth(realmId, tenantId, QStringLiteral("login.failure"), user->id, client, QStringLiteral("denied"),
                  QStringLiteral("account is %1").arg(userStatusName(user->status)));
        invalidCredentials();
    }
    if (d.hasher.needsRehash(user->passwordHash))
        d.users.setPasswordHash(user->id, d.hasher.hash(password), d.clock.nowMs());
    return completeSignIn(realmId, *user, tenantId, client, QStringLiteral("password"));
}

TokenPair AuthService::completeSignIn(const QString &realmId, const User &user, const QString &tenantId, const ClientInfo &client,
                                      const QString &method) const
{
    // Every sign-in method ends here, so a later second-factor gate covers them all.
    const qint64 now = d.clock.nowMs();
    const QList<Membership> memberships = d.users.memberships(user.id);
    const Membership *chosen = nullptr;
    if (!tenantId.isEmpty()) {
        for (const Membership &m : memberships) {
            if (m.appId == tenantId)
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
        auditAuth(realmId, tenantId, QStringLiteral("login.failure"), user.id, client, QStringLiteral("denied"),
                  QStringLiteral("not a member of the requested app"));
        throw DomainError(ErrorCode::TenantForbidden, QStringLiteral("You do not have access to this product"));
    }

    const RealmSettings settings = d.realms.settings(realmId);
    Session session;
    session.id = randomToken(16);
    session.realmId = realmId;
    session.userId = user.id;
    session.appId = chosen->appId;
    session.createdAt = now;
    session.lastUsedAt = now;
    session.expiresAt = now + settings.sessionMaxLifetime() * 1000;
    session.ip = client.ip;
    session.userAgent = client.userAgent.left(256);
    const QString refreshToken = newRefreshToken();
    d.sessions.createSession(session, d.tokenHasher.hashHex(refreshToken.toUtf8()),
                             std::min(session.expiresAt, now + settings.refreshTokenLifetime() * 1000));
    TokenPair pair = issue(realmId, user, chosen->appId, session.id, chosen->roles, refreshToken);
    auditAuth(realmId, chosen->appId, QStringLiteral("login.success"), user.id, client, QStringLiteral("success"),
              QStringLiteral("%1 sign-in, session %2").arg(method, session.id));
    return pair;
}

TokenPair AuthService::refresh(const QString &realmId, const QString &refreshToken, const ClientInfo &client) const
{
    if (!looksLikeRefreshToken(refreshToken))
        invalidRefreshToken();
    const qint64 now = d.clock.nowMs();
    const RealmSettings settings = d.realms.settings(realmId);
    const QString next = newRefreshToken();
    const SessionStore::Rotation rotation = d.sessions.rotate(realmId, d.tokenHasher.hashHex(refreshToken.toUtf8()),
                                                              d.tokenHasher.hashHex(next.toUtf8()), now,
                                                              now + settings.refreshTokenLifetime() * 1000);
    switch (rotation.outcome) {
    case SessionStore::RotationOutcome::Invalid:
        auditAuth(realmId, {}, QStringLiteral("refresh.failure"), {}, client, QStringLiteral("failure"),
                  QStringLiteral("unknown, expired or revoked refresh token"));
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
        d.sessions.revokeSession(session.id, QStringLiteral("access_removed"), now);
        d.revocations.markRevoked(session.id);
        auditAuth(realmId, session.appId, QStringLiteral("refresh.failure"), session.userId, client, QStringLiteral("denied"),
                  QStringLiteral("account disabled or membership removed; session %1 ended").arg(session.id));
        invalidRefreshToken();
    }
    TokenPair pair = issue(realmId, *user, session.appId, session.id, membership->roles, next);
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
