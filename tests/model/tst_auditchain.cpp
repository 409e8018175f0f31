// The per-realm audit hash chain: what record() writes and what verify()
// catches when someone edits, deletes, reorders or inserts rows with SQL, on
// every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "storage/Sql.h"

#include <QAtomicInt>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

using namespace authrealm;

namespace {

const QString kAcme = QStringLiteral("acme");
const QString kGlobex = QStringLiteral("globex");

AuditEvent makeEvent(const QString &realm, const QString &kind, const QString &summary)
{
    return AuditEvent{0, realm, QStringLiteral("app"), 0, kind, QStringLiteral("user:42"), QStringLiteral("user"),
                      QStringLiteral("42"), QStringLiteral("203.0.113.9"), QStringLiteral("tests/1.0"), QStringLiteral("success"), summary};
}

const QString kColumns = QStringLiteral("id, realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, user_agent, "
                                        "outcome, summary, seq, prev_hash, hash");

// The stored row of a realm's event with this seq, read straight from the table.
AuditEvent storedRow(const Database &db, const QString &realm, qint64 seq)
{
    SqlQuery q(db, QStringLiteral("SELECT %1 FROM audit_events WHERE realm_id = :r AND seq = :s").arg(kColumns));
    q.bind(QStringLiteral(":r"), realm).bind(QStringLiteral(":s"), seq).exec();
    if (!q.next())
        qFatal("no event with seq %lld", seq);
    AuditEvent e{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                 q.value(4).toString(),   q.value(5).toString(), q.value(6).toString(), q.value(7).toString(),
                 q.value(8).toString(),   q.value(9).toString(), q.value(10).toString(), q.value(11).toString()};
    e.seq = q.value(12).toLongLong();
    e.prevHash = q.value(13).toString();
    e.hash = q.value(14).toString();
    return e;
}

// Overwrites every column but id, as an attacker with database access would.
void overwriteRow(const Database &db, const AuditEvent &e)
{
    SqlQuery(db, QStringLiteral("UPDATE audit_events SET realm_id = :r, app_id = :a, occurred_at = :t, kind = :k, actor = :ac, "
                                "target_type = :tt, target_id = :ti, ip = :ip, user_agent = :ua, outcome = :o, summary = :s, "
                                "seq = :seq, prev_hash = :ph, hash = :h WHERE id = :id"))
        .bind(QStringLiteral(":r"), e.realmId)
        .bind(QStringLiteral(":a"), e.appId)
        .bind(QStringLiteral(":t"), e.occurredAt)
        .bind(QStringLiteral(":k"), e.kind)
        .bind(QStringLiteral(":ac"), e.actor)
        .bind(QStringLiteral(":tt"), e.targetType)
        .bind(QStringLiteral(":ti"), e.targetId)
        .bind(QStringLiteral(":ip"), e.ip)
        .bind(QStringLiteral(":ua"), e.userAgent)
        .bind(QStringLiteral(":o"), e.outcome)
        .bind(QStringLiteral(":s"), e.summary)
        .bind(QStringLiteral(":seq"), e.seq)
        .bind(QStringLiteral(":ph"), e.prevHash)
        .bind(QStringLiteral(":h"), e.hash)
        .bind(QStringLiteral(":id"), e.id)
        .exec();
}

void insertRow(const Database &db, const AuditEvent &e)
{
    SqlQuery(db, QStringLiteral("INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, "
                                "user_agent, outcome, summary, seq, prev_hash, hash) "
                                "VALUES (:r, :a, :t, :k, :ac, :tt, :ti, :ip, :ua, :o, :s, :seq, :ph, :h)"))
        .bind(QStringLiteral(":r"), e.realmId)
        .bind(QStringLiteral(":a"), e.appId)
        .bind(QStringLiteral(":t"), e.occurredAt)
        .bind(QStringLiteral(":k"), e.kind)
        .bind(QStringLiteral(":ac"), e.actor)
        .bind(QStringLiteral(":tt"), e.targetType)
        .bind(QStringLiteral(":ti"), e.targetId)
        .bind(QStringLiteral(":ip"), e.ip)
        .bind(QStringLiteral(":ua"), e.userAgent)
        .bind(QStringLiteral(":o"), e.outcome)
        .bind(QStringLiteral(":s"), e.summary)
        .bind(QStringLiteral(":seq"), e.seq)
        .bind(QStringLiteral(":ph"), e.prevHash)
        .bind(QStringLiteral(":h"), e.hash)
        .exec();
}

void exec(const Database &db, const QString &sql, qint64 seq = 0)
{
    SqlQuery q(db, sql);
    q.bind(QStringLiteral(":r"), kAcme);
    if (sql.contains(QStringLiteral(":s")))
        q.bind(QStringLiteral(":s"), seq);
    q.exec();
}

using Tamper = std::function<void(const Database &)>;

// Six acme events (seq 1..6) interleaved with globex ones, then one tampering.
QHash<QString, Tamper> tampers()
{
    QHash<QString, Tamper> t;
    t[QStringLiteral("edit summary")] = [](const Database &db) {
        exec(db, QStringLiteral("UPDATE audit_events SET summary = 'nothing to see' WHERE realm_id = :r AND seq = :s"), 3);
    };
    t[QStringLiteral("edit kind")] = [](const Database &db) {
        exec(db, QStringLiteral("UPDATE audit_events SET kind = 'login.success' WHERE realm_id = :r AND seq = :s"), 4);
    };
    t[QStringLiteral("edit time")] = [](const Database &db) {
        exec(db, QStringLiteral("UPDATE audit_events SET occurred_at = occurred_at - 1 WHERE realm_id = :r AND seq = :s"), 2);
    };
    t[QStringLiteral("edit prev_hash")] = [](const Database &db) {
        exec(db, QStringLiteral("UPDATE audit_events SET prev_hash = 'x' WHERE realm_id = :r AND seq = :s"), 4);
    };
    t[QStringLiteral("edit first event")] = [](const Database &db) {
        exec(db, QStringLiteral("UPDATE audit_events SET actor = 'user:1' WHERE realm_id = :r AND seq = :s"), 1);
    };
    t[QStringLiteral("delete middle")] = [](const Database &db) {
        exec(db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq = :s"), 3);
    };
    t[QStringLiteral("delete first")] = [](const Database &db) {
        exec(db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq = :s"), 1);
    };
    t[QStringLiteral("delete newest")] = [](const Database &db) {
        exec(db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq = :s"), 6);
    };
    t[QStringLiteral("delete two newest")] = [](const Database &db) {
        exec(db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq >= :s"), 5);
    };
    t[QStringLiteral("delete all")] = [](const Database &db) {
        exec(db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r"));
    };
    t[QStringLiteral("delete head")] = [](const Database &db) {
        exec(db, QStringLiteral("DELETE FROM audit_heads WHERE realm_id = :r"));
    };
    t[QStringLiteral("move event to other realm")] = [](const Database &db) {
        exec(db, QStringLiteral("UPDATE audit_events SET realm_id = 'elsewhere' WHERE realm_id = :r AND seq = :s"), 5);
    };
    t[QStringLiteral("swap contents")] = [](const Database &db) {
        // What happened at seq 2 now appears to have happened at seq 3 and vice versa.
        AuditEvent a = storedRow(db, kAcme, 2), b = storedRow(db, kAcme, 3);
        AuditEvent a2 = b, b2 = a;
        a2.id = a.id, a2.seq = a.seq, a2.prevHash = a.prevHash, a2.hash = a.hash;
        b2.id = b.id, b2.seq = b.seq, b2.prevHash = b.prevHash, b2.hash = b.hash;
        overwriteRow(db, a2);
        overwriteRow(db, b2);
    };
    t[QStringLiteral("swap whole rows (reorder)")] = [](const Database &db) {
        AuditEvent a = storedRow(db, kAcme, 2), b = storedRow(db, kAcme, 3);
        std::swap(a.id, b.id);
        overwriteRow(db, a);
        overwriteRow(db, b);
    };
    t[QStringLiteral("re-hash edited event")] = [](const Database &db) {
        AuditEvent e = storedRow(db, kAcme, 3);
        e.summary = QStringLiteral("nothing to see");
        e.hash = AuditLog::chainHash(e.prevHash, e);
        overwriteRow(db, e);
    };
    t[QStringLiteral("re-hash edited newest event")] = [](const Database &db) {
        AuditEvent e = storedRow(db, kAcme, 6);
        e.outcome = QStringLiteral("failure");
        e.hash = AuditLog::chainHash(e.prevHash, e);
        overwriteRow(db, e);
    };
    t[QStringLiteral("forged row with a taken seq")] = [](const Database &db) {
        const AuditEvent before = storedRow(db, kAcme, 3);
        AuditEvent forged = makeEvent(kAcme, QStringLiteral("admin.grant"), QStringLiteral("granted by the owner"));
        forged.occurredAt = before.occurredAt + 1;
        forged.seq = 4;
        forged.prevHash = before.hash;
        forged.hash = AuditLog::chainHash(forged.prevHash, forged);
        insertRow(db, forged);
    };
    t[QStringLiteral("forged row appended")] = [](const Database &db) {
        const AuditEvent newest = storedRow(db, kAcme, 6);
        AuditEvent forged = makeEvent(kAcme, QStringLiteral("admin.grant"), QStringLiteral("granted by the owner"));
        forged.occurredAt = newest.occurredAt + 1;
        forged.seq = 7;
        forged.prevHash = newest.hash;
        forged.hash = AuditLog::chainHash(forged.prevHash, forged);
        insertRow(db, forged);
    };
    t[QStringLiteral("forged row without chain fields")] = [](const Database &db) {
        AuditEvent forged = makeEvent(kAcme, QStringLiteral("admin.grant"), QStringLiteral("granted by the owner"));
        forged.occurredAt = 1;
        insertRow(db, forged);
    };
    t[QStringLiteral("head moved back")] = [](const Database &db) {
        const AuditEvent e = storedRow(db, kAcme, 4);
        SqlQuery(db, QStringLiteral("UPDATE audit_heads SET seq = 4, hash = :h WHERE realm_id = :r"))
            .bind(QStringLiteral(":h"), e.hash)
            .bind(QStringLiteral(":r"), kAcme)
            .exec();
    };
    return t;
}

} // namespace

class tst_AuditChain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void canonicalFormIsFixed()
    {
        // Golden values computed outside Qt (Python hashlib) from the documented
        // format; if this fails, every stored chain would stop verifying.
        AuditEvent e{0, kAcme, QStringLiteral("app"), 1'767'225'600'000, QStringLiteral("login.success"), QStringLiteral("user:1"),
                     QStringLiteral("user"), QStringLiteral("1"), QStringLiteral("127.0.0.1"), QStringLiteral("curl/8 \u00e9"),
                     QStringLiteral("success"), QStringLiteral("said \"hi\" \\ done")};
        e.seq = 1;
        const QString first = AuditLog::chainHash(QString(), e);
        QCOMPARE(first, QStringLiteral("0b0e6a8f9823645622f8a1f87ad040d7dd52c37f424d507c76d0932ea3255668"));
        e.seq = 2;
        QCOMPARE(AuditLog::chainHash(first, e), QStringLiteral("f7432155f7f20fb6da3bbfe7574f1374c0e199ecaf662d841dab6708445dce70"));
    }

    void untouchedChainIsIntact()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        QVERIFY(core.audit().verify(kAcme).intact); // no events yet
        QCOMPARE(core.audit().verify(kAcme).eventsChecked, 0);
        for (int i = 1; i <= 10; ++i) {
            core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QStringLiteral("login %1").arg(i)));
            clock.advanceSeconds(1);
        }
        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.eventsChecked, 10);
        QCOMPARE(check.unchainedEvents, 0);

        const QList<AuditEvent> recent = core.audit().recent(kAcme, 100);
        QCOMPARE(recent.size(), 10);
        static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
        for (int i = 0; i < recent.size(); ++i) {
            const AuditEvent &e = recent.at(i);
            QCOMPARE(e.seq, 10 - i);
            QVERIFY(hex.match(e.hash).hasMatch());
            QCOMPARE(e.hash, AuditLog::chainHash(e.prevHash, e));
            if (i + 1 < recent.size())
                QCOMPARE(e.prevHash, recent.at(i + 1).hash);
            else
                QCOMPARE(e.prevHash, QString());
        }
        // The bootstrap events of the master realm form their own chain.
        QVERIFY(core.audit().verify(QStringLiteral("master")).intact);
        QVERIFY(core.audit().verify(QStringLiteral("master")).eventsChecked > 0);
    }

    void tampering_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<qint64>("brokenSeq");
        QTest::addColumn<bool>("knownEvent"); // brokenEventId names a stored row
        QTest::addColumn<QString>("reason");
        auto row = [](const char *name, qint64 seq, bool known, const char *reason) {
            QTest::newRow(name) << QString::fromLatin1(name) << seq << known << QString::fromLatin1(reason);
        };
        row("edit summary", 3, true, "was altered: its hash does not match its contents");
        row("edit kind", 4, true, "was altered: its hash does not match its contents");
        row("edit time", 2, true, "was altered: its hash does not match its contents");
        row("edit prev_hash", 4, true, "was altered: its hash does not match its contents");
        row("edit first event", 1, true, "was altered: its hash does not match its contents");
        row("delete middle", 3, false, "seq 3 is missing: an event was deleted");
        row("delete first", 1, false, "seq 1 is missing: an event was deleted");
        row("delete newest", 6, false, "the newest events after seq 5 were deleted");
        row("delete two newest", 5, false, "the newest events after seq 4 were deleted");
        row("delete all", 1, false, "all 6 events were deleted");
        row("delete head", 6, true, "the chain head is missing");
        row("move event to other realm", 5, false, "seq 5 is missing: an event was deleted");
        row("swap contents", 2, true, "was altered: its hash does not match its contents");
        row("swap whole rows (reorder)", 2, true, "events are out of order");
        row("re-hash edited event", 3, true, "was altered and re-hashed");
        row("re-hash edited newest event", 6, true, "the chain head records a different newest event");
        row("forged row with a taken seq", 4, true, "seq 4 appears twice");
        row("forged row appended", 7, true, "the events after seq 6 were added outside the audit log");
        row("forged row without chain fields", 0, true, "inserted outside the audit log");
        row("head moved back", 5, true, "the events after seq 4 were added outside the audit log");
    }

    void tampering()
    {
        QFETCH(QString, tamper);
        QFETCH(qint64, brokenSeq);
        QFETCH(bool, knownEvent);
        QFETCH(QString, reason);

        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        for (int i = 1; i <= 6; ++i) {
            core.audit().record(makeEvent(kAcme, QStringLiteral("login.failure"), QStringLiteral("acme %1").arg(i)));
            core.audit().record(makeEvent(kGlobex, QStringLiteral("login.failure"), QStringLiteral("globex %1").arg(i)));
            clock.advanceSeconds(7);
        }
        QVERIFY(core.audit().verify(kAcme).intact);

        tampers().value(tamper)(core.database());

        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY(!check.intact);
        QVERIFY2(check.reason.contains(reason), qPrintable(check.reason));
        QCOMPARE(check.brokenSeq, brokenSeq);
        if (knownEvent) {
            QVERIFY(check.brokenEventId > 0);
            SqlQuery q(core.database(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE id = :id"));
            q.bind(QStringLiteral(":id"), check.brokenEventId).exec();
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 1);
        } else {
            QCOMPARE(check.brokenEventId, 0);
        }
        QVERIFY(check.eventsChecked <= 7);

        // The other realm's chain is untouched by all of this.
        const ChainCheck other = core.audit().verify(kGlobex);
        QVERIFY2(other.intact, qPrintable(other.reason));
        QCOMPARE(other.eventsChecked, 6);
    }

    void realmsHaveIndependentChains()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        for (int i = 0; i < 5; ++i) {
            core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QString()));
            core.audit().record(makeEvent(kGlobex, QStringLiteral("login.success"), QString()));
            core.audit().record(makeEvent(kGlobex, QStringLiteral("login.success"), QString()));
        }
        QCOMPARE(core.audit().verify(kAcme).eventsChecked, 5);
        QCOMPARE(core.audit().verify(kGlobex).eventsChecked, 10);
        QCOMPARE(core.audit().recent(kAcme, 1).first().seq, 5);
        QCOMPARE(core.audit().recent(kGlobex, 1).first().seq, 10);

        // Identical contents still hash differently per realm: a row copied
        // into another realm's chain does not fit there.
        const AuditEvent a = storedRow(core.database(), kAcme, 1);
        const AuditEvent g = storedRow(core.database(), kGlobex, 1);
        QVERIFY(a.hash != g.hash);

        SqlQuery(core.database(), QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND seq = 2"))
            .bind(QStringLiteral(":r"), kGlobex)
            .exec();
        QVERIFY(!core.audit().verify(kGlobex).intact);
        QVERIFY(core.audit().verify(kAcme).intact);
    }

    void concurrentAppendsFormGapFreeChain()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        constexpr int kThreads = 4;
        constexpr int kEach = 25;
        QAtomicInt failures;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back(QThread::create([&core, &failures, t] {
                for (int i = 0; i < kEach; ++i) {
                    try {
                        core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QStringLiteral("thread %1 event %2").arg(t).arg(i)));
                    } catch (const std::exception &) {
                        failures.fetchAndAddRelaxed(1);
                    }
                }
            }));
        }
        for (auto &thread : threads)
            thread->start();
        for (auto &thread : threads)
            QVERIFY(thread->wait(120000));
        QCOMPARE(failures.loadRelaxed(), 0);

        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.eventsChecked, kThreads * kEach);
        const QList<AuditEvent> all = core.audit().recent(kAcme, 1000);
        QCOMPARE(all.size(), kThreads * kEach);
        QSet<qint64> seqs;
        for (const AuditEvent &e : all)
            seqs.insert(e.seq);
        QCOMPARE(seqs.size(), kThreads * kEach);
        QCOMPARE(*std::min_element(seqs.cbegin(), seqs.cend()), 1);
        QCOMPARE(*std::max_element(seqs.cbegin(), seqs.cend()), kThreads * kEach);
    }

    void verifyWhileAppendingStaysIntact()
    {
        // verify() takes no lock: events committed during its walk must not
        // look like tampering.
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        QAtomicInt done;
        std::unique_ptr<QThread> writer(QThread::create([&] {
            for (int i = 0; i < 150; ++i)
                core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QString::number(i)));
            done.storeRelease(1);
        }));
        writer->start();
        int checks = 0;
        while (!done.loadAcquire()) {
            const ChainCheck check = core.audit().verify(kAcme);
            QVERIFY2(check.intact, qPrintable(check.reason));
            ++checks;
        }
        QVERIFY(writer->wait(120000));
        QVERIFY(checks > 0);
        QCOMPARE(core.audit().verify(kAcme).eventsChecked, 150);
    }

    void recordJoinsTheCallersTransaction()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        core.audit().record(makeEvent(kAcme, QStringLiteral("a"), QString()));
        {
            Transaction tx(core.database());
            core.audit().record(makeEvent(kAcme, QStringLiteral("rolled.back"), QString()));
            // no commit: the event and the head move are undone together
        }
        {
            Transaction tx(core.database());
            core.audit().record(makeEvent(kAcme, QStringLiteral("b"), QString()));
            core.audit().record(makeEvent(kAcme, QStringLiteral("c"), QString()));
            tx.commit();
        }
        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.eventsChecked, 3);
        QCOMPARE(core.audit().recent(kAcme, 1).first().kind, QStringLiteral("c"));
    }

    void eventsFromBeforeTheChainAreCountedNotVerified()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        AuditEvent legacy = makeEvent(kAcme, QStringLiteral("login.success"), QStringLiteral("schema v1"));
        legacy.occurredAt = 1000;
        insertRow(core.database(), legacy); // seq 0, no hashes: what the v2 migration left behind
        insertRow(core.database(), legacy);
        core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QString()));
        core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QString()));
        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.eventsChecked, 2);
        QCOMPARE(check.unchainedEvents, 2);
    }

    void controlCharactersAreStillNeutralised()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        AuditEvent e = makeEvent(kAcme, QStringLiteral("login.failure\r\nlogin.success"), QStringLiteral("bad\r\nkind=login.success"));
        e.userAgent = QStringLiteral("agent\nX-Forged: 1\u2028\u2029");
        e.actor = QString(QChar(0)) + QStringLiteral("user:1");
        core.audit().record(e);

        // A surrogate pair cut by the length limit, and a lone surrogate: both
        // must be stored so they read back exactly as hashed.
        AuditEvent cut = makeEvent(kAcme, QStringLiteral("login.failure"), QString(511, u'x') + QStringLiteral("\U0001F600"));
        cut.targetId = QString(QChar(0xD800)) + QStringLiteral("tail");
        core.audit().record(cut);

        const QList<AuditEvent> recent = core.audit().recent(kAcme, 10);
        QCOMPARE(recent.size(), 2);
        const AuditEvent &stored = recent.at(1);
        QCOMPARE(stored.kind, QStringLiteral("login.failure\\u000d\\u000alogin.success"));
        QCOMPARE(stored.summary, QStringLiteral("bad\\u000d\\u000akind=login.success"));
        QCOMPARE(stored.userAgent, QStringLiteral("agent\\u000aX-Forged: 1\\u2028\\u2029"));
        QCOMPARE(stored.actor, QStringLiteral("\\u0000user:1"));
        for (const AuditEvent &r : recent) {
            for (const QString &field : {r.kind, r.summary, r.userAgent, r.actor, r.targetId}) {
                QVERIFY(!field.contains(u'\r'));
                QVERIFY(!field.contains(u'\n'));
            }
        }
        QCOMPARE(recent.at(0).summary, QString(511, u'x'));
        QCOMPARE(recent.at(0).targetId, QStringLiteral("\\ud800tail"));

        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.eventsChecked, 2);
    }
};

QTEST_GUILESS_MAIN(tst_AuditChain)
#include "tst_auditchain.moc"
