// Equal work on the paths an outsider can compare: an unknown email, a
// code-only account (no password hash) and a known account with the wrong
// password must each cost the same Argon2id work, for sign-in, password
// change, registration and reset, on every backend. Timing is too noisy to
// assert, so a counting decorator in front of the real hasher counts the
// calls, and the real hasher counts the Argon2id verifications it ran: a
// verifyDummy() that did nothing fails here, not only in a stopwatch.
#include "AuthRealmCore.h"
#include "CountingPasswordHasher.h"
#include "TestDatabases.h"
#include "core/DomainError.h"

#include <QJsonDocument>
#include <QTest>

using namespace authrealm;
using test::errorOf;

namespace {
const QString kRealm = QStringLiteral("acme");
const QString kPassword = QStringLiteral("SecurePassword123!");
const QString kGuest = QStringLiteral("guest@example.com");
const QString kCodeOnly = QStringLiteral("codeonly@example.com");
const ClientInfo kClient{QStringLiteral("203.0.113.7"), QStringLiteral("tst_hashwork")};

QJsonObject sampleRealm()
{
    return QJsonDocument::fromJson(R"({"realm": "acme", "displayName": "Acme",
        "settings": {"registrationEnabled": true, "forgotPasswordEnabled": true, "lockoutThreshold": 1000},
        "apps": [{"id": "plantaerium", "displayName": "Plantaerium", "roles": [{"name": "Reader", "scopes": ["blogs:read"]}]}],
        "users": [{"email": "guest@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["Reader"]}]},
                  {"email": "codeonly@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["Reader"]}]}]})").object();
}
} // namespace

class tst_HashWork : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<test::CountingPasswordHasher> m_hasher;
    std::unique_ptr<AuthRealmCore> m_core;
    Principal m_guest;
    Principal m_codeOnly;

    Principal signedIn(const QString &email)
    {
        const SignInResult r = m_core->auth().login(kRealm, email, kPassword, {}, kClient);
        return m_core->authenticator().authenticate(kRealm, r.tokens.value().accessToken, kClient);
    }

    // Runs one scenario; every one of them ends in a refusal or a quiet success.
    void run(const QString &scenario)
    {
        const auto &auth = m_core->auth();
        const auto &account = m_core->account();
        if (scenario == u"login: unknown email")
            QCOMPARE(errorOf([&] { (void)auth.login(kRealm, QStringLiteral("nobody@example.com"), QStringLiteral("wrong"), {}, kClient); }),
                     ErrorCode::InvalidCredentials);
        else if (scenario == u"login: known email, wrong password")
            QCOMPARE(errorOf([&] { (void)auth.login(kRealm, kGuest, QStringLiteral("wrong"), {}, kClient); }), ErrorCode::InvalidCredentials);
        else if (scenario == u"login: code-only account")
            QCOMPARE(errorOf([&] { (void)auth.login(kRealm, kCodeOnly, QStringLiteral("wrong"), {}, kClient); }), ErrorCode::InvalidCredentials);
        else if (scenario == u"change password: wrong current password")
            QCOMPARE(errorOf([&] { (void)account.changePassword(m_guest, QStringLiteral("wrong"), QStringLiteral("An0ther-Passw0rd!"), kClient); }),
                     ErrorCode::WrongCurrentPassword);
        else if (scenario == u"change password: code-only account")
            QCOMPARE(errorOf([&] { (void)account.changePassword(m_codeOnly, QStringLiteral("wrong"), QStringLiteral("An0ther-Passw0rd!"), kClient); }),
                     ErrorCode::WrongCurrentPassword);
        else if (scenario == u"register: new email")
            account.registerUser(kRealm, QStringLiteral("newcomer@example.com"), QStringLiteral("An0ther-Passw0rd!"), {}, {}, kClient);
        else if (scenario == u"register: existing email")
            account.registerUser(kRealm, kGuest, QStringLiteral("An0ther-Passw0rd!"), {}, {}, kClient);
        else if (scenario == u"forgot password: unknown email")
            account.forgotPassword(kRealm, QStringLiteral("nobody@example.com"), kClient);
        else if (scenario == u"forgot password: known email")
            account.forgotPassword(kRealm, kGuest, kClient);
        else if (scenario == u"reset: unknown token")
            QCOMPARE(errorOf([&] { account.resetPassword(kRealm, QString(43, u'A'), QStringLiteral("An0ther-Passw0rd!"), kClient); }),
                     ErrorCode::InvalidAccountToken);
        else
            QFAIL(qPrintable(QStringLiteral("no such scenario: ") + scenario));
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init()
    {
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_hasher = std::make_unique<test::CountingPasswordHasher>();
        CoreOptions options = test::coreOptions(m_scratch->config(), m_clock.get());
        options.passwordHashing = m_hasher.get();
        m_core = std::make_unique<AuthRealmCore>(options);
        m_core->transfer().importRealm(sampleRealm(), QStringLiteral("test"));
        m_guest = signedIn(kGuest);
        m_codeOnly = signedIn(kCodeOnly);
        // A code-only account (passwordless sign-up) has no password hash.
        m_core->users().setPasswordHash(m_codeOnly.userId, QString(), m_clock->nowMs());
    }
    void cleanup()
    {
        m_core.reset();
        m_hasher.reset();
        m_scratch.reset();
    }

    void sameArgon2WorkOnEveryPath_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("hashes");
        QTest::addColumn<int>("verifications");
        // Rows of one flow must agree: that is the protection against enumeration by timing.
        for (const char *row : {"login: unknown email", "login: known email, wrong password", "login: code-only account",
                                "change password: wrong current password", "change password: code-only account"})
            QTest::newRow(row) << QString::fromLatin1(row) << 0 << 1;
        for (const char *row : {"register: new email", "register: existing email"})
            QTest::newRow(row) << QString::fromLatin1(row) << 1 << 0;
        for (const char *row : {"forgot password: unknown email", "forgot password: known email"})
            QTest::newRow(row) << QString::fromLatin1(row) << 0 << 0;
        QTest::newRow("reset: unknown token") << QStringLiteral("reset: unknown token") << 1 << 0;
    }

    void sameArgon2WorkOnEveryPath()
    {
        QFETCH(QString, scenario);
        QFETCH(int, hashes);
        QFETCH(int, verifications);
        const test::CountingPasswordHasher::Counts before = m_hasher->counts();
        run(scenario);
        if (QTest::currentTestFailed())
            return;
        const test::CountingPasswordHasher::Counts done = m_hasher->since(before);
        QCOMPARE(done.hashes, hashes);
        QCOMPARE(done.fullVerifications(), verifications);
        // ...and the real hasher really ran them (a verifyDummy that skips
        // Argon2 would pass the decorator's count but not this one).
        QCOMPARE(done.argon2, quint64(verifications));
    }
};

QTEST_GUILESS_MAIN(tst_HashWork)
#include "tst_hashwork.moc"
