#include "auth/SignInThrottle.h"

#include "auth/AuthService.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/TokenHasher.h"
#include "domain/Entities.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"

#include <tuple>

namespace authrealm {

namespace {
struct Row
{
    int failures = 0;
    qint64 windowStart = 0;
    qint64 lastFailureAt = 0;
    qint64 lockedUntil = 0;
};

// Creates the counter row if needed and reads it, holding it until the transaction ends.
Row lockRow(const Database &db, const QString &realmId, const QString &kind, const QString &subject, qint64 now)
{
    SqlQuery(db, QStringLiteral("INSERT INTO sign_in_failures (realm_id, kind, subject, failures, window_start) "
                                "VALUES (:r, :k, :s, 0, :now) ON CONFLICT (realm_id, kind, subject) DO NOTHING"))
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":k"), kind)
        .bind(QStringLiteral(":s"), subject)
        .bind(QStringLiteral(":now"), now)
        .exec();
    const QString forUpdate = db.sql().forUpdate();
    SqlQuery q(db, QStringLiteral("SELECT failures, window_start, last_failure_at, locked_until FROM sign_in_failures "
                                  "WHERE realm_id = :r AND kind = :k AND subject = :s") + forUpdate);
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":s"), subject).exec();
    Row row;
    if (q.next())
        row = Row{q.value(0).toInt(), q.value(1).toLongLong(), q.value(2).toLongLong(), q.value(3).toLongLong()};
    q.raw().finish();
    return row;
}

void writeRow(const Database &db, const QString &realmId, const QString &kind, const QString &subject, const Row &row)
{
    SqlQuery(db, QStringLiteral("UPDATE sign_in_failures SET failures = :f, window_start = :w, last_failure_at = :l, locked_until = :u "
                                "WHERE realm_id = :r AND kind = :k AND subject = :s"))
        .bind(QStringLiteral(":f"), row.failures)
        .bind(QStringLiteral(":w"), row.windowStart)
        .bind(QStringLiteral(":l"), row.lastFailureAt)
        .bind(QStringLiteral(":u"), row.lockedUntil)
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":k"), kind)
        .bind(QStringLiteral(":s"), subject)
        .exec();
}

qint64 secondsUntil(qint64 untilMs, qint64 nowMs)
{
    return std::max<qint64>(1, (untilMs - nowMs + 999) / 1000);
}

const QString kAccount = QStringLiteral("account");
const QString kSource = QStringLiteral("source");
} // namespace

QString SignInThrottle::accountSubject(const QString &login) const
{
    // A keyed hash: the table does not collect the logins people typed, which
    // may be typos of passwords or other people's addresses.
    return d.tokenHasher.hashHex(Validate::emailKey(login).toUtf8());
}

SignInThrottle::Attempt SignInThrottle::admit(const QString &realmId, const QString &login, const QString &sourceAddress) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    const qint64 threshold = settings.intValue(QStringLiteral("lockoutThreshold"));
    const qint64 baseMs = settings.intValue(QStringLiteral("lockoutBaseSeconds")) * 1000;
    const qint64 maxMs = std::max(baseMs, settings.intValue(QStringLiteral("lockoutMaxSeconds")) * 1000);
    const qint64 resetMs = settings.intValue(QStringLiteral("lockoutResetSeconds")) * 1000;
    const qint64 sourceLimit = settings.intValue(QStringLiteral("sourceFailureLimit"));
    const qint64 windowMs = settings.intValue(QStringLiteral("sourceWindowSeconds")) * 1000;

    Attempt attempt;
    attempt.realmId = realmId;
    attempt.accountSubject = accountSubject(login);
    attempt.source = sourceAddress;

    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    // Always account first, then source: one lock order, no deadlocks.
    Row account = lockRow(d.db, realmId, kAccount, attempt.accountSubject, now);
    Row source = lockRow(d.db, realmId, kSource, sourceAddress, now);
    if (account.lockedUntil > now || source.lockedUntil > now) {
        tx.commit(); // keeps the (harmless) new rows; nothing is charged
        const qint64 until = std::max(account.lockedUntil, source.lockedUntil);
        throw DomainError(ErrorCode::TooManyAttempts, QStringLiteral("Too many failed sign-in attempts. Try again later."),
                          secondsUntil(until, now));
    }

    if (account.lastFailureAt > 0 && now - account.lastFailureAt > resetMs)
        account.failures = 0;
    account.failures += 1;
    account.lastFailureAt = now;
    if (account.failures >= threshold) {
        // Exponential back-off: the threshold failure locks for the base time,
        // each further one (after the lock expired) doubles it.
        const qint64 doublings = std::min<qint64>(account.failures - threshold, 30);
        const qint64 lockMs = std::min(maxMs, baseMs << doublings);
        account.lockedUntil = now + lockMs;
        attempt.lockedAccount = true;
        attempt.accountLockSeconds = lockMs / 1000;
    }
    attempt.accountFailures = account.failures;

    if (now - source.windowStart >= windowMs) {
        source.failures = 0;
        source.windowStart = now;
    }
    source.failures += 1;
    source.lastFailureAt = now;
    if (source.failures >= sourceLimit) {
        source.lockedUntil = source.windowStart + windowMs;
        attempt.lockedSource = true;
    }
    writeRow(d.db, realmId, kAccount, attempt.accountSubject, account);
    writeRow(d.db, realmId, kSource, sourceAddress, source);
    tx.commit();
    return attempt;
}

void SignInThrottle::succeeded(const Attempt &attempt) const
{
    Transaction tx(d.db);
    SqlQuery(d.db, QStringLiteral("UPDATE sign_in_failures SET failures = 0, last_failure_at = 0, locked_until = 0 "
                                  "WHERE realm_id = :r AND kind = 'account' AND subject = :s"))
        .bind(QStringLiteral(":r"), attempt.realmId)
        .bind(QStringLiteral(":s"), attempt.accountSubject)
        .exec();
    // The address gets this attempt back; a lock it may have set is lifted
    // only if the count drops below the limit again.
    SqlQuery(d.db, QStringLiteral("UPDATE sign_in_failures SET failures = failures - 1, "
                                  "locked_until = CASE WHEN :set = 1 THEN 0 ELSE locked_until END "
                                  "WHERE realm_id = :r AND kind = 'source' AND subject = :s AND failures > 0"))
        .bind(QStringLiteral(":set"), attempt.lockedSource ? 1 : 0)
        .bind(QStringLiteral(":r"), attempt.realmId)
        .bind(QStringLiteral(":s"), attempt.source)
        .exec();
    tx.commit();
}

void SignInThrottle::refund(const Attempt &attempt) const
{
    Transaction tx(d.db);
    for (const auto &[kind, subject, lockedByThis] : {std::tuple{kAccount, attempt.accountSubject, attempt.lockedAccount},
                                                      std::tuple{kSource, attempt.source, attempt.lockedSource}}) {
        SqlQuery(d.db, QStringLiteral("UPDATE sign_in_failures SET failures = failures - 1, "
                                      "locked_until = CASE WHEN :set = 1 THEN 0 ELSE locked_until END "
                                      "WHERE realm_id = :r AND kind = :k AND subject = :s AND failures > 0"))
            .bind(QStringLiteral(":set"), lockedByThis ? 1 : 0)
            .bind(QStringLiteral(":r"), attempt.realmId)
            .bind(QStringLiteral(":k"), kind)
            .bind(QStringLiteral(":s"), subject)
            .exec();
    }
    tx.commit();
}

void SignInThrottle::failed(const Attempt &attempt, const ClientInfo &client, const QString &userId) const
{
    const QString actor = userId.isEmpty() ? QStringLiteral("anonymous") : QStringLiteral("user:") + userId;
    if (attempt.lockedAccount) {
        d.audit.record(AuditEvent::of(attempt.realmId, QStringLiteral("login.lockout"), actor, QStringLiteral("denied"))
                           .target(QStringLiteral("user"), userId)
                           .from(client.ip, client.userAgent)
                           .says(QStringLiteral("account locked for %1 s after %2 failed attempts")
                                     .arg(attempt.accountLockSeconds)
                                     .arg(attempt.accountFailures)));
    }
    if (attempt.lockedSource) {
        d.audit.record(AuditEvent::of(attempt.realmId, QStringLiteral("login.source_lockout"), actor, QStringLiteral("denied"))
                           .from(client.ip, client.userAgent)
                           .says(QStringLiteral("client address %1 reached the per-address failure limit").arg(attempt.source)));
    }
}

bool SignInThrottle::unlock(const QString &realmId, const QString &login) const
{
    SqlQuery q(d.db, QStringLiteral("DELETE FROM sign_in_failures WHERE realm_id = :r AND kind = 'account' AND subject = :s AND failures > 0"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":s"), accountSubject(login)).exec();
    return q.rowsAffected() > 0;
}

int SignInThrottle::pruneStale() const
{
    const qint64 now = d.clock.nowMs();
    int removed = 0;
    for (const Realm &realm : d.realms.realms()) {
        const RealmSettings settings = d.realms.settings(realm.id);
        SqlQuery q(d.db, QStringLiteral("DELETE FROM sign_in_failures WHERE realm_id = :r AND locked_until <= :now AND ("
                                        "(kind = 'account' AND last_failure_at < :acct) OR (kind = 'source' AND window_start < :src))"));
        q.bind(QStringLiteral(":r"), realm.id)
            .bind(QStringLiteral(":now"), now)
            .bind(QStringLiteral(":acct"), now - settings.intValue(QStringLiteral("lockoutResetSeconds")) * 1000)
            .bind(QStringLiteral(":src"), now - settings.intValue(QStringLiteral("sourceWindowSeconds")) * 1000)
            .exec();
        removed += q.rowsAffected();
    }
    return removed;
}

SignInThrottle::State SignInThrottle::state(const QString &realmId, const char *kind, const QString &subject) const
{
    SqlQuery q(d.db, QStringLiteral("SELECT failures, locked_until FROM sign_in_failures WHERE realm_id = :r AND kind = :k AND subject = :s"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":k"), QLatin1String(kind)).bind(QStringLiteral(":s"), subject).exec();
    if (!q.next())
        return {};
    return State{q.value(0).toInt(), q.value(1).toLongLong()};
}

SignInThrottle::State SignInThrottle::accountState(const QString &realmId, const QString &login) const
{
    return state(realmId, "account", accountSubject(login));
}

SignInThrottle::State SignInThrottle::sourceState(const QString &realmId, const QString &sourceAddress) const
{
    return state(realmId, "source", sourceAddress);
}

} // namespace authrealm
