// The audit log's free-text index (AuditTextIndex): when it narrows a search
// and when it leaves it to the scan, that it follows appends, prunes and
// edits, and that the indexer thread catches up — on every backend. What a
// text filter finds is checked against an oracle in tst_auditbrowser, with
// the index empty, half filled and full.
#include "AuditFixture.h"
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "storage/AuditTextIndex.h"
#include "storage/AuditTextIndexer.h"

#include <QTest>

using namespace authrealm;
using namespace authrealm::test;

class tst_AuditText : public QObject
{
    Q_OBJECT

    std::unique_ptr<SeededAudit> m_seeded;
    AuthRealmCore *m_core = nullptr;

    [[nodiscard]] bool sqlite() const { return m_core->database().dialect() == Dialect::SQLite; }
    [[nodiscard]] AuditTextIndex index() const { return AuditTextIndex(m_core->database()); }

    QList<qint64> idsMatching(const QString &text)
    {
        AuditQuery f;
        f.text = text;
        f.limit = 1000;
        QList<qint64> ids;
        for (const AuditEvent &e : m_core->audit().query(f))
            ids.append(e.id);
        return ids;
    }

    // SQLite's own check that the index holds exactly the table's rows; only
    // meaningful once every row is indexed.
    void verifyIndexMatchesTable()
    {
        if (!sqlite())
            return;
        QCOMPARE(index().backlog(), 0);
        SqlQuery(m_core->database(), QStringLiteral("INSERT INTO audit_text (audit_text, rank) VALUES ('integrity-check', 1)")).exec();
    }

private slots:
    void initTestCase_data() { addBackendRows(); }
    void init()
    {
        m_seeded = std::make_unique<SeededAudit>();
        m_core = &m_seeded->core;
    }
    void cleanup()
    {
        m_core = nullptr;
        m_seeded.reset();
    }

    void narrowsRareTextOnly_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("maxCandidates");
        QTest::addColumn<bool>("narrowed");
        QTest::newRow("rare word") << QStringLiteral("HYPERLINK") << 50 << true;
        QTest::newRow("text that no event holds") << QStringLiteral("no such text") << 50 << true;
        QTest::newRow("common word, over the limit") << QStringLiteral("event number") << 50 << false;
        QTest::newRow("common word, under a higher limit") << QStringLiteral("event number") << 1000 << true;
        QTest::newRow("two characters") << QStringLiteral("u-") << 50 << false;
        QTest::newRow("blank") << QStringLiteral("   ") << 50 << false;
    }
    void narrowsRareTextOnly()
    {
        QFETCH(QString, text);
        QFETCH(int, maxCandidates);
        QFETCH(bool, narrowed);
        index().catchUp();
        // PostgreSQL decides by the planner's estimate, which needs statistics.
        SqlQuery(m_core->database(), QStringLiteral("ANALYZE audit_events")).exec();
        // PostgreSQL must have its pg_trgm index (scripts/test.sh's cluster
        // has the extension): without it nothing would be narrowed there.
        QCOMPARE(index().candidates(text, maxCandidates).has_value(), narrowed);
    }

    void postgresNeedsAWordOfThree()
    {
        if (sqlite())
            QSKIP("pg_trgm only");
        // pg_trgm reads trigrams from runs of letters and digits only.
        QVERIFY(!index().candidates(QStringLiteral("u-1 u-2")).has_value());
        QVERIFY(!index().candidates(QStringLiteral("%_%\\")).has_value());
        QVERIFY(index().candidates(QStringLiteral("u-12 user")).has_value());
    }

    void sqliteFillsBehindTheAppends()
    {
        if (!sqlite())
            QSKIP("PostgreSQL maintains its index itself");
        const qint64 seeded = index().backlog(); // the fixture and what creating the core recorded
        QVERIFY(seeded >= kAuditEvents + 20);
        QCOMPARE(index().catchUp(0, 50, 2), 100);
        QCOMPARE(index().backlog(), seeded - 100);
        QCOMPARE(index().catchUp(0, 50), seeded - 100);
        QCOMPARE(index().backlog(), 0);
        QCOMPARE(index().catchUp(), 0);
        verifyIndexMatchesTable();

        // A new event is found at once, indexed or not.
        m_core->audit().record(AuditEvent::of(QStringLiteral("acme"), QStringLiteral("login.failure"), QStringLiteral("user:zebra"),
                                              QStringLiteral("denied")).says(QStringLiteral("fresh zebra")));
        QCOMPARE(idsMatching(QStringLiteral("ZEBRA")).size(), 1);
        QCOMPARE(index().backlog(), 1);
        index().catchUp();
        QCOMPARE(idsMatching(QStringLiteral("ZEBRA")).size(), 1);
        verifyIndexMatchesTable();
    }

    void followsPrunes()
    {
        index().catchUp(0, 100, 1); // part indexed, part not: the prune removes from both
        const QList<qint64> before = idsMatching(QStringLiteral("event number 1"));
        QVERIFY(before.size() > 10);
        const PruneResult pruned = m_core->audit().prune(QStringLiteral("acme"), kAuditStart + 150 * kAuditHour, QString());
        QCOMPARE(pruned.eventsRemoved, 150);
        QList<qint64> expected;
        for (int i = kAuditEvents - 1; i >= 150; --i) {
            if (auditFixtureEvent(i).summary.startsWith(QLatin1String("event number 1")))
                expected.append(i);
        }
        QCOMPARE(idsMatching(QStringLiteral("event number 1")).size(), expected.size());
        index().catchUp();
        QCOMPARE(idsMatching(QStringLiteral("event number 1")).size(), expected.size());
        verifyIndexMatchesTable();
    }

    void followsEditsBehindTheLogsBack()
    {
        index().catchUp();
        // Rows are never edited by AuthRealm, but a tampered row must still be
        // found by what it says now, and not by what it said.
        SqlQuery(m_core->database(), QStringLiteral("UPDATE audit_events SET summary = 'rewritten by hand' WHERE summary = 'event number 42'")).exec();
        QCOMPARE(idsMatching(QStringLiteral("event number 42")).size(), 0);
        QCOMPARE(idsMatching(QStringLiteral("rewritten by")).size(), 1);
        verifyIndexMatchesTable();
        SqlQuery(m_core->database(), QStringLiteral("DELETE FROM audit_events WHERE summary = 'rewritten by hand'")).exec();
        QCOMPARE(idsMatching(QStringLiteral("rewritten by")).size(), 0);
        verifyIndexMatchesTable();
    }

    void quotesAndBackslashesAreText()
    {
        // PostgreSQL's planner estimate takes the text as an escaped literal.
        const QString said = QStringLiteral("O'Brien typed C:\\temp\\100%_done'; DROP TABLE audit_events; --");
        m_core->audit().record(AuditEvent::of(QStringLiteral("acme"), QStringLiteral("login.failure"), QStringLiteral("user:ob"),
                                              QStringLiteral("denied")).says(said));
        index().catchUp();
        SqlQuery(m_core->database(), QStringLiteral("ANALYZE audit_events")).exec();
        QCOMPARE(idsMatching(QStringLiteral("o'brien TYPED c:\\temp\\100%_DONE'; drop")).size(), 1);
        QCOMPARE(idsMatching(QStringLiteral("\\temp\\100")).size(), 1);
        QCOMPARE(idsMatching(QStringLiteral("O''Brien")).size(), 0);
        QCOMPARE(idsMatching(QStringLiteral("temp\\1_0")).size(), 0);
        QVERIFY(m_core->audit().verify(QStringLiteral("acme")).intact);
    }

    void indexerThreadCatchesUp()
    {
        AuditTextIndexer indexer(m_core->database());
        indexer.start();
        QTRY_COMPARE_WITH_TIMEOUT(index().backlog(), 0, 10000);
        for (int i = 0; i < 30; ++i)
            m_core->audit().record(AuditEvent::of(QStringLiteral("acme"), QStringLiteral("login.success"), QStringLiteral("user:late"),
                                                  QStringLiteral("success")).says(QStringLiteral("late event %1").arg(i)));
        QTRY_COMPARE_WITH_TIMEOUT(index().backlog(), 0, 10000);
        indexer.stop();
        QCOMPARE(idsMatching(QStringLiteral("late event")).size(), 30);
        verifyIndexMatchesTable();
    }
};

QTEST_GUILESS_MAIN(tst_AuditText)
#include "tst_audittext.moc"
