#include "storage/AuditLog.h"
#include "storage/AuditLogInternals.h"
#include "storage/AuditRollup.h"

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

using namespace auditdetail;

namespace {

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
    rollupAdd(m_db, e);
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

} // namespace authrealm
