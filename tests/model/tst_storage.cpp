// Storage: migrations, first boot, settings validation and the per-thread
// connections, on every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/DomainError.h"
#include "storage/Migrations.h"
#include "storage/Sql.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>
#include <QUuid>

using namespace authrealm;

class tst_Storage : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void migrationCreatesLatestSchemaAndIsIdempotent()
    {
        test::ScratchDatabase scratch;
        Database db(scratch.config());
        QCOMPARE(db.schemaVersion(), 0);
        db.migrate();
        QCOMPARE(db.schemaVersion(), Migrations::latestVersion());
        db.migrate();
        QCOMPARE(db.schemaVersion(), Migrations::latestVersion());
    }

    // Golden upgrade path: a version-1 database with data keeps it all and
    // gains what later versions add (Mumble-style fixture, written with the
    // version-1 column names).
    void versionOneDatabaseUpgrades()
    {
        test::ScratchDatabase scratch;
        {
            Database db(scratch.config());
            Migrations::apply(db, 1);
            QCOMPARE(db.schemaVersion(), 1);
            for (const char *sql : {
                     "INSERT INTO realms (id, display_name, created_at) VALUES ('master', 'Admin', 1)",
                     "INSERT INTO realms (id, display_name, created_at) VALUES ('acme', 'Acme', 1)",
                     "INSERT INTO users (id, realm_id, email, email_key, username, username_key, display_name, password_hash, status, created_at, updated_at) "
                     "VALUES ('u-admin', 'master', 'admin@localhost', 'admin@localhost', 'admin', 'admin', 'Administrator', NULL, 'active', 1, 1)",
                     "INSERT INTO users (id, realm_id, email, email_key, display_name, status, created_at, updated_at) "
                     "VALUES ('u-1', 'acme', 'Guest@Example.com', 'guest@example.com', '', 'active', 2, 2)",
                     "INSERT INTO apps (realm_id, id, display_name, created_at) VALUES ('acme', 'plantaerium', 'Plantaerium', 3)",
                     "INSERT INTO roles (realm_id, app_id, name, scopes) VALUES ('acme', 'plantaerium', 'Editor', 'blogs:read blogs:write')",
                     "INSERT INTO memberships (realm_id, app_id, user_id, created_at) VALUES ('acme', 'plantaerium', 'u-1', 4)",
                     "INSERT INTO membership_roles (realm_id, app_id, user_id, role_name) VALUES ('acme', 'plantaerium', 'u-1', 'Editor')",
                     "INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, outcome, summary) "
                     "VALUES ('acme', 'plantaerium', 5, 'login.success', 'user:u-1', 'success', 'v1 event')"}) {
                SqlQuery(db, QString::fromLatin1(sql)).exec();
            }
        }
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        QCOMPARE(core.database().schemaVersion(), Migrations::latestVersion());
        QCOMPARE(core.users().findByLogin(QStringLiteral("acme"), QStringLiteral("guest@example.com"))->email, QStringLiteral("Guest@Example.com"));
        QCOMPARE(core.users().membership(QStringLiteral("u-1"), QStringLiteral("plantaerium"))->roles, QStringList{QStringLiteral("Editor")});
        const auto editor = core.realms().role(QStringLiteral("acme"), QStringLiteral("plantaerium"), QStringLiteral("Editor"));
        QVERIFY(editor && !editor->system);
        QCOMPARE(editor->scopes, (QStringList{QStringLiteral("blogs:read"), QStringLiteral("blogs:write")}));
        QVERIFY(core.realms().features(QStringLiteral("acme"), QStringLiteral("plantaerium")).isEmpty());
        // The version-1 bootstrap admin became the master administrator.
        QVERIFY(core.adminDirectory().actorForUser(QStringLiteral("u-admin")).isMaster());
        const auto events = core.audit().recent(QStringLiteral("acme"), 5);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().summary, QStringLiteral("v1 event"));
        QCOMPARE(events.first().seq, 0);
    }

    void newerSchemaIsRefusedWithClearMessage()
    {
        test::ScratchDatabase scratch;
        Database db(scratch.config());
        db.migrate();
        SqlQuery(db, QStringLiteral("UPDATE schema_version SET version = :v")).bind(QStringLiteral(":v"), Migrations::latestVersion() + 1).exec();
        try {
            db.migrate();
            QFAIL("a newer schema was accepted");
        } catch (const DomainError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("newer AuthRealm")), qPrintable(e.message()));
        }
        QCOMPARE(db.schemaVersion(), Migrations::latestVersion() + 1); // untouched
    }

    void firstBootCreatesMasterRealmAndAdminWithoutPassword()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        QVERIFY(core.realms().realmExists(QStringLiteral("master")));
        QVERIFY(core.realms().app(QStringLiteral("master"), Bootstrap::kAdminApp).has_value());
        const auto admin = core.users().findByLogin(QStringLiteral("master"), QStringLiteral("admin"));
        QVERIFY(admin.has_value());
        QVERIFY(admin->passwordHash.isEmpty()); // no default password, ever
        QVERIFY(core.bootstrap().adminNeedsPassword());
        QCOMPARE(core.keys().keys(QStringLiteral("master")).size(), 1);
        QCOMPARE(core.keys().keys(QStringLiteral("master")).first().algorithm, QStringLiteral("ES256"));

        // A second start on the same database changes nothing.
        AuthRealmCore again(test::coreOptions(scratch.config(), &clock));
        QCOMPARE(again.keys().keys(QStringLiteral("master")).size(), 1);
        QCOMPARE(again.users().users(QStringLiteral("master")).size(), 1);
    }

    void masterRealmCannotBeDeleted()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        QVERIFY_THROWS_EXCEPTION(DomainError, core.realms().deleteRealm(QStringLiteral("master")));
        QVERIFY(core.realms().realmExists(QStringLiteral("master")));
    }

    void settingsValidation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("lifetime ok") << "accessTokenLifetime" << QVariant(600.0) << true;
        QTest::newRow("lifetime fraction") << "accessTokenLifetime" << QVariant(600.5) << false;
        QTest::newRow("lifetime too short") << "accessTokenLifetime" << QVariant(5.0) << false;
        QTest::newRow("lifetime as string") << "accessTokenLifetime" << QVariant(QStringLiteral("600")) << false;
        QTest::newRow("algorithm RS256") << "signingAlgorithm" << QVariant(QStringLiteral("RS256")) << true;
        QTest::newRow("algorithm none") << "signingAlgorithm" << QVariant(QStringLiteral("none")) << false;
        QTest::newRow("algorithm HS256") << "signingAlgorithm" << QVariant(QStringLiteral("HS256")) << false;
        QTest::newRow("bool ok") << "registrationEnabled" << QVariant(true) << true;
        QTest::newRow("bool as number") << "registrationEnabled" << QVariant(1.0) << false;
        QTest::newRow("unknown") << "noSuchSetting" << QVariant(1.0) << false;
    }
    void settingsValidation()
    {
        QFETCH(QString, name);
        QFETCH(QVariant, value);
        QFETCH(bool, accepted);
        RealmSettings settings;
        bool ok = true;
        try {
            settings.set(name, value);
        } catch (const DomainError &e) {
            ok = false;
            QCOMPARE(e.code(), ErrorCode::InvalidRequest);
        }
        QCOMPARE(ok, accepted);
    }

    void settingsPersistOverridesOnly()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        RealmSettings settings = core.realms().settings(QStringLiteral("master"));
        QCOMPARE(settings.accessTokenLifetime(), 900);
        settings.set(QStringLiteral("accessTokenLifetime"), 300.0);
        core.realms().saveSettings(QStringLiteral("master"), settings);
        QCOMPARE(core.realms().settings(QStringLiteral("master")).accessTokenLifetime(), 300);
        QCOMPARE(core.realms().settings(QStringLiteral("master")).refreshTokenLifetime(), 1209600);
    }

    void emailIsUniquePerRealmIgnoringCase()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        core.realms().createRealm(Realm{QStringLiteral("acme"), QStringLiteral("Acme"), 1});
        core.realms().createRealm(Realm{QStringLiteral("globex"), QStringLiteral("Globex"), 1});
        const auto make = [](const QString &realm, const QString &email) {
            User u;
            u.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            u.realmId = realm;
            u.email = email;
            return u;
        };
        core.users().createUser(make(QStringLiteral("acme"), QStringLiteral("Ana@Example.com")));
        QVERIFY_THROWS_EXCEPTION(DomainError, core.users().createUser(make(QStringLiteral("acme"), QStringLiteral("ana@example.COM"))));
        core.users().createUser(make(QStringLiteral("globex"), QStringLiteral("ana@example.com"))); // other realm: fine
        QVERIFY(core.users().findByLogin(QStringLiteral("acme"), QStringLiteral("ANA@EXAMPLE.COM")).has_value());
        QCOMPARE(core.users().users(QStringLiteral("acme")).size(), 1);
    }

    void invalidIdentifiersAreRefused_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("empty") << "";
        QTest::newRow("slash") << "a/b";
        QTest::newRow("dotdot") << "..";
        QTest::newRow("space") << "a b";
        QTest::newRow("too long") << QString(65, u'a');
        QTest::newRow("newline") << "a\nb";
    }
    void invalidIdentifiersAreRefused()
    {
        QFETCH(QString, id);
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        QVERIFY_THROWS_EXCEPTION(DomainError, core.realms().createRealm(Realm{id, {}, 1}));
        QCOMPARE(core.realms().realms().size(), 1);
    }

    void eachThreadGetsItsOwnConnection()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        const QString mainName = core.database().connection().connectionName();
        QString otherName;
        bool otherSeesMaster = false;
        QThread *thread = QThread::create([&] {
            otherName = core.database().connection().connectionName();
            otherSeesMaster = core.realms().realmExists(QStringLiteral("master"));
        });
        thread->start();
        QVERIFY(thread->wait(30000));
        delete thread;
        QVERIFY(otherSeesMaster);
        QVERIFY(!otherName.isEmpty());
        QVERIFY(otherName != mainName);
        QVERIFY(!QSqlDatabase::contains(otherName)); // closed when its thread ended
    }

    void sqliteIsConfiguredForConcurrency()
    {
        QFETCH_GLOBAL(QString, backend);
        if (backend != u"sqlite")
            QSKIP("SQLite pragmas only");
        test::ScratchDatabase scratch;
        Database db(scratch.config());
        SqlQuery wal(db, QStringLiteral("PRAGMA journal_mode"));
        wal.exec();
        QVERIFY(wal.next());
        QCOMPARE(wal.value(0).toString(), QStringLiteral("wal"));
        SqlQuery fk(db, QStringLiteral("PRAGMA foreign_keys"));
        fk.exec();
        QVERIFY(fk.next());
        QCOMPARE(fk.value(0).toInt(), 1);
    }

    // The fresh-root failure of tst_authapi ("database is locked ... in: BEGIN"
    // at once, despite a 10 s busy timeout): a thread still reading a SELECT
    // begins a write transaction after another connection committed. SQLite
    // refuses that upgrade immediately (SQLITE_BUSY_SNAPSHOT) instead of waiting.
    void writeAfterAnUnfinishedReadWaits()
    {
        test::ScratchDatabase scratch;
        Database db(scratch.config());
        SqlQuery(db, QStringLiteral("CREATE TABLE lock_probe (n INTEGER NOT NULL)")).exec();
        SqlQuery(db, QStringLiteral("INSERT INTO lock_probe (n) VALUES (1), (2)")).exec();
        QSemaphore readStarted, otherCommitted;
        QString readerError, writerError;
        QThread *reader = QThread::create([&] {
            try {
                SqlQuery q(db, QStringLiteral("SELECT n FROM lock_probe ORDER BY n"));
                q.exec();
                const bool first = q.next(); // one row of two: the read stays open
                readStarted.release();
                otherCommitted.acquire();
                Transaction tx(db);
                SqlQuery(db, QStringLiteral("INSERT INTO lock_probe (n) VALUES (:n)")).bind(QStringLiteral(":n"), first ? 10 : -1).exec();
                tx.commit();
            } catch (const DomainError &e) {
                readerError = e.message();
                readStarted.release();
            }
        });
        QThread *writer = QThread::create([&] {
            readStarted.acquire();
            try {
                Transaction tx(db);
                SqlQuery(db, QStringLiteral("INSERT INTO lock_probe (n) VALUES (20)")).exec();
                tx.commit();
            } catch (const DomainError &e) {
                writerError = e.message();
            }
            otherCommitted.release();
        });
        reader->start();
        writer->start();
        QVERIFY(reader->wait(60000));
        QVERIFY(writer->wait(60000));
        delete reader;
        delete writer;
        QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
        QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
        SqlQuery sum(db, QStringLiteral("SELECT SUM(n) FROM lock_probe"));
        sum.exec();
        QVERIFY(sum.next());
        QCOMPARE(sum.value(0).toInt(), 33);
    }

    // Two connections (two Database objects: as two processes, no shared
    // in-process queue) write concurrently, each after a partial read: every
    // write waits for its turn, none fails with "locked".
    void concurrentWritersNeverFailLocked()
    {
        test::ScratchDatabase scratch;
        Database a(scratch.config());
        Database b(scratch.config());
        SqlQuery(a, QStringLiteral("CREATE TABLE lock_probe (n INTEGER NOT NULL)")).exec();
        SqlQuery(a, QStringLiteral("INSERT INTO lock_probe (n) VALUES (0), (0)")).exec();
        constexpr int kRounds = 40;
        std::atomic<int> written{0};
        QStringList errors;
        QMutex errorsLock;
        const auto work = [&](const Database &db) {
            for (int i = 0; i < kRounds; ++i) {
                try {
                    SqlQuery q(db, QStringLiteral("SELECT n FROM lock_probe"));
                    q.exec();
                    (void)q.next();
                    QThread::usleep(200); // let the other side commit meanwhile
                    Transaction tx(db);
                    SqlQuery(db, QStringLiteral("INSERT INTO lock_probe (n) VALUES (1)")).exec();
                    tx.commit();
                    ++written;
                } catch (const DomainError &e) {
                    const QMutexLocker lock(&errorsLock);
                    errors.append(e.message());
                }
            }
        };
        QThread *first = QThread::create([&] { work(a); });
        QThread *second = QThread::create([&] { work(b); });
        first->start();
        second->start();
        QVERIFY(first->wait(120000));
        QVERIFY(second->wait(120000));
        delete first;
        delete second;
        QVERIFY2(errors.isEmpty(), qPrintable(QStringLiteral("%1 failed, first: %2").arg(errors.size()).arg(errors.value(0))));
        QCOMPARE(written.load(), 2 * kRounds);
    }

    // A query still being iterated when a write transaction began is ended by
    // it: reading on says so instead of silently returning fewer rows.
    void readingOnAfterATransactionBeganIsRefused()
    {
        QFETCH_GLOBAL(QString, backend);
        if (backend != u"sqlite")
            QSKIP("SQLite ends open reads before a write transaction");
        test::ScratchDatabase scratch;
        Database db(scratch.config());
        SqlQuery(db, QStringLiteral("CREATE TABLE lock_probe (n INTEGER NOT NULL)")).exec();
        SqlQuery(db, QStringLiteral("INSERT INTO lock_probe (n) VALUES (1), (2), (3)")).exec();
        SqlQuery q(db, QStringLiteral("SELECT n FROM lock_probe"));
        q.exec();
        QVERIFY(q.next());
        Transaction tx(db);
        try {
            (void)q.next();
            QFAIL("next() after the transaction ended the read must throw");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::Internal);
        }
        tx.commit();
        // Executed again, it reads normally.
        q.exec();
        int rows = 0;
        while (q.next())
            ++rows;
        QCOMPARE(rows, 3);
    }

    void auditSanitizesControlCharacters()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        AuditEvent e;
        e.realmId = QStringLiteral("master");
        e.kind = QStringLiteral("login.failure");
        e.outcome = QStringLiteral("failure");
        e.summary = QStringLiteral("unknown account: evil\r\n2026-01-01 login.success admin");
        core.audit().record(e);
        const auto events = core.audit().recent(QStringLiteral("master"), 1);
        QCOMPARE(events.size(), 1);
        QVERIFY(!events.first().summary.contains(u'\n'));
        QVERIFY(!events.first().summary.contains(u'\r'));
        QVERIFY(events.first().summary.contains(QStringLiteral("\\u000d\\u000a")));
    }
};

QTEST_GUILESS_MAIN(tst_Storage)
#include "tst_storage.moc"
