#include "storage/AuditLogInternals.h"

#include "core/DomainError.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <limits>

namespace authrealm::auditdetail {

const QString kColumns = QStringLiteral("id, realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, user_agent, "
                                        "outcome, summary, seq, prev_hash, hash");

AuditEvent eventFromRow(const SqlQuery &q)
{
    AuditEvent e{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                 q.value(4).toString(),   q.value(5).toString(), q.value(6).toString(), q.value(7).toString(),
                 q.value(8).toString(),   q.value(9).toString(), q.value(10).toString(), q.value(11).toString()};
    e.seq = q.value(12).toLongLong();
    e.prevHash = q.value(13).toString();
    e.hash = q.value(14).toString();
    return e;
}


// The chain's only dialect difference. Appenders must read the head one at a
// time: PostgreSQL needs the row lock, while SQLite's BEGIN IMMEDIATE already
// made this connection the only writer (and SQLite has no FOR UPDATE).
ChainHead readHead(const Database &db, const QString &realmId, bool lockForAppend)
{
    SqlQuery q(db, QStringLiteral("SELECT seq, hash FROM audit_heads WHERE realm_id = :r") + (lockForAppend ? db.sql().forUpdate() : QString()));
    q.bind(QStringLiteral(":r"), realmId).exec();
    ChainHead head;
    if (q.next()) {
        head.exists = true;
        head.seq = q.value(0).toLongLong();
        head.hash = q.value(1).toString();
    }
    return head;
}


QString anchorName(const QString &realmId)
{
    return QStringLiteral("audit_anchor:") + realmId;
}

Anchor readAnchor(const Database &db, const QString &realmId)
{
    SqlQuery q(db, QStringLiteral("SELECT value FROM deployment_settings WHERE name = :n"));
    q.bind(QStringLiteral(":n"), anchorName(realmId)).exec();
    Anchor anchor;
    if (!q.next())
        return anchor;
    anchor.exists = true;
    const QString value = q.value(0).toString();
    const qsizetype colon = value.indexOf(u':');
    bool ok = false;
    anchor.seq = colon > 0 ? value.left(colon).toLongLong(&ok) : 0;
    anchor.hash = colon > 0 ? value.mid(colon + 1) : QString();
    if (!ok || anchor.seq <= 0 || anchor.hash.size() != 64)
        anchor.malformed = true;
    return anchor;
}

void writeAnchor(const Database &db, const QString &realmId, qint64 seq, const QString &hash)
{
    SqlQuery(db, QStringLiteral("INSERT INTO deployment_settings (name, value) VALUES (:n, :v) "
                                "ON CONFLICT (name) DO UPDATE SET value = excluded.value"))
        .bind(QStringLiteral(":n"), anchorName(realmId))
        .bind(QStringLiteral(":v"), QStringLiteral("%1:%2").arg(seq).arg(hash))
        .exec();
}

// One archive line: every stored column, so an archive verifies on its own.
QByteArray archiveLine(const AuditEvent &e)
{
    const QJsonObject o{
        {QStringLiteral("id"), e.id},
        {QStringLiteral("realm_id"), e.realmId},
        {QStringLiteral("app_id"), e.appId},
        {QStringLiteral("occurred_at"), e.occurredAt},
        {QStringLiteral("kind"), e.kind},
        {QStringLiteral("actor"), e.actor},
        {QStringLiteral("target_type"), e.targetType},
        {QStringLiteral("target_id"), e.targetId},
        {QStringLiteral("ip"), e.ip},
        {QStringLiteral("user_agent"), e.userAgent},
        {QStringLiteral("outcome"), e.outcome},
        {QStringLiteral("summary"), e.summary},
        {QStringLiteral("seq"), e.seq},
        {QStringLiteral("prev_hash"), e.prevHash},
        {QStringLiteral("hash"), e.hash},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

// Integers up to 2^53 survive JSON's doubles exactly; ids and milliseconds stay far below.
bool readArchiveLine(const QByteArray &line, AuditEvent &e, QString &why)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        why = QStringLiteral("not a JSON object (%1)").arg(error.errorString());
        return false;
    }
    const QJsonObject o = doc.object();
    const auto integer = [&](const char *name, qint64 &into) {
        const QJsonValue v = o.value(QLatin1String(name));
        const double d = v.toDouble();
        if (!v.isDouble() || std::abs(d) > 9007199254740992.0 || d != double(qint64(d))) {
            why = QStringLiteral("\"%1\" is missing or not a whole number").arg(QLatin1String(name));
            return false;
        }
        into = qint64(d);
        return true;
    };
    const auto text = [&](const char *name, QString &into) {
        const QJsonValue v = o.value(QLatin1String(name));
        if (!v.isString()) {
            why = QStringLiteral("\"%1\" is missing or not a string").arg(QLatin1String(name));
            return false;
        }
        into = v.toString();
        return true;
    };
    return integer("id", e.id) && text("realm_id", e.realmId) && text("app_id", e.appId) && integer("occurred_at", e.occurredAt)
        && text("kind", e.kind) && text("actor", e.actor) && text("target_type", e.targetType) && text("target_id", e.targetId)
        && text("ip", e.ip) && text("user_agent", e.userAgent) && text("outcome", e.outcome) && text("summary", e.summary)
        && integer("seq", e.seq) && text("prev_hash", e.prevHash) && text("hash", e.hash);
}

bool isUnchained(const AuditEvent &e)
{
    return e.seq == 0 && e.hash.isEmpty() && e.prevHash.isEmpty();
}


} // namespace authrealm::auditdetail
