#pragma once

#include <QList>
#include <functional>
#include <optional>
#include <QString>

namespace authrealm {

class Database;
class Clock;
class RealmStore;

struct AuditEvent
{
    qint64 id = 0;
    QString realmId;
    QString appId;
    qint64 occurredAt = 0;
    QString kind;        // e.g. "login.success", "refresh.reuse_detected"
    QString actor;       // "user:<id>", "system", "console:<name>"
    QString targetType;  // "user", "session", "realm"
    QString targetId;
    QString ip;
    QString userAgent;
    QString outcome;     // "success", "failure", "denied"
    QString summary;
    // Set by AuditLog::record; ignored when passed in. Appended last so the
    // aggregate initialisers elsewhere keep their meaning.
    qint64 seq = 0;      // 1, 2, 3... per realm; 0 for events older than the chain
    QString prevHash;
    QString hash;

    // Builder for call sites: AuditEvent::of(realm, kind, actor, outcome).inApp(app).target("user", id).from(ip, ua).says(text)
    [[nodiscard]] static AuditEvent of(const QString &realmId, const QString &kind, const QString &actor, const QString &outcome)
    {
        AuditEvent e;
        e.realmId = realmId;
        e.kind = kind;
        e.actor = actor;
        e.outcome = outcome;
        return e;
    }
    AuditEvent &inApp(const QString &app) { appId = app; return *this; }
    AuditEvent &target(const QString &type, const QString &id) { targetType = type; targetId = id; return *this; }
    AuditEvent &from(const QString &address, const QString &agent) { ip = address; userAgent = agent; return *this; }
    AuditEvent &says(const QString &text) { summary = text; return *this; }
};

// Result of walking one realm's hash chain. On a break, brokenSeq is the first
// sequence number that cannot be trusted and brokenEventId the row holding it
// (0 when that row is missing).
struct ChainCheck
{
    bool intact = true;
    qint64 eventsChecked = 0;
    qint64 brokenSeq = 0;
    qint64 brokenEventId = 0;
    QString reason;
    qint64 unchainedEvents = 0; // written before the chain existed (schema v1): cannot be verified
    // Where the kept chain starts after AuditLog::prune: the seq and hash of
    // the newest removed event (0 and "" while nothing was ever pruned).
    qint64 anchorSeq = 0;
    QString anchorHash;
};

// What AuditLog::prune removed. firstSeq..lastSeq are the chained events;
// unchainedRemoved counts rows from before the chain (schema v1) that went too.
struct PruneResult
{
    qint64 eventsRemoved = 0;   // chained events, firstSeq..lastSeq
    qint64 unchainedRemoved = 0;
    qint64 firstSeq = 0;
    qint64 lastSeq = 0;
    QString lastHash;           // the new anchor
    QString archivePath;        // empty when nothing was archived
};

// Result of AuditLog::verifyArchive: the archive's own chain, from the link it
// starts at (firstPrevHash, "" when it starts at seq 1) to lastSeq/lastHash,
// which must equal the live chain's anchor right after that prune.
struct ArchiveCheck
{
    bool intact = true;
    QString realmId;
    qint64 eventsChecked = 0;
    qint64 unchainedEvents = 0;
    qint64 firstSeq = 0;
    qint64 lastSeq = 0;
    QString firstPrevHash;
    QString lastHash;
    qint64 brokenLine = 0;      // 1-based line of the first problem
    QString reason;
};

// One realm's outcome of AuditLog::applyRetention.
struct RetentionRun
{
    QString realmId;
    qint64 retentionDays = 0;
    qint64 eventsRemoved = 0;   // chained and unchained
    QString error;              // non-empty when this realm failed (the others still ran)
};

// Append-only record of authentication events and admin changes. Never holds
// a secret; control characters in any field are neutralised so user input
// cannot forge lines in an export or a log viewer.
//
// Each realm's events form a hash chain (seq, prev_hash, hash) whose newest
// link is also kept in audit_heads, so verify() notices rows that were edited,
// deleted, reordered or inserted behind the log's back. The chain is unkeyed:
// someone able to rewrite every later row and the head can forge it, so it is
// evidence against partial tampering, not a signature.
// Filters of the event browser and GET /admin/events. Empty fields match all.
struct AuditQuery
{
    QStringList realmIds;  // empty: every realm
    QString appId;
    QString actor;
    QString targetId;
    QStringList kinds;
    QString outcome;
    // Free text, case-insensitive substring of summary, kind, actor or target
    // id (SQLite folds ASCII letters only). Text of three or more characters
    // that few events hold is found through AuditTextIndex; shorter or common
    // text is matched by scanning, in time slices (see AuditLog::search).
    QString text;
    qint64 since = 0;      // ms, inclusive
    qint64 until = 0;      // ms, exclusive; 0: no bound
    // Keyset cursor: continue strictly before (occurredAt, id), newest first.
    qint64 beforeTime = 0;
    qint64 beforeId = 0;
    int limit = 50;
};

// Events per time bucket of AuditLog::histogram. failedSignIns and denied are
// part of total; the rest of total are the other events.
struct AuditBucket
{
    qint64 start = 0;          // ms, first instant of the bucket
    qint64 total = 0;
    qint64 failedSignIns = 0;  // kind login.failure
    qint64 denied = 0;         // other refusals: outcome denied/failure, admin.denied, pat.denied

    // Adds the counts of another part of the same bucket.
    AuditBucket &operator+=(const AuditBucket &other)
    {
        total += other.total;
        failedSignIns += other.failedSignIns;
        denied += other.denied;
        return *this;
    }
};

// A page of AuditLog::search. Unless exhausted, the next page continues
// strictly before (nextBeforeTime, nextBeforeId): after the last event of a
// full page, or (id 0) below the time the scan got to when it was stopped.
struct AuditSearchPage
{
    QList<AuditEvent> events;
    bool exhausted = false;
    qint64 nextBeforeTime = 0;
    qint64 nextBeforeId = 0;
};

class AuditLog
{
public:
    static constexpr int kSearchSliceRows = 20000;

    AuditLog(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

    void record(AuditEvent event) const;
    // Newest first; for tests and the CLI until the full browser exists.
    [[nodiscard]] QList<AuditEvent> recent(const QString &realmId, int limit) const;
    // Newest first. Seeks on (occurred_at, id), never OFFSET, so deep pages cost what the first does.
    [[nodiscard]] QList<AuditEvent> query(const AuditQuery &filter) const;
    // query() in slices of time, newest first, so a filter no index serves
    // (free text) can be stopped between slices: stops with the events found
    // so far when `stop` returns true or after `budgetMs` of scanning
    // (0: no budget). Each slice spans about kSearchSliceRows events that
    // match the indexed filters.
    [[nodiscard]] AuditSearchPage search(const AuditQuery &filter, const std::function<bool()> &stop = {}, qint64 budgetMs = 0,
                                         int sliceRows = kSearchSliceRows) const;
    // Events per bucket of bucketMs from `origin` (the first bucket starts
    // there) matching filter (cursor and limit ignored); empty buckets are left
    // out. Needs filter.since >= origin so no bucket is negative. With no
    // actor, target or text filter and origin and bucket whole hours, the
    // whole hours come from the hourly rollup (same result, far fewer rows).
    [[nodiscard]] QList<AuditBucket> histogram(const AuditQuery &filter, qint64 origin, qint64 bucketMs) const;
    // Oldest and newest occurred_at matching filter ({0, 0} when none).
    [[nodiscard]] std::pair<qint64, qint64> timeSpan(const AuditQuery &filter) const;
    [[nodiscard]] std::optional<AuditEvent> event(qint64 id) const;
    [[nodiscard]] qint64 countSince(const QStringList &realmIds, qint64 since) const;

    // Walks the realm's chain in seq order without loading it into memory and
    // reports the first broken link. Safe to run while events are appended.
    // After a prune the walk starts at the anchor (see prune()).
    [[nodiscard]] ChainCheck verify(const QString &realmId) const;

    // Removes the realm's oldest events that occurred before olderThanMs, in
    // one transaction: only a prefix of the chain (the walk stops at the first
    // event at or after the cutoff, so nothing newer goes and no gap appears),
    // at most maxEvents of them when that is positive. With an archivePath the
    // removed rows are first written to that new file (mode 0600, JSON Lines,
    // every stored column) and flushed to disk; if that fails nothing is
    // deleted and DomainError is thrown. The seq and hash of the newest
    // removed event become the realm's anchor, where verify() starts. Refuses
    // (DomainError) when the events to remove do not verify, so pruning can
    // never launder tampering. Records an "audit.pruned" event by actor.
    PruneResult prune(const QString &realmId, qint64 olderThanMs, const QString &archivePath, qint64 maxEvents = 0,
                      const QString &actor = QStringLiteral("system")) const;

    // Checks an archive written by prune() on its own: continuity of seq and
    // prev_hash and every event's hash. Needs no database.
    [[nodiscard]] static ArchiveCheck verifyArchive(const QString &path);

    // For every realm whose auditRetentionDays is positive, prunes (without
    // archive, in bounded batches) the events older than that. Per-realm
    // failures are reported, not thrown. For the server's timer and the console.
    QList<RetentionRun> applyRetention(const RealmStore &realms) const;

    [[nodiscard]] static QString sanitize(const QString &text, int maxLength = 512);

    // Lowercase hex SHA-256 of prevHash + '\n' + the canonical form of the
    // event's stored fields (see AuditLog.cpp). Public for tests and tools.
    [[nodiscard]] static QString chainHash(const QString &prevHash, const AuditEvent &storedEvent);

private:
    [[nodiscard]] qint64 sliceStart(const AuditQuery &filter, qint64 floor, qint64 hi, int sliceRows) const;

    const Database &m_db;
    const Clock &m_clock;
};

} // namespace authrealm
