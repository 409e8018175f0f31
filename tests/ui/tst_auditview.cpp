// The audit browser widget: scope from the navigation, each filter narrowing
// the list (checked against a C++ oracle), the detail pane, the chart's
// totals and drag-to-filter, CSV/JSON export, and the chain check noticing
// a tampered row — on every backend, under the offscreen platform.
#include "AuditChart.h"
#include "AuditEventDetails.h"
#include "AuditFixture.h"
#include "AuditView.h"
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "LazyTable.h"
#include "TestDatabases.h"
#include "items/AuditEventModel.h"
#include "storage/Sql.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace authrealm;
using namespace authrealm::test;

class tst_AuditView : public QObject
{
    Q_OBJECT

    std::unique_ptr<ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;
    std::unique_ptr<AuditView> m_view;
    QStringList m_errors;

    template<typename T>
    T *child(const char *name) const
    {
        T *widget = m_view->findChild<T *>(QLatin1String(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }

    // Waits until the list and the chart show the current filter.
    bool settle()
    {
        QSignalSpy ready(m_view.get(), &AuditView::chartReady);
        if (!ready.wait(10000))
            return false;
        const auto idle = [this] { return QTest::qWaitFor([this] { return !m_view->model()->isLoading(); }, 10000); };
        if (!idle())
            return false;
        while (m_view->model()->canFetchMore({})) {
            m_view->model()->fetchMore({});
            if (!idle())
                return false;
        }
        return true;
    }
    // Applies what the controls say and waits for it.
    bool reapply()
    {
        m_view->reload();
        return settle();
    }

    QList<qint64> shownTimes() const
    {
        QList<qint64> out;
        for (int row = 0; row < m_view->model()->rowCount(); ++row)
            out.append(m_view->model()->eventAt(row).occurredAt);
        return out;
    }
    static QList<qint64> expectedTimes(const std::function<bool(const AuditEvent &)> &matches)
    {
        QList<qint64> out;
        for (const int i : expectedFixtureRows(matches))
            out.append(auditFixtureEvent(i).occurredAt);
        return out;
    }

private slots:
    void initTestCase_data() { addBackendRows(); }
    void init()
    {
        m_scratch = std::make_unique<ScratchDatabase>();
        // "Now" is one hour after the last fixture event.
        m_clock = std::make_unique<ManualClock>(kAuditStart + kAuditEvents * kAuditHour);
        m_core = std::make_unique<AuthRealmCore>(coreOptions(m_scratch->config(), m_clock.get()));
        m_core->realms().createRealm(Realm{QStringLiteral("acme"), QStringLiteral("Acme"), 1});
        m_core->realms().createApp(App{QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Shop"), 0});
        m_core->realms().createApp(App{QStringLiteral("acme"), QStringLiteral("blog"), QStringLiteral("Blog"), 0});
        seedAuditFixture(m_core->database(), m_core->audit());
        m_errors.clear();
        setConsolePromptsForTesting({[](const QString &, const QString &) { return true; },
                                     [this](const QString &title, const QString &message) { m_errors.append(title + QStringLiteral(": ") + message); }});
        m_view = std::make_unique<AuditView>(*m_core);
        m_view->resize(1280, 800);
        m_view->setScope(QStringLiteral("acme"), QString());
        m_view->show();
        QVERIFY(settle());
    }
    void cleanup()
    {
        m_view.reset();
        m_core.reset();
        m_scratch.reset();
        setConsolePromptsForTesting({});
        QVERIFY2(m_errors.isEmpty(), qPrintable(m_errors.join(u'\n')));
    }

    void showsTheScopedRealm()
    {
        QCOMPARE(shownTimes(), expectedTimes([](const AuditEvent &) { return true; }));
        QVERIFY(child<QLabel>("status")->text().contains(QLatin1String("240")));
        auto *product = child<QComboBox>("product");
        QCOMPARE(product->count(), 3); // all, blog, shop
        m_view->setScope(QStringLiteral("acme"), QStringLiteral("shop"));
        QVERIFY(settle());
        QCOMPARE(product->currentData().toString(), QStringLiteral("shop"));
        QCOMPARE(shownTimes(), expectedTimes([](const AuditEvent &e) { return e.appId == QLatin1String("shop"); }));
        m_view->setScope(QStringLiteral("globex"), QString());
        QVERIFY(settle());
        QCOMPARE(m_view->model()->rowCount(), 20);
        QCOMPARE(product->count(), 1);
    }

    void filtersNarrowTheList_data()
    {
        QTest::addColumn<QString>("control");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("expected");
        const auto count = [](const std::function<bool(const AuditEvent &)> &f) { return int(expectedFixtureRows(f).size()); };
        QTest::newRow("product") << "product" << "blog" << count([](const AuditEvent &e) { return e.appId == QLatin1String("blog"); });
        QTest::newRow("kind") << "kind" << "login.failure" << count([](const AuditEvent &e) { return e.kind == QLatin1String("login.failure"); });
        QTest::newRow("two kinds") << "kind" << "pat.denied, refresh.failure"
                                   << count([](const AuditEvent &e) { return e.kind == QLatin1String("pat.denied") || e.kind == QLatin1String("refresh.failure"); });
        QTest::newRow("actor") << "actor" << "user:u-5" << count([](const AuditEvent &e) { return e.actor == QLatin1String("user:u-5"); });
        QTest::newRow("target") << "target" << "u-1" << count([](const AuditEvent &e) { return e.targetId == QLatin1String("u-1"); });
        QTest::newRow("outcome") << "outcome" << "denied" << count([](const AuditEvent &e) { return e.outcome == QLatin1String("denied"); });
        QTest::newRow("free text") << "text" << "NUMBER 2"
                                   << count([](const AuditEvent &e) { return e.summary.contains(QLatin1String("number 2")); });
        QTest::newRow("free text in kind") << "text" << "admin.user"
                                           << count([](const AuditEvent &e) { return e.kind == QLatin1String("admin.user.created"); });
        QTest::newRow("last 24 hours") << "timePreset" << "Last24Hours" << 24;
        QTest::newRow("last hour") << "timePreset" << "LastHour" << 1;
        QTest::newRow("custom range") << "range" << "30-40" << 10;
    }
    void filtersNarrowTheList()
    {
        QFETCH(QString, control);
        QFETCH(QString, value);
        QFETCH(int, expected);
        if (control == QLatin1String("product") || control == QLatin1String("outcome")) {
            auto *combo = child<QComboBox>(qPrintable(control));
            combo->setCurrentIndex(combo->findData(value));
        } else if (control == QLatin1String("kind")) {
            child<QComboBox>("kind")->setCurrentText(value);
        } else if (control == QLatin1String("timePreset")) {
            m_view->setTimePreset(AuditView::TimePreset(QMetaEnum::fromType<AuditView::TimePreset>().keyToValue(qPrintable(value))));
        } else if (control == QLatin1String("range")) {
            const QStringList hours = value.split(u'-');
            m_view->setTimeRange(kAuditStart + hours.at(0).toInt() * kAuditHour, kAuditStart + hours.at(1).toInt() * kAuditHour);
        } else {
            child<QLineEdit>(qPrintable(control))->setText(value);
        }
        QVERIFY(reapply());
        QCOMPARE(m_view->model()->rowCount(), expected);
        QVERIFY(expected < kAuditEvents);
        // Every row shown matches, newest first, and the chart counts the same.
        const AuditQuery q = m_view->currentQuery();
        qint64 failed = 0;
        for (int row = 0; row < m_view->model()->rowCount(); ++row) {
            const AuditEvent &e = m_view->model()->eventAt(row);
            QVERIFY(q.since == 0 || e.occurredAt >= q.since);
            QVERIFY(q.until == 0 || e.occurredAt < q.until);
            if (row > 0)
                QVERIFY(e.occurredAt < m_view->model()->eventAt(row - 1).occurredAt);
            failed += e.kind == QLatin1String("login.failure");
        }
        QCOMPARE(m_view->chart()->totalEvents(), qint64(expected));
        QCOMPARE(m_view->chart()->totalFailedSignIns(), failed);
    }

    void chartTotalsEqualTheList()
    {
        QCOMPARE(m_view->chart()->totalEvents(), qint64(kAuditEvents));
        qint64 failed = 0, denied = 0;
        for (int i = 0; i < kAuditEvents; ++i) {
            const AuditEvent e = auditFixtureEvent(i);
            if (e.kind == QLatin1String("login.failure"))
                ++failed;
            else if (e.outcome == QLatin1String("denied"))
                ++denied;
        }
        QCOMPARE(m_view->chart()->totalFailedSignIns(), failed);
        QCOMPARE(m_view->chart()->totalDenied(), denied);
        QCOMPARE(m_view->chart()->bucketMs(), AuditChart::bucketFor((kAuditEvents - 1) * kAuditHour + 1));
    }

    void dragOnTheChartSetsTheTimeFilter()
    {
        AuditChart *chart = m_view->chart();
        const qint64 from = kAuditStart + 48 * kAuditHour;
        const qint64 to = kAuditStart + 96 * kAuditHour;
        const int x1 = chart->xOf(from) + 1;
        const int x2 = chart->xOf(to) - 1;
        QVERIFY2(x2 - x1 > 20, "the chart is too narrow to drag on");
        const int y = chart->viewport()->height() / 2;
        QSignalSpy selected(chart, &AuditChart::rangeSelected);
        QTest::mousePress(chart->viewport(), Qt::LeftButton, {}, QPoint(x1, y));
        QTest::mouseMove(chart->viewport(), QPoint((x1 + x2) / 2, y));
        QTest::mouseRelease(chart->viewport(), Qt::LeftButton, {}, QPoint(x2, y));
        QCOMPARE(selected.size(), 1);
        QVERIFY(settle());
        const AuditQuery q = m_view->currentQuery();
        // Snapped to whole buckets around the dragged span.
        QVERIFY2(q.since <= from && q.since > from - chart->bucketMs(), qPrintable(QString::number(q.since - from)));
        QVERIFY2(q.until >= to && q.until < to + chart->bucketMs(), qPrintable(QString::number(q.until - to)));
        QCOMPARE(child<QComboBox>("timePreset")->currentData().toInt(), int(AuditView::TimePreset::Custom));
        QCOMPARE(shownTimes(), expectedTimes([&](const AuditEvent &e) { return e.occurredAt >= q.since && e.occurredAt < q.until; }));
        QCOMPARE(chart->totalEvents(), qint64(m_view->model()->rowCount()));
        // A click is not a drag.
        QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, QPoint(x1, y));
        QCOMPARE(selected.size(), 1);
    }

    void detailPaneShowsEveryField()
    {
        // Event 13 carries a JSON summary: shown pretty-printed.
        const int row = m_view->model()->rowOfEvent(m_core->audit().query([] {
            AuditQuery q;
            q.realmIds = {QStringLiteral("acme")};
            q.since = kAuditStart + 13 * kAuditHour;
            q.until = q.since + 1;
            return q;
        }()).constFirst().id);
        QVERIFY(row >= 0);
        m_view->table()->selectRow(row);
        const AuditEvent &e = m_view->model()->eventAt(row);
        QCOMPARE(m_view->details()->shownEventId(), e.id);
        const QString text = m_view->details()->toPlainText();
        for (const QString &field : {QStringLiteral("2026-01-01 13:00:00.000 UTC"), e.realmId, e.appId, e.kind, e.actor, e.targetType,
                                     e.targetId, e.outcome, e.ip, e.userAgent, e.hash, e.prevHash, QStringLiteral("seq %1").arg(e.seq)})
            QVERIFY2(text.contains(field), qPrintable(field + QStringLiteral(" missing in\n") + text));
        QVERIFY2(text.contains(QLatin1String("\"attempts\": 5")), qPrintable(text));
        QVERIFY(text.contains(QLatin1String("Local time")));
    }

    void exportWritesTheFilteredEvents_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("csv") << int(AuditExportFormat::Csv);
        QTest::newRow("json") << int(AuditExportFormat::JsonArray);
        QTest::newRow("jsonl") << int(AuditExportFormat::JsonLines);
    }
    void exportWritesTheFilteredEvents()
    {
        QFETCH(int, format);
        m_view->setTimeRange(kAuditStart + 9 * kAuditHour, kAuditStart + 15 * kAuditHour); // events 9..14
        QVERIFY(settle());
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("events"));
        QSignalSpy finished(m_view.get(), &AuditView::exportFinished);
        m_view->exportTo(path, AuditExportFormat(format));
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toLongLong(), 6);
        QCOMPARE(finished.at(0).at(1).toBool(), false);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray data = file.readAll();
        switch (AuditExportFormat(format)) {
        case AuditExportFormat::Csv:
            QCOMPARE(data.count("\r\n"), 7);
            QVERIFY(data.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\","));
            QVERIFY(data.contains(",'-2+3 @cell,"));
            QVERIFY(data.contains(",\"Wrong, \"\"quoted\"\" password\","));
            break;
        case AuditExportFormat::JsonArray: {
            const QJsonDocument doc = QJsonDocument::fromJson(data);
            QCOMPARE(doc.array().size(), 6);
            QCOMPARE(doc.array().at(0).toObject().value(QStringLiteral("summary")).toString(), QStringLiteral("-2+3 @cell"));
            break;
        }
        case AuditExportFormat::JsonLines:
            QCOMPARE(data.count('\n'), 6);
            QCOMPARE(QJsonDocument::fromJson(data.split('\n').at(4)).object().value(QStringLiteral("summary")).toString(),
                     QStringLiteral("=HYPERLINK(\"http://evil.example\")"));
            break;
        }
    }

    void verifyReportsTheTamperedEvent()
    {
        QSignalSpy verified(m_view.get(), &AuditView::chainVerified);
        m_view->verifyChain();
        QVERIFY(verified.wait(10000));
        QCOMPARE(verified.at(0).at(0).toBool(), true);
        QVERIFY2(child<QLabel>("chain")->text().contains(QLatin1String("intact, 240 events")), qPrintable(child<QLabel>("chain")->text()));

        // Someone with database access rewrites a summary.
        SqlQuery(m_core->database(), QStringLiteral("UPDATE audit_events SET summary = 'nothing to see' WHERE realm_id = 'acme' AND seq = 100")).exec();
        SqlQuery q(m_core->database(), QStringLiteral("SELECT id FROM audit_events WHERE realm_id = 'acme' AND seq = 100"));
        q.exec();
        QVERIFY(q.next());
        const qint64 tampered = q.value(0).toLongLong();
        m_view->verifyChain();
        QVERIFY(verified.wait(10000));
        QCOMPARE(verified.at(1).at(0).toBool(), false);
        const QString text = child<QLabel>("chain")->text();
        QVERIFY2(text.contains(QLatin1String("BROKEN at seq 100")), qPrintable(text));
        QCOMPARE(m_view->details()->shownEventId(), tampered);
        QVERIFY(m_view->details()->toPlainText().contains(QLatin1String("nothing to see")));
        const QModelIndex current = m_view->table()->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(m_view->model()->eventAt(current.row()).id, tampered);
    }
};

QTEST_MAIN(tst_AuditView)
#include "tst_auditview.moc"
