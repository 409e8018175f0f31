#include "storage/MfaStore.h"

#include "storage/Sql.h"

namespace authrealm {

std::optional<MfaStore::TotpCredential> MfaStore::totp(const QString &userId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT user_id, realm_id, secret_sealed, created_at, confirmed_at, last_used_step "
                                    "FROM totp_credentials WHERE user_id = :u"));
    q.bind(QStringLiteral(":u"), userId).exec();
    if (!q.next())
        return std::nullopt;
    TotpCredential c;
    c.userId = q.value(0).toString();
    c.realmId = q.value(1).toString();
    c.sealedSecret = QByteArray::fromBase64(q.value(2).toString().toLatin1());
    c.createdAt = q.value(3).toLongLong();
    c.confirmedAt = q.value(4).isNull() ? 0 : q.value(4).toLongLong();
    c.lastUsedStep = q.value(5).toLongLong();
    return c;
}

bool MfaStore::savePending(const QString &realmId, const QString &userId, const QByteArray &sealedSecret, qint64 now) const
{
    Transaction tx(m_db);
    SqlQuery del(m_db, QStringLiteral("DELETE FROM totp_credentials WHERE user_id = :u AND confirmed_at IS NULL"));
    del.bind(QStringLiteral(":u"), userId).exec();
    SqlQuery exists(m_db, QStringLiteral("SELECT 1 FROM totp_credentials WHERE user_id = :u"));
    exists.bind(QStringLiteral(":u"), userId).exec();
    if (exists.next())
        return false;
    exists.raw().finish();
    SqlQuery(m_db, QStringLiteral("INSERT INTO totp_credentials (user_id, realm_id, secret_sealed, created_at) VALUES (:u, :r, :s, :c)"))
        .bind(QStringLiteral(":u"), userId)
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":s"), QString::fromLatin1(sealedSecret.toBase64()))
        .bind(QStringLiteral(":c"), now)
        .exec();
    tx.commit();
    return true;
}

bool MfaStore::activate(const QString &userId, qint64 step, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE totp_credentials SET confirmed_at = :now, last_used_step = :step "
                                    "WHERE user_id = :u AND confirmed_at IS NULL AND last_used_step < :step"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":step"), step).bind(QStringLiteral(":u"), userId).exec();
    return q.rowsAffected() == 1;
}

bool MfaStore::claimStep(const QString &userId, qint64 step) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE totp_credentials SET last_used_step = :step "
                                    "WHERE user_id = :u AND confirmed_at IS NOT NULL AND last_used_step < :step"));
    q.bind(QStringLiteral(":step"), step).bind(QStringLiteral(":u"), userId).exec();
    return q.rowsAffected() == 1;
}

bool MfaStore::remove(const QString &userId) const
{
    Transaction tx(m_db);
    SqlQuery q(m_db, QStringLiteral("DELETE FROM totp_credentials WHERE user_id = :u AND confirmed_at IS NOT NULL"));
    q.bind(QStringLiteral(":u"), userId).exec();
    const bool wasActive = q.rowsAffected() > 0;
    SqlQuery(m_db, QStringLiteral("DELETE FROM totp_credentials WHERE user_id = :u")).bind(QStringLiteral(":u"), userId).exec();
    SqlQuery(m_db, QStringLiteral("DELETE FROM totp_backup_codes WHERE user_id = :u")).bind(QStringLiteral(":u"), userId).exec();
    tx.commit();
    return wasActive;
}

void MfaStore::replaceBackupCodes(const QString &userId, const QStringList &codeHashes, qint64 now) const
{
    Transaction tx(m_db);
    SqlQuery(m_db, QStringLiteral("DELETE FROM totp_backup_codes WHERE user_id = :u")).bind(QStringLiteral(":u"), userId).exec();
    for (const QString &hash : codeHashes) {
        SqlQuery(m_db, QStringLiteral("INSERT INTO totp_backup_codes (user_id, code_hash, created_at) VALUES (:u, :h, :c)"))
            .bind(QStringLiteral(":u"), userId)
            .bind(QStringLiteral(":h"), hash)
            .bind(QStringLiteral(":c"), now)
            .exec();
    }
    tx.commit();
}

bool MfaStore::useBackupCode(const QString &userId, const QString &codeHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE totp_backup_codes SET used_at = :now WHERE user_id = :u AND code_hash = :h AND used_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":h"), codeHash).exec();
    return q.rowsAffected() == 1;
}

int MfaStore::unusedBackupCodes(const QString &userId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT COUNT(*) FROM totp_backup_codes WHERE user_id = :u AND used_at IS NULL"));
    q.bind(QStringLiteral(":u"), userId).exec();
    return q.next() ? q.value(0).toInt() : 0;
}

void MfaStore::createChallenge(const QString &idHash, const Challenge &challenge, qint64 now) const
{
    Transaction tx(m_db);
    // Expired challenges are useless; drop them as new ones arrive.
    SqlQuery(m_db, QStringLiteral("DELETE FROM mfa_challenges WHERE expires_at < :cutoff"))
        .bind(QStringLiteral(":cutoff"), now - 3600 * 1000)
        .exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO mfa_challenges (id_hash, realm_id, user_id, app_id, amr, created_at, expires_at) "
                                  "VALUES (:id, :r, :u, :a, :amr, :c, :e)"))
        .bind(QStringLiteral(":id"), idHash)
        .bind(QStringLiteral(":r"), challenge.realmId)
        .bind(QStringLiteral(":u"), challenge.userId)
        .bind(QStringLiteral(":a"), challenge.appId)
        .bind(QStringLiteral(":amr"), challenge.amr.join(u' '))
        .bind(QStringLiteral(":c"), now)
        .bind(QStringLiteral(":e"), challenge.expiresAt)
        .exec();
    tx.commit();
}

std::optional<MfaStore::Challenge> MfaStore::chargeChallenge(const QString &idHash, int maxAttempts, qint64 now) const
{
    Transaction tx(m_db);
    SqlQuery charge(m_db, QStringLiteral("UPDATE mfa_challenges SET failures = failures + 1 WHERE id_hash = :id "
                                         "AND consumed_at IS NULL AND expires_at > :now AND failures < :max"));
    charge.bind(QStringLiteral(":id"), idHash).bind(QStringLiteral(":now"), now).bind(QStringLiteral(":max"), maxAttempts).exec();
    if (charge.rowsAffected() != 1)
        return std::nullopt;
    SqlQuery q(m_db, QStringLiteral("SELECT realm_id, user_id, app_id, amr, expires_at FROM mfa_challenges WHERE id_hash = :id"));
    q.bind(QStringLiteral(":id"), idHash).exec();
    if (!q.next())
        return std::nullopt;
    Challenge c{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                q.value(3).toString().split(u' ', Qt::SkipEmptyParts), q.value(4).toLongLong()};
    q.raw().finish();
    tx.commit();
    return c;
}

bool MfaStore::consumeChallenge(const QString &idHash, qint64 now) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE mfa_challenges SET consumed_at = :now, failures = failures - 1 "
                                    "WHERE id_hash = :id AND consumed_at IS NULL"));
    q.bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), idHash).exec();
    return q.rowsAffected() == 1;
}

int MfaStore::challengeFailures(const QString &idHash) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT failures FROM mfa_challenges WHERE id_hash = :id"));
    q.bind(QStringLiteral(":id"), idHash).exec();
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace authrealm
