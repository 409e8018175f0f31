#include "AuditEventDetails.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QTimeZone>

namespace authrealm {

AuditEventDetails::AuditEventDetails(QWidget *parent) : QTextBrowser(parent)
{
    setAccessibleName(tr("Event details"));
    setOpenLinks(false);
    showNothing();
}

void AuditEventDetails::showNothing()
{
    m_eventId = 0;
    setPlainText(tr("Select an event to see all of its fields."));
}

void AuditEventDetails::display(const AuditEvent &e)
{
    m_eventId = e.id;
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(e.occurredAt, QTimeZone::utc());
    const QDateTime local = utc.toLocalTime();
    const auto orDash = [](const QString &text) { return text.isEmpty() ? QStringLiteral("—") : text.toHtmlEscaped(); };

    QString rows;
    const auto row = [&rows](const QString &label, const QString &html) {
        rows += QStringLiteral("<tr><td style='padding-right:12px; vertical-align:top'><b>%1</b></td><td>%2</td></tr>")
                    .arg(label.toHtmlEscaped(), html);
    };
    row(tr("Time (UTC)"), utc.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz 'UTC'")));
    row(tr("Local time"), local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t")).toHtmlEscaped());
    row(tr("Realm"), orDash(e.realmId));
    row(tr("Product"), orDash(e.appId));
    row(tr("Kind"), orDash(e.kind));
    row(tr("Outcome"), orDash(e.outcome));
    row(tr("Actor"), orDash(e.actor));
    row(tr("Target type"), orDash(e.targetType));
    row(tr("Target id"), orDash(e.targetId));
    row(tr("Source IP"), orDash(e.ip));
    row(tr("User agent"), orDash(e.userAgent));
    // Events carry no separate details column: where a summary is JSON, show it readable.
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(e.summary.toUtf8(), &error);
    if (error.error == QJsonParseError::NoError && (json.isObject() || json.isArray()))
        row(tr("Details"), QStringLiteral("<pre>%1</pre>").arg(QString::fromUtf8(json.toJson(QJsonDocument::Indented)).toHtmlEscaped()));
    else
        row(tr("Summary"), orDash(e.summary));
    row(tr("Event id"), QString::number(e.id));
    row(tr("Chain position"), e.seq > 0 ? tr("seq %1").arg(e.seq) : tr("not chained (written before the chain existed)"));
    row(tr("Previous hash"), QStringLiteral("<code>%1</code>").arg(orDash(e.prevHash)));
    row(tr("Hash"), QStringLiteral("<code>%1</code>").arg(orDash(e.hash)));
    setHtml(QStringLiteral("<table>%1</table>").arg(rows));
}

} // namespace authrealm
