#include "storage/AuditRollup.h"

#include "storage/Sql.h"

namespace authrealm::auditdetail {

namespace {

struct RollupKey
{
    QString realmId;
    qint64 hourStart = 0;
    QString appId;
    QString kind;
    QString outcome;
    qint64 events = 0;
};

void bindAll(SqlQuery &q, const QList<std::pair<QString, QVariant>> &binds)
{
    for (const auto &[name, value] : binds)
        q.bind(name, value);
}

} // namespace

void rollupAdd(const Database &db, const AuditEvent &e)
{
    // Appends to a realm are serialised by its chain head lock, so the upsert
    // never races another increment of the same row.
    SqlQuery(db, QStringLiteral("INSERT INTO audit_rollup (realm_id, hour_start, app_id, kind, outcome, events) "
                                "VALUES (:r, :h, :a, :k, :o, 1) "
                                "ON CONFLICT (realm_id, hour_start, app_id, kind, outcome) DO UPDATE SET events = audit_rollup.events + 1"))
        .bind(QStringLiteral(":r"), e.realmId)
        .bind(QStringLiteral(":h"), rollupHour(e.occurredAt))
        .bind(QStringLiteral(":a"), e.appId)
        .bind(QStringLiteral(":k"), e.kind)
        .bind(QStringLiteral(":o"), e.outcome)
        .exec();
}

qint64 removeEvents(const Database &db, const QString &condition, const QList<std::pair<QString, QVariant>> &binds)
{
    Transaction tx(db);
    // What the DELETE below removes, counted per rollup row (read out before
    // writing: one statement at a time on the connection).
    QList<RollupKey> removed;
    {
        SqlQuery q(db, QStringLiteral("SELECT realm_id, occurred_at - occurred_at % 3600000, app_id, kind, outcome, COUNT(*) "
                                      "FROM audit_events WHERE %1 GROUP BY 1, 2, 3, 4, 5").arg(condition));
        bindAll(q, binds);
        q.exec();
        while (q.next())
            removed.append({q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(),
                            q.value(4).toString(), q.value(5).toLongLong()});
    }
    const QString key = QStringLiteral(" WHERE realm_id = :r AND hour_start = :h AND app_id = :a AND kind = :k AND outcome = :o");
    SqlQuery subtract(db, QStringLiteral("UPDATE audit_rollup SET events = events - :n") + key);
    // A row that reaches zero goes, so the rollup holds only hours with events.
    SqlQuery drop(db, QStringLiteral("DELETE FROM audit_rollup") + key + QStringLiteral(" AND events <= 0"));
    for (const RollupKey &k : removed) {
        for (SqlQuery *q : {&subtract, &drop}) {
            q->bind(QStringLiteral(":r"), k.realmId)
                .bind(QStringLiteral(":h"), k.hourStart)
                .bind(QStringLiteral(":a"), k.appId)
                .bind(QStringLiteral(":k"), k.kind)
                .bind(QStringLiteral(":o"), k.outcome);
        }
        subtract.bind(QStringLiteral(":n"), k.events).exec();
        drop.exec();
    }

    SqlQuery del(db, QStringLiteral("DELETE FROM audit_events WHERE %1").arg(condition));
    bindAll(del, binds);
    del.exec();
    const qint64 deleted = del.rowsAffected();
    tx.commit();
    return deleted;
}

} // namespace authrealm::auditdetail
