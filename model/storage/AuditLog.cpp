#include "storage/AuditLog.h"

#include "core/Clock.h"
#include "storage/Sql.h"

namespace authrealm {

QString AuditLog::sanitize(const QString &text, int maxLength)
{
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxLength));
    for (const QChar c : text) {
        if (out.size() >= maxLength)
            break;
        const auto category = c.category();
        if (category == QChar::Other_Control || category == QChar::Separator_Line || category == QChar::Separator_Paragraph)
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

void AuditLog::record(AuditEvent e) const
{
    SqlQuery(m_db, QStringLiteral("INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, "
                                  "user_agent, outcome, summary) VALUES (:r, :a, :t, :k, :ac, :tt, :ti, :ip, :ua, :o, :s)"))
        .bind(QStringLiteral(":r"), sanitize(e.realmId, 64))
        .bind(QStringLiteral(":a"), sanitize(e.appId, 64))
        .bind(QStringLiteral(":t"), e.occurredAt > 0 ? e.occurredAt : m_clock.nowMs())
        .bind(QStringLiteral(":k"), sanitize(e.kind, 64))
        .bind(QStringLiteral(":ac"), sanitize(e.actor, 128))
        .bind(QStringLiteral(":tt"), sanitize(e.targetType, 32))
        .bind(QStringLiteral(":ti"), sanitize(e.targetId, 128))
        .bind(QStringLiteral(":ip"), sanitize(e.ip, 64))
        .bind(QStringLiteral(":ua"), sanitize(e.userAgent, 256))
        .bind(QStringLiteral(":o"), sanitize(e.outcome, 16))
        .bind(QStringLiteral(":s"), sanitize(e.summary))
        .exec();
}

QList<AuditEvent> AuditLog::recent(const QString &realmId, int limit) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT id, realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, user_agent, "
                                    "outcome, summary FROM audit_events WHERE realm_id = :r ORDER BY occurred_at DESC, id DESC LIMIT :n"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":n"), limit).exec();
    QList<AuditEvent> out;
    while (q.next()) {
        out.append(AuditEvent{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                              q.value(4).toString(), q.value(5).toString(), q.value(6).toString(), q.value(7).toString(),
                              q.value(8).toString(), q.value(9).toString(), q.value(10).toString(), q.value(11).toString()});
    }
    return out;
}

} // namespace authrealm
