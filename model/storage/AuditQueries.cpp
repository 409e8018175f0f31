// The audit log's read side for the event browser and GET /admin/events:
// filtered keyset pages, free-text search in time slices, the histogram
// behind the console's chart.
#include "storage/AuditLog.h"
#include "storage/AuditLogInternals.h"
#include "storage/AuditRollup.h"
#include "storage/AuditTextIndex.h"

#include "storage/Sql.h"

#include <QElapsedTimer>
#include <QMap>

#include <algorithm>
#include <limits>

namespace authrealm {

using namespace auditdetail;

namespace {

// WHERE clause and bindings shared by every filtered read, so the list, the
// chart and the export can never disagree on what a filter means.
class Where
{
public:
    Where(const AuditQuery &f, const SqlDialect &dialect, bool withText = true, bool withCursor = true)
    {
        inList("realm_id", f.realmIds, "r");
        inList("kind", f.kinds, "k");
        equals("app_id", f.appId, "app");
        equals("actor", f.actor, "actor");
        equals("target_id", f.targetId, "target");
        equals("outcome", f.outcome, "outcome");
        if (withText && !f.text.trimmed().isEmpty()) {
            // Case-insensitive (SqlDialect::caseInsensitiveLike). '!' escapes
            // the wildcards in the text.
            const QString like = dialect.caseInsensitiveLike();
            QString needle = f.text.trimmed();
            needle.replace(u'!', QStringLiteral("!!")).replace(u'%', QStringLiteral("!%")).replace(u'_', QStringLiteral("!_"));
            needle = u'%' + needle + u'%';
            QStringList ors;
            int i = 0;
            for (const char *column : {"summary", "kind", "actor", "target_id"}) {
                const QString name = QStringLiteral(":q%1").arg(i++);
                ors.append(QStringLiteral("%1 %2 %3 ESCAPE '!'").arg(QLatin1String(column), like, name));
                m_binds.append({name, needle});
            }
            m_sql += QStringLiteral(" AND (%1)").arg(ors.join(QStringLiteral(" OR ")));
        }
        if (f.since > 0) {
            m_sql += QStringLiteral(" AND occurred_at >= :since");
            m_binds.append({QStringLiteral(":since"), f.since});
        }
        if (f.until > 0) {
            m_sql += QStringLiteral(" AND occurred_at < :until");
            m_binds.append({QStringLiteral(":until"), f.until});
        }
        if (withCursor && f.beforeTime > 0) {
            // The plain "<=" bound lets the (…, occurred_at, id) indexes seek; an
            // OR of the two cases alone would make SQLite scan from the top.
            m_sql += QStringLiteral(" AND occurred_at <= :bt AND (occurred_at < :bt2 OR id < :bi)");
            m_binds.append({QStringLiteral(":bt"), f.beforeTime});
            m_binds.append({QStringLiteral(":bt2"), f.beforeTime});
            m_binds.append({QStringLiteral(":bi"), f.beforeId});
        }
    }

    [[nodiscard]] const QString &sql() const { return m_sql; }
    void bindTo(SqlQuery &q) const
    {
        for (const auto &[name, value] : m_binds)
            q.bind(name, value);
    }

private:
    // Appends "AND column IN (:p0, :p1, ...)".
    void inList(const char *column, const QStringList &values, const char *prefix)
    {
        if (values.isEmpty())
            return;
        QStringList names;
        for (qsizetype i = 0; i < values.size(); ++i) {
            const QString name = QStringLiteral(":%1%2").arg(QLatin1String(prefix)).arg(i);
            names.append(name);
            m_binds.append({name, values.at(i)});
        }
        m_sql += QStringLiteral(" AND %1 IN (%2)").arg(QLatin1String(column), names.join(u", "));
    }
    void equals(const char *column, const QString &value, const char *name)
    {
        if (value.isEmpty())
            return;
        m_sql += QStringLiteral(" AND %1 = :%2").arg(QLatin1String(column), QLatin1String(name));
        m_binds.append({u':' + QLatin1String(name), value});
    }

    QString m_sql = QStringLiteral(" WHERE 1 = 1");
    QList<std::pair<QString, QVariant>> m_binds;
};

// The rows a filtered read starts from: every event, or only those the text
// index names as possible matches of the free text (Where's LIKE decides).
struct Source
{
    QString with;
    QString from = QStringLiteral(" FROM audit_events");
    QList<std::pair<QString, QVariant>> binds;

    [[nodiscard]] bool narrowed() const { return !binds.isEmpty(); }
    void bindTo(SqlQuery &q) const
    {
        for (const auto &[name, value] : binds)
            q.bind(name, value);
    }
};

Source sourceFor(const Database &db, const AuditQuery &f)
{
    Source source;
    if (f.text.trimmed().isEmpty())
        return source;
    if (const auto candidates = AuditTextIndex(db).candidates(f.text)) {
        source.with = candidates->with;
        source.from = candidates->from;
        source.binds = candidates->binds;
    }
    return source;
}

QList<AuditEvent> readPage(const Database &db, const AuditQuery &f, const Source &source)
{
    const Where where(f, db.sql());
    SqlQuery q(db, QStringLiteral("%1SELECT %2%3%4 ORDER BY occurred_at DESC, id DESC LIMIT :n").arg(source.with, kColumns, source.from, where.sql()));
    source.bindTo(q);
    where.bindTo(q);
    q.bind(QStringLiteral(":n"), std::clamp(f.limit, 1, 1000));
    q.exec();
    QList<AuditEvent> out;
    while (q.next())
        out.append(eventFromRow(q));
    return out;
}

} // namespace

QList<AuditEvent> AuditLog::query(const AuditQuery &f) const
{
    return readPage(m_db, f, sourceFor(m_db, f));
}

AuditSearchPage AuditLog::search(const AuditQuery &f, const std::function<bool()> &stop, qint64 budgetMs, int sliceRows) const
{
    AuditSearchPage page;
    const int limit = std::clamp(f.limit, 1, 1000);
    // Text the index narrows to a few candidates: they are all read at once.
    if (const Source source = sourceFor(m_db, f); source.narrowed()) {
        page.events = readPage(m_db, f, source);
        if (page.events.size() >= limit) {
            page.nextBeforeTime = page.events.constLast().occurredAt;
            page.nextBeforeId = page.events.constLast().id;
        } else {
            page.exhausted = true;
        }
        return page;
    }
    // Where the scan ends: the oldest event the indexed filters allow (cheap:
    // MIN/MAX over an index), or the since bound.
    AuditQuery indexed = f;
    indexed.text.clear();
    indexed.beforeTime = 0;
    const auto [oldest, newest] = timeSpan(indexed);
    if (newest == 0)
        return page; // no candidate at all
    const qint64 floor = std::max(f.since, oldest);
    qint64 hi = newest + 1;
    if (f.until > 0)
        hi = std::min(hi, f.until);
    if (f.beforeTime > 0)
        hi = std::min(hi, f.beforeTime + 1);

    QElapsedTimer clock;
    clock.start();
    bool first = true;
    for (;;) {
        const qint64 lo = sliceStart(f, floor, hi, std::max(sliceRows, 1));
        AuditQuery slice = f;
        slice.since = lo;
        slice.limit = limit - int(page.events.size());
        if (!first) {
            // Everything at or after the previous lo was scanned.
            slice.until = hi;
            slice.beforeTime = 0;
            slice.beforeId = 0;
        }
        first = false;
        const QList<AuditEvent> found = readPage(m_db, slice, Source());
        page.events.append(found);
        if (page.events.size() >= limit) {
            page.nextBeforeTime = page.events.constLast().occurredAt;
            page.nextBeforeId = page.events.constLast().id;
            return page;
        }
        if (lo <= floor) {
            page.exhausted = true;
            return page;
        }
        hi = lo;
        if ((stop && stop()) || (budgetMs > 0 && clock.elapsed() >= budgetMs)) {
            // Continue strictly before hi: (hi, id 0) excludes every event at hi.
            page.nextBeforeTime = hi;
            page.nextBeforeId = 0;
            return page;
        }
    }
}

qint64 AuditLog::sliceStart(const AuditQuery &f, qint64 floor, qint64 hi, int sliceRows) const
{
    // The time of the sliceRows-th newest candidate below hi, found by
    // stepping that far along the index the indexed filters use (a bounded
    // OFFSET to size a slice, not to page). A slice thus holds about that many
    // rows for the text to be matched against, however dense or sparse that
    // stretch of the log is: each query stays short, so a scan can stop soon.
    AuditQuery candidates = f;
    candidates.text.clear();
    candidates.beforeTime = 0;
    candidates.beforeId = 0;
    candidates.since = floor;
    candidates.until = hi;
    const Where where(candidates, m_db.sql());
    SqlQuery q(m_db, QStringLiteral("SELECT occurred_at FROM audit_events%1 ORDER BY occurred_at DESC, id DESC LIMIT 1 OFFSET :skip").arg(where.sql()));
    where.bindTo(q);
    q.bind(QStringLiteral(":skip"), sliceRows);
    q.exec();
    return q.next() ? std::max(floor, q.value(0).toLongLong()) : floor;
}

namespace {

// The chart's stacks, counted the same way from events (each row weighs 1)
// and from the rollup (each row weighs its events). Keep them in step with
// the kinds AuthService, PatService and the admin API write.
QString histogramSql(QLatin1String time, QLatin1String total, QLatin1String weight, const QString &from, const QString &where)
{
    return QStringLiteral("SELECT (%1 - :origin) / :bucket, %2, "
                          "SUM(CASE WHEN kind = 'login.failure' THEN %3 ELSE 0 END), "
                          "SUM(CASE WHEN kind <> 'login.failure' AND (outcome IN ('denied', 'failure') "
                          "OR kind IN ('admin.denied', 'pat.denied')) THEN %3 ELSE 0 END) "
                          "%4%5 GROUP BY 1 ORDER BY 1")
        .arg(time, total, weight, from, where);
}

QList<AuditBucket> readBuckets(SqlQuery &q, qint64 origin, qint64 bucketMs)
{
    QList<AuditBucket> out;
    while (q.next()) {
        AuditBucket b;
        b.start = origin + q.value(0).toLongLong() * bucketMs;
        b.total = q.value(1).toLongLong();
        b.failedSignIns = q.value(2).toLongLong();
        b.denied = q.value(3).toLongLong();
        out.append(b);
    }
    return out;
}

// The GROUP BY over the events themselves: any filter, any bucket.
QList<AuditBucket> eventBuckets(const Database &db, const AuditQuery &bounded, qint64 origin, qint64 bucketMs)
{
    const Where where(bounded, db.sql(), true, false);
    const Source source = sourceFor(db, bounded);
    SqlQuery q(db, source.with + histogramSql(QLatin1String("occurred_at"), QLatin1String("COUNT(*)"), QLatin1String("1"), source.from, where.sql()));
    q.bind(QStringLiteral(":origin"), origin).bind(QStringLiteral(":bucket"), bucketMs);
    source.bindTo(q);
    where.bindTo(q);
    q.exec();
    return readBuckets(q, origin, bucketMs);
}

// The same from audit_rollup, for the hours in [fromHour, toHour) (toHour 0:
// no end). Only the filters the rollup has columns for may be set.
QList<AuditBucket> rollupBuckets(const Database &db, const AuditQuery &bounded, qint64 fromHour, qint64 toHour, qint64 origin, qint64 bucketMs)
{
    AuditQuery columns = bounded;
    columns.since = 0;
    columns.until = 0;
    const Where where(columns, db.sql(), true, false);
    QString sql = where.sql() + QStringLiteral(" AND hour_start >= :from_hour");
    if (toHour > 0)
        sql += QStringLiteral(" AND hour_start < :to_hour");
    SqlQuery q(db, histogramSql(QLatin1String("hour_start"), QLatin1String("SUM(events)"), QLatin1String("events"), QStringLiteral(" FROM audit_rollup"), sql));
    q.bind(QStringLiteral(":origin"), origin).bind(QStringLiteral(":bucket"), bucketMs).bind(QStringLiteral(":from_hour"), fromHour);
    if (toHour > 0)
        q.bind(QStringLiteral(":to_hour"), toHour);
    where.bindTo(q);
    q.exec();
    return readBuckets(q, origin, bucketMs);
}

// The rollup can answer exactly when its columns hold every filter and each
// bucket is made of whole hours.
bool rollupServes(const AuditQuery &f, qint64 origin, qint64 bucketMs)
{
    return f.actor.isEmpty() && f.targetId.isEmpty() && f.text.trimmed().isEmpty() && origin >= 0 && origin % kRollupHourMs == 0
        && bucketMs % kRollupHourMs == 0;
}

} // namespace

QList<AuditBucket> AuditLog::histogram(const AuditQuery &f, qint64 origin, qint64 bucketMs) const
{
    bucketMs = std::max<qint64>(bucketMs, 1);
    AuditQuery bounded = f;
    bounded.since = std::max(f.since, origin);
    // Whole hours from the rollup; the events of a partial hour at either end
    // of the range from audit_events (at most an hour of events each).
    const qint64 fromHour = rollupHour(bounded.since + kRollupHourMs - 1);
    const qint64 toHour = bounded.until > 0 ? rollupHour(bounded.until) : 0;
    if (!rollupServes(bounded, origin, bucketMs) || (bounded.until > 0 && fromHour >= toHour))
        return eventBuckets(m_db, bounded, origin, bucketMs);

    QMap<qint64, AuditBucket> merged;
    const auto add = [&merged](const QList<AuditBucket> &buckets) {
        for (const AuditBucket &b : buckets) {
            AuditBucket &into = merged[b.start];
            into.start = b.start;
            into += b;
        }
    };
    if (bounded.since < fromHour) {
        AuditQuery head = bounded;
        head.until = fromHour;
        add(eventBuckets(m_db, head, origin, bucketMs));
    }
    add(rollupBuckets(m_db, bounded, fromHour, toHour, origin, bucketMs));
    if (bounded.until > toHour) {
        AuditQuery tail = bounded;
        tail.since = toHour;
        add(eventBuckets(m_db, tail, origin, bucketMs));
    }
    return merged.values();
}

std::pair<qint64, qint64> AuditLog::timeSpan(const AuditQuery &f) const
{
    const Where where(f, m_db.sql());
    const Source source = sourceFor(m_db, f);
    // One aggregate a statement: SQLite answers a lone MIN or MAX with one
    // index seek, but MIN and MAX together with a walk over every matching
    // entry (5 s for a realm of 10M events).
    const auto bound = [&](const char *aggregate) -> std::optional<qint64> {
        SqlQuery q(m_db, QStringLiteral("%1SELECT %2(occurred_at)%3%4").arg(source.with, QLatin1String(aggregate), source.from, where.sql()));
        source.bindTo(q);
        where.bindTo(q);
        q.exec();
        if (!q.next() || q.value(0).isNull())
            return std::nullopt;
        return q.value(0).toLongLong();
    };
    const std::optional<qint64> oldest = bound("MIN");
    if (!oldest)
        return {0, 0};
    return {*oldest, bound("MAX").value_or(*oldest)};
}

std::optional<AuditEvent> AuditLog::event(qint64 id) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT %1 FROM audit_events WHERE id = :id").arg(kColumns));
    q.bind(QStringLiteral(":id"), id).exec();
    if (!q.next())
        return std::nullopt;
    return eventFromRow(q);
}

qint64 AuditLog::countSince(const QStringList &realmIds, qint64 since) const
{
    AuditQuery f;
    f.realmIds = realmIds;
    f.since = std::max<qint64>(since, 1);
    const Where where(f, m_db.sql());
    SqlQuery q(m_db, QStringLiteral("SELECT COUNT(*) FROM audit_events%1").arg(where.sql()));
    where.bindTo(q);
    q.exec();
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace authrealm
