#include "mail/OutboxStore.h"

#include "core/DomainError.h"
#include "crypto/SecretBox.h"
#include "storage/Sql.h"

namespace authrealm {

namespace {
const QString kColumns = QStringLiteral(
    "id, realm_id, user_id, kind, recipient, subject, state, attempts, next_attempt_at, last_error, created_at, sent_at, body_sealed");

OutboxMail readMail(SqlQuery &q)
{
    OutboxMail m;
    m.id = q.value(0).toLongLong();
    m.realmId = q.value(1).toString();
    m.userId = q.value(2).toString();
    m.kind = q.value(3).toString();
    m.recipient = q.value(4).toString();
    m.subject = q.value(5).toString();
    m.state = q.value(6).toString();
    m.attempts = q.value(7).toInt();
    m.nextAttemptAt = q.value(8).toLongLong();
    m.lastError = q.value(9).toString();
    m.createdAt = q.value(10).toLongLong();
    m.sentAt = q.value(11).isNull() ? 0 : q.value(11).toLongLong();
    return m;
}

// The body is bound to its realm and recipient, so a sealed body copied into
// another row does not open.
QByteArray associatedData(const OutboxMail &mail)
{
    return "outbox:" + mail.realmId.toUtf8() + '\n' + mail.recipient.toUtf8();
}
} // namespace

QString OutboxStore::seal(const OutboxMail &mail) const
{
    return QString::fromLatin1(m_kek.seal(mail.body.toUtf8(), associatedData(mail)).toBase64());
}

QString OutboxStore::open(const OutboxMail &mail, const QString &sealed) const
{
    const std::optional<QByteArray> plain = m_kek.open(QByteArray::fromBase64(sealed.toLatin1()), associatedData(mail));
    if (!plain)
        throw DomainError(ErrorCode::Internal, QStringLiteral("Outbox mail %1 cannot be decrypted with this key-encryption key").arg(mail.id));
    return QString::fromUtf8(*plain);
}

qint64 OutboxStore::retryDelayMs(int attemptsSoFar)
{
    const int exponent = std::clamp(attemptsSoFar - 1, 0, 7);
    return std::min<qint64>(30'000LL << exponent, 3'600'000LL);
}

qint64 OutboxStore::enqueue(const OutboxMail &mail, bool deliver, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("INSERT INTO mail_outbox (realm_id, user_id, kind, recipient, subject, body_sealed, state, attempts, "
                                    "next_attempt_at, created_at) VALUES (:r, :u, :k, :to, :s, :b, :st, 0, :next, :c)%1")
                         .arg(m_db.sql().returningId()));
    q.bind(QStringLiteral(":r"), mail.realmId)
        .bind(QStringLiteral(":u"), mail.userId)
        .bind(QStringLiteral(":k"), mail.kind)
        .bind(QStringLiteral(":to"), mail.recipient)
        .bind(QStringLiteral(":s"), mail.subject)
        .bind(QStringLiteral(":b"), seal(mail))
        .bind(QStringLiteral(":st"), deliver ? kPending : kStored)
        .bind(QStringLiteral(":next"), now)
        .bind(QStringLiteral(":c"), now)
        .exec();
    return m_db.sql().insertedId(q);
}

QList<OutboxMail> OutboxStore::list(const QString &realmId, const QString &state, int limit, qint64 beforeId) const
{
    QString sql = QStringLiteral("SELECT %1 FROM mail_outbox WHERE 1 = 1").arg(kColumns);
    if (beforeId > 0)
        sql += QStringLiteral(" AND id < :before");
    if (!realmId.isEmpty())
        sql += QStringLiteral(" AND realm_id = :r");
    if (!state.isEmpty())
        sql += QStringLiteral(" AND state = :st");
    sql += QStringLiteral(" ORDER BY id DESC LIMIT :n");
    SqlQuery q(m_db, sql);
    if (!realmId.isEmpty())
        q.bind(QStringLiteral(":r"), realmId);
    if (!state.isEmpty())
        q.bind(QStringLiteral(":st"), state);
    if (beforeId > 0)
        q.bind(QStringLiteral(":before"), beforeId);
    q.bind(QStringLiteral(":n"), std::clamp(limit, 1, 10000)).exec();
    QList<OutboxMail> out;
    while (q.next())
        out.append(readMail(q));
    return out;
}

std::optional<OutboxMail> OutboxStore::mail(qint64 id, const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM mail_outbox WHERE id = :id").arg(kColumns));
    q.bind(QStringLiteral(":id"), id).exec();
    if (!q.next())
        return std::nullopt;
    OutboxMail m = readMail(q);
    if (!realmId.isEmpty() && m.realmId != realmId)
        return std::nullopt;
    m.body = open(m, q.value(12).toString());
    return m;
}

QList<OutboxMail> OutboxStore::claimDue(qint64 now, qint64 leaseMs, int limit) const
{
    QList<OutboxMail> due;
    {
        SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= :now "
                                        "ORDER BY next_attempt_at, id LIMIT :n").arg(kColumns));
        q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":n"), limit).exec();
        while (q.next()) {
            OutboxMail m = readMail(q);
            m.body = q.value(12).toString(); // still sealed; opened once claimed
            due.append(m);
        }
    }
    QList<OutboxMail> claimed;
    for (OutboxMail &m : due) {
        // Optimistic lease: only the process whose UPDATE matched sends it.
        SqlQuery lease(m_db, QStringLiteral("UPDATE mail_outbox SET next_attempt_at = :lease WHERE id = :id AND state = 'pending' "
                                            "AND next_attempt_at = :seen"));
        lease.bind(QStringLiteral(":lease"), now + leaseMs).bind(QStringLiteral(":id"), m.id)
            .bind(QStringLiteral(":seen"), m.nextAttemptAt).exec();
        if (lease.rowsAffected() != 1)
            continue;
        try {
            m.body = open(m, m.body);
        } catch (const DomainError &e) {
            markAttemptFailed(m.id, kMaxAttempts, e.message(), now);
            continue;
        }
        claimed.append(m);
    }
    return claimed;
}

void OutboxStore::discard(qint64 id) const
{
    SqlQuery(m_db, QStringLiteral("DELETE FROM mail_outbox WHERE id = :id")).bind(QStringLiteral(":id"), id).exec();
}

void OutboxStore::markSent(qint64 id, qint64 now) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, sent_at = :now, last_error = '' "
                                  "WHERE id = :id"))
        .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), id).exec();
}

void OutboxStore::markAttemptFailed(qint64 id, int attempts, const QString &error, qint64 retryAt) const
{
    const bool final = attempts >= kMaxAttempts;
    SqlQuery(m_db, QStringLiteral("UPDATE mail_outbox SET state = :st, attempts = :a, last_error = :e, next_attempt_at = :next WHERE id = :id"))
        .bind(QStringLiteral(":st"), final ? kFailed : kPending)
        .bind(QStringLiteral(":a"), attempts)
        .bind(QStringLiteral(":e"), error.left(500))
        .bind(QStringLiteral(":next"), retryAt)
        .bind(QStringLiteral(":id"), id)
        .exec();
}

} // namespace authrealm
