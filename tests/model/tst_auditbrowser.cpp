// The audit browser's queries: every filter (incl. free text) against a C++
// oracle, free-text search in stoppable slices, the histogram behind the
// chart, and CSV/JSON export — on every backend.
#include "AuditFixture.h"
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "storage/AuditExport.h"
#include "storage/AuditTextIndex.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace authrealm;
using namespace authrealm::test;

Q_DECLARE_METATYPE(AuditQuery)

namespace {

// The filter semantics, independently of SQL.
bool matches(const AuditQuery &f, const AuditEvent &e)
{
    if (!f.realmIds.isEmpty() && !f.realmIds.contains(e.realmId))
        return false;
    if (!f.kinds.isEmpty() && !f.kinds.contains(e.kind))
        return false;
    if ((!f.appId.isEmpty() && e.appId != f.appId) || (!f.actor.isEmpty() && e.actor != f.actor)
        || (!f.targetId.isEmpty() && e.targetId != f.targetId) || (!f.outcome.isEmpty() && e.outcome != f.outcome))
        return false;
    if (f.since > 0 && e.occurredAt < f.since)
        return false;
    if (f.until > 0 && e.occurredAt >= f.until)
        return false;
    if (!f.text.isEmpty()) {
        const QString t = f.text.toLower();
        if (!e.summary.toLower().contains(t) && !e.kind.toLower().contains(t) && !e.actor.toLower().contains(t)
            && !e.targetId.toLower().contains(t))
            return false;
    }
    return true;
}

QList<qint64> timesOf(const QList<AuditEvent> &events)
{
    QList<qint64> out;
    for (const AuditEvent &e : events)
        out.append(e.occurredAt);
    return out;
}

QList<qint64> expectedTimes(const AuditQuery &f)
{
    QList<qint64> out;
    for (const int i : expectedFixtureRows([&](const AuditEvent &e) { return matches(f, e); }))
        out.append(auditFixtureEvent(i).occurredAt);
    return out;
}

AuditQuery acme()
{
    AuditQuery q;
    q.realmIds = {QStringLiteral("acme")};
    return q;
}

} // namespace

class tst_AuditBrowser : public QObject
{
    Q_OBJECT

    std::unique_ptr<SeededAudit> m_seeded;
    AuthRealmCore *m_core = nullptr;

    // Every page of a filter through the keyset cursor.
    QList<AuditEvent> allPages(AuditQuery f, int pageSize)
    {
        QList<AuditEvent> out;
        f.limit = pageSize;
        for (;;) {
            const QList<AuditEvent> page = m_core->audit().query(f);
            out.append(page);
            if (page.size() < pageSize)
                return out;
            f.beforeTime = page.constLast().occurredAt;
            f.beforeId = page.constLast().id;
        }
    }

    void checkFilter(const AuditQuery &filter, const QList<qint64> &expected)
    {
        QCOMPARE(timesOf(allPages(filter, 7)), expected);

        // search() stopped after every slice still finds the same, in order.
        QList<AuditEvent> sliced;
        AuditQuery page = filter;
        page.limit = 7;
        for (int guard = 0; guard < 10000; ++guard) {
            const AuditSearchPage found = m_core->audit().search(page, [] { return true; }, 0, 5);
            sliced.append(found.events);
            if (found.exhausted)
                break;
            page.beforeTime = found.nextBeforeTime;
            page.beforeId = found.nextBeforeId;
        }
        QCOMPARE(timesOf(sliced), expected);

        // The chart counts what the list shows.
        const qint64 origin = kAuditStart - kAuditHour;
        AuditQuery bounded = filter;
        bounded.since = std::max(filter.since, origin);
        qint64 total = 0;
        for (const AuditBucket &b : m_core->audit().histogram(bounded, origin, 6 * kAuditHour))
            total += b.total;
        QCOMPARE(total, qint64(expected.size()));
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

    void filters_data()
    {
        QTest::addColumn<AuditQuery>("filter");
        AuditQuery q = acme();
        QTest::newRow("realm only") << q;
        q = acme(); q.appId = QStringLiteral("shop");
        QTest::newRow("product") << q;
        q = acme(); q.kinds = {QStringLiteral("login.failure")};
        QTest::newRow("kind") << q;
        q = acme(); q.kinds = {QStringLiteral("pat.denied"), QStringLiteral("refresh.failure")};
        QTest::newRow("two kinds") << q;
        q = acme(); q.actor = QStringLiteral("user:u-3");
        QTest::newRow("actor") << q;
        q = acme(); q.targetId = QStringLiteral("u-4");
        QTest::newRow("target") << q;
        q = acme(); q.outcome = QStringLiteral("denied");
        QTest::newRow("outcome") << q;
        q = acme(); q.since = kAuditStart + 50 * kAuditHour; q.until = kAuditStart + 80 * kAuditHour;
        QTest::newRow("time range") << q;
        q = acme(); q.text = QStringLiteral("NUMBER 1");
        QTest::newRow("text, case-insensitive") << q;
        q = acme(); q.text = QStringLiteral("100%");
        QTest::newRow("text with % is literal") << q;
        q = acme(); q.text = QStringLiteral("e_t");
        QTest::newRow("text with _ is literal") << q;
        q = acme(); q.text = QStringLiteral("pat.den");
        QTest::newRow("text in kind") << q;
        q = acme(); q.text = QStringLiteral("user:u-6");
        QTest::newRow("text in actor") << q;
        q = acme(); q.text = QStringLiteral("u-2");
        QTest::newRow("text in target or actor") << q;
        q = acme(); q.text = QStringLiteral("\"quoted\" pass");
        QTest::newRow("text with quotes") << q;
        q = acme(); q.text = QStringLiteral("(\"http");
        QTest::newRow("text with FTS syntax") << q;
        q = acme(); q.text = QStringLiteral("no such text");
        QTest::newRow("text matching nothing") << q;
        q = acme(); q.kinds = {QStringLiteral("login.success")}; q.appId = QStringLiteral("blog"); q.text = QStringLiteral("7");
        q.since = kAuditStart + 10 * kAuditHour;
        QTest::newRow("combined") << q;
        q = AuditQuery(); q.text = QStringLiteral("globex event 1");
        QTest::newRow("every realm, text") << q;
    }
    void filters()
    {
        QFETCH(AuditQuery, filter);
        QList<qint64> expected = expectedTimes(filter);
        if (filter.realmIds.isEmpty()) {
            // The oracle knows only acme's rows; add the globex ones.
            for (int i = 19; i >= 0; --i) {
                AuditEvent e = AuditEvent::of(QStringLiteral("globex"), QStringLiteral("login.failure"), QStringLiteral("user:g-%1").arg(i), QStringLiteral("denied"))
                                   .says(QStringLiteral("globex event %1").arg(i));
                e.occurredAt = kAuditStart + i * kAuditHour + 1;
                if (matches(filter, e))
                    expected.append(e.occurredAt);
            }
            std::sort(expected.begin(), expected.end(), std::greater<>());
        }
        QVERIFY(!expected.isEmpty() || filter.text == QLatin1String("no such text"));
        // The same before the text index has seen any event, when it has seen
        // some, and when it has seen all (SQLite fills it behind the appends).
        const AuditTextIndex index(m_core->database());
        const qint64 unindexed = index.backlog();
        QVERIFY(m_core->database().dialect() != Dialect::SQLite || unindexed >= kAuditEvents + 20);
        checkFilter(filter, expected);
        if (QTest::currentTestFailed())
            return;
        index.catchUp(0, 100, 1);
        QVERIFY(m_core->database().dialect() != Dialect::SQLite || index.backlog() == unindexed - 100);
        checkFilter(filter, expected);
        index.catchUp();
        QCOMPARE(index.backlog(), 0);
        if (QTest::currentTestFailed())
            return;
        checkFilter(filter, expected);
    }
    void histogramBucketsAndCategories()
    {
        const qint64 day = 24 * kAuditHour;
        const QList<AuditBucket> buckets = m_core->audit().histogram(acme(), kAuditStart, day);
        QCOMPARE(buckets.size(), 10);
        for (int d = 0; d < 10; ++d) {
            const AuditBucket &b = buckets.at(d);
            QCOMPARE(b.start, kAuditStart + d * day);
            QCOMPARE(b.total, 24);
            qint64 failed = 0, denied = 0;
            for (int i = d * 24; i < d * 24 + 24; ++i) {
                const AuditEvent e = auditFixtureEvent(i);
                if (e.kind == QLatin1String("login.failure"))
                    ++failed;
                else if (e.outcome == QLatin1String("denied") || e.kind == QLatin1String("pat.denied"))
                    ++denied;
            }
            QCOMPARE(b.failedSignIns, failed);
            QCOMPARE(b.denied, denied);
            QVERIFY(b.failedSignIns > 0 && b.denied > 0);
        }
        // Empty buckets are left out; an origin before the data shifts the indexes.
        AuditQuery later = acme();
        later.since = kAuditStart + 5 * day;
        const QList<AuditBucket> tail = m_core->audit().histogram(later, kAuditStart, day);
        QCOMPARE(tail.size(), 5);
        QCOMPARE(tail.constFirst().start, kAuditStart + 5 * day);
        QCOMPARE(m_core->audit().timeSpan(acme()), std::make_pair(kAuditStart, kAuditStart + (kAuditEvents - 1) * kAuditHour));
    }

    void searchStopsBetweenSlices()
    {
        AuditQuery f = acme();
        f.text = QStringLiteral("zq"); // too short for the text index: scanned in slices
        f.limit = 50;
        const AuditSearchPage page = m_core->audit().search(f, [] { return true; }, 0, 10);
        QVERIFY(!page.exhausted);
        QVERIFY(page.events.isEmpty());
        QVERIFY(page.nextBeforeTime > kAuditStart);
        QCOMPARE(page.nextBeforeId, 0);
        QVERIFY(m_core->audit().search(f).exhausted);
    }

    void csvField_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QByteArray>("field");
        QTest::newRow("plain") << "login.success" << QByteArray("login.success");
        QTest::newRow("empty") << "" << QByteArray("");
        QTest::newRow("comma") << "a,b" << QByteArray("\"a,b\"");
        QTest::newRow("quote") << "say \"hi\"" << QByteArray("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << "two\nlines" << QByteArray("\"two\nlines\"");
        QTest::newRow("formula =") << "=1+2" << QByteArray("'=1+2");
        QTest::newRow("formula +") << "+1" << QByteArray("'+1");
        QTest::newRow("formula -") << "-1" << QByteArray("'-1");
        QTest::newRow("formula @") << "@SUM(A1)" << QByteArray("'@SUM(A1)");
        QTest::newRow("formula tab") << "\t=1" << QByteArray("'\t=1");
        QTest::newRow("formula and quoting") << "=HYPERLINK(\"x\",\"y\")" << QByteArray("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        QTest::newRow("not at the start") << "a=b" << QByteArray("a=b");
        QTest::newRow("unicode") << QString::fromUtf8("Zaïm") << QString::fromUtf8("Zaïm").toUtf8();
    }
    void csvField()
    {
        QFETCH(QString, value);
        QFETCH(QByteArray, field);
        QCOMPARE(authrealm::csvField(value), field);
    }

    void exportCsv()
    {
        AuditQuery f = acme();
        f.since = kAuditStart + 10 * kAuditHour;
        f.until = kAuditStart + 15 * kAuditHour;
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        const AuditExportResult result = exportAuditEvents(m_core->audit(), f, AuditExportFormat::Csv, out);
        QCOMPARE(result.events, 5);
        QVERIFY(!result.cancelled);
        const QList<QByteArray> lines = out.data().split('\n');
        QCOMPARE(lines.size(), 7); // header, 5 rows, "" after the last CRLF
        QCOMPARE(lines.at(0), QByteArray("id,occurred_at,realm,app,kind,actor,target_type,target_id,outcome,summary,ip,user_agent,seq,hash\r"));
        for (int i = 1; i <= 5; ++i)
            QVERIFY2(lines.at(i).endsWith('\r'), lines.at(i));
        const AuditEvent e14 = m_core->audit().query(f).constFirst(); // newest first: event 14
        QCOMPARE(lines.at(1), QByteArray::number(e14.id) + ",2026-01-01T14:00:00.000Z,acme,shop,admin.user.created,user:u-0,user,u-4,success,"
                                  "'-2+3 @cell,198.51.100.14,Agent/2," + QByteArray::number(e14.seq) + ',' + e14.hash.toLatin1() + '\r');
        QCOMPARE(e14.seq, 15); // the realm's chain starts at 1 with event 0
        QVERIFY(lines.at(2).contains(",\"{\"\"reason\"\":\"\"locked\"\",\"\"attempts\"\":5}\","));
        QVERIFY(lines.at(3).contains(",100% sure_thing,"));
        QVERIFY(lines.at(4).contains(",\"Wrong, \"\"quoted\"\" password\","));
        QVERIFY(lines.at(5).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\","));
    }

    void exportJson_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("array") << int(AuditExportFormat::JsonArray);
        QTest::newRow("lines") << int(AuditExportFormat::JsonLines);
    }
    void exportJson()
    {
        QFETCH(int, format);
        AuditQuery f = acme();
        f.outcome = QStringLiteral("denied");
        const QList<AuditEvent> expected = allPages(f, 1000);
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        QList<qint64> progress;
        const AuditExportResult result = exportAuditEvents(m_core->audit(), f, AuditExportFormat(format), out, [&](qint64 n, qint64) {
            progress.append(n);
            return true;
        });
        QCOMPARE(result.events, expected.size());
        QCOMPARE(progress.constLast(), expected.size());
        QJsonArray array;
        if (AuditExportFormat(format) == AuditExportFormat::JsonArray) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(out.data(), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
            array = doc.array();
        } else {
            for (const QByteArray &line : out.data().split('\n')) {
                if (line.isEmpty())
                    continue;
                const QJsonDocument doc = QJsonDocument::fromJson(line);
                QVERIFY2(doc.isObject(), line);
                array.append(doc.object());
            }
        }
        QCOMPARE(array.size(), expected.size());
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject o = array.at(i).toObject();
            const AuditEvent &e = expected.at(i);
            QCOMPARE(o.value(QStringLiteral("id")).toInteger(), e.id);
            QCOMPARE(o.value(QStringLiteral("occurred_at_ms")).toInteger(), e.occurredAt);
            QCOMPARE(o.value(QStringLiteral("occurred_at")).toString(), QDateTime::fromMSecsSinceEpoch(e.occurredAt, Qt::UTC).toString(Qt::ISODateWithMs));
            QCOMPARE(o.value(QStringLiteral("kind")).toString(), e.kind);
            QCOMPARE(o.value(QStringLiteral("summary")).toString(), e.summary); // JSON needs no formula guard
            QCOMPARE(o.value(QStringLiteral("user_agent")).toString(), e.userAgent);
            QCOMPARE(o.value(QStringLiteral("hash")).toString(), e.hash);
        }
    }

    void exportCancelKeepsWellFormedPrefix()
    {
        // More than one export page, cancelled after the first.
        {
            Transaction tx(m_core->database());
            for (int i = 0; i < 1200; ++i) {
                AuditEvent e = AuditEvent::of(QStringLiteral("bulk"), QStringLiteral("login.success"), QStringLiteral("user:b"), QStringLiteral("success"));
                e.occurredAt = kAuditStart + i;
                m_core->audit().record(e);
            }
            tx.commit();
        }
        AuditQuery f;
        f.realmIds = {QStringLiteral("bulk")};
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        const AuditExportResult result = exportAuditEvents(m_core->audit(), f, AuditExportFormat::JsonArray, out, [](qint64, qint64) { return false; });
        QVERIFY(result.cancelled);
        QCOMPARE(result.events, 1000);
        QJsonParseError error;
        QCOMPARE(QJsonDocument::fromJson(out.data(), &error).array().size(), 1000);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    void failedWriteIsAnError()
    {
        QBuffer out; // not open: every write fails
        QCOMPARE(errorOf([&] { (void)exportAuditEvents(m_core->audit(), acme(), AuditExportFormat::Csv, out); }), ErrorCode::StorageUnavailable);
    }
};

QTEST_GUILESS_MAIN(tst_AuditBrowser)
#include "tst_auditbrowser.moc"
