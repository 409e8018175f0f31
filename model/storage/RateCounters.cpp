#include "storage/RateCounters.h"

#include "storage/Sql.h"

namespace authrealm {

bool RateCounters::hit(const QString &realmId, const QString &bucket, qint64 now, qint64 windowMs, int limit) const
{
    const qint64 window = now - now % windowMs;
    Transaction tx(m_db);
    // Insert-or-increment in one statement: both dialects know ON CONFLICT, and
    // the write lock (SQLite) or the row lock (PostgreSQL) serialises racers.
    SqlQuery(m_db, QStringLiteral("INSERT INTO rate_counters (realm_id, bucket, window_start, hits) VALUES (:r, :b, :w, 1) "
                                  "ON CONFLICT (realm_id, bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1"))
        .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":b"), bucket).bind(QStringLiteral(":w"), window).exec();
    SqlQuery q(m_db, QStringLiteral("SELECT hits FROM rate_counters WHERE realm_id = :r AND bucket = :b AND window_start = :w"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":b"), bucket).bind(QStringLiteral(":w"), window).exec();
    const int hits = q.next() ? q.value(0).toInt() : 1;
    q.raw().finish();
    tx.commit();
    return hits <= limit;
}

void RateCounters::prune(qint64 before) const
{
    SqlQuery(m_db, QStringLiteral("DELETE FROM rate_counters WHERE window_start < :b")).bind(QStringLiteral(":b"), before).exec();
}

} // namespace authrealm
