#include "auth/PatService.h"

#include "auth/AuthService.h"
#include "auth/Permissions.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "storage/AuditLog.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QSet>
#include <QUuid>

namespace authrealm {

namespace {
const QString kPrefix = QStringLiteral("pat_");
constexpr qint64 kDayMs = 86400LL * 1000;
// Recording every use would turn each API call into a write; once a minute is enough to answer "is this token used?".
constexpr qint64 kLastUsedResolutionMs = 60'000;

const QString kColumns = QStringLiteral("id, realm_id, app_id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at");

PersonalAccessToken readPat(SqlQuery &q)
{
    PersonalAccessToken t;
    t.id = q.value(0).toString();
    t.realmId = q.value(1).toString();
    t.appId = q.value(2).toString();
    t.userId = q.value(3).toString();
    t.name = q.value(4).toString();
    t.scopes = q.value(5).toString().split(u' ', Qt::SkipEmptyParts);
    t.createdAt = q.value(6).toLongLong();
    t.expiresAt = q.value(7).toLongLong();
    t.lastUsedAt = q.value(8).isNull() ? 0 : q.value(8).toLongLong();
    t.revokedAt = q.value(9).isNull() ? 0 : q.value(9).toLongLong();
    return t;
}

[[noreturn]] void invalidToken()
{
    throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
}
} // namespace

bool PatService::looksLikePat(const QString &token)
{
    return token.size() == kPrefix.size() + 43 && token.startsWith(kPrefix);
}

std::optional<QString> PatService::ownerOf(const QString &secret) const
{
    if (!looksLikePat(secret))
        return std::nullopt;
    SqlQuery q(d.db, QStringLiteral("SELECT user_id FROM personal_access_tokens WHERE token_hash = :h"));
    q.bind(QStringLiteral(":h"), d.tokenHasher.hashHex(secret.toUtf8())).exec();
    if (!q.next())
        return std::nullopt;
    return q.value(0).toString();
}

QString PatService::newSecret() const
{
    return kPrefix + randomToken(32);
}

void PatService::audit(const Principal &caller, const QString &kind, const QString &outcome, const QString &tokenId,
                       const ClientInfo &client, const QString &summary) const
{
    d.audit.record(AuditEvent::of(caller.realmId, kind, QStringLiteral("user:") + caller.userId, outcome)
                       .inApp(caller.appId).target(QStringLiteral("pat"), tokenId).from(client.ip, client.userAgent).says(summary));
}

PatService::Minted PatService::create(const Principal &caller, const QString &name, const QStringList &scopes, int expiresInDays,
                                      const ClientInfo &client) const
{
    caller.requireInteractiveSession();
    if (name.trimmed().isEmpty() || name.size() > 100)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"name\" must have 1 to 100 characters"));
    if (expiresInDays < 1 || expiresInDays > kMaxLifetimeDays)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"expiresInDays\" must be from 1 to %1").arg(kMaxLifetimeDays));
    QStringList wanted = scopes;
    wanted.removeDuplicates();
    wanted.sort();
    for (const QString &scope : std::as_const(wanted)) {
        if (!Validate::scope(scope))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Invalid scope \"%1\"").arg(scope.left(128)));
        if (!caller.hasScope(scope)) {
            audit(caller, QStringLiteral("pat.denied"), QStringLiteral("denied"), {}, client,
                  QStringLiteral("asked for scope %1 beyond the creator's grant").arg(scope.left(128)));
            throw DomainError(ErrorCode::ScopeNotHeld, QStringLiteral("You cannot grant the scope \"%1\": you do not hold it").arg(scope.left(128)));
        }
    }
    const qint64 now = d.clock.nowMs();
    Minted minted;
    minted.secret = newSecret();
    PersonalAccessToken &t = minted.token;
    t.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    t.realmId = caller.realmId;
    t.appId = caller.appId;
    t.userId = caller.userId;
    t.name = name.trimmed();
    t.scopes = wanted;
    t.createdAt = now;
    t.expiresAt = now + expiresInDays * kDayMs;
    Transaction tx(d.db);
    SqlQuery(d.db, QStringLiteral("INSERT INTO personal_access_tokens (id, realm_id, app_id, user_id, name, token_hash, scopes, created_at, "
                                  "expires_at) VALUES (:id, :r, :a, :u, :n, :h, :s, :c, :e)"))
        .bind(QStringLiteral(":id"), t.id).bind(QStringLiteral(":r"), t.realmId).bind(QStringLiteral(":a"), t.appId)
        .bind(QStringLiteral(":u"), t.userId).bind(QStringLiteral(":n"), t.name)
        .bind(QStringLiteral(":h"), d.tokenHasher.hashHex(minted.secret.toUtf8()))
        .bind(QStringLiteral(":s"), t.scopes.join(u' ')).bind(QStringLiteral(":c"), t.createdAt).bind(QStringLiteral(":e"), t.expiresAt)
        .exec();
    audit(caller, QStringLiteral("pat.created"), QStringLiteral("success"), t.id, client,
          QStringLiteral("\"%1\" with scopes [%2], %3 days").arg(AuditLog::sanitize(t.name, 100), t.scopes.join(u' ')).arg(expiresInDays));
    tx.commit();
    return minted;
}

QList<PersonalAccessToken> PatService::list(const Principal &caller) const
{
    caller.requireInteractiveSession(); // a PAT does not even learn which other PATs exist
    SqlQuery q(d.db, QStringLiteral("SELECT %1 FROM personal_access_tokens WHERE user_id = :u AND realm_id = :r AND app_id = :a "
                                    "AND revoked_at IS NULL ORDER BY created_at, id").arg(kColumns));
    q.bind(QStringLiteral(":u"), caller.userId).bind(QStringLiteral(":r"), caller.realmId).bind(QStringLiteral(":a"), caller.appId).exec();
    QList<PersonalAccessToken> out;
    while (q.next())
        out.append(readPat(q));
    return out;
}

PersonalAccessToken PatService::owned(const Principal &caller, const QString &tokenId) const
{
    SqlQuery q(d.db, QStringLiteral("SELECT %1 FROM personal_access_tokens WHERE id = :id").arg(kColumns));
    q.bind(QStringLiteral(":id"), tokenId).exec();
    // Someone else's token and a missing one answer the same.
    if (!q.next())
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such token"));
    PersonalAccessToken t = readPat(q);
    if (t.userId != caller.userId || t.realmId != caller.realmId || t.appId != caller.appId || t.revokedAt != 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such token"));
    return t;
}

PatService::Minted PatService::rotate(const Principal &caller, const QString &tokenId, const ClientInfo &client) const
{
    caller.requireInteractiveSession();
    Transaction tx(d.db);
    Minted minted{owned(caller, tokenId), newSecret()};
    if (minted.token.expiresAt <= d.clock.nowMs())
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such token"));
    SqlQuery(d.db, QStringLiteral("UPDATE personal_access_tokens SET token_hash = :h WHERE id = :id"))
        .bind(QStringLiteral(":h"), d.tokenHasher.hashHex(minted.secret.toUtf8())).bind(QStringLiteral(":id"), tokenId).exec();
    audit(caller, QStringLiteral("pat.rotated"), QStringLiteral("success"), tokenId, client, QStringLiteral("secret replaced; the old one is dead"));
    tx.commit();
    return minted;
}

void PatService::revoke(const Principal &caller, const QString &tokenId, const ClientInfo &client) const
{
    caller.requireInteractiveSession();
    Transaction tx(d.db);
    (void)owned(caller, tokenId);
    SqlQuery(d.db, QStringLiteral("UPDATE personal_access_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL"))
        .bind(QStringLiteral(":now"), d.clock.nowMs()).bind(QStringLiteral(":id"), tokenId).exec();
    audit(caller, QStringLiteral("pat.revoked"), QStringLiteral("success"), tokenId, client, QStringLiteral("revoked by its owner"));
    tx.commit();
}

int PatService::revokeAllOfUser(const QString &realmId, const QString &userId, qint64 now) const
{
    SqlQuery q(d.db, QStringLiteral("UPDATE personal_access_tokens SET revoked_at = :now WHERE realm_id = :r AND user_id = :u "
                                    "AND revoked_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":u"), userId).exec();
    return q.rowsAffected();
}

Principal PatService::authenticate(const QString &realmId, const QString &secret, const ClientInfo &client) const
{
    if (!looksLikePat(secret))
        invalidToken();
    SqlQuery q(d.db, QStringLiteral("SELECT %1 FROM personal_access_tokens WHERE token_hash = :h").arg(kColumns));
    q.bind(QStringLiteral(":h"), d.tokenHasher.hashHex(secret.toUtf8())).exec();
    if (!q.next())
        invalidToken();
    const PersonalAccessToken t = readPat(q);
    q.raw().finish();
    const qint64 now = d.clock.nowMs();
    Principal p;
    p.kind = Principal::Kind::PersonalAccessToken;
    p.realmId = t.realmId;
    p.userId = t.userId;
    p.appId = t.appId;
    p.tokenId = t.id;
    if (t.realmId != realmId)
        invalidToken();
    if (t.revokedAt != 0 || t.expiresAt <= now) {
        audit(p, QStringLiteral("pat.denied"), QStringLiteral("denied"), t.id, client,
              t.revokedAt != 0 ? QStringLiteral("revoked token presented") : QStringLiteral("expired token presented"));
        invalidToken();
    }
    const std::optional<User> user = d.users.user(realmId, t.userId);
    const std::optional<Membership> membership = user ? d.users.membership(user->id, t.appId) : std::nullopt;
    if (!user || user->status != UserStatus::Active || !membership) {
        audit(p, QStringLiteral("pat.denied"), QStringLiteral("denied"), t.id, client, QStringLiteral("owner disabled or no longer a member"));
        invalidToken();
    }
    // A demoted creator demotes their tokens: intersect with what they hold now.
    const Grant now_ = d.permissions.grantFor(realmId, t.appId, membership->roles);
    const QSet<QString> held(now_.scopes.cbegin(), now_.scopes.cend());
    for (const QString &scope : t.scopes) {
        if (held.contains(scope))
            p.scopes.append(scope);
    }
    p.roles = now_.roles;
    if (t.lastUsedAt < now - kLastUsedResolutionMs) {
        SqlQuery(d.db, QStringLiteral("UPDATE personal_access_tokens SET last_used_at = :now WHERE id = :id"))
            .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), t.id).exec();
    }
    return p;
}

} // namespace authrealm
