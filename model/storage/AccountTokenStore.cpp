#include "storage/AccountTokenStore.h"

#include "crypto/ConstantTime.h"
#include "crypto/Random.h"
#include "storage/Sql.h"

namespace authrealm {

void AccountTokenStore::issue(const QString &realmId, const QString &userId, const QString &purpose, const QString &tokenHash,
                              qint64 now, qint64 expiresAt) const
{
    Transaction tx(m_db);
    // Superseded, not deleted: the rows still count for the resend limits.
    SqlQuery(m_db, QStringLiteral("UPDATE account_tokens SET used_at = :now WHERE user_id = :u AND purpose = :p AND used_at IS NULL"))
        .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":p"), purpose).exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO account_tokens (id, realm_id, user_id, purpose, token_hash, created_at, expires_at) "
                                  "VALUES (:id, :r, :u, :p, :h, :c, :e)"))
        .bind(QStringLiteral(":id"), randomToken(16))
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":u"), userId)
        .bind(QStringLiteral(":p"), purpose)
        .bind(QStringLiteral(":h"), tokenHash)
        .bind(QStringLiteral(":c"), now)
        .bind(QStringLiteral(":e"), expiresAt)
        .exec();
    tx.commit();
}

void AccountTokenStore::rehearseIssue(const QString &purpose, qint64 now) const
{
    // issue() is an UPDATE and an INSERT; the rehearsal is the UPDATE (it
    // matches no row) and leaves the INSERT's place to the outbox DELETE of
    // Mailer::rehearse, so a rehearsed request runs as many statements as a
    // real one and writes as many rows.
    SqlQuery(m_db, QStringLiteral("UPDATE account_tokens SET used_at = :now WHERE user_id = '' AND purpose = :p AND used_at IS NULL"))
        .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":p"), purpose).exec();
}

std::optional<QString> AccountTokenStore::consume(const QString &realmId, const QString &purpose, const QString &tokenHash, qint64 now) const
{
    Transaction tx(m_db);
    SqlQuery q(m_db, QStringLiteral("SELECT id, user_id, token_hash FROM account_tokens WHERE token_hash = :h AND realm_id = :r "
                                    "AND purpose = :p AND used_at IS NULL AND expires_at > :now"));
    q.bind(QStringLiteral(":h"), tokenHash).bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":p"), purpose)
        .bind(QStringLiteral(":now"), now).exec();
    if (!q.next())
        return std::nullopt;
    const QString id = q.value(0).toString();
    const QString userId = q.value(1).toString();
    // The index found the row; the secret-derived value is still compared in
    // constant time, so no code path compares it byte by byte.
    const bool same = constantTimeEquals(q.value(2).toString().toLatin1(), tokenHash.toLatin1());
    q.raw().finish();
    if (!same)
        return std::nullopt;
    SqlQuery use(m_db, QStringLiteral("UPDATE account_tokens SET used_at = :now WHERE id = :id AND used_at IS NULL"));
    use.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), id).exec();
    if (use.rowsAffected() != 1)
        return std::nullopt;
    tx.commit();
    return userId;
}

std::optional<AccountTokenStore::Code> AccountTokenStore::liveCode(const QString &userId, qint64 now, int maxAttempts) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT id, token_hash, failed_attempts FROM account_tokens WHERE user_id = :u AND purpose = :p "
                                    "AND used_at IS NULL AND expires_at > :now AND failed_attempts < :max ORDER BY created_at DESC"));
    q.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":p"), kEmailCode).bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":max"), maxAttempts).exec();
    if (!q.next())
        return std::nullopt;
    return Code{q.value(0).toString(), q.value(1).toString(), q.value(2).toInt()};
}

bool AccountTokenStore::consumeCode(const QString &codeId, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE account_tokens SET used_at = :now WHERE id = :id AND used_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), codeId).exec();
    return q.rowsAffected() == 1;
}

void AccountTokenStore::recordFailedAttempt(const QString &codeId) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE account_tokens SET failed_attempts = failed_attempts + 1 WHERE id = :id"))
        .bind(QStringLiteral(":id"), codeId).exec();
}

AccountTokenStore::Sent AccountTokenStore::sentSince(const QString &userId, const QString &purpose, qint64 since) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT COUNT(*), MAX(created_at) FROM account_tokens WHERE user_id = :u AND purpose = :p AND created_at >= :s"));
    q.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":p"), purpose).bind(QStringLiteral(":s"), since).exec();
    if (!q.next())
        return {};
    return Sent{q.value(0).toInt(), q.value(1).isNull() ? 0 : q.value(1).toLongLong()};
}

} // namespace authrealm
