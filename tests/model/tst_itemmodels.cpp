// The list models behind the console's Users and Audit views: lazy paging
// over keyset queries, filters, and Qt's model contract
// (QAbstractItemModelTester), on every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "items/AuditEventModel.h"
#include "items/UserListModel.h"
#include "storage/Sql.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace authrealm;

class tst_ItemModels : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init()
    {
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        m_core->realms().createRealm(Realm{QStringLiteral("big"), QStringLiteral("Big"), 1});
        Transaction tx(m_core->database());
        for (int i = 0; i < 450; ++i) {
            User u;
            u.id = QStringLiteral("u-%1").arg(i, 4, 10, QLatin1Char('0'));
            u.realmId = QStringLiteral("big");
            u.email = QStringLiteral("User%1@Example.com").arg(i, 4, 10, QLatin1Char('0'));
            u.status = i % 10 == 0 ? UserStatus::Suspended : UserStatus::Active;
            m_core->users().createUser(u);
        }
        for (int i = 0; i < 1200; ++i) {
            m_core->audit().record(AuditEvent::of(QStringLiteral("big"), i % 4 == 0 ? QStringLiteral("login.failure") : QStringLiteral("login.success"),
                                                  QStringLiteral("user:u-%1").arg(i % 450, 4, 10, QLatin1Char('0')),
                                                  i % 4 == 0 ? QStringLiteral("failure") : QStringLiteral("success")));
            m_clock->advanceSeconds(1);
        }
        tx.commit();
    }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    void usersLoadPageByPage()
    {
        UserListModel model(m_core->users());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter(QStringLiteral("big"));
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), UserListModel::kPageSize);
        QCOMPARE(model.index(0, UserListModel::Email).data().toString(), QStringLiteral("User0000@Example.com"));
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 450);
        QCOMPARE(model.index(449, UserListModel::Email).data().toString(), QStringLiteral("User0449@Example.com"));
    }

    void userFiltersNarrow_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("status");
        QTest::addColumn<int>("rows");
        QTest::newRow("prefix, any case") << "user01" << "" << 100;
        QTest::newRow("exact email") << "USER0042@example.com" << "" << 1;
        QTest::newRow("status") << "" << "suspended" << 45;
        QTest::newRow("prefix and status") << "user00" << "suspended" << 10;
        QTest::newRow("no match") << "nobody" << "" << 0;
    }
    void userFiltersNarrow()
    {
        QFETCH(QString, prefix);
        QFETCH(QString, status);
        QFETCH(int, rows);
        UserListModel model(m_core->users());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter(QStringLiteral("big"), prefix, status);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), rows);
    }

    void auditEventsNewestFirstAndFiltered()
    {
        AuditEventModel model(m_core->audit());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AuditQuery query;
        query.realmIds = {QStringLiteral("big")};
        model.setQuery(query);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), AuditEventModel::kPageSize);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 1200);
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.eventAt(row - 1).occurredAt >= model.eventAt(row).occurredAt);

        query.kinds = {QStringLiteral("login.failure")};
        model.setQuery(query);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 300);
        QCOMPARE(model.index(0, AuditEventModel::Outcome).data().toString(), QStringLiteral("failure"));

        query.kinds.clear();
        query.actor = QStringLiteral("user:u-0007");
        model.setQuery(query);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), 3); // events 7, 457 and 907
    }
};

QTEST_GUILESS_MAIN(tst_ItemModels)
#include "tst_itemmodels.moc"
