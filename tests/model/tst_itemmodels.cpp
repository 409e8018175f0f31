// The list models behind the console's Users, Sessions and Audit views: lazy paging
// over keyset queries, filters, and Qt's model contract
// (QAbstractItemModelTester), on every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "items/AuditEventModel.h"
#include "items/SessionListModel.h"
#include "items/UserListModel.h"
#include "storage/Sql.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
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

    void sessionsMostRecentlyUsedFirstAcrossPages()
    {
        // 450 users with one session each; every third pair shares a last-use
        // time, so page boundaries fall inside ties (the id breaks them).
        m_core->realms().createRealm(Realm{QStringLiteral("other"), QStringLiteral("Other"), 1});
        const qint64 now = m_clock->nowMs();
        QSet<QString> expected;
        {
            Transaction tx(m_core->database());
            for (int i = 0; i < 450; ++i) {
                Session s;
                s.id = QStringLiteral("s-%1").arg(i, 4, 10, QLatin1Char('0'));
                s.realmId = QStringLiteral("big");
                s.userId = QStringLiteral("u-%1").arg(i, 4, 10, QLatin1Char('0'));
                s.createdAt = now - 100000;
                s.lastUsedAt = now - 1000 * (i / 2);
                s.expiresAt = i % 50 == 7 ? now - 1 : now + 3600000; // a few already expired
                s.ip = QStringLiteral("192.0.2.%1").arg(i % 250);
                s.userAgent = QStringLiteral("agent %1").arg(i);
                m_core->sessions().createSession(s, QStringLiteral("hash-%1").arg(i), s.expiresAt);
                if (i % 50 != 7)
                    expected.insert(s.id);
            }
            tx.commit();
        }
        (void)m_core->sessions().revokeSession(QStringLiteral("s-0003"), QStringLiteral("test"), now);
        expected.remove(QStringLiteral("s-0003"));

        SessionListModel model(m_core->sessions(), *m_clock);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRealm(QStringLiteral("other"));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 0); // nothing crosses realms
        QVERIFY(!model.canFetchMore({}));

        model.setRealm(QStringLiteral("big"));
        QCOMPARE(model.rowCount(), 0);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), SessionListModel::kPageSize);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), int(expected.size()));
        QSet<QString> seen;
        for (int row = 0; row < model.rowCount(); ++row) {
            const Session &s = model.rowAt(row).session;
            QVERIFY2(!seen.contains(s.id), qPrintable(s.id)); // no row twice across page boundaries
            seen.insert(s.id);
            if (row > 0) {
                const Session &before = model.rowAt(row - 1).session;
                QVERIFY(before.lastUsedAt > s.lastUsedAt || (before.lastUsedAt == s.lastUsedAt && before.id > s.id));
            }
        }
        QCOMPARE(seen, expected);
        QCOMPARE(model.index(0, SessionListModel::Email).data().toString(), QStringLiteral("User0001@Example.com"));
        QCOMPARE(model.index(0, SessionListModel::Address).data().toString(), QStringLiteral("192.0.2.1"));
        QCOMPARE(model.index(0, SessionListModel::UserAgent).data().toString(), QStringLiteral("agent 1"));
    }

    // A storage error inside fetchMore (a PostgreSQL that went away, a table
    // that is not there) must not escape into Qt's view code, which calls
    // fetchMore while laying out and cannot handle exceptions: the model stops
    // paging, keeps the rows it has, and reports the error.
    void fetchMoreReportsABrokenDatabase_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<bool>("afterAPage");
        QTest::newRow("users, first page") << "users" << false;
        QTest::newRow("users, a later page") << "users" << true;
        QTest::newRow("sessions, first page") << "sessions" << false;
        QTest::newRow("sessions, a later page") << "sessions" << true;
        QTest::newRow("audit_events, first page") << "audit_events" << false;
        QTest::newRow("audit_events, a later page") << "audit_events" << true;
    }
    void fetchMoreReportsABrokenDatabase()
    {
        QFETCH(QString, list);
        QFETCH(bool, afterAPage);
        if (list == u"sessions") {
            Transaction tx(m_core->database());
            for (int i = 0; i < 250; ++i) {
                Session s;
                s.id = QStringLiteral("s-%1").arg(i, 4, 10, QLatin1Char('0'));
                s.realmId = QStringLiteral("big");
                s.userId = QStringLiteral("u-%1").arg(i, 4, 10, QLatin1Char('0'));
                s.createdAt = m_clock->nowMs() - 100000;
                s.lastUsedAt = m_clock->nowMs() - 1000 * i;
                s.expiresAt = m_clock->nowMs() + 3600000;
                m_core->sessions().createSession(s, QStringLiteral("hash-%1").arg(i), s.expiresAt);
            }
            tx.commit();
        }
        UserListModel users(m_core->users());
        SessionListModel sessions(m_core->sessions(), *m_clock);
        AuditEventModel events(m_core->audit()); // no thread pool: the synchronous path
        users.setFilter(QStringLiteral("big"));
        sessions.setRealm(QStringLiteral("big"));
        AuditQuery query;
        query.realmIds = {QStringLiteral("big")};
        events.setQuery(query);
        // No QAbstractItemModelTester here: it fetches pages of its own.
        QAbstractItemModel &model = list == u"users" ? static_cast<QAbstractItemModel &>(users)
                                  : list == u"sessions" ? static_cast<QAbstractItemModel &>(sessions)
                                                        : events;
        const int pageSize = list == u"audit_events" ? AuditEventModel::kPageSize : UserListModel::kPageSize;
        QSignalSpy failed(&model, SIGNAL(loadFailed(QString)));
        if (afterAPage) {
            model.fetchMore({});
            QCOMPARE(model.rowCount(), pageSize);
        }
        SqlQuery(m_core->database(), QStringLiteral("ALTER TABLE %1 RENAME TO %1_gone").arg(list)).exec();
        QVERIFY(model.canFetchMore({}));
        try {
            model.fetchMore({});
        } catch (const std::exception &e) {
            QFAIL(qPrintable(QStringLiteral("fetchMore threw: %1").arg(QString::fromUtf8(e.what()))));
        }
        QCOMPARE(failed.size(), 1);
        QVERIFY(!failed.constFirst().constFirst().toString().isEmpty());
        QCOMPARE(model.rowCount(), afterAPage ? pageSize : 0); // what was loaded stays
        QVERIFY(!model.canFetchMore({}));                 // no retry on every layout
        SqlQuery(m_core->database(), QStringLiteral("ALTER TABLE %1_gone RENAME TO %1").arg(list)).exec();
    }
};

QTEST_GUILESS_MAIN(tst_ItemModels)
#include "tst_itemmodels.moc"
