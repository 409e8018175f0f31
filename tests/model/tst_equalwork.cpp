// Enumeration through work and mail headers, on every backend, asserted by
// structure rather than by timing:
//  - an email-code request does the same database work (statements, writes)
//    for a known email, an unknown one, an inactive account and an account
//    that asked too often;
//  - the Message-ID of a delivered mail is 128 random bits, carrying no outbox
//    row number, so registering a known and an unknown email look alike.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "admin/AdminActor.h"
#include "mail/MailTransport.h"
#include "storage/Sql.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace authrealm;

namespace {
const QString kRealm = QStringLiteral("acme");
const ClientInfo kClient{QStringLiteral("203.0.113.7"), QStringLiteral("tst_equalwork")};

QJsonObject sampleRealm()
{
    return QJsonDocument::fromJson(R"({"realm": "acme", "displayName": "Acme",
        "settings": {"emailCodeLoginEnabled": true, "registrationEnabled": false},
        "apps": [{"id": "plantaerium", "displayName": "Plantaerium"}],
        "users": [{"email": "known@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]},
                  {"email": "again@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]},
                  {"email": "gone@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]}]})")
        .object();
}

AdminActor master()
{
    return AdminActor{QStringLiteral("console:test"), {AdminGrant{AdminGrant::Layer::Master, {}, {}}}, false, {}, {}};
}

// Keeps every message handed to it, as an SMTP server would.
class CapturingTransport : public MailTransport
{
public:
    void send(const SmtpSettings &, const QString &recipient, const QByteArray &message) override { sent.append({recipient, message}); }
    QList<QPair<QString, QByteArray>> sent;
};

QString messageIdOf(const QByteArray &message)
{
    static const QRegularExpression re(QStringLiteral("^Message-ID: <([^>]*)>\\r$"), QRegularExpression::MultilineOption);
    return re.match(QString::fromUtf8(message)).captured(1);
}

qint64 scalar(const Database &db, const QString &sql)
{
    SqlQuery q(db, sql);
    q.exec();
    return q.next() ? q.value(0).toLongLong() : -1;
}
} // namespace

class tst_EqualWork : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

    void makeCore()
    {
        m_core.reset();
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        m_core->transfer().importRealm(sampleRealm(), QStringLiteral("test"));
    }

    qint64 outboxRows() { return scalar(m_core->database(), QStringLiteral("SELECT COUNT(*) FROM mail_outbox")); }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init() { makeCore(); }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    void emailCodeRequestsDoTheSameWork_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("setUp");
        QTest::addColumn<qint64>("mailsQueued");
        // Each case against a known email that really gets its code.
        QTest::newRow("unknown email") << QStringLiteral("nobody@example.com") << QString() << qint64(0);
        QTest::newRow("unknown, other case") << QStringLiteral("NoBody@Example.com") << QString() << qint64(0);
        QTest::newRow("known, asked again at once") << QStringLiteral("again@example.com") << QStringLiteral("ask") << qint64(0);
        QTest::newRow("suspended account") << QStringLiteral("gone@example.com") << QStringLiteral("suspend") << qint64(0);
        QTest::newRow("known (the reference itself)") << QStringLiteral("known@example.com") << QString() << qint64(1);
    }
    void emailCodeRequestsDoTheSameWork()
    {
        QFETCH(QString, email);
        QFETCH(QString, setUp);
        QFETCH(qint64, mailsQueued);
        if (setUp == u"ask")
            m_core->account().requestEmailCode(kRealm, email, kClient);
        if (setUp == u"suspend") {
            const auto user = m_core->users().findByLogin(kRealm, email);
            QVERIFY(user);
            m_core->admin().setStatus(master(), kRealm, user->id, UserStatus::Suspended);
        }
        // Warm up what is cached per process (prepared statements, settings)
        // with a request nobody compares.
        m_core->account().requestEmailCode(kRealm, QStringLiteral("warm-up@example.com"), kClient);

        const auto measure = [this](const QString &address) {
            const SqlQuery::Tally before = SqlQuery::tallyOnThisThread();
            m_core->account().requestEmailCode(kRealm, address, kClient);
            const SqlQuery::Tally after = SqlQuery::tallyOnThisThread();
            return qMakePair(after.statements - before.statements, after.writes - before.writes);
        };
        const qint64 outboxBefore = outboxRows();
        const auto probed = measure(email);
        QCOMPARE(outboxRows() - outboxBefore, mailsQueued);
        // The reference: a fresh known account that gets its code now.
        const qint64 referenceBefore = outboxRows();
        const auto reference = measure(QStringLiteral("known@example.com"));
        if (setUp.isEmpty() && email == u"known@example.com") {
            // known@ asked twice: the second is the rate-limited one, and must cost the same.
            QCOMPARE(outboxRows() - referenceBefore, qint64(0));
        } else {
            QCOMPARE(outboxRows() - referenceBefore, qint64(1));
        }
        QVERIFY(probed.first > 0);
        QCOMPARE(probed.first, reference.first);   // statements
        QCOMPARE(probed.second, reference.second); // of which writes
    }

    // The reset request rehearses the same token and mail writes.
    void resetRequestsDoTheSameWork()
    {
        m_core->account().forgotPassword(kRealm, QStringLiteral("warm-up@example.com"), kClient);
        const auto measure = [this](const QString &address) {
            const SqlQuery::Tally before = SqlQuery::tallyOnThisThread();
            m_core->account().forgotPassword(kRealm, address, kClient);
            const SqlQuery::Tally after = SqlQuery::tallyOnThisThread();
            return qMakePair(after.statements - before.statements, after.writes - before.writes);
        };
        const qint64 outboxBefore = outboxRows();
        const auto known = measure(QStringLiteral("known@example.com"));
        QCOMPARE(outboxRows() - outboxBefore, qint64(1));
        const auto unknown = measure(QStringLiteral("nobody@example.com"));
        QCOMPARE(outboxRows() - outboxBefore, qint64(1));
        QCOMPARE(unknown.first, known.first);
        QCOMPARE(unknown.second, known.second);
    }

    void messageIdsAreRandomNotOutboxNumbers()
    {
        (void)m_core->admin().updateSettings(master(), kRealm, QJsonObject{{QStringLiteral("registrationEnabled"), true}});
        SmtpSettings smtp;
        smtp.host = QStringLiteral("mail.example.com");
        smtp.fromAddress = QStringLiteral("no-reply@acme.example");
        m_core->smtp().save(kRealm, smtp, false);
        const QString password = QStringLiteral("Another-Good-Passphrase-42");
        // A known email (notice to its owner, plus a rehearsed verification
        // mail) and unknown ones (one verification mail each), interleaved.
        m_core->account().registerUser(kRealm, QStringLiteral("new1@example.com"), password, {}, {}, kClient);
        m_core->account().registerUser(kRealm, QStringLiteral("known@example.com"), password, {}, {}, kClient);
        m_core->account().registerUser(kRealm, QStringLiteral("new2@example.com"), password, {}, {}, kClient);
        m_core->account().registerUser(kRealm, QStringLiteral("again@example.com"), password, {}, {}, kClient);
        m_core->account().registerUser(kRealm, QStringLiteral("new3@example.com"), password, {}, {}, kClient);

        QList<qint64> outboxIds;
        {
            SqlQuery q(m_core->database(), QStringLiteral("SELECT id FROM mail_outbox ORDER BY id"));
            q.exec();
            while (q.next())
                outboxIds.append(q.value(0).toLongLong());
        }
        QCOMPARE(outboxIds.size(), 5);
        CapturingTransport transport;
        QCOMPARE(m_core->mailDelivery().deliverDue(transport).sent, 5);
        QCOMPARE(transport.sent.size(), 5);

        // 16 random bytes in base64url, then the sender's domain: nothing else.
        static const QRegularExpression shape(QStringLiteral("^[A-Za-z0-9_-]{22}@acme\\.example$"));
        QSet<QString> seen;
        for (const auto &[recipient, message] : std::as_const(transport.sent)) {
            const QString id = messageIdOf(message);
            QVERIFY2(shape.match(id).hasMatch(), qPrintable(recipient + QStringLiteral(": ") + id));
            QVERIFY2(!seen.contains(id), qPrintable(id));
            seen.insert(id);
            const QString local = id.section(u'@', 0, 0);
            for (const qint64 outboxId : std::as_const(outboxIds)) {
                const QString number = QString::number(outboxId);
                QVERIFY2(!local.startsWith(number + u'.') && local != number, qPrintable(id));
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_EqualWork)
#include "tst_equalwork.moc"
