#include "storage/AuditLog.h"

#include "core/Clock.h"
#include "core/DomainError.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <fcntl.h>
#include <limits>
#include <unistd.h>

namespace authrealm {

namespace {

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

struct ChainHead
{
    bool exists = false;
    qint64 seq = 0;
    QString hash;
};

// The chain's only dialect difference. Appenders must read the head one at a
// time: PostgreSQL needs the row lock, while SQLite's BEGIN IMMEDIATE already
// made this connection the only writer (and SQLite has no FOR UPDATE).
ChainHead readHead(const Database &db, const QString &realmId, bool lockForAppend)
{
    const bool forUpdate = lockForAppend && db.dialect() == Dialect::PostgreSQL;
    SqlQuery q(db, forUpdate ? QStringLiteral("SELECT seq, hash FROM audit_heads WHERE realm_id = :r FOR UPDATE")
                             : QStringLiteral("SELECT seq, hash FROM audit_heads WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    ChainHead head;
    if (q.next()) {
        head.exists = true;
        head.seq = q.value(0).toLongLong();
        head.hash = q.value(1).toString();
    }
    return head;
}

// Where the kept part of a pruned chain starts: the seq and hash of the
// newest event prune() removed, kept in deployment_settings under
// "audit_anchor:<realm>" as "<seq>:<hash>". verify() starts at anchor.seq + 1
// and requires that event's prev_hash to equal anchor.hash, so deleting more
// rows after a prune is still noticed. Like the chain itself the anchor is not
// keyed: moving it forward over deleted rows passes only if it is set to the
// exact seq and hash of the newest deleted row, i.e. an attacker must rewrite
// it consistently with the events (and it then disagrees with the archive's
// last line and with the "audit.pruned" events in the chain). Changing only
// its seq, only its hash, or deleting it breaks verify().
struct Anchor
{
    bool exists = false;
    bool malformed = false;
    qint64 seq = 0;
    QString hash;
    friend bool operator==(const Anchor &, const Anchor &) = default;
};

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

// Appends one canonical JSON string: only '"', '\' and U+0000..U+001F are
// escaped (lowercase \u00xx); everything else is copied as UTF-8. Written by
// hand rather than with QJsonDocument so a Qt upgrade can never change it.
void appendCanonicalString(QByteArray &out, const QString &text)
{
    out += '"';
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += "0123456789abcdef"[byte >> 4];
            out += "0123456789abcdef"[byte & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace

QString AuditLog::sanitize(const QString &text, int maxLength)
{
    QString out;
    out.reserve(std::min<qsizetype>(text.size(), maxLength));
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (out.size() >= maxLength)
            break;
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            // Keep a pair whole: half of one would not survive the database's UTF-8 and break the event's hash.
            if (out.size() + 2 > maxLength)
                break;
            out += c;
            out += text.at(++i);
            continue;
        }
        const auto category = c.category();
        if (category == QChar::Other_Control || category == QChar::Separator_Line || category == QChar::Separator_Paragraph
            || c.isSurrogate())
            out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// Canonical form, version 1. It is what every stored hash was computed over,
// so it must NEVER change; a new format needs a new leading version number and
// verify() must keep accepting version 1 for old rows.
//
//   SHA-256( prev_hash "\n" canonical ), stored as 64 lowercase hex digits,
//   prev_hash being "" for seq 1, and canonical the compact JSON array
//
//   [1,seq,"realm_id","app_id",occurred_at,"kind","actor","target_type",
//    "target_id","ip","user_agent","outcome","summary"]
//
// of the values as stored (after sanitize), integers in plain decimal, strings
// escaped as in appendCanonicalString, encoded as UTF-8. The row id is left
// out (the database assigns it); verify() checks id order separately.
QString AuditLog::chainHash(const QString &prevHash, const AuditEvent &e)
{
    QByteArray canonical;
    canonical.reserve(256 + e.summary.size() + e.userAgent.size());
    canonical += "[1,";
    canonical += QByteArray::number(e.seq);
    canonical += ',';
    appendCanonicalString(canonical, e.realmId);
    canonical += ',';
    appendCanonicalString(canonical, e.appId);
    canonical += ',';
    canonical += QByteArray::number(e.occurredAt);
    for (const QString *field : {&e.kind, &e.actor, &e.targetType, &e.targetId, &e.ip, &e.userAgent, &e.outcome, &e.summary}) {
        canonical += ',';
        appendCanonicalString(canonical, *field);
    }
    canonical += ']';

    QCryptographicHash sha(QCryptographicHash::Sha256);
    sha.addData(prevHash.toUtf8());
    sha.addData(QByteArrayView("\n"));
    sha.addData(canonical);
    return QString::fromLatin1(sha.result().toHex());
}

void AuditLog::record(AuditEvent in) const
{
    AuditEvent e;
    e.realmId = sanitize(in.realmId, 64);
    e.appId = sanitize(in.appId, 64);
    e.occurredAt = in.occurredAt > 0 ? in.occurredAt : m_clock.nowMs();
    e.kind = sanitize(in.kind, 64);
    e.actor = sanitize(in.actor, 128);
    e.targetType = sanitize(in.targetType, 32);
    e.targetId = sanitize(in.targetId, 128);
    e.ip = sanitize(in.ip, 64);
    e.userAgent = sanitize(in.userAgent, 256);
    e.outcome = sanitize(in.outcome, 16);
    e.summary = sanitize(in.summary);

    // Joins the caller's transaction if there is one: then the head stays
    // locked until the caller commits, and a rollback takes the event with it.
    Transaction tx(m_db);
    ChainHead head = readHead(m_db, e.realmId, true);
    if (!head.exists) {
        SqlQuery(m_db, QStringLiteral("INSERT INTO audit_heads (realm_id, seq, hash) VALUES (:r, 0, '') ON CONFLICT DO NOTHING"))
            .bind(QStringLiteral(":r"), e.realmId)
            .exec();
        head = readHead(m_db, e.realmId, true);
        if (!head.exists)
            throw DomainError(ErrorCode::StorageUnavailable, QStringLiteral("The audit chain head could not be created"));
    }
    e.seq = head.seq + 1;
    e.prevHash = head.hash;
    e.hash = chainHash(e.prevHash, e);

    SqlQuery(m_db, QStringLiteral("INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, "
                                  "user_agent, outcome, summary, seq, prev_hash, hash) "
                                  "VALUES (:r, :a, :t, :k, :ac, :tt, :ti, :ip, :ua, :o, :s, :seq, :ph, :h)"))
        .bind(QStringLiteral(":r"), e.realmId)
        .bind(QStringLiteral(":a"), e.appId)
        .bind(QStringLiteral(":t"), e.occurredAt)
        .bind(QStringLiteral(":k"), e.kind)
        .bind(QStringLiteral(":ac"), e.actor)
        .bind(QStringLiteral(":tt"), e.targetType)
        .bind(QStringLiteral(":ti"), e.targetId)
        .bind(QStringLiteral(":ip"), e.ip)
        .bind(QStringLiteral(":ua"), e.userAgent)
        .bind(QStringLiteral(":o"), e.outcome)
        .bind(QStringLiteral(":s"), e.summary)
        .bind(QStringLiteral(":seq"), e.seq)
        .bind(QStringLiteral(":ph"), e.prevHash)
        .bind(QStringLiteral(":h"), e.hash)
        .exec();
    SqlQuery(m_db, QStringLiteral("UPDATE audit_heads SET seq = :seq, hash = :h WHERE realm_id = :r"))
        .bind(QStringLiteral(":seq"), e.seq)
        .bind(QStringLiteral(":h"), e.hash)
        .bind(QStringLiteral(":r"), e.realmId)
        .exec();
    tx.commit();
}

QList<AuditEvent> AuditLog::recent(const QString &realmId, int limit) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM audit_events WHERE realm_id = :r ORDER BY occurred_at DESC, id DESC LIMIT :n").arg(kColumns));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":n"), limit).exec();
    QList<AuditEvent> out;
    while (q.next())
        out.append(eventFromRow(q));
    return out;
}

namespace {
// Appends "AND column IN (:p0, :p1, ...)" and remembers the bindings.
void inList(QString &sql, QList<std::pair<QString, QVariant>> &binds, const char *column, const QStringList &values, const char *prefix)
{
    if (values.isEmpty())
        return;
    QStringList names;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QString name = QStringLiteral(":%1%2").arg(QLatin1String(prefix)).arg(i);
        names.append(name);
        binds.append({name, values.at(i)});
    }
    sql += QStringLiteral(" AND %1 IN (%2)").arg(QLatin1String(column), names.join(u", "));
}
} // namespace

QList<AuditEvent> AuditLog::query(const AuditQuery &f) const
{
    QString sql = QStringLiteral("SELECT %1 FROM audit_events WHERE 1 = 1").arg(kColumns);
    QList<std::pair<QString, QVariant>> binds;
    inList(sql, binds, "realm_id", f.realmIds, "r");
    inList(sql, binds, "kind", f.kinds, "k");
    const auto equals = [&](const char *column, const QString &value, const char *name) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND %1 = :%2").arg(QLatin1String(column), QLatin1String(name));
        binds.append({u':' + QLatin1String(name), value});
    };
    equals("app_id", f.appId, "app");
    equals("actor", f.actor, "actor");
    equals("target_id", f.targetId, "target");
    equals("outcome", f.outcome, "outcome");
    if (f.since > 0) {
        sql += QStringLiteral(" AND occurred_at >= :since");
        binds.append({QStringLiteral(":since"), f.since});
    }
    if (f.until > 0) {
        sql += QStringLiteral(" AND occurred_at < :until");
        binds.append({QStringLiteral(":until"), f.until});
    }
    if (f.beforeTime > 0) {
        // The plain "<=" bound lets the (…, occurred_at, id) indexes seek; an
        // OR of the two cases alone would make SQLite scan from the top.
        sql += QStringLiteral(" AND occurred_at <= :bt AND (occurred_at < :bt2 OR id < :bi)");
        binds.append({QStringLiteral(":bt"), f.beforeTime});
        binds.append({QStringLiteral(":bt2"), f.beforeTime});
        binds.append({QStringLiteral(":bi"), f.beforeId});
    }
    sql += QStringLiteral(" ORDER BY occurred_at DESC, id DESC LIMIT :n");
    binds.append({QStringLiteral(":n"), std::clamp(f.limit, 1, 1000)});
    SqlQuery q(m_db, sql);
    for (const auto &[name, value] : binds)
        q.bind(name, value);
    q.exec();
    QList<AuditEvent> out;
    while (q.next())
        out.append(eventFromRow(q));
    return out;
}

qint64 AuditLog::countSince(const QStringList &realmIds, qint64 since) const
{
    QString sql = QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE occurred_at >= :since");
    QList<std::pair<QString, QVariant>> binds{{QStringLiteral(":since"), since}};
    inList(sql, binds, "realm_id", realmIds, "r");
    SqlQuery q(m_db, sql);
    for (const auto &[name, value] : binds)
        q.bind(name, value);
    q.exec();
    return q.next() ? q.value(0).toLongLong() : 0;
}

// Takes no lock and no snapshot, so a long check never stalls logins. Events
// and their head commit together and appends are serialised per realm, so the
// committed events always form a prefix of the chain and a head read after a
// walk is never behind it; when it is ahead, the events appended meanwhile are
// walked in another pass until the two meet.
namespace {

ChainCheck walkChain(const Database &m_db, const QString &realmId, const Anchor &anchor)
{
    ChainCheck check;
    check.anchorSeq = anchor.seq;
    check.anchorHash = anchor.hash;
    auto broken = [&check](qint64 seq, qint64 eventId, const QString &reason) {
        check.intact = false;
        check.brokenSeq = seq;
        check.brokenEventId = eventId;
        check.reason = reason;
        return check;
    };

    // Rows written before schema v2 carry seq 0 and no hash. They all predate
    // the first chained row; an unchained row after it was slipped in.
    qint64 firstChainedId = 0;
    {
        SqlQuery q(m_db, QStringLiteral("SELECT MIN(id) FROM audit_events WHERE realm_id = :r AND seq > 0"));
        q.bind(QStringLiteral(":r"), realmId).exec();
        if (q.next() && !q.value(0).isNull())
            firstChainedId = q.value(0).toLongLong();
    }

    if (anchor.malformed)
        return broken(0, 0, QStringLiteral("the audit anchor (where the chain continues after a prune) is malformed"));

    // After a prune the walk continues from the anchor as if the removed
    // events were still there.
    qint64 lastSeq = anchor.seq;
    qint64 lastId = 0;
    QString lastHash = anchor.hash;
    bool firstPass = true;
    qint64 headBeforePass = 0;
    for (;;) {
        {
            SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM audit_events WHERE realm_id = :r AND seq > :from ORDER BY seq, id").arg(kColumns));
            q.bind(QStringLiteral(":r"), realmId)
                .bind(QStringLiteral(":from"), firstPass ? std::numeric_limits<qint64>::min() : lastSeq)
                .exec();
            while (q.next()) {
                const AuditEvent e = eventFromRow(q);
                if (e.seq <= 0) {
                    if (e.seq == 0 && e.hash.isEmpty() && e.prevHash.isEmpty() && (firstChainedId == 0 || e.id < firstChainedId)) {
                        ++check.unchainedEvents;
                        continue;
                    }
                    return broken(e.seq, e.id, QStringLiteral("event %1 (seq %2) has no place in the chain: it was inserted outside the audit log")
                                                   .arg(e.id).arg(e.seq));
                }
                if (e.seq <= anchor.seq)
                    return broken(e.seq, e.id, QStringLiteral("event %1 (seq %2) lies before the audit anchor at seq %3: it was put back or "
                                                              "inserted outside the audit log")
                                                   .arg(e.id).arg(e.seq).arg(anchor.seq));
                const qint64 expected = lastSeq + 1;
                if (e.seq == lastSeq)
                    return broken(e.seq, e.id, QStringLiteral("seq %1 appears twice: event %2 was inserted outside the audit log").arg(e.seq).arg(e.id));
                if (e.seq > expected)
                    return broken(expected, 0, QStringLiteral("seq %1 is missing: an event was deleted").arg(expected));
                if (e.id <= lastId)
                    return broken(lastSeq, lastId, QStringLiteral("events are out of order: event %1 (seq %2) was stored after event %3 (seq %4)")
                                                       .arg(lastId).arg(lastSeq).arg(e.id).arg(e.seq));
                const bool selfConsistent = AuditLog::chainHash(e.prevHash, e) == e.hash;
                if (e.prevHash != lastHash) {
                    if (lastId == 0 && anchor.exists)
                        return broken(e.seq, e.id, selfConsistent
                                          ? QStringLiteral("event %1 (seq %2) does not link to the audit anchor at seq %3: the event or the anchor was altered")
                                                .arg(e.id).arg(e.seq).arg(anchor.seq)
                                          : QStringLiteral("event %1 (seq %2) was altered: its hash does not match its contents").arg(e.id).arg(e.seq));
                    if (selfConsistent && lastSeq > 0)
                        return broken(lastSeq, lastId,
                                      QStringLiteral("event %1 (seq %2) was altered and re-hashed: event %3 (seq %4) no longer links to it")
                                          .arg(lastId).arg(lastSeq).arg(e.id).arg(e.seq));
                    if (selfConsistent)
                        return broken(e.seq, e.id, QStringLiteral("event %1 (seq %2) was altered: it does not start the chain").arg(e.id).arg(e.seq));
                }
                if (!selfConsistent)
                    return broken(e.seq, e.id, QStringLiteral("event %1 (seq %2) was altered: its hash does not match its contents").arg(e.id).arg(e.seq));
                lastSeq = e.seq;
                lastId = e.id;
                lastHash = e.hash;
                ++check.eventsChecked;
            }
        }
        firstPass = false;

        const ChainHead head = readHead(m_db, realmId, false);
        if (!head.exists) {
            if (lastSeq == 0)
                return check; // nothing chained yet
            return broken(lastSeq, lastId, QStringLiteral("the chain head is missing, so the newest events cannot be confirmed"));
        }
        if (head.seq == lastSeq) {
            if (head.hash == lastHash)
                return check;
            if (lastSeq == 0)
                return broken(0, 0, QStringLiteral("the chain head was altered"));
            if (lastId == 0)
                return broken(lastSeq, 0, QStringLiteral("the chain head does not match the audit anchor at seq %1: one of them was altered").arg(lastSeq));
            return broken(lastSeq, lastId, QStringLiteral("event %1 (seq %2) was replaced: the chain head records a different newest event")
                                               .arg(lastId).arg(lastSeq));
        }
        if (head.seq < anchor.seq)
            return broken(head.seq + 1, 0, QStringLiteral("the audit anchor (seq %1) is ahead of the chain head (seq %2): one of them was altered")
                                               .arg(anchor.seq).arg(head.seq));
        if (head.seq < lastSeq) {
            SqlQuery q(m_db, QStringLiteral("SELECT MIN(id) FROM audit_events WHERE realm_id = :r AND seq = :s"));
            q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":s"), head.seq + 1).exec();
            const qint64 id = q.next() ? q.value(0).toLongLong() : 0;
            return broken(head.seq + 1, id, QStringLiteral("the events after seq %1 were added outside the audit log: the chain head ends there").arg(head.seq));
        }
        // The head is ahead. Events up to a head read before this pass were
        // committed before the pass began, so the pass must have reached it;
        // if not, the newest events are gone. Otherwise events were appended
        // while we walked: walk those too.
        if (headBeforePass > lastSeq) {
            if (lastSeq == 0)
                return broken(1, 0, QStringLiteral("all %1 events were deleted").arg(head.seq));
            return broken(lastSeq + 1, 0, QStringLiteral("the newest events after seq %1 were deleted").arg(lastSeq));
        }
        headBeforePass = head.seq;
    }
}

} // namespace

ChainCheck AuditLog::verify(const QString &realmId) const
{
    // A prune that commits during the walk moves the anchor and removes the
    // rows the walk expected: walk again from the new anchor.
    for (int attempt = 0;; ++attempt) {
        const Anchor anchor = readAnchor(m_db, realmId);
        ChainCheck check = walkChain(m_db, realmId, anchor);
        if (check.intact || attempt >= 3 || readAnchor(m_db, realmId) == anchor)
            return check;
    }
}

namespace {

// The archive file of one prune: created new (never overwrites), private to
// the owner, removed again if the prune fails before anything was deleted.
class ArchiveWriter
{
public:
    explicit ArchiveWriter(const QString &path) : m_file(path) {}
    ~ArchiveWriter()
    {
        if (m_file.isOpen())
            m_file.close();
        if (m_removeOnExit)
            m_file.remove();
    }
    [[nodiscard]] bool enabled() const { return !m_file.fileName().isEmpty(); }

    void open()
    {
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            fail(QStringLiteral("cannot be created"));
        m_removeOnExit = true;
    }
    void write(const AuditEvent &e)
    {
        const QByteArray line = archiveLine(e);
        if (m_file.write(line) != line.size())
            fail(QStringLiteral("cannot be written"));
    }
    // Everything on disk, the file's directory entry included, before any row goes.
    void sync()
    {
        if (!m_file.flush() || ::fsync(m_file.handle()) != 0)
            fail(QStringLiteral("cannot be written to disk"));
        m_file.close();
        const int dir = ::open(QFile::encodeName(QFileInfo(m_file.fileName()).absolutePath()).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
            ::fsync(dir);
            ::close(dir);
        }
    }
    // Once rows are being deleted the file is kept whatever happens: a
    // duplicate archive is harmless, a lost one is not.
    void keep() { m_removeOnExit = false; }

private:
    [[noreturn]] void fail(const QString &what)
    {
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("The audit archive %1 %2 (%3); nothing was pruned")
                                                         .arg(m_file.fileName(), what, m_file.errorString()));
    }
    QFile m_file;
    bool m_removeOnExit = false;
};

[[noreturn]] void refuseBrokenChain(const QString &realmId, qint64 seq, const QString &what)
{
    throw DomainError(ErrorCode::Conflict, QStringLiteral("The audit chain of realm \"%1\" does not verify at seq %2 (%3); nothing was pruned. "
                                                          "Run 'authrealmd audit verify %1'.")
                                               .arg(realmId).arg(seq).arg(what));
}

} // namespace

PruneResult AuditLog::prune(const QString &realmId, qint64 olderThanMs, const QString &archivePath, qint64 maxEvents,
                            const QString &actor) const
{
    PruneResult result;
    const qint64 limit = maxEvents > 0 ? maxEvents : std::numeric_limits<qint64>::max();

    // A cheap look without the write lock first: the retention timer calls
    // this for every realm, and usually there is nothing to do.
    {
        const Anchor anchor = readAnchor(m_db, realmId);
        SqlQuery next(m_db, QStringLiteral("SELECT occurred_at FROM audit_events WHERE realm_id = :r AND seq > :a ORDER BY seq LIMIT 1"));
        next.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), anchor.seq).exec();
        const bool chainedDue = next.next() && next.value(0).toLongLong() < olderThanMs;
        SqlQuery legacy(m_db, QStringLiteral("SELECT 1 FROM audit_events WHERE realm_id = :r AND seq = 0 AND hash = '' AND occurred_at < :c LIMIT 1"));
        legacy.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":c"), olderThanMs).exec();
        if (!chainedDue && !legacy.next() && !anchor.malformed)
            return result;
    }

    ArchiveWriter archive(archivePath);
    Transaction tx(m_db);
    // Locking the head serialises this with appends and with other prunes of the realm.
    const ChainHead head = readHead(m_db, realmId, true);
    const Anchor anchor = readAnchor(m_db, realmId);
    if (anchor.malformed)
        refuseBrokenChain(realmId, 0, QStringLiteral("the audit anchor is malformed"));
    qint64 firstChainedId = 0;
    {
        SqlQuery q(m_db, QStringLiteral("SELECT MIN(id) FROM audit_events WHERE realm_id = :r AND seq > 0"));
        q.bind(QStringLiteral(":r"), realmId).exec();
        if (q.next() && !q.value(0).isNull())
            firstChainedId = q.value(0).toLongLong();
    }
    if (anchor.exists) {
        // A row at or before the anchor was put back after an earlier prune.
        SqlQuery q(m_db, QStringLiteral("SELECT MIN(seq) FROM audit_events WHERE realm_id = :r AND seq > 0 AND seq <= :a"));
        q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), anchor.seq).exec();
        if (q.next() && !q.value(0).isNull())
            refuseBrokenChain(realmId, q.value(0).toLongLong(), QStringLiteral("the event lies before the audit anchor"));
    }
    if (archive.enabled())
        archive.open();

    // Rows from before the chain (schema v1) go first; they all precede it.
    qint64 legacyMaxId = 0;
    {
        SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM audit_events WHERE realm_id = :r AND seq = 0 AND hash = '' AND prev_hash = '' "
                                        "AND occurred_at < :c AND id < :f ORDER BY id LIMIT :n").arg(kColumns));
        q.bind(QStringLiteral(":r"), realmId)
            .bind(QStringLiteral(":c"), olderThanMs)
            .bind(QStringLiteral(":f"), firstChainedId > 0 ? firstChainedId : std::numeric_limits<qint64>::max())
            .bind(QStringLiteral(":n"), std::min<qint64>(limit, std::numeric_limits<int>::max()))
            .exec();
        while (q.next()) {
            const AuditEvent e = eventFromRow(q);
            if (archive.enabled())
                archive.write(e);
            legacyMaxId = e.id;
            ++result.unchainedRemoved;
        }
    }

    // Then the oldest chained events, in seq order, up to the first one at or
    // after the cutoff: a prefix, never a gap. Each is checked on the way, so
    // the anchor is only ever set from a chain that verified.
    qint64 lastSeq = anchor.seq;
    qint64 lastId = 0;
    QString lastHash = anchor.hash;
    bool reachedKeptPart = false;
    bool exhausted = false; // walked past the newest stored event
    constexpr int kBatch = 500;
    while (!reachedKeptPart && result.unchainedRemoved + result.eventsRemoved < limit) {
        SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM audit_events WHERE realm_id = :r AND seq > :from ORDER BY seq, id LIMIT :n").arg(kColumns));
        q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":from"), lastSeq).bind(QStringLiteral(":n"), kBatch).exec();
        int rows = 0;
        while (q.next()) {
            ++rows;
            const AuditEvent e = eventFromRow(q);
            if (e.occurredAt >= olderThanMs || result.unchainedRemoved + result.eventsRemoved >= limit) {
                // The first kept event must still link to what is removed.
                if (e.seq == lastSeq + 1 && e.prevHash != lastHash)
                    refuseBrokenChain(realmId, e.seq, QStringLiteral("it does not link to the event before it"));
                reachedKeptPart = true;
                break;
            }
            if (e.seq != lastSeq + 1)
                refuseBrokenChain(realmId, lastSeq + 1, QStringLiteral("an event is missing or duplicated"));
            if (e.id <= lastId || e.prevHash != lastHash || chainHash(e.prevHash, e) != e.hash)
                refuseBrokenChain(realmId, e.seq, QStringLiteral("the event was altered or moved"));
            if (e.seq > head.seq)
                refuseBrokenChain(realmId, e.seq, QStringLiteral("the event lies beyond the chain head"));
            if (archive.enabled())
                archive.write(e);
            if (result.eventsRemoved == 0)
                result.firstSeq = e.seq;
            ++result.eventsRemoved;
            lastSeq = e.seq;
            lastId = e.id;
            lastHash = e.hash;
        }
        if (!reachedKeptPart && rows < kBatch)
            exhausted = true;
        if (exhausted)
            break;
    }
    if (result.eventsRemoved > 0 && exhausted && (head.seq != lastSeq || head.hash != lastHash))
        refuseBrokenChain(realmId, lastSeq, QStringLiteral("the chain head does not match the newest event"));
    if (result.eventsRemoved == 0 && result.unchainedRemoved == 0)
        return result; // someone else pruned first; the empty archive goes

    if (archive.enabled()) {
        archive.sync();
        result.archivePath = archivePath;
    }
    archive.keep();

    if (result.unchainedRemoved > 0) {
        SqlQuery del(m_db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq = 0 AND hash = '' AND prev_hash = '' "
                                          "AND occurred_at < :c AND id <= :m"));
        del.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":c"), olderThanMs).bind(QStringLiteral(":m"), legacyMaxId).exec();
        if (del.rowsAffected() != result.unchainedRemoved)
            throw DomainError(ErrorCode::Conflict, QStringLiteral("The audit events of realm \"%1\" changed while they were pruned; nothing was pruned").arg(realmId));
    }
    if (result.eventsRemoved > 0) {
        result.lastSeq = lastSeq;
        result.lastHash = lastHash;
        SqlQuery del(m_db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq >= :a AND seq <= :b"));
        del.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), result.firstSeq).bind(QStringLiteral(":b"), lastSeq).exec();
        if (del.rowsAffected() != result.eventsRemoved)
            throw DomainError(ErrorCode::Conflict, QStringLiteral("The audit events of realm \"%1\" changed while they were pruned; nothing was pruned").arg(realmId));
        writeAnchor(m_db, realmId, lastSeq, lastHash);
    }

    // The prune itself goes into the chain, in the same transaction.
    AuditEvent note;
    note.realmId = realmId;
    note.kind = QStringLiteral("audit.pruned");
    note.actor = actor;
    note.targetType = QStringLiteral("realm");
    note.targetId = realmId;
    note.outcome = QStringLiteral("success");
    QString summary = result.eventsRemoved > 0
        ? QStringLiteral("Removed %1 events (seq %2-%3, new anchor %4)").arg(result.eventsRemoved).arg(result.firstSeq).arg(lastSeq).arg(lastHash.left(16))
        : QStringLiteral("Removed no chained events");
    if (result.unchainedRemoved > 0)
        summary += QStringLiteral(" and %1 events from before the chain").arg(result.unchainedRemoved);
    summary += QStringLiteral(" that occurred before %1").arg(QDateTime::fromMSecsSinceEpoch(olderThanMs, Qt::UTC).toString(Qt::ISODate));
    summary += archivePath.isEmpty() ? QStringLiteral("; not archived") : QStringLiteral("; archived to %1").arg(archivePath);
    note.summary = summary;
    record(note);
    tx.commit();
    return result;
}

ArchiveCheck AuditLog::verifyArchive(const QString &path)
{
    ArchiveCheck check;
    qint64 lineNumber = 0;
    auto broken = [&check, &lineNumber](const QString &reason) {
        check.intact = false;
        check.brokenLine = lineNumber;
        check.reason = reason;
        return check;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    qint64 lastId = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        QByteArray line = file.readLine();
        if (!line.endsWith('\n'))
            return broken(QStringLiteral("the last line is incomplete: the archive was truncated"));
        line.chop(1);
        AuditEvent e;
        QString why;
        if (!readArchiveLine(line, e, why))
            return broken(why);
        if (lineNumber == 1)
            check.realmId = e.realmId;
        else if (e.realmId != check.realmId)
            return broken(QStringLiteral("the event belongs to realm \"%1\", the archive to \"%2\"").arg(e.realmId, check.realmId));
        if (e.id <= lastId)
            return broken(QStringLiteral("events are out of order: id %1 follows id %2").arg(e.id).arg(lastId));
        lastId = e.id;
        if (isUnchained(e)) {
            if (check.eventsChecked > 0)
                return broken(QStringLiteral("an event without a place in the chain follows chained events"));
            ++check.unchainedEvents;
            continue;
        }
        if (e.seq <= 0)
            return broken(QStringLiteral("seq %1 has no place in the chain").arg(e.seq));
        if (check.eventsChecked == 0) {
            check.firstSeq = e.seq;
            check.firstPrevHash = e.prevHash;
            if (e.seq == 1 && !e.prevHash.isEmpty())
                return broken(QStringLiteral("seq 1 does not start the chain"));
        } else {
            if (e.seq != check.lastSeq + 1)
                return broken(QStringLiteral("seq %1 follows seq %2: events are missing or repeated").arg(e.seq).arg(check.lastSeq));
            if (e.prevHash != check.lastHash)
                return broken(QStringLiteral("seq %1 does not link to seq %2").arg(e.seq).arg(check.lastSeq));
        }
        if (chainHash(e.prevHash, e) != e.hash)
            return broken(QStringLiteral("seq %1 was altered: its hash does not match its contents").arg(e.seq));
        check.lastSeq = e.seq;
        check.lastHash = e.hash;
        ++check.eventsChecked;
    }
    if (check.eventsChecked == 0 && check.unchainedEvents == 0)
        return broken(QStringLiteral("the archive holds no events"));
    return check;
}

QList<RetentionRun> AuditLog::applyRetention(const RealmStore &realms) const
{
    constexpr qint64 kMsPerDay = 86'400'000;
    constexpr qint64 kBatch = 10'000; // keeps each write transaction short
    QList<RetentionRun> runs;
    for (const Realm &realm : realms.realms()) {
        RetentionRun run;
        run.realmId = realm.id;
        try {
            run.retentionDays = realms.settings(realm.id).value(QStringLiteral("auditRetentionDays")).toLongLong();
            if (run.retentionDays <= 0)
                continue;
            const qint64 cutoff = m_clock.nowMs() - run.retentionDays * kMsPerDay;
            for (;;) {
                const PruneResult r = prune(realm.id, cutoff, QString(), kBatch, QStringLiteral("system"));
                run.eventsRemoved += r.eventsRemoved + r.unchainedRemoved;
                if (r.eventsRemoved + r.unchainedRemoved < kBatch)
                    break;
            }
        } catch (const DomainError &e) {
            run.error = e.message();
        } catch (const std::exception &e) {
            run.error = QString::fromUtf8(e.what());
        }
        runs.append(run);
    }
    return runs;
}

} // namespace authrealm
