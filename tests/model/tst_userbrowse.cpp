// UserStore::browse, behind the console's Users view: prefix search on email
// or name (with an upper bound, so a rare prefix is an index range, not a
// scan to the end), status filter, three sort orders both ways, and keyset
// pages that together give exactly the sorted list. Both backends.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "items/UserListModel.h"
#include "storage/Sql.h"

#include <QAbstractItemModelTester>
#include <QTest>
#include <algorithm>

using namespace authrealm;
using Browse = UserStore::Browse;

class tst_UserBrowse : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;
    QList<User> m_users;

    QStringList browseAll(Browse query, int pageSize)
    {
        query.limit = pageSize;
        QStringList ids;
        for (int guard = 0; guard < 1000; ++guard) {
            const auto page = m_core->users().browse(query);
            for (const auto &row : page)
                ids << row.user.id;
            if (page.size() < pageSize)
                return ids;
            query.afterValue = page.constLast().orderValue;
            query.afterId = page.constLast().user.id;
        }
        return ids;
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init()
    {
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        m_core->realms().createRealm(Realm{QStringLiteral("r"), QStringLiteral("R"), 1});
        m_core->realms().createRealm(Realm{QStringLiteral("other"), QStringLiteral("Other"), 1});
        m_users.clear();
        const QStringList names = {QStringLiteral("Ada"), QStringLiteral("ada"), QStringLiteral("Bob"), QStringLiteral("Adam"),
                                   QStringLiteral("Zoë"), QStringLiteral("Carl"), QStringLiteral("")};
        Transaction tx(m_core->database());
        for (int i = 0; i < 61; ++i) {
            User u;
            // ids, emails, names and creation times in four different orders
            u.id = QStringLiteral("id-%1").arg((i * 37) % 61, 3, 10, QLatin1Char('0'));
            u.realmId = QStringLiteral("r");
            u.email = QStringLiteral("%1%2@example.com").arg(i % 3 == 0 ? QStringLiteral("ab") : QStringLiteral("ac")).arg((i * 13) % 61);
            u.displayName = names.at(i % names.size());
            u.status = i % 5 == 0 ? UserStatus::Suspended : UserStatus::Active;
            u.createdAt = 1'000'000 + ((i * 7) % 61) * 1000 + (i % 2); // duplicates tie-break on id
            u.updatedAt = u.createdAt;
            m_core->users().createUser(u);
            m_users << u;
        }
        User stranger;
        stranger.id = QStringLiteral("stranger");
        stranger.realmId = QStringLiteral("other");
        stranger.email = QStringLiteral("ab0@example.com");
        stranger.displayName = QStringLiteral("Ada");
        m_core->users().createUser(stranger);
        tx.commit();
    }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    void ordersAndPages_data()
    {
        QTest::addColumn<int>("order");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<int>("pageSize");
        for (const int page : {1, 7, 500}) {
            for (const bool desc : {false, true}) {
                const QByteArray suffix = QByteArray(desc ? " desc" : " asc") + " page " + QByteArray::number(page);
                QTest::newRow(("email" + suffix).constData()) << int(Browse::Order::Email) << desc << page;
                QTest::newRow(("name" + suffix).constData()) << int(Browse::Order::Name) << desc << page;
                QTest::newRow(("created" + suffix).constData()) << int(Browse::Order::Created) << desc << page;
            }
        }
    }
    void ordersAndPages()
    {
        QFETCH(int, order);
        QFETCH(bool, descending);
        QFETCH(int, pageSize);
        Browse query;
        query.realmId = QStringLiteral("r");
        query.order = Browse::Order(order);
        query.descending = descending;

        QList<User> expected = m_users;
        auto key = [&](const User &u) -> QVariant {
            switch (Browse::Order(order)) {
            case Browse::Order::Email: return Validate::emailKey(u.email);
            case Browse::Order::Name: return u.displayName.toLower();
            case Browse::Order::Created: return u.createdAt;
            }
            return {};
        };
        std::sort(expected.begin(), expected.end(), [&](const User &a, const User &b) {
            const QVariant ka = key(a), kb = key(b);
            const int c = QVariant::compare(ka, kb) == QPartialOrdering::Less ? -1 : (ka == kb ? 0 : 1);
            if (c != 0)
                return descending ? c > 0 : c < 0;
            return descending ? a.id > b.id : a.id < b.id;
        });
        QStringList expectedIds;
        for (const User &u : expected)
            expectedIds << u.id;
        QCOMPARE(browseAll(query, pageSize), expectedIds);
    }

    void prefixAndStatus_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("status");
        QTest::newRow("email ab") << int(Browse::Field::Email) << "ab" << "";
        QTest::newRow("email AB (case)") << int(Browse::Field::Email) << "AB" << "";
        QTest::newRow("email ac suspended") << int(Browse::Field::Email) << "ac" << "suspended";
        QTest::newRow("email ab1") << int(Browse::Field::Email) << "ab1" << "";
        QTest::newRow("email none") << int(Browse::Field::Email) << "zz" << "";
        QTest::newRow("name ada") << int(Browse::Field::Name) << "ada" << "";
        QTest::newRow("name ADA (case)") << int(Browse::Field::Name) << "ADA" << "";
        QTest::newRow("name adam") << int(Browse::Field::Name) << "adam" << "";
        QTest::newRow("name b active") << int(Browse::Field::Name) << "b" << "active";
        QTest::newRow("everyone suspended") << int(Browse::Field::Email) << "" << "suspended";
    }
    void prefixAndStatus()
    {
        QFETCH(int, field);
        QFETCH(QString, prefix);
        QFETCH(QString, status);
        Browse query;
        query.realmId = QStringLiteral("r");
        query.field = Browse::Field(field);
        query.prefix = prefix;
        query.status = status;
        QStringList expected;
        for (const User &u : std::as_const(m_users)) {
            const QString text = field == int(Browse::Field::Email) ? u.email : u.displayName;
            if (text.startsWith(prefix, Qt::CaseInsensitive) && (status.isEmpty() || userStatusName(u.status) == status))
                expected << u.id;
        }
        QStringList got = browseAll(query, 5);
        std::sort(expected.begin(), expected.end());
        std::sort(got.begin(), got.end());
        QCOMPARE(got, expected);
        QVERIFY(!got.contains(QStringLiteral("stranger"))); // never another realm's users
    }

    void modelSortsOnTheDatabase()
    {
        UserListModel model(m_core->users());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFilter(QStringLiteral("r"));
        model.sort(UserListModel::Created, Qt::DescendingOrder);
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), int(m_users.size()));
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.userAt(row - 1).createdAt >= model.userAt(row).createdAt);
        model.setFilter(QStringLiteral("r"), QStringLiteral("ad"), {}, Browse::Field::Name);
        while (model.canFetchMore({}))
            model.fetchMore({});
        for (int row = 0; row < model.rowCount(); ++row)
            QVERIFY(model.userAt(row).displayName.startsWith(QStringLiteral("ad"), Qt::CaseInsensitive));
        QVERIFY(model.rowCount() > 0);
    }
};

QTEST_MAIN(tst_UserBrowse)
#include "tst_userbrowse.moc"
