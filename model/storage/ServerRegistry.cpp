#include "storage/ServerRegistry.h"

#include "core/Clock.h"
#include "storage/Sql.h"

namespace authrealm {

void ServerRegistry::announce(const ServerInstance &instance) const
{
    const qint64 now = m_clock.nowMs();
    Transaction tx(m_db);
    SqlQuery(m_db, QStringLiteral("DELETE FROM server_instances WHERE id = :id OR last_seen < :stale"))
        .bind(QStringLiteral(":id"), instance.id)
        .bind(QStringLiteral(":stale"), now - kStaleAfterMs)
        .exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO server_instances (id, host, pid, listen, kind, started_at, last_seen) "
                                  "VALUES (:id, :host, :pid, :listen, :kind, :now, :now2)"))
        .bind(QStringLiteral(":id"), instance.id)
        .bind(QStringLiteral(":host"), instance.host)
        .bind(QStringLiteral(":pid"), instance.pid)
        .bind(QStringLiteral(":listen"), instance.listen)
        .bind(QStringLiteral(":kind"), instance.kind)
        .bind(QStringLiteral(":now"), now)
        .bind(QStringLiteral(":now2"), now)
        .exec();
    tx.commit();
}

void ServerRegistry::heartbeat(const QString &instanceId) const
{
    SqlQuery(m_db, QStringLiteral("UPDATE server_instances SET last_seen = :now WHERE id = :id"))
        .bind(QStringLiteral(":now"), m_clock.nowMs())
        .bind(QStringLiteral(":id"), instanceId)
        .exec();
}

void ServerRegistry::withdraw(const QString &instanceId) const
{
    SqlQuery(m_db, QStringLiteral("DELETE FROM server_instances WHERE id = :id")).bind(QStringLiteral(":id"), instanceId).exec();
}

QList<ServerInstance> ServerRegistry::live(const QString &exceptId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT id, host, pid, listen, kind, started_at, last_seen FROM server_instances "
                                    "WHERE last_seen >= :fresh AND id <> :except ORDER BY started_at"));
    q.bind(QStringLiteral(":fresh"), m_clock.nowMs() - kStaleAfterMs).bind(QStringLiteral(":except"), exceptId).exec();
    QList<ServerInstance> result;
    while (q.next()) {
        result.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toString(),
                       q.value(4).toString(), q.value(5).toLongLong(), q.value(6).toLongLong()});
    }
    return result;
}

} // namespace authrealm
