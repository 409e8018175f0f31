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
        const qint64 deleted = removeEvents(m_db, QStringLiteral("realm_id = :r AND seq = 0 AND hash = '' AND prev_hash = '' "
                                                                 "AND occurred_at < :c AND id <= :m"),
                                            {{QStringLiteral(":r"), realmId}, {QStringLiteral(":c"), olderThanMs}, {QStringLiteral(":m"), legacyMaxId}});
        if (deleted != result.unchainedRemoved)
            throw DomainError(ErrorCode::Conflict, QStringLiteral("The audit events of realm \"%1\" changed while they were pruned; nothing was pruned").arg(realmId));
    }
    if (result.eventsRemoved > 0) {
        result.lastSeq = lastSeq;
        result.lastHash = lastHash;
        const qint64 deleted = removeEvents(m_db, QStringLiteral("realm_id = :r AND seq >= :a AND seq <= :b"),
                                            {{QStringLiteral(":r"), realmId}, {QStringLiteral(":a"), result.firstSeq}, {QStringLiteral(":b"), lastSeq}});
        if (deleted != result.eventsRemoved)
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
