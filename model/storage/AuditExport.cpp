#include "storage/AuditExport.h"

#include "core/DomainError.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>

namespace authrealm {

namespace {

constexpr int kExportPage = 1000;

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QByteArray csvHeader()
{
    return QByteArrayLiteral("id,occurred_at,realm,app,kind,actor,target_type,target_id,outcome,summary,ip,user_agent,seq,hash\r\n");
}

QByteArray csvRow(const AuditEvent &e)
{
    QByteArray row = QByteArray::number(e.id);
    for (const QString &field : {isoTime(e.occurredAt), e.realmId, e.appId, e.kind, e.actor, e.targetType, e.targetId, e.outcome,
                                 e.summary, e.ip, e.userAgent}) {
        row += ',';
        row += csvField(field);
    }
    row += ',';
    row += QByteArray::number(e.seq);
    row += ',';
    row += csvField(e.hash);
    row += "\r\n";
    return row;
}

QByteArray jsonObject(const AuditEvent &e)
{
    const QJsonObject o{
        {QStringLiteral("id"), e.id},
        {QStringLiteral("occurred_at"), isoTime(e.occurredAt)},
        {QStringLiteral("occurred_at_ms"), e.occurredAt},
        {QStringLiteral("realm_id"), e.realmId},
        {QStringLiteral("app_id"), e.appId},
        {QStringLiteral("kind"), e.kind},
        {QStringLiteral("actor"), e.actor},
        {QStringLiteral("target_type"), e.targetType},
        {QStringLiteral("target_id"), e.targetId},
        {QStringLiteral("outcome"), e.outcome},
        {QStringLiteral("summary"), e.summary},
        {QStringLiteral("ip"), e.ip},
        {QStringLiteral("user_agent"), e.userAgent},
        {QStringLiteral("seq"), e.seq},
        {QStringLiteral("prev_hash"), e.prevHash},
        {QStringLiteral("hash"), e.hash},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void write(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) != bytes.size())
        throw DomainError(ErrorCode::StorageUnavailable, QStringLiteral("Cannot write the export: %1").arg(out.errorString()));
}

} // namespace

QByteArray csvField(const QString &value)
{
    QString text = value;
    if (!text.isEmpty() && QStringView(u"=+-@\t\r").contains(text.front()))
        text.prepend(u'\'');
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace('"', QByteArrayLiteral("\"\""));
        bytes.prepend('"');
        bytes.append('"');
    }
    return bytes;
}

AuditExportResult exportAuditEvents(const AuditLog &audit, const AuditQuery &filter, AuditExportFormat format, QIODevice &out,
                                    const std::function<bool(qint64, qint64)> &progress)
{
    AuditExportResult result;
    AuditQuery page = filter;
    page.beforeTime = 0;
    page.beforeId = 0;
    page.limit = kExportPage;
    if (format == AuditExportFormat::Csv)
        write(out, csvHeader());
    else if (format == AuditExportFormat::JsonArray)
        write(out, QByteArrayLiteral("["));

    for (;;) {
        // Free text goes through search(): its slices keep each query bounded.
        QList<AuditEvent> events;
        bool exhausted = false;
        if (page.text.trimmed().isEmpty()) {
            events = audit.query(page);
            exhausted = events.size() < kExportPage;
            if (!events.isEmpty()) {
                page.beforeTime = events.constLast().occurredAt;
                page.beforeId = events.constLast().id;
            }
        } else {
            const AuditSearchPage found = audit.search(page);
            events = found.events;
            exhausted = found.exhausted;
            page.beforeTime = found.nextBeforeTime;
            page.beforeId = found.nextBeforeId;
        }
        QByteArray chunk;
        for (const AuditEvent &e : events) {
            switch (format) {
            case AuditExportFormat::Csv: chunk += csvRow(e); break;
            case AuditExportFormat::JsonArray:
                chunk += result.events == 0 ? "\n" : ",\n";
                chunk += jsonObject(e);
                break;
            case AuditExportFormat::JsonLines: chunk += jsonObject(e) + '\n'; break;
            }
            ++result.events;
        }
        write(out, chunk);
        if (exhausted)
            break;
        if (progress && !progress(result.events, events.isEmpty() ? page.beforeTime : events.constLast().occurredAt)) {
            result.cancelled = true;
            break;
        }
    }
    if (format == AuditExportFormat::JsonArray)
        write(out, result.events == 0 ? QByteArrayLiteral("]\n") : QByteArrayLiteral("\n]\n"));
    if (progress && !result.cancelled)
        progress(result.events, 0);
    return result;
}

} // namespace authrealm
