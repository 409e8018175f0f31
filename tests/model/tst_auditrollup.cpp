// The hourly audit rollup behind the chart (schema v10): the histogram it
// serves against a C++ oracle over the recorded events, for aligned and
// unaligned ranges and every filter it takes; the fallback to the events for
// filters and buckets it cannot serve; and the rollup staying exact through
// prune, retention, a failed prune and the migration that fills it — on every
// backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "domain/RealmSettings.h"
#include "storage/Migrations.h"
#include "storage/Sql.h"

#include <QMap>
#include <QTemporaryDir>
#include <QTest>

using namespace authrealm;
using namespace authrealm::test;

Q_DECLARE_METATYPE(AuditQuery)

namespace {

constexpr qint64 kHour = 3'600'000;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kStart = 1'767'225'600'000; // 2026-01-01T00:00:00Z
constexpr int kEvents = 1500;                // about 20 an hour over three days

const QString kAcme = QStringLiteral("acme");
const QString kGlobex = QStringLiteral("globex");
const QString kInitech = QStringLiteral("initech");

// Event i: three realms, three apps (one none), six kinds and three outcomes
// in every combination (so every category of the chart), about three minutes apart; every 50th exactly on an hour's start and every
// 50th one millisecond before an hour's end, so both edges of an hour are hit.
AuditEvent fixtureEvent(int i)
{
    static const char *const realms[] = {"acme", "globex", "initech"};
    static const char *const apps[] = {"shop", "blog", ""};
    static const char *const kinds[] = {"login.failure", "login.success", "pat.denied", "admin.denied", "refresh.failure", "admin.user.created"};
    static const char *const outcomes[] = {"success", "failure", "denied"};
    AuditEvent e = AuditEvent::of(QLatin1String(realms[i % 3]), QLatin1String(kinds[(i * 5 + i / 7) % 6]), QStringLiteral("user:u-%1").arg(i % 4),
                                  QLatin1String(outcomes[(i / 2 + i / 11) % 3]))
                       .inApp(QLatin1String(apps[(i / 3) % 3]))
                       .target(QStringLiteral("user"), QStringLiteral("u-%1").arg(i % 5))
                       .says(QStringLiteral("event %1").arg(i));
    e.occurredAt = kStart + 17 + qint64(i) * 173'123;
    if (i % 50 == 0)
        e.occurredAt -= e.occurredAt % kHour;
    else if (i % 50 == 1)
        e.occurredAt += kHour - 1 - e.occurredAt % kHour;
    return e;
}

// Every stored event's rollup columns, for the oracle after a prune.
QList<AuditEvent> storedEvents(const Database &db)
{
    SqlQuery q(db, QStringLiteral("SELECT realm_id, app_id, occurred_at, kind, actor, target_id, outcome FROM audit_events"));
    q.exec();
    QList<AuditEvent> out;
    while (q.next()) {
        AuditEvent e = AuditEvent::of(q.value(0).toString(), q.value(3).toString(), q.value(4).toString(), q.value(6).toString())
                           .inApp(q.value(1).toString())
                           .target(QStringLiteral("user"), q.value(5).toString());
        e.occurredAt = q.value(2).toLongLong();
        out.append(e);
    }
    return out;
}

// Records the fixture; returns every stored event, the core's own from its
// first start included.
QList<AuditEvent> recordFixture(const AuthRealmCore &core)
{
    QList<AuditEvent> events = storedEvents(core.database());
    Transaction tx(core.database());
    for (int i = 0; i < kEvents; ++i) {
        events.append(fixtureEvent(i));
        core.audit().record(events.constLast());
    }
    tx.commit();
    return events;
}

// The filter semantics, independently of SQL (no free text here).
bool matches(const AuditQuery &f, const AuditEvent &e)
{
    return (f.realmIds.isEmpty() || f.realmIds.contains(e.realmId)) && (f.kinds.isEmpty() || f.kinds.contains(e.kind))
        && (f.appId.isEmpty() || e.appId == f.appId) && (f.actor.isEmpty() || e.actor == f.actor)
        && (f.targetId.isEmpty() || e.targetId == f.targetId) && (f.outcome.isEmpty() || e.outcome == f.outcome)
        && (f.since <= 0 || e.occurredAt >= f.since) && (f.until <= 0 || e.occurredAt < f.until);
}

// The chart's buckets as the README defines them.
QList<AuditBucket> oracle(const QList<AuditEvent> &events, const AuditQuery &f, qint64 origin, qint64 bucket)
{
    QMap<qint64, AuditBucket> buckets;
    for (const AuditEvent &e : events) {
        if (!matches(f, e) || e.occurredAt < origin)
            continue;
        const qint64 start = origin + (e.occurredAt - origin) / bucket * bucket;
        AuditBucket &b = buckets[start];
        b.start = start;
        ++b.total;
        if (e.kind == u"login.failure")
            ++b.failedSignIns;
        else if (e.outcome == u"denied" || e.outcome == u"failure" || e.kind == u"admin.denied" || e.kind == u"pat.denied")
            ++b.denied;
    }
    return buckets.values();
}

// Buckets as text, for readable failures.
QString describe(const QList<AuditBucket> &buckets)
{
    QStringList out;
    for (const AuditBucket &b : buckets)
        out.append(QStringLiteral("%1:%2/%3/%4").arg(b.start).arg(b.total).arg(b.failedSignIns).arg(b.denied));
    return out.join(u' ');
}

QString expectedBuckets(const QList<AuditEvent> &events, const AuditQuery &f, qint64 origin, qint64 bucket)
{
    return describe(oracle(events, f, origin, bucket));
}

QStringList rows(const Database &db, const QString &sql)
{
    SqlQuery q(db, sql);
    q.exec();
    QStringList out;
    while (q.next()) {
        out.append(QStringList{q.value(0).toString(), QString::number(q.value(1).toLongLong()), q.value(2).toString(), q.value(3).toString(),
                               q.value(4).toString(), QString::number(q.value(5).toLongLong())}
                       .join(u' '));
    }
    return out;
}

// The rollup as stored, and as a GROUP BY over the events says it should be.
QStringList rollupRows(const Database &db)
{
    return rows(db, QStringLiteral("SELECT realm_id, hour_start, app_id, kind, outcome, events FROM audit_rollup ORDER BY 1, 2, 3, 4, 5"));
}
QStringList eventRows(const Database &db)
{
    return rows(db, QStringLiteral("SELECT realm_id, occurred_at - occurred_at % 3600000, app_id, kind, outcome, COUNT(*) "
                                   "FROM audit_events GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"));
}

qint64 eventCount(const Database &db)
{
    SqlQuery q(db, QStringLiteral("SELECT COUNT(*) FROM audit_events"));
    q.exec();
    return q.next() ? q.value(0).toLongLong() : -1;
}

AuditQuery realms(const QStringList &ids)
{
    AuditQuery q;
    q.realmIds = ids;
    return q;
}

} // namespace

class tst_AuditRollup : public QObject
{
    Q_OBJECT

    std::unique_ptr<ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

    // The recorded fixture the histogram rows only read, made once per backend.
    struct Recorded
    {
        QString backend;
        ScratchDatabase scratch;
        ManualClock clock{kStart + 10 * kDay};
        std::unique_ptr<AuthRealmCore> core;
        QList<AuditEvent> events;
    };
    std::unique_ptr<Recorded> m_recorded;

    Recorded &recorded()
    {
        if (!m_recorded || m_recorded->backend != currentBackend()) {
            m_recorded.reset();
            m_recorded = std::make_unique<Recorded>();
            m_recorded->backend = currentBackend();
            m_recorded->core = std::make_unique<AuthRealmCore>(coreOptions(m_recorded->scratch.config(), &m_recorded->clock));
            m_recorded->events = recordFixture(*m_recorded->core);
        }
        return *m_recorded;
    }

    void open()
    {
        m_clock = std::make_unique<ManualClock>(kStart + 10 * kDay);
        m_core = std::make_unique<AuthRealmCore>(coreOptions(m_scratch->config(), m_clock.get()));
    }
    const Database &db() const { return m_core->database(); }

    // The rollup equals the events, and the chart of each realm (whole days,
    // served from the rollup) equals the oracle over what is stored.
    void checkRollupExact()
    {
        QCOMPARE(rollupRows(db()), eventRows(db()));
        const QList<AuditEvent> stored = storedEvents(db());
        for (const QString &realm : {kAcme, kGlobex, kInitech}) {
            const AuditQuery f = realms({realm});
            QCOMPARE(describe(m_core->audit().histogram(f, kStart - kDay, kDay)), expectedBuckets(stored, f, kStart - kDay, kDay));
        }
    }

private slots:
    void initTestCase_data() { addBackendRows(); }
    void init() { m_scratch = std::make_unique<ScratchDatabase>(); }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }
    void cleanupTestCase() { m_recorded.reset(); }

    void histogramMatchesTheEvents_data()
    {
        QTest::addColumn<AuditQuery>("filter");
        QTest::addColumn<qint64>("origin");
        QTest::addColumn<qint64>("bucket");
        const auto row = [](const char *name, const AuditQuery &f, qint64 origin, qint64 bucket) {
            QTest::newRow(name) << f << origin << bucket;
        };
        AuditQuery q;
        row("all realms, hourly", q, kStart, kHour);
        row("all realms, origin before the data", q, kStart - 3 * kDay, kDay);
        row("all realms, weekly", q, kStart - kStart % (7 * kDay), 7 * kDay);
        row("one realm, 6 h", realms({kAcme}), kStart, 6 * kHour);
        row("two realms, daily", realms({kAcme, kGlobex}), kStart, kDay);
        q = realms({kAcme});
        q.kinds = {QStringLiteral("login.failure"), QStringLiteral("pat.denied")};
        row("kinds", q, kStart, kHour);
        q = realms({kGlobex});
        q.appId = QStringLiteral("shop");
        row("app", q, kStart, 6 * kHour);
        q = AuditQuery();
        q.outcome = QStringLiteral("denied");
        row("outcome", q, kStart, kDay);
        q = realms({kInitech});
        q.kinds = {QStringLiteral("admin.denied")};
        q.appId = QStringLiteral("blog");
        q.outcome = QStringLiteral("success");
        row("kind, app and outcome", q, kStart, kHour);
        q = realms({kAcme});
        q.since = kStart + 5 * kHour;
        q.until = kStart + 40 * kHour;
        row("aligned since and until", q, kStart, kHour);
        q.since = kStart + 5 * kHour + 17 * 60'000 + 3;
        q.until = kStart + 40 * kHour + 123;
        row("unaligned since and until, hourly", q, kStart, kHour);
        row("unaligned since and until, 6 h", q, kStart, 6 * kHour);
        row("unaligned since and until, daily", q, kStart - kDay, kDay);
        q.until = 0;
        row("unaligned since, no until", q, kStart, 6 * kHour);
        q.since = 0;
        q.until = kStart + 2 * kDay + kHour - 1;
        row("no since, unaligned until", q, kStart, 3 * kHour);
        q.since = kStart + 30 * kHour + 1;
        q.until = kStart + 30 * kHour + kHour - 1;
        row("within one hour", q, kStart, kHour);
        q.until = kStart + 31 * kHour + 5;
        row("across one hour boundary, no whole hour", q, kStart, kHour);
        q.since = kStart + 30 * kHour - 1;
        q.until = kStart + 31 * kHour + 1;
        row("one whole hour and a millisecond either side", q, kStart, kHour);
        q = AuditQuery();
        q.since = kStart + kDay + 1;
        row("since after origin, all realms", q, kStart, kDay);
        q = realms({kGlobex});
        row("origin on an hour but not the bucket's multiple", q, kStart + 5 * kHour, 6 * kHour);
        // What the rollup cannot answer: the events are counted instead.
        q = realms({kAcme});
        q.actor = QStringLiteral("user:u-1");
        row("fallback: actor", q, kStart, kHour);
        q = realms({kAcme});
        q.targetId = QStringLiteral("u-2");
        row("fallback: target", q, kStart, kDay);
        row("fallback: 15-minute buckets", realms({kAcme}), kStart, 15 * 60'000);
        row("fallback: origin off the hour", realms({kGlobex}), kStart + 1234, kHour);
        row("fallback: 90-minute buckets", realms({kGlobex}), kStart, 90 * 60'000);
        q = realms({kAcme});
        q.actor = QStringLiteral("user:u-3");
        q.since = kStart + 3 * kHour + 7;
        q.until = kStart + 20 * kHour + 7;
        row("fallback: actor, 15-minute buckets, unaligned range", q, kStart, 15 * 60'000);
    }
    void histogramMatchesTheEvents()
    {
        QFETCH(AuditQuery, filter);
        QFETCH(qint64, origin);
        QFETCH(qint64, bucket);
        const Recorded &r = recorded();
        const AuditLog &audit = r.core->audit();
        QCOMPARE(rollupRows(r.core->database()), eventRows(r.core->database()));
        const QString expected = expectedBuckets(r.events, filter, origin, bucket);
        QVERIFY(!expected.isEmpty());
        QCOMPARE(describe(audit.histogram(filter, origin, bucket)), expected);
        // The chart asks in pieces of whole buckets (AuditView::refreshChart): they add up to the same.
        QList<AuditBucket> pieces;
        const qint64 end = filter.until > 0 ? filter.until : r.clock.nowMs() + 1;
        const qint64 span = 5 * bucket;
        for (qint64 from = std::max(origin, filter.since); from < end;) {
            const qint64 next = origin + ((from - origin) / span + 1) * span;
            AuditQuery piece = filter;
            piece.since = from;
            piece.until = std::min(end, next);
            pieces.append(audit.histogram(piece, origin, bucket));
            from = next;
        }
        QCOMPARE(describe(pieces), expected);
    }

    // Proves which path answers: a row added to the rollup behind the log's
    // back shows in what the rollup serves and nowhere else.
    void chartReadsTheRollupOnlyWhenItCanBeExact()
    {
        open();
        const QList<AuditEvent> events = recordFixture(*m_core);
        SqlQuery(db(), QStringLiteral("INSERT INTO audit_rollup (realm_id, hour_start, app_id, kind, outcome, events) "
                                      "VALUES ('acme', :h, 'shop', 'login.failure', 'failure', 1000) "
                                      "ON CONFLICT (realm_id, hour_start, app_id, kind, outcome) DO UPDATE SET events = audit_rollup.events + 1000"))
            .bind(QStringLiteral(":h"), kStart + 10 * kHour)
            .exec();
        const AuditQuery acme = realms({kAcme});
        QList<AuditBucket> inflated = oracle(events, acme, kStart, kDay);
        inflated.first().total += 1000;
        inflated.first().failedSignIns += 1000;
        QCOMPARE(describe(m_core->audit().histogram(acme, kStart, kDay)), describe(inflated));
        AuditQuery actor = acme;
        actor.actor = QStringLiteral("user:u-1");
        QCOMPARE(describe(m_core->audit().histogram(actor, kStart, kDay)), expectedBuckets(events, actor, kStart, kDay));
        QCOMPARE(describe(m_core->audit().histogram(acme, kStart, 15 * 60'000)), expectedBuckets(events, acme, kStart, 15 * 60'000));
        AuditQuery partial = acme;
        partial.since = kStart + 10 * kHour + 1;
        partial.until = kStart + 11 * kHour;
        QCOMPARE(describe(m_core->audit().histogram(partial, kStart, kHour)), expectedBuckets(events, partial, kStart, kHour));
    }

    void pruneKeepsTheRollupExact_data()
    {
        QTest::addColumn<qint64>("cutoff");
        QTest::addColumn<bool>("archive");
        QTest::addColumn<qint64>("maxEvents");
        QTest::newRow("hour-aligned cutoff") << kStart + 20 * kHour << false << qint64(0);
        QTest::newRow("mid-hour cutoff") << kStart + 20 * kHour + 1'234'567 << false << qint64(0);
        QTest::newRow("with archive") << kStart + kDay + 7 << true << qint64(0);
        QTest::newRow("at most 37 events") << kStart + 2 * kDay << false << qint64(37);
        QTest::newRow("at most 37 events, archived") << kStart + 2 * kDay << true << qint64(37);
        QTest::newRow("everything") << kStart + 10 * kDay << false << qint64(0);
        QTest::newRow("nothing due") << kStart << false << qint64(0);
    }
    void pruneKeepsTheRollupExact()
    {
        QFETCH(qint64, cutoff);
        QFETCH(bool, archive);
        QFETCH(qint64, maxEvents);
        open();
        recordFixture(*m_core);
        QTemporaryDir dir;
        const qint64 before = eventCount(db());
        const PruneResult r = m_core->audit().prune(kAcme, cutoff, archive ? dir.filePath(QStringLiteral("acme.jsonl")) : QString(), maxEvents);
        if (maxEvents > 0)
            QCOMPARE(r.eventsRemoved, maxEvents);
        QCOMPARE(eventCount(db()), before - r.eventsRemoved + (r.eventsRemoved > 0 ? 1 : 0)); // + the audit.pruned event
        checkRollupExact();
        // Again, now from the anchor on.
        (void)m_core->audit().prune(kGlobex, cutoff + kHour, QString(), maxEvents);
        (void)m_core->audit().prune(kAcme, cutoff + kHour, QString(), maxEvents);
        checkRollupExact();
        QVERIFY(m_core->audit().verify(kAcme).intact);
    }

    void retentionKeepsTheRollupExact()
    {
        open();
        m_core->realms().createRealm(Realm{kAcme, QStringLiteral("Acme"), 1});
        m_core->realms().createRealm(Realm{kGlobex, QStringLiteral("Globex"), 1});
        recordFixture(*m_core);
        RealmSettings settings;
        settings.set(QStringLiteral("auditRetentionDays"), QVariant(9)); // now is day 10: keeps from day 1 on
        m_core->realms().saveSettings(kGlobex, settings);
        const QList<RetentionRun> runs = m_core->audit().applyRetention(m_core->realms());
        QCOMPARE(runs.size(), 1);
        QVERIFY2(runs.first().error.isEmpty(), qPrintable(runs.first().error));
        QVERIFY(runs.first().eventsRemoved > 100);
        checkRollupExact();
    }

    void failedPruneChangesNothing()
    {
        open();
        recordFixture(*m_core);
        const QStringList rollup = rollupRows(db());
        const qint64 events = eventCount(db());
        // Rolled back by the caller after the rows and their counts went.
        {
            Transaction tx(db());
            const PruneResult r = m_core->audit().prune(kAcme, kStart + kDay, QString());
            QVERIFY(r.eventsRemoved > 0);
            QVERIFY(rollupRows(db()) != rollup);
        }
        QCOMPARE(rollupRows(db()), rollup);
        QCOMPARE(eventCount(db()), events);
        // Refused before anything was deleted: an archive that cannot be written.
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(DomainError, m_core->audit().prune(kAcme, kStart + kDay, dir.filePath(QStringLiteral("no/such/dir.jsonl"))));
        QCOMPARE(rollupRows(db()), rollup);
        QCOMPARE(eventCount(db()), events);
        checkRollupExact();
    }

    // A database from before the rollup: the migration counts what is there,
    // rows from before the chain (schema v1) included, and the log goes on
    // from there.
    void migrationFillsTheRollup()
    {
        QList<AuditEvent> events;
        {
            Database old(m_scratch->config());
            Migrations::apply(old, 8);
            QCOMPARE(old.schemaVersion(), 8);
            for (int i = 0; i < 300; ++i) {
                AuditEvent e = fixtureEvent(i);
                SqlQuery(old, QStringLiteral("INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, target_id, outcome, summary) "
                                             "VALUES (:r, :a, :t, :k, :ac, :ti, :o, 'before the rollup')"))
                    .bind(QStringLiteral(":r"), e.realmId)
                    .bind(QStringLiteral(":a"), e.appId)
                    .bind(QStringLiteral(":t"), e.occurredAt)
                    .bind(QStringLiteral(":k"), e.kind)
                    .bind(QStringLiteral(":ac"), e.actor)
                    .bind(QStringLiteral(":ti"), e.targetId)
                    .bind(QStringLiteral(":o"), e.outcome)
                    .exec();
                events.append(e);
            }
        }
        open();
        QCOMPARE(db().schemaVersion(), Migrations::latestVersion());
        QCOMPARE(rollupRows(db()), eventRows(db()));
        QVERIFY(rollupRows(db()).size() > 100);
        for (int i = 300; i < 600; ++i) {
            events.append(fixtureEvent(i));
            m_core->audit().record(events.constLast());
        }
        QCOMPARE(rollupRows(db()), eventRows(db()));
        for (const AuditQuery &f : {realms({kAcme, kGlobex, kInitech}), realms({kAcme})})
            QCOMPARE(describe(m_core->audit().histogram(f, kStart, 6 * kHour)), expectedBuckets(events, f, kStart, 6 * kHour));
        // The unchained rows are pruned with their counts. The first chained
        // acme event (i = 300) lies at 14:00, where the prune stops.
        const qint64 cutoff = kStart + 14 * kHour;
        QCOMPARE(events.at(300).occurredAt, cutoff);
        const PruneResult r = m_core->audit().prune(kAcme, cutoff, QString());
        const auto legacyDue = [&](const AuditEvent &e) { return e.realmId == kAcme && e.occurredAt < cutoff; };
        QCOMPARE(r.unchainedRemoved, qint64(std::count_if(events.cbegin(), events.cbegin() + 300, legacyDue)));
        QVERIFY(r.unchainedRemoved > 50);
        QCOMPARE(r.eventsRemoved, 0);
        checkRollupExact();
    }
};

QTEST_GUILESS_MAIN(tst_AuditRollup)
#include "tst_auditrollup.moc"
