// The per-realm audit hash chain: what record() writes and what verify()
// catches when someone edits, deletes, reorders or inserts rows with SQL, on
// every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/DomainError.h"
#include "storage/Sql.h"

#include <QAtomicInt>
#include <QFile>
#include <QTemporaryDir>
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

constexpr qint64 kDayMs = 86'400'000;

// Ten acme events one day apart (seq 1..10), interleaved with globex ones.
// Returns the time of acme's seq n at index n.
QList<qint64> recordTenDays(AuthRealmCore &core, ManualClock &clock)
{
    QList<qint64> times{0};
    for (int i = 1; i <= 10; ++i) {
        times.append(clock.nowMs());
        core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QStringLiteral("acme %1").arg(i)));
        core.audit().record(makeEvent(kGlobex, QStringLiteral("login.success"), QStringLiteral("globex %1").arg(i)));
        clock.advanceSeconds(86400);
    }
    return times;
}

qint64 countEvents(const Database &db, const QString &realm)
{
    SqlQuery q(db, QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realm).exec();
    return q.next() ? q.value(0).toLongLong() : -1;
}

QString anchorValue(const Database &db, const QString &realm)
{
    SqlQuery q(db, QStringLiteral("SELECT value FROM deployment_settings WHERE name = :n"));
    q.bind(QStringLiteral(":n"), QStringLiteral("audit_anchor:") + realm).exec();
    return q.next() ? q.value(0).toString() : QString();
}

void setAnchorValue(const Database &db, const QString &realm, const QString &value)
{
    SqlQuery(db, QStringLiteral("UPDATE deployment_settings SET value = :v WHERE name = :n"))
        .bind(QStringLiteral(":v"), value)
        .bind(QStringLiteral(":n"), QStringLiteral("audit_anchor:") + realm)
        .exec();
}

QList<QByteArray> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

void writeLines(const QString &path, const QList<QByteArray> &lines)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    for (const QByteArray &line : lines)
        file.write(line + '\n');
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

    void pruneKeepsTheChainVerifiable()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        const QList<qint64> times = recordTenDays(core, clock);
        const AuditEvent fourth = storedRow(core.database(), kAcme, 4);

        // Everything before seq 5's time: seq 1..4, and nothing of globex.
        const PruneResult result = core.audit().prune(kAcme, times.at(5), QString());
        QCOMPARE(result.eventsRemoved, 4);
        QCOMPARE(result.unchainedRemoved, 0);
        QCOMPARE(result.firstSeq, 1);
        QCOMPARE(result.lastSeq, 4);
        QCOMPARE(result.lastHash, fourth.hash);
        QVERIFY(result.archivePath.isEmpty());
        QCOMPARE(anchorValue(core.database(), kAcme), QStringLiteral("4:") + fourth.hash);

        ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.anchorSeq, 4);
        QCOMPARE(check.anchorHash, fourth.hash);
        QCOMPARE(check.eventsChecked, 7); // seq 5..10 and the audit.pruned event
        const QList<AuditEvent> kept = core.audit().recent(kAcme, 100);
        QCOMPARE(kept.size(), 7);
        QCOMPARE(kept.first().kind, QStringLiteral("audit.pruned"));
        QCOMPARE(kept.first().actor, QStringLiteral("system"));
        for (const AuditEvent &e : kept)
            QVERIFY(e.occurredAt >= times.at(5)); // nothing at or after the cutoff went
        QCOMPARE(countEvents(core.database(), kGlobex), 10);
        QVERIFY(core.audit().verify(kGlobex).intact);
        QCOMPARE(core.audit().verify(kGlobex).anchorSeq, 0);

        // Again with the same cutoff: nothing to do, and no new event either.
        const PruneResult again = core.audit().prune(kAcme, times.at(5), QString());
        QCOMPARE(again.eventsRemoved, 0);
        QCOMPARE(countEvents(core.database(), kAcme), 7);

        // Further, in a batch of two: continues from the anchor.
        const PruneResult more = core.audit().prune(kAcme, times.at(9), QString(), 2);
        QCOMPARE(more.eventsRemoved, 2);
        QCOMPARE(more.firstSeq, 5);
        QCOMPARE(more.lastSeq, 6);
        check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.anchorSeq, 6);
        QCOMPARE(check.eventsChecked, 6); // seq 7..10, two audit.pruned

        // Everything, the head included: the anchor alone carries the chain on.
        const PruneResult all = core.audit().prune(kAcme, clock.nowMs() + 1, QString());
        QCOMPARE(all.lastSeq, 12);
        QCOMPARE(countEvents(core.database(), kAcme), 1); // this prune's own event
        check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.anchorSeq, 12);
        QCOMPARE(check.eventsChecked, 1);
        core.audit().record(makeEvent(kAcme, QStringLiteral("login.success"), QStringLiteral("after")));
        QVERIFY(core.audit().verify(kAcme).intact);
        QCOMPARE(core.audit().recent(kAcme, 1).first().seq, 14);
    }

    void tamperingAfterPrune_data()
    {
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<QString>("reason");
        auto row = [](const char *name, const char *reason) { QTest::newRow(name) << QString::fromLatin1(name) << QString::fromLatin1(reason); };
        row("delete event after the anchor", "seq 5 is missing: an event was deleted");
        row("delete a later event", "seq 7 is missing: an event was deleted");
        row("delete everything after the anchor", "the newest events after seq 4 were deleted");
        row("edit anchor-adjacent event", "was altered: its hash does not match its contents");
        row("re-hash anchor-adjacent event", "does not link to the audit anchor at seq 4");
        row("anchor hash changed", "does not link to the audit anchor at seq 4");
        row("anchor seq moved forward alone", "event 10 (seq 5) lies before the audit anchor at seq 5");
        row("anchor seq moved back", "seq 4 is missing: an event was deleted");
        row("anchor deleted", "seq 1 is missing: an event was deleted");
        row("anchor malformed", "the audit anchor (where the chain continues after a prune) is malformed");
        row("pruned event put back", "lies before the audit anchor at seq 4");
    }

    void tamperingAfterPrune()
    {
        QFETCH(QString, tamper);
        QFETCH(QString, reason);
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        const QList<qint64> times = recordTenDays(core, clock);
        const AuditEvent third = storedRow(core.database(), kAcme, 3);
        const PruneResult result = core.audit().prune(kAcme, times.at(5), QString());
        QCOMPARE(result.lastSeq, 4);
        QVERIFY(core.audit().verify(kAcme).intact);

        const Database &db = core.database();
        auto deleteSeq = [&](const char *condition, qint64 seq) {
            SqlQuery(db, QStringLiteral("DELETE FROM audit_events WHERE realm_id = :r AND %1").arg(QLatin1String(condition)))
                .bind(QStringLiteral(":r"), kAcme)
                .bind(QStringLiteral(":s"), seq)
                .exec();
        };
        const QString anchor = anchorValue(db, kAcme);
        const QString anchorHash = anchor.mid(anchor.indexOf(u':') + 1);
        if (tamper == u"delete event after the anchor") {
            deleteSeq("seq = :s", 5);
        } else if (tamper == u"delete a later event") {
            deleteSeq("seq = :s", 7);
        } else if (tamper == u"delete everything after the anchor") {
            deleteSeq("seq > :s", 4);
        } else if (tamper == u"edit anchor-adjacent event") {
            exec(db, QStringLiteral("UPDATE audit_events SET summary = 'nothing to see' WHERE realm_id = :r AND seq = :s"), 5);
        } else if (tamper == u"re-hash anchor-adjacent event") {
            AuditEvent e = storedRow(db, kAcme, 5);
            e.prevHash = QString(64, u'0');
            e.hash = AuditLog::chainHash(e.prevHash, e);
            overwriteRow(db, e);
        } else if (tamper == u"anchor hash changed") {
            setAnchorValue(db, kAcme, QStringLiteral("4:") + QString(64, u'0'));
        } else if (tamper == u"anchor seq moved forward alone") {
            setAnchorValue(db, kAcme, QStringLiteral("5:") + anchorHash);
        } else if (tamper == u"anchor seq moved back") {
            setAnchorValue(db, kAcme, QStringLiteral("3:") + anchorHash);
        } else if (tamper == u"anchor deleted") {
            SqlQuery(db, QStringLiteral("DELETE FROM deployment_settings WHERE name = :n")).bind(QStringLiteral(":n"), QStringLiteral("audit_anchor:acme")).exec();
        } else if (tamper == u"anchor malformed") {
            setAnchorValue(db, kAcme, QStringLiteral("four"));
        } else if (tamper == u"pruned event put back") {
            insertRow(db, third);
        } else {
            QFAIL("unknown tamper");
        }
        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY(!check.intact);
        QVERIFY2(check.reason.contains(reason), qPrintable(check.reason));
        QVERIFY(core.audit().verify(kGlobex).intact);
        // A broken chain is never pruned over: that would hide the evidence.
        try {
            const PruneResult r = core.audit().prune(kAcme, clock.nowMs() + 1, QString());
            QCOMPARE(r.eventsRemoved, 0); // only when there was nothing left to remove
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::Conflict);
        }
        QVERIFY(!core.audit().verify(kAcme).intact);
    }

    void pruneRefusesABrokenChain()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        const QList<qint64> times = recordTenDays(core, clock);
        exec(core.database(), QStringLiteral("UPDATE audit_events SET summary = 'nothing to see' WHERE realm_id = :r AND seq = :s"), 2);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acme.jsonl"));
        try {
            (void)core.audit().prune(kAcme, times.at(5), path);
            QFAIL("prune over a tampered event succeeded");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::Conflict);
            QVERIFY2(e.message().contains(QStringLiteral("does not verify at seq 2")), qPrintable(e.message()));
        }
        QCOMPARE(countEvents(core.database(), kAcme), 10);
        QVERIFY(anchorValue(core.database(), kAcme).isEmpty());
        QVERIFY(!QFile::exists(path));
        // Editing the newest pruned event is caught by the first kept one.
        test::ScratchDatabase scratch2;
        ManualClock clock2;
        AuthRealmCore core2(test::coreOptions(scratch2.config(), &clock2));
        const QList<qint64> times2 = recordTenDays(core2, clock2);
        AuditEvent e = storedRow(core2.database(), kAcme, 4);
        e.summary = QStringLiteral("nothing to see");
        e.hash = AuditLog::chainHash(e.prevHash, e);
        overwriteRow(core2.database(), e);
        QVERIFY_THROWS_EXCEPTION(DomainError, core2.audit().prune(kAcme, times2.at(5), QString()));
        QCOMPARE(countEvents(core2.database(), kAcme), 10);
    }

    void archiveVerifiesOnItsOwn()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        const QList<qint64> times = recordTenDays(core, clock);
        QTemporaryDir dir;
        const QString first = dir.filePath(QStringLiteral("acme-1.jsonl"));
        const PruneResult result = core.audit().prune(kAcme, times.at(5), first, 0, QStringLiteral("cli:audit-prune"));
        QCOMPARE(result.archivePath, first);
        QCOMPARE(result.eventsRemoved, 4);
        QCOMPARE(QFile::permissions(first) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        QCOMPARE(readLines(first).size(), 4);

        ArchiveCheck check = AuditLog::verifyArchive(first);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.realmId, kAcme);
        QCOMPARE(check.eventsChecked, 4);
        QCOMPARE(check.firstSeq, 1);
        QCOMPARE(check.lastSeq, 4);
        QCOMPARE(check.firstPrevHash, QString());
        QCOMPARE(check.lastHash, core.audit().verify(kAcme).anchorHash);

        // The next archive continues where this one ends.
        const QString second = dir.filePath(QStringLiteral("acme-2.jsonl"));
        (void)core.audit().prune(kAcme, times.at(7), second);
        const ArchiveCheck next = AuditLog::verifyArchive(second);
        QVERIFY2(next.intact, qPrintable(next.reason));
        QCOMPARE(next.firstSeq, 5);
        QCOMPARE(next.firstPrevHash, check.lastHash);
        QVERIFY(core.audit().verify(kAcme).intact);

        // An archive is never overwritten.
        QVERIFY_THROWS_EXCEPTION(DomainError, core.audit().prune(kAcme, times.at(9), first));
        QCOMPARE(readLines(first).size(), 4);
        QCOMPARE(countEvents(core.database(), kAcme), 4 + 2); // seq 7..10 and two audit.pruned

        // Tampering with the archive.
        const QList<QByteArray> lines = readLines(first);
        const QString tampered = dir.filePath(QStringLiteral("tampered.jsonl"));
        QList<QByteArray> edited = lines;
        edited[1].replace("acme 2", "acme X");
        writeLines(tampered, edited);
        check = AuditLog::verifyArchive(tampered);
        QVERIFY(!check.intact);
        QCOMPARE(check.brokenLine, 2);
        QVERIFY2(check.reason.contains(QStringLiteral("seq 2 was altered")), qPrintable(check.reason));

        edited = lines;
        edited.removeAt(2);
        writeLines(tampered, edited);
        check = AuditLog::verifyArchive(tampered);
        QVERIFY(!check.intact);
        QCOMPARE(check.brokenLine, 3);

        writeLines(tampered, lines);
        QFile file(tampered);
        QVERIFY(file.open(QIODevice::Append));
        file.write(lines.at(0).left(20)); // a truncated copy
        file.close();
        QVERIFY(!AuditLog::verifyArchive(tampered).intact);

        writeLines(tampered, {});
        QVERIFY(!AuditLog::verifyArchive(tampered).intact);
        QVERIFY_THROWS_EXCEPTION(DomainError, AuditLog::verifyArchive(dir.filePath(QStringLiteral("missing.jsonl"))));
    }

    void unwritableArchiveDeletesNothing()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        const QList<qint64> times = recordTenDays(core, clock);
        QTemporaryDir dir;
        // A folder that does not exist, and a path that is a folder.
        for (const QString &path : {dir.filePath(QStringLiteral("no/such/folder/acme.jsonl")), dir.path()}) {
            try {
                (void)core.audit().prune(kAcme, times.at(5), path);
                QFAIL("prune with an unwritable archive succeeded");
            } catch (const DomainError &e) {
                QVERIFY2(e.message().contains(QStringLiteral("nothing was pruned")), qPrintable(e.message()));
            }
        }
        QCOMPARE(countEvents(core.database(), kAcme), 10);
        QVERIFY(anchorValue(core.database(), kAcme).isEmpty());
        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY(check.intact);
        QCOMPARE(check.eventsChecked, 10);
        QCOMPARE(check.anchorSeq, 0);
    }

    void unchainedEventsArePrunedToo()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        AuditEvent legacy = makeEvent(kAcme, QStringLiteral("login.success"), QStringLiteral("schema v1"));
        legacy.occurredAt = 1000;
        insertRow(core.database(), legacy);
        insertRow(core.database(), legacy);
        const QList<qint64> times = recordTenDays(core, clock);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("acme.jsonl"));
        const PruneResult result = core.audit().prune(kAcme, times.at(3), path);
        QCOMPARE(result.unchainedRemoved, 2);
        QCOMPARE(result.eventsRemoved, 2);
        const ChainCheck check = core.audit().verify(kAcme);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QCOMPARE(check.unchainedEvents, 0);
        const ArchiveCheck archived = AuditLog::verifyArchive(path);
        QVERIFY2(archived.intact, qPrintable(archived.reason));
        QCOMPARE(archived.unchainedEvents, 2);
        QCOMPARE(archived.eventsChecked, 2);
    }

    void retentionSetting()
    {
        test::ScratchDatabase scratch;
        ManualClock clock;
        AuthRealmCore core(test::coreOptions(scratch.config(), &clock));
        core.realms().createRealm(Realm{kAcme, QStringLiteral("Acme"), 1});
        core.realms().createRealm(Realm{kGlobex, QStringLiteral("Globex"), 1});
        const SettingDefinition *def = RealmSettings::find(QStringLiteral("auditRetentionDays"));
        QVERIFY(def);
        QCOMPARE(def->unit, QStringLiteral("d"));
        QCOMPARE(core.realms().settings(kAcme).value(QStringLiteral("auditRetentionDays")).toLongLong(), 0);
        RealmSettings settings;
        QVERIFY_THROWS_EXCEPTION(DomainError, settings.set(QStringLiteral("auditRetentionDays"), QVariant(36501)));
        QVERIFY_THROWS_EXCEPTION(DomainError, settings.set(QStringLiteral("auditRetentionDays"), QVariant(-1)));
        settings.set(QStringLiteral("auditRetentionDays"), QVariant(3));
        core.realms().saveSettings(kGlobex, settings);

        const qint64 before = countEvents(core.database(), kAcme);
        recordTenDays(core, clock); // now = day 10; globex keeps what is younger than 3 days
        const qint64 now = clock.nowMs();
        const QList<RetentionRun> runs = core.audit().applyRetention(core.realms());
        QCOMPARE(runs.size(), 1); // only realms with a retention
        QCOMPARE(runs.first().realmId, kGlobex);
        QCOMPARE(runs.first().retentionDays, 3);
        QVERIFY2(runs.first().error.isEmpty(), qPrintable(runs.first().error));
        QCOMPARE(countEvents(core.database(), kAcme), before + 10); // retention 0 prunes nothing

        const QList<AuditEvent> kept = core.audit().recent(kGlobex, 100);
        for (const AuditEvent &e : kept)
            QVERIFY(e.occurredAt >= now - 3 * kDayMs);
        // Days 8, 9 and 10 (at now - 3, -2, -1 days) stay, plus the audit.pruned event.
        QCOMPARE(kept.size(), 3 + 1);
        QCOMPARE(runs.first().eventsRemoved, 7);
        const ChainCheck check = core.audit().verify(kGlobex);
        QVERIFY2(check.intact, qPrintable(check.reason));
        QVERIFY(check.anchorSeq > 0);
        QVERIFY(core.audit().verify(kAcme).intact);

        // Nothing more to do: no new audit.pruned event.
        QCOMPARE(core.audit().applyRetention(core.realms()).first().eventsRemoved, 0);
        QCOMPARE(countEvents(core.database(), kGlobex), 4);
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
