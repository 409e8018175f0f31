// Account emails over real HTTP and a real SMTP server on loopback: the
// outbox (retries through an outage, stored mode and its CLI), email
// verification, password reset, email sign-in codes, registration, change
// password and the admin API for SMTP and templates, on every backend.
// Enumeration tests compare status and body exactly and report (never
// assert) the median times.
#include "MailCatcher.h"
#include "TestServer.h"
#include "crypto/Totp.h"
#include "storage/Sql.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <pwd.h>
#include <unistd.h>

using namespace authrealm;
using test::HttpResult;
using test::MailCatcher;
using test::TestServer;

namespace {
const QString kPassword = QStringLiteral("SecurePassword123!");
const QString kNewPassword = QStringLiteral("a brand new passphrase 42");
const QString kAdminPassword = QStringLiteral("Master-Password-2024!");
const QString kBase = QStringLiteral("/realms/acme/authRealm");

QString path(const char *p)
{
    return kBase + QLatin1String(p);
}

ServerOptions fastMail()
{
    ServerOptions options;
    options.mailIntervalMs = 50;
    return options;
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 15000)
{
    QElapsedTimer timer;
    timer.start();
    while (!condition()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(20);
    }
    return true;
}

double median(QList<qint64> values)
{
    std::sort(values.begin(), values.end());
    if (values.isEmpty())
        return 0;
    const qsizetype n = values.size();
    return n % 2 ? double(values.at(n / 2)) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2.0;
}

// Port nobody listens on: bound once, then released.
int closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const int port = probe.serverPort();
    probe.close();
    return port;
}

// One realm "acme" with app "plantaerium" and alice-<tag>@example.com, on a
// fresh server whose sender thread polls every 50 ms.
struct Fixture
{
    TestServer server{fastMail()};
    QString tag = QUuid::createUuid().toString(QUuid::Id128).left(10);
    QString alice = QStringLiteral("alice-%1@example.com").arg(tag);
    QString unknown = QStringLiteral("nobody-%1@example.com").arg(tag);

    Fixture()
    {
        const QJsonObject realm{
            {QStringLiteral("realm"), QStringLiteral("acme")},
            {QStringLiteral("displayName"), QStringLiteral("Acme")},
            {QStringLiteral("apps"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("plantaerium")},
                                                            {QStringLiteral("displayName"), QStringLiteral("Plantaerium")}}}},
            {QStringLiteral("users"),
             QJsonArray{QJsonObject{{QStringLiteral("email"), alice},
                                    {QStringLiteral("password"), kPassword},
                                    {QStringLiteral("memberships"), QJsonArray{QJsonObject{{QStringLiteral("app"), QStringLiteral("plantaerium")}}}}}}},
        };
        core().transfer().importRealm(realm, QStringLiteral("test"));
    }
    AuthRealmCore &core() { return server.core(); }

    void useSmtp(const QString &host, int port)
    {
        SmtpSettings s;
        s.host = host;
        s.port = port;
        s.security = SmtpSettings::Security::None;
        s.fromAddress = QStringLiteral("noreply@acme.test");
        s.fromName = QStringLiteral("Acme Accounts");
        core().smtp().save(QStringLiteral("acme"), s, false);
    }
    void useCatcher(const MailCatcher &catcher) { useSmtp(catcher.host(), catcher.port()); }

    void setSetting(const QString &name, const QVariant &value)
    {
        RealmSettings settings = core().realms().settings(QStringLiteral("acme"));
        settings.set(name, value);
        core().realms().saveSettings(QStringLiteral("acme"), settings);
    }

    struct SignedIn
    {
        QByteArray access;
        QString refresh;
    };
    SignedIn signIn(const QString &email, const QString &password = kPassword)
    {
        const HttpResult r = server.post(path("/login"), {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
        return {r.json.value(QStringLiteral("accessToken")).toString().toLatin1(), r.json.value(QStringLiteral("refreshToken")).toString()};
    }
    HttpResult postAs(const QByteArray &bearer, const QString &p, const QJsonObject &body)
    {
        return server.request("POST", p, QJsonDocument(body).toJson(QJsonDocument::Compact),
                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}});
    }
    int auditCount(const QString &kind)
    {
        SqlQuery q(core().database(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE realm_id = 'acme' AND kind = :k"));
        q.bind(QStringLiteral(":k"), kind).exec();
        const int count = q.next() ? q.value(0).toInt() : -1;
        q.raw().finish();
        return count;
    }
    QList<OutboxMail> outbox() { return core().outbox().list(QStringLiteral("acme"), {}, 100); }
};

bool isErrorShape(const HttpResult &r, int status, const QString &code)
{
    return r.status == status && r.json.value(QStringLiteral("error")).toString() == code
            && !r.json.value(QStringLiteral("message")).toString().isEmpty();
}

QString databaseUrl(const DatabaseConfig &config)
{
    if (config.dialect == Dialect::SQLite)
        return QStringLiteral("sqlite:") + config.sqlitePath;
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(config.user, config.host).arg(config.port).arg(config.databaseName);
}
} // namespace

class tst_AccountMail : public QObject
{
    Q_OBJECT
    std::unique_ptr<MailCatcher> m_catcher;

    const MailCatcher &catcher() const { return *m_catcher; }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void initTestCase()
    {
        m_catcher = std::make_unique<MailCatcher>();
        if (!m_catcher->available()) {
            if (qEnvironmentVariable("AUTHREALM_REQUIRE_SMTP") == u"1")
                QFAIL(qPrintable(m_catcher->error()));
            QSKIP(qPrintable(QStringLiteral("no SMTP catcher: ") + m_catcher->error()));
        }
    }
    void cleanupTestCase() { m_catcher.reset(); }

    // ---- outbox -----------------------------------------------------------

    void outboxSurvivesSmtpOutage()
    {
        Fixture f;
        f.useSmtp(QStringLiteral("127.0.0.1"), closedPort());
        const HttpResult r = f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}});
        QCOMPARE(r.status, 200);
        // The mail server is down: the attempt fails, the mail stays pending with the error.
        QVERIFY(waitUntil([&] {
            const auto mails = f.outbox();
            return mails.size() == 1 && mails.first().attempts >= 1;
        }));
        OutboxMail mail = f.outbox().first();
        QCOMPARE(mail.state, OutboxStore::kPending);
        QVERIFY2(mail.lastError.contains(QStringLiteral("127.0.0.1")), qPrintable(mail.lastError));
        QVERIFY(mail.nextAttemptAt > f.server.clock().nowMs()); // backing off
        QVERIFY(catcher().mailsTo(f.alice).isEmpty());
        // Back-off: nothing new is tried before the retry time.
        QTest::qWait(300);
        QCOMPARE(f.outbox().first().attempts, 1);

        // The server comes back; once the back-off has passed the mail goes out.
        f.useCatcher(catcher());
        f.server.clock().advanceSeconds(31);
        const auto mails = catcher().waitForMails(f.alice, 1);
        QCOMPARE(mails.size(), 1);
        QVERIFY(waitUntil([&] { return f.outbox().first().state == OutboxStore::kSent; }));
        mail = f.outbox().first();
        QCOMPARE(mail.attempts, 2);
        QVERIFY(mail.lastError.isEmpty());
        QCOMPARE(mails.first().subject, QStringLiteral("Reset your Acme password"));
        QVERIFY(mails.first().from.contains(QStringLiteral("Acme Accounts")));
        // Nothing lost: the delayed link still works.
        const QString token = MailCatcher::linkToken(mails.first().body);
        QCOMPARE(f.server.post(path("/resetPassword"), {{QStringLiteral("token"), token}, {QStringLiteral("newPassword"), kNewPassword}}).status, 200);
    }

    void outboxGivesUpAfterTheLastAttempt()
    {
        Fixture f;
        f.useSmtp(QStringLiteral("127.0.0.1"), closedPort());
        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).status, 200);
        for (int attempt = 1; attempt <= OutboxStore::kMaxAttempts; ++attempt) {
            QVERIFY2(waitUntil([&] { return f.outbox().first().attempts >= attempt; }), qPrintable(QString::number(attempt)));
            f.server.clock().advanceSeconds(3601);
        }
        QVERIFY(waitUntil([&] { return f.outbox().first().state == OutboxStore::kFailed; }));
        QCOMPARE(f.outbox().first().attempts, OutboxStore::kMaxAttempts);
        QVERIFY(!f.outbox().first().lastError.isEmpty());
    }

    void storedModeAndCli()
    {
        Fixture f; // no SMTP: the embedded default
        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).status, 200);
        QList<OutboxMail> mails = f.outbox();
        QCOMPARE(mails.size(), 1);
        QCOMPARE(mails.first().state, OutboxStore::kStored);
        QTest::qWait(300); // the sender thread leaves stored mails alone
        QCOMPARE(f.outbox().first().state, OutboxStore::kStored);
        QCOMPARE(f.outbox().first().attempts, 0);

        const std::optional<OutboxMail> full = f.core().outbox().mail(mails.first().id);
        QVERIFY(full);
        const QString link = MailCatcher::firstLink(full->body);
        QVERIFY2(link.startsWith(QStringLiteral("http://authrealm.test/realms/acme/authRealm/resetPassword?token=")), qPrintable(link));
        const QString token = MailCatcher::linkToken(full->body);
        QCOMPARE(token.size(), 43);
        // At rest the body is sealed: neither the token nor the text is readable.
        SqlQuery raw(f.core().database(), QStringLiteral("SELECT body_sealed FROM mail_outbox WHERE id = :id"));
        raw.bind(QStringLiteral(":id"), mails.first().id).exec();
        QVERIFY(raw.next());
        const QString sealed = raw.value(0).toString();
        raw.raw().finish(); // end SQLite's read snapshot on this connection
        QVERIFY(!sealed.contains(token));
        QVERIFY(!QByteArray::fromBase64(sealed.toLatin1()).contains(token.toLatin1()));
        QVERIFY(!QByteArray::fromBase64(sealed.toLatin1()).contains("reset"));
        // An outbox of another realm does not show it.
        QVERIFY(!f.core().outbox().mail(mails.first().id, QStringLiteral("master")));

        // The CLI a desktop user reads it with.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("AUTHREALM_MASTER_KEY"), QString::fromLatin1(QByteArray(32, '\x42').toBase64()));
        const auto run = [&](const QStringList &args, QString *output) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(AUTHREALMD_BINARY), args + QStringList{QStringLiteral("--database"), databaseUrl(f.server.core().database().config())});
            p.waitForFinished(60000);
            *output = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
            return p.exitCode();
        };
        QString output;
        QCOMPARE(run({QStringLiteral("outbox"), QStringLiteral("list"), QStringLiteral("--realm"), QStringLiteral("acme")}, &output), 0);
        QVERIFY2(output.contains(f.alice) && output.contains(QStringLiteral("stored")) && output.contains(QStringLiteral("Reset your Acme password")),
                 qPrintable(output));
        QVERIFY2(!output.contains(token), "the list must not print bodies");
        const auto cliEvents = [&](const QString &kind) {
            AuditQuery q;
            q.realmIds = QStringList{QStringLiteral("acme")};
            q.kinds = QStringList{kind};
            return f.core().audit().query(q);
        };
        // The CLI reads through the same audited service as the console:
        // whoever printed the link is in the audit log, named by OS account.
        const passwd *pw = ::getpwuid(::geteuid());
        const QString cliActor = QStringLiteral("cli:") + QString::fromLocal8Bit(pw ? pw->pw_name : "");
        QCOMPARE(cliEvents(QStringLiteral("admin.outbox.mail_opened")).size(), 0);
        QCOMPARE(run({QStringLiteral("outbox"), QStringLiteral("show"), QString::number(mails.first().id)}, &output), 0);
        QVERIFY2(output.contains(link), qPrintable(output));
        const auto opened = cliEvents(QStringLiteral("admin.outbox.mail_opened"));
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().actor, cliActor);
        QCOMPARE(opened.first().targetId, QString::number(mails.first().id));
        // The export holds password hashes: audited too.
        const QTemporaryDir exportDir;
        const QString exportFile = exportDir.filePath(QStringLiteral("acme.json"));
        QCOMPARE(run({QStringLiteral("export"), QStringLiteral("acme"), QStringLiteral("--output"), exportFile}, &output), 0);
        QVERIFY(QFileInfo::exists(exportFile));
        const auto exported = cliEvents(QStringLiteral("realm.exported"));
        QCOMPARE(exported.size(), 1);
        QCOMPARE(exported.first().actor, cliActor);
        QCOMPARE(run({QStringLiteral("outbox"), QStringLiteral("show"), QStringLiteral("999999")}, &output), 1);
        QCOMPARE(run({QStringLiteral("outbox"), QStringLiteral("show"), QStringLiteral("abc")}, &output), 1);
        QCOMPARE(run({QStringLiteral("outbox"), QStringLiteral("list"), QStringLiteral("--realm"), QStringLiteral("nope")}, &output), 1);

        // The link from the stored mail works.
        QCOMPARE(f.server.post(path("/resetPassword"), {{QStringLiteral("token"), token}, {QStringLiteral("newPassword"), kNewPassword}}).status, 200);
    }

    // ---- email verification ---------------------------------------------

    void emailVerification()
    {
        Fixture f;
        f.useCatcher(catcher());
        const auto session = f.signIn(f.alice);
        QVERIFY(!session.access.isEmpty());
        QVERIFY(isErrorShape(f.server.post(path("/verifyEmail/request"), {}), 401, QStringLiteral("invalid_token")));

        QCOMPARE(f.postAs(session.access, path("/verifyEmail/request"), {}).status, 202);
        QCOMPARE(f.postAs(session.access, path("/verifyEmail/request"), {}).status, 202);
        const auto mails = catcher().waitForMails(f.alice, 2);
        QCOMPARE(mails.size(), 2);
        const QString first = MailCatcher::linkToken(mails.at(0).body);
        const QString second = MailCatcher::linkToken(mails.at(1).body);
        QVERIFY(first != second);
        QVERIFY(MailCatcher::firstLink(mails.at(1).body).startsWith(QStringLiteral("http://authrealm.test/realms/acme/authRealm/verifyEmail?token=")));

        // A new request made the older link useless.
        QVERIFY(isErrorShape(f.server.post(path("/verifyEmail/confirm"), {{QStringLiteral("token"), first}}), 400,
                             QStringLiteral("invalid_or_expired_token")));
        const HttpResult ok = f.server.post(path("/verifyEmail/confirm"), {{QStringLiteral("token"), second}});
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json.value(QStringLiteral("emailVerified")).toBool(), true);
        QVERIFY(f.core().users().findByLogin(QStringLiteral("acme"), f.alice)->emailVerified);
        // Single use.
        QVERIFY(isErrorShape(f.server.post(path("/verifyEmail/confirm"), {{QStringLiteral("token"), second}}), 400,
                             QStringLiteral("invalid_or_expired_token")));
        // Already verified: nothing sent.
        QCOMPARE(f.postAs(session.access, path("/verifyEmail/request"), {}).status, 200);

        // Expiry after an hour (ManualClock).
        f.core().users().setEmailVerified(f.core().users().findByLogin(QStringLiteral("acme"), f.alice)->id, false, 0);
        QCOMPARE(f.postAs(session.access, path("/verifyEmail/request"), {}).status, 202);
        const auto third = catcher().waitForMails(f.alice, 3);
        QCOMPARE(third.size(), 3);
        f.server.clock().advanceSeconds(3601);
        QVERIFY(isErrorShape(f.server.post(path("/verifyEmail/confirm"), {{QStringLiteral("token"), MailCatcher::linkToken(third.at(2).body)}}),
                             400, QStringLiteral("invalid_or_expired_token")));
        QCOMPARE(f.auditCount(QStringLiteral("email_verification.confirmed")), 1);
        QCOMPARE(f.auditCount(QStringLiteral("email_verification.failure")), 3);
    }

    void badTokensAreRefused_data()
    {
        QTest::addColumn<QString>("route");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("confirm: short token") << "/verifyEmail/confirm" << QByteArray("{\"token\":\"abc\"}") << 400 << "invalid_or_expired_token";
        QTest::newRow("confirm: 43 chars, not base64url") << "/verifyEmail/confirm" << QByteArray("{\"token\":\"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\"}")
                                                          << 400 << "invalid_or_expired_token";
        QTest::newRow("confirm: unknown token") << "/verifyEmail/confirm" << QByteArray("{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")
                                                << 400 << "invalid_or_expired_token";
        QTest::newRow("confirm: missing token") << "/verifyEmail/confirm" << QByteArray("{}") << 400 << "invalid_request";
        QTest::newRow("confirm: token not a string") << "/verifyEmail/confirm" << QByteArray("{\"token\":42}") << 400 << "invalid_request";
        QTest::newRow("reset: unknown token") << "/resetPassword"
                                              << QByteArray("{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"newPassword\":\"a brand new passphrase 42\"}")
                                              << 400 << "invalid_or_expired_token";
        QTest::newRow("reset: missing password") << "/resetPassword" << QByteArray("{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}")
                                                 << 400 << "invalid_request";
        QTest::newRow("forgot: not an email") << "/forgotPassword" << QByteArray("{\"email\":\"not-an-email\"}") << 400 << "invalid_request";
        QTest::newRow("forgot: not JSON") << "/forgotPassword" << QByteArray("email=x") << 400 << "invalid_json";
        QTest::newRow("code login: not an email") << "/emailCode/login" << QByteArray("{\"email\":\"x\",\"code\":\"123456\"}") << 400 << "invalid_request";
        QTest::newRow("register: disabled") << "/register" << QByteArray("{\"email\":\"new@example.com\",\"password\":\"a brand new passphrase 42\"}")
                                            << 403 << "registration_disabled";
    }
    void badTokensAreRefused()
    {
        QFETCH(QString, route);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        Fixture f;
        f.setSetting(QStringLiteral("emailCodeLoginEnabled"), true);
        const HttpResult r = f.server.request("POST", kBase + route, body);
        QVERIFY2(isErrorShape(r, status, error), r.body.constData());
    }

    // ---- password reset ---------------------------------------------------

    void passwordResetEndsEverything()
    {
        Fixture f;
        f.useCatcher(catcher());
        const auto s1 = f.signIn(f.alice);
        const auto s2 = f.signIn(f.alice);
        QVERIFY(!s1.access.isEmpty() && !s2.access.isEmpty());
        const HttpResult pat = f.postAs(s1.access, QStringLiteral("/realms/acme/v1/me/tokens"),
                                        {{QStringLiteral("name"), QStringLiteral("ci")}, {QStringLiteral("scopes"), QJsonArray{}}});
        QCOMPARE(pat.status, 201);
        const QString patSecret = pat.json.value(QStringLiteral("token")).toString();

        // Forged Host / X-Forwarded-Host must not reach the link.
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("email"), f.alice}}).toJson(QJsonDocument::Compact);
        const QList<QPair<QByteArray, QByteArray>> forged = {{"Content-Type", "application/json"}, {"Host", "evil.example"},
                                                             {"X-Forwarded-Host", "evil.example"}, {"X-Forwarded-Proto", "https"},
                                                             {"Forwarded", "host=evil.example;proto=https"}};
        const HttpResult requested = f.server.request("POST", path("/forgotPassword"), body, forged);
        QCOMPARE(requested.status, 200);
        auto mails = catcher().waitForMails(f.alice, 1);
        QCOMPARE(mails.size(), 1);
        const QString link = MailCatcher::firstLink(mails.first().body);
        QVERIFY2(link.startsWith(QStringLiteral("http://authrealm.test/realms/acme/authRealm/resetPassword?token=")), qPrintable(link));
        QVERIFY(!mails.first().body.contains(QStringLiteral("evil")));
        const QString token = MailCatcher::linkToken(mails.first().body);

        // A refused password does not spend the token.
        QVERIFY(isErrorShape(f.server.post(path("/resetPassword"), {{QStringLiteral("token"), token}, {QStringLiteral("newPassword"), QStringLiteral("password123")}}),
                             400, QStringLiteral("weak_password")));
        const HttpResult reset = f.server.post(path("/resetPassword"), {{QStringLiteral("token"), token}, {QStringLiteral("newPassword"), kNewPassword}});
        QCOMPARE(reset.status, 200);
        QVERIFY2(!reset.json.contains(QStringLiteral("accessToken")) && !reset.json.contains(QStringLiteral("refreshToken")),
                 "a reset never signs in");

        // Every session, refresh token and PAT of the user is dead at once.
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), s1.access).status, 401);
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), s2.access).status, 401);
        QCOMPARE(f.server.post(path("/refresh"), {{QStringLiteral("refreshToken"), s1.refresh}}).status, 401);
        QCOMPARE(f.server.post(path("/refresh"), {{QStringLiteral("refreshToken"), s2.refresh}}).status, 401);
        QCOMPARE(test::errorOf([&] { (void)f.core().authenticator().authenticate(QStringLiteral("acme"), patSecret, {}); }), ErrorCode::InvalidToken);
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), patSecret.toLatin1()).status, 401);

        QCOMPARE(f.server.post(path("/login"), {{QStringLiteral("email"), f.alice}, {QStringLiteral("password"), kPassword}}).status, 401);
        QCOMPARE(f.server.post(path("/login"), {{QStringLiteral("email"), f.alice}, {QStringLiteral("password"), kNewPassword}}).status, 200);
        // Single use.
        QVERIFY(isErrorShape(f.server.post(path("/resetPassword"), {{QStringLiteral("token"), token}, {QStringLiteral("newPassword"), kNewPassword}}),
                             400, QStringLiteral("invalid_or_expired_token")));
        // The owner is told.
        mails = catcher().waitForMails(f.alice, 2);
        QCOMPARE(mails.size(), 2);
        QCOMPARE(mails.at(1).subject, QStringLiteral("Your Acme password was changed"));
        QCOMPARE(f.auditCount(QStringLiteral("password_reset.completed")), 1);

        // Expiry after the realm's passwordResetLifetime (1 h).
        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).status, 200);
        mails = catcher().waitForMails(f.alice, 3);
        QCOMPARE(mails.size(), 3);
        f.server.clock().advanceSeconds(3601);
        QVERIFY(isErrorShape(f.server.post(path("/resetPassword"), {{QStringLiteral("token"), MailCatcher::linkToken(mails.at(2).body)},
                                                                    {QStringLiteral("newPassword"), kNewPassword}}),
                             400, QStringLiteral("invalid_or_expired_token")));

        // With the realm's own publicUrl, links use it; forged headers still do nothing.
        f.setSetting(QStringLiteral("publicUrl"), QStringLiteral("https://accounts.acme.test/account/"));
        QCOMPARE(f.server.request("POST", path("/forgotPassword"), body, forged).status, 200);
        mails = catcher().waitForMails(f.alice, 4);
        QCOMPARE(mails.size(), 4);
        const QString custom = MailCatcher::firstLink(mails.at(3).body);
        QVERIFY2(custom.startsWith(QStringLiteral("https://accounts.acme.test/account/resetPassword?token=")), qPrintable(custom));
    }

    void forgotPasswordNoEnumeration()
    {
        Fixture f;
        f.useCatcher(catcher());
        f.setSetting(QStringLiteral("passwordResetLimitPerAccount"), 1000);
        f.setSetting(QStringLiteral("passwordResetLimitPerAddress"), 100000);
        const int rounds = 15;
        QList<qint64> knownMs, unknownMs;
        HttpResult reference;
        for (int i = 0; i < rounds; ++i) {
            for (const bool known : {true, false}) {
                QElapsedTimer timer;
                timer.start();
                const HttpResult r = f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), known ? f.alice : f.unknown}});
                (known ? knownMs : unknownMs).append(timer.nsecsElapsed() / 1000);
                if (reference.status == 0)
                    reference = r;
                QCOMPARE(r.status, 200);
                QCOMPARE(r.body, reference.body); // byte for byte
            }
        }
        QCOMPARE(reference.json.value(QStringLiteral("message")).toString(),
                 QStringLiteral("If an account exists for that email address, we have sent it a link to reset the password."));
        qInfo("forgotPassword median [%s]: known %.0f us, unknown %.0f us (%d rounds; reported, not asserted)",
              qPrintable(test::currentBackend()), median(knownMs), median(unknownMs), rounds);
        QCOMPARE(catcher().waitForMails(f.alice, rounds).size(), rounds);
        QCOMPARE(f.auditCount(QStringLiteral("password_reset.unknown_account")), rounds);
    }

    void forgotPasswordRateLimits()
    {
        Fixture f;
        f.useCatcher(catcher());
        f.setSetting(QStringLiteral("passwordResetLimitPerAccount"), 2);
        // Three requests for one account: the same answer each time, two mails.
        HttpResult first;
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}});
            QCOMPARE(r.status, 200);
            if (i == 0)
                first = r;
            QCOMPARE(r.body, first.body);
        }
        QCOMPARE(catcher().waitForMails(f.alice, 2).size(), 2);
        QTest::qWait(300);
        QCOMPARE(catcher().mailsTo(f.alice).size(), 2);
        QCOMPARE(f.auditCount(QStringLiteral("password_reset.rate_limited")), 1);
        // Unknown addresses are counted the same way (same bucket rules).
        for (int i = 0; i < 3; ++i)
            QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.unknown}}).body, first.body);
        QCOMPARE(f.auditCount(QStringLiteral("password_reset.rate_limited")), 2);

        // Next hour: allowed again. Then the per-address limit.
        f.server.clock().advanceSeconds(3600);
        f.setSetting(QStringLiteral("passwordResetLimitPerAccount"), 1000);
        f.setSetting(QStringLiteral("passwordResetLimitPerAddress"), 1);
        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).body, first.body);
        QCOMPARE(catcher().waitForMails(f.alice, 3).size(), 3);
        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).body, first.body);
        QTest::qWait(300);
        QCOMPARE(catcher().mailsTo(f.alice).size(), 3);
        QCOMPARE(f.auditCount(QStringLiteral("password_reset.rate_limited")), 3);

        // Switched off: a clear 403, the same for every email.
        f.setSetting(QStringLiteral("forgotPasswordEnabled"), false);
        QVERIFY(isErrorShape(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}), 403, QStringLiteral("feature_disabled")));
    }

    // ---- email one-time codes ----------------------------------------------

    void emailCodeSignIn()
    {
        Fixture f;
        f.useCatcher(catcher());
        const auto request = [&](const QString &email) { return f.server.post(path("/emailCode/request"), {{QStringLiteral("email"), email}}); };
        const auto login = [&](const QString &code) {
            return f.server.post(path("/emailCode/login"), {{QStringLiteral("email"), f.alice}, {QStringLiteral("code"), code},
                                                            {QStringLiteral("tenantId"), QStringLiteral("plantaerium")}});
        };
        QVERIFY(isErrorShape(request(f.alice), 403, QStringLiteral("feature_disabled")));
        f.setSetting(QStringLiteral("emailCodeLoginEnabled"), true);

        const HttpResult known = request(f.alice);
        const HttpResult unknown = request(f.unknown);
        QCOMPARE(known.status, 200);
        QCOMPARE(unknown.status, 200);
        QCOMPARE(known.body, unknown.body);
        auto mails = catcher().waitForMails(f.alice, 1);
        QCOMPARE(mails.size(), 1);
        QVERIFY(!mails.first().subject.contains(QRegularExpression(QStringLiteral("\\d{6}")))); // the code is never in the subject
        const QString code = MailCatcher::sixDigitCode(mails.first().body);
        QCOMPARE(code.size(), 6);

        // Five wrong tries kill the code.
        const QString wrong = QStringLiteral("%1").arg((code.toInt() + 1) % 1000000, 6, 10, QLatin1Char('0'));
        for (int i = 0; i < AccountService::kCodeMaxAttempts; ++i)
            QVERIFY(isErrorShape(login(wrong), 401, QStringLiteral("invalid_credentials")));
        QVERIFY(isErrorShape(login(code), 401, QStringLiteral("invalid_credentials")));

        // Resend limit: not again within 60 s (same answer, no mail).
        QCOMPARE(request(f.alice).body, known.body);
        QTest::qWait(300);
        QCOMPARE(catcher().mailsTo(f.alice).size(), 1);
        f.server.clock().advanceSeconds(61);
        QCOMPARE(request(f.alice).status, 200);
        mails = catcher().waitForMails(f.alice, 2);
        QCOMPARE(mails.size(), 2);
        const QString code2 = MailCatcher::sixDigitCode(mails.at(1).body);
        const HttpResult signedIn = login(code2);
        QCOMPARE(signedIn.status, 200);
        for (const char *key : {"accessToken", "refreshToken", "tokenType", "expiresIn", "roles", "scope", "tenantId"})
            QVERIFY2(signedIn.json.contains(QLatin1String(key)), key);
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), signedIn.json.value(QStringLiteral("accessToken")).toString().toLatin1()).status, 200);
        // Single use.
        QVERIFY(isErrorShape(login(code2), 401, QStringLiteral("invalid_credentials")));
        // Receiving the code proved the mailbox.
        QVERIFY(f.core().users().findByLogin(QStringLiteral("acme"), f.alice)->emailVerified);

        // Expiry after 10 minutes.
        f.server.clock().advanceSeconds(61);
        QCOMPARE(request(f.alice).status, 200);
        mails = catcher().waitForMails(f.alice, 3);
        QCOMPARE(mails.size(), 3);
        f.server.clock().advanceSeconds(601);
        QVERIFY(isErrorShape(login(MailCatcher::sixDigitCode(mails.at(2).body)), 401, QStringLiteral("invalid_credentials")));

        // At most 5 codes an hour: codes 4 and 5 go out, the 6th request within the hour does not.
        for (int i = 0; i < 2; ++i) {
            f.server.clock().advanceSeconds(61);
            QCOMPARE(request(f.alice).status, 200);
        }
        QCOMPARE(catcher().waitForMails(f.alice, 5).size(), 5);
        f.server.clock().advanceSeconds(61); // the last hour now holds 5 codes
        QCOMPARE(request(f.alice).body, known.body);
        QTest::qWait(300);
        QCOMPARE(catcher().mailsTo(f.alice).size(), 5);
        // An hour after the first of them, one is allowed again.
        f.server.clock().advanceSeconds(3600);
        QCOMPARE(request(f.alice).status, 200);
        QCOMPARE(catcher().waitForMails(f.alice, 6).size(), 6);
        QVERIFY(f.auditCount(QStringLiteral("email_code.rate_limited")) >= 2);
        // Unknown email at login: the same answer as a wrong code.
        const HttpResult nobody = f.server.post(path("/emailCode/login"), {{QStringLiteral("email"), f.unknown}, {QStringLiteral("code"), code}});
        QVERIFY(isErrorShape(nobody, 401, QStringLiteral("invalid_credentials")));
        QCOMPARE(nobody.json.value(QStringLiteral("message")), login(wrong).json.value(QStringLiteral("message")));
    }

    void emailCodeSignsUpUnknownEmailsWhenRegistrationIsOpen()
    {
        Fixture f;
        f.useCatcher(catcher());
        f.setSetting(QStringLiteral("emailCodeLoginEnabled"), true);
        const QString newcomer = f.unknown;
        // Registration closed: an unknown email gets the same answer and no account.
        QCOMPARE(f.server.post(path("/emailCode/request"), {{QStringLiteral("email"), newcomer}}).status, 200);
        QVERIFY(!f.core().users().findByLogin(QStringLiteral("acme"), newcomer));

        f.setSetting(QStringLiteral("registrationEnabled"), true);
        f.setSetting(QStringLiteral("registrationDefaultApp"), QStringLiteral("plantaerium"));
        QCOMPARE(f.server.post(path("/emailCode/request"), {{QStringLiteral("email"), newcomer}}).status, 200);
        const std::optional<User> created = f.core().users().findByLogin(QStringLiteral("acme"), newcomer);
        QVERIFY(created);
        QVERIFY(created->passwordHash.isEmpty()); // no password: it signs in by code only
        QVERIFY(!created->emailVerified);
        const auto mails = catcher().waitForMails(newcomer, 1);
        QCOMPARE(mails.size(), 1);
        const HttpResult signedIn = f.server.post(path("/emailCode/login"), {{QStringLiteral("email"), newcomer},
                                                                              {QStringLiteral("code"), MailCatcher::sixDigitCode(mails.first().body)}});
        QCOMPARE(signedIn.status, 200);
        QCOMPARE(signedIn.json.value(QStringLiteral("tenantId")).toString(), QStringLiteral("plantaerium"));
        QVERIFY(f.core().users().findByLogin(QStringLiteral("acme"), newcomer)->emailVerified);
        // A password sign-in of the code-only account is an ordinary failure.
        QVERIFY(isErrorShape(f.server.post(path("/login"), {{QStringLiteral("email"), newcomer}, {QStringLiteral("password"), QStringLiteral("")}}),
                             400, QStringLiteral("invalid_request"))
                || isErrorShape(f.server.post(path("/login"), {{QStringLiteral("email"), newcomer}, {QStringLiteral("password"), QStringLiteral("anything at all")}}),
                                401, QStringLiteral("invalid_credentials")));
        QCOMPARE(f.auditCount(QStringLiteral("registration.created")), 1);
    }

    void emailCodeNeverSkipsTheSecondFactor()
    {
        Fixture f;
        f.useCatcher(catcher());
        f.setSetting(QStringLiteral("emailCodeLoginEnabled"), true);
        const User alice = *f.core().users().findByLogin(QStringLiteral("acme"), f.alice);
        AdminActor admin;
        admin.actor = QStringLiteral("test:admin");
        admin.grants = {AdminGrant{AdminGrant::Layer::Master, {}, {}}};
        const MfaEnrolment enrolment = f.core().admin().beginTotpEnrolment(admin, QStringLiteral("acme"), alice.id);
        const QString totp = Totp::code(Totp::base32Decode(enrolment.secret).value(), Totp::stepAt(f.server.clock().nowSeconds()));
        QCOMPARE(f.core().admin().confirmTotpEnrolment(admin, QStringLiteral("acme"), alice.id, totp).size(), 10);

        QCOMPARE(f.server.post(path("/emailCode/request"), {{QStringLiteral("email"), f.alice}}).status, 200);
        const auto mails = catcher().waitForMails(f.alice, 1);
        QCOMPARE(mails.size(), 1);
        const HttpResult first = f.server.post(path("/emailCode/login"), {{QStringLiteral("email"), f.alice},
                                                                          {QStringLiteral("code"), MailCatcher::sixDigitCode(mails.first().body)}});
        QCOMPARE(first.status, 202);
        QCOMPARE(first.json.value(QStringLiteral("mfa_required")).toBool(), true);
        QVERIFY(!first.json.contains(QStringLiteral("accessToken")));
        QVERIFY(!first.json.value(QStringLiteral("challenge_id")).toString().isEmpty());
    }

    // ---- registration ------------------------------------------------------

    void registration()
    {
        Fixture f;
        f.useCatcher(catcher());
        const auto reg = [&](const QString &email, const QString &password) {
            return f.server.post(path("/register"), {{QStringLiteral("email"), email}, {QStringLiteral("password"), password},
                                                     {QStringLiteral("displayName"), QStringLiteral("New Person")}});
        };
        QVERIFY(isErrorShape(reg(QStringLiteral("x-%1@example.com").arg(f.tag), kNewPassword), 403, QStringLiteral("registration_disabled")));
        f.setSetting(QStringLiteral("registrationEnabled"), true);
        f.setSetting(QStringLiteral("registrationDefaultApp"), QStringLiteral("plantaerium"));

        const QString newcomer = QStringLiteral("new-%1@example.com").arg(f.tag);
        const HttpResult created = reg(newcomer, kNewPassword);
        QCOMPARE(created.status, 202);
        const HttpResult existing = reg(f.alice, kNewPassword);
        QCOMPARE(existing.status, 202);
        QCOMPARE(existing.body, created.body); // no enumeration

        // The newcomer gets a verification link, the owner of the existing account a notice.
        const auto verify = catcher().waitForMails(newcomer, 1);
        QCOMPARE(verify.size(), 1);
        QCOMPARE(verify.first().subject, QStringLiteral("Confirm your email address for Acme"));
        const auto notice = catcher().waitForMails(f.alice, 1);
        QCOMPARE(notice.size(), 1);
        QCOMPARE(notice.first().subject, QStringLiteral("You already have a Acme account"));
        QVERIFY(!notice.first().body.contains(QStringLiteral("token=")));
        // The existing account is untouched.
        QCOMPARE(f.server.post(path("/login"), {{QStringLiteral("email"), f.alice}, {QStringLiteral("password"), kPassword}}).status, 200);

        const std::optional<User> user = f.core().users().findByLogin(QStringLiteral("acme"), newcomer);
        QVERIFY(user);
        QVERIFY(!user->emailVerified);
        QCOMPARE(user->displayName, QStringLiteral("New Person"));
        QCOMPARE(f.server.post(path("/verifyEmail/confirm"), {{QStringLiteral("token"), MailCatcher::linkToken(verify.first().body)}}).status, 200);
        QVERIFY(f.core().users().findByLogin(QStringLiteral("acme"), newcomer)->emailVerified);
        const HttpResult login = f.server.post(path("/login"), {{QStringLiteral("email"), newcomer}, {QStringLiteral("password"), kNewPassword}});
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json.value(QStringLiteral("tenantId")).toString(), QStringLiteral("plantaerium"));
        QCOMPARE(f.auditCount(QStringLiteral("registration.created")), 1);
        QCOMPARE(f.auditCount(QStringLiteral("registration.existing_account")), 1);

        // The user's own language, where given, picks the mail's language.
        const QString francophone = QStringLiteral("fr-%1@example.com").arg(f.tag);
        QCOMPARE(f.server.post(path("/register"), {{QStringLiteral("email"), francophone}, {QStringLiteral("password"), kNewPassword},
                                                   {QStringLiteral("locale"), QStringLiteral("fr")}}).status, 202);
        const auto french = catcher().waitForMails(francophone, 1);
        QCOMPARE(french.size(), 1);
        QCOMPARE(french.first().subject, QStringLiteral("Confirmez votre adresse e-mail pour Acme"));
        QCOMPARE(f.core().users().findByLogin(QStringLiteral("acme"), francophone)->locale, QStringLiteral("fr"));
        QVERIFY(isErrorShape(f.server.post(path("/register"), {{QStringLiteral("email"), QStringLiteral("x-%1@example.com").arg(f.tag)},
                                                               {QStringLiteral("password"), kNewPassword}, {QStringLiteral("locale"), QStringLiteral("xx")}}),
                             400, QStringLiteral("invalid_request")));

        // Timing of new vs existing emails: reported, not asserted.
        QList<qint64> newMs, existingMs;
        for (int i = 0; i < 6; ++i) {
            QElapsedTimer timer;
            timer.start();
            const HttpResult a = reg(QStringLiteral("n%1-%2@example.com").arg(i).arg(f.tag), kNewPassword);
            newMs.append(timer.nsecsElapsed() / 1000);
            timer.restart();
            const HttpResult b = reg(f.alice, kNewPassword);
            existingMs.append(timer.nsecsElapsed() / 1000);
            QCOMPARE(a.status, 202);
            QCOMPARE(b.status, 202);
            QCOMPARE(a.body, created.body);
            QCOMPARE(b.body, created.body);
        }
        qInfo("register median [%s]: new %.0f us, existing %.0f us (reported, not asserted)", qPrintable(test::currentBackend()),
              median(newMs), median(existingMs));
    }

    void registrationPasswordPolicy_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("too short") << "Xk7#pQ2" << 400 << "at least 8";
        QTest::newRow("common") << "password123" << 400 << "most commonly used";
        QTest::newRow("common, upper case") << "PASSWORD123" << 400 << "most commonly used";
        QTest::newRow("64 characters") << QString(64, u'x').replace(0, 6, QStringLiteral("Lq8!zR")) << 202 << "";
        QTest::newRow("1025 characters") << QString(1025, u'x') << 400 << "at most 1024";
    }
    void registrationPasswordPolicy()
    {
        QFETCH(QString, password);
        QFETCH(int, status);
        QFETCH(QString, messagePart);
        Fixture f;
        f.setSetting(QStringLiteral("registrationEnabled"), true);
        const HttpResult r = f.server.post(path("/register"), {{QStringLiteral("email"), QStringLiteral("p-%1@example.com").arg(f.tag)},
                                                               {QStringLiteral("password"), password}});
        QCOMPARE(r.status, status);
        if (status == 400) {
            QVERIFY(isErrorShape(r, 400, QStringLiteral("weak_password")));
            QVERIFY2(r.json.value(QStringLiteral("message")).toString().contains(messagePart), r.body.constData());
        }
    }

    // ---- change password ---------------------------------------------------

    void changePassword()
    {
        Fixture f;
        f.useCatcher(catcher());
        const auto s1 = f.signIn(f.alice);
        const auto s2 = f.signIn(f.alice);
        const auto change = [&](const QByteArray &bearer, const QString &current, const QString &next) {
            return f.postAs(bearer, path("/changePassword"), {{QStringLiteral("currentPassword"), current}, {QStringLiteral("newPassword"), next}});
        };
        QVERIFY(isErrorShape(change(s1.access, QStringLiteral("not my password"), kNewPassword), 400, QStringLiteral("invalid_current_password")));
        QVERIFY(isErrorShape(change(s1.access, kPassword, QStringLiteral("qwertyuiop")), 400, QStringLiteral("weak_password")));
        QVERIFY(isErrorShape(change("garbage", kPassword, kNewPassword), 401, QStringLiteral("invalid_token")));
        // A personal access token cannot change the password.
        const HttpResult pat = f.postAs(s1.access, QStringLiteral("/realms/acme/v1/me/tokens"),
                                        {{QStringLiteral("name"), QStringLiteral("ci")}, {QStringLiteral("scopes"), QJsonArray{}}});
        QVERIFY(isErrorShape(change(pat.json.value(QStringLiteral("token")).toString().toLatin1(), kPassword, kNewPassword), 403,
                             QStringLiteral("forbidden")));

        const HttpResult ok = change(s1.access, kPassword, kNewPassword);
        QCOMPARE(ok.status, 200);
        QCOMPARE(ok.json.value(QStringLiteral("sessionsEnded")).toInt(), 1);
        // The other session ended at once; this one is kept (realm default).
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), s2.access).status, 401);
        QCOMPARE(f.server.post(path("/refresh"), {{QStringLiteral("refreshToken"), s2.refresh}}).status, 401);
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), s1.access).status, 200);
        const auto mails = catcher().waitForMails(f.alice, 1);
        QCOMPARE(mails.size(), 1);
        QCOMPARE(mails.first().subject, QStringLiteral("Your Acme password was changed"));
        QCOMPARE(f.auditCount(QStringLiteral("password.changed")), 1);
        QCOMPARE(f.auditCount(QStringLiteral("password.change_failed")), 1);

        // keepSessionOnPasswordChange = false ends the current session too.
        f.setSetting(QStringLiteral("keepSessionOnPasswordChange"), false);
        const HttpResult again = change(s1.access, kNewPassword, QStringLiteral("yet another passphrase 7"));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(QStringLiteral("sessionsEnded")).toInt(), 1);
        QCOMPARE(f.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), s1.access).status, 401);
    }

    // ---- admin API: SMTP and templates ----------------------------------------

    void adminSmtpSettings()
    {
        Fixture f;
        QVERIFY(f.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const HttpResult adminLogin = f.server.post(QStringLiteral("/realms/master/authRealm/login"),
                                                    {{QStringLiteral("email"), QStringLiteral("admin")}, {QStringLiteral("password"), kAdminPassword}});
        QCOMPARE(adminLogin.status, 200);
        const QByteArray admin = adminLogin.json.value(QStringLiteral("accessToken")).toString().toLatin1();
        const auto call = [&](const QByteArray &method, const QString &p, const QByteArray &body, const QByteArray &bearer) {
            return f.server.request(method, p, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}});
        };
        const QString smtp = QStringLiteral("/admin/realms/acme/smtp");
        QCOMPARE(call("GET", smtp, {}, admin).json.value(QStringLiteral("configured")).toBool(), false);

        const QByteArray secret = "smtp-S3cret-pw!";
        const HttpResult saved = call("PUT", smtp,
                                      "{\"host\":\"mail.acme.test\",\"port\":587,\"security\":\"starttls\",\"username\":\"mailer\",\"password\":\"" + secret
                                          + "\",\"fromAddress\":\"noreply@acme.test\",\"fromName\":\"Acme\"}",
                                      admin);
        QCOMPARE(saved.status, 200);
        QCOMPARE(saved.json.value(QStringLiteral("passwordSet")).toBool(), true);
        QVERIFY(!saved.json.contains(QStringLiteral("password")));
        QVERIFY(!saved.body.contains(secret));
        const HttpResult read = call("GET", smtp, {}, admin);
        QCOMPARE(read.json.value(QStringLiteral("host")).toString(), QStringLiteral("mail.acme.test"));
        QCOMPARE(read.json.value(QStringLiteral("security")).toString(), QStringLiteral("starttls"));
        QVERIFY(!read.body.contains(secret));
        // Encrypted at rest.
        SqlQuery raw(f.core().database(), QStringLiteral("SELECT password_sealed FROM smtp_settings WHERE realm_id = 'acme'"));
        raw.exec();
        QVERIFY(raw.next());
        const QString sealed = raw.value(0).toString();
        raw.raw().finish(); // end SQLite's read snapshot on this connection
        QVERIFY(!sealed.isEmpty());
        QVERIFY(!sealed.contains(QString::fromLatin1(secret)) && !QByteArray::fromBase64(sealed.toLatin1()).contains(secret));
        QCOMPARE(f.core().smtp().settings(QStringLiteral("acme"))->password, QString::fromLatin1(secret));
        // Saving without a password keeps it.
        QCOMPARE(call("PUT", smtp, "{\"host\":\"mail2.acme.test\",\"port\":465,\"security\":\"tls\",\"username\":\"mailer\",\"fromAddress\":\"noreply@acme.test\"}", admin)
                     .json.value(QStringLiteral("passwordSet")).toBool(), true);
        QCOMPARE(f.core().smtp().settings(QStringLiteral("acme"))->password, QString::fromLatin1(secret));
        QCOMPARE(f.auditCount(QStringLiteral("admin.smtp.saved")), 2);
        // The audit trail never holds the password.
        SqlQuery audit(f.core().database(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE summary LIKE :s"));
        audit.bind(QStringLiteral(":s"), QStringLiteral("%smtp-S3cret%")).exec();
        QVERIFY(audit.next());
        QCOMPARE(audit.value(0).toInt(), 0);
        audit.raw().finish();

        // Not for ordinary users.
        const auto alice = f.signIn(f.alice);
        QCOMPARE(call("GET", smtp, {}, alice.access).status, 403);
        QCOMPARE(call("PUT", smtp, "{\"host\":\"x.test\",\"port\":25,\"fromAddress\":\"a@b.test\"}", alice.access).status, 403);

        QCOMPARE(call("DELETE", smtp, {}, admin).status, 200);
        QCOMPARE(call("GET", smtp, {}, admin).json.value(QStringLiteral("configured")).toBool(), false);
        QVERIFY(isErrorShape(call("DELETE", smtp, {}, admin), 404, QStringLiteral("not_found")));
    }

    void adminSmtpBadInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("port 0") << QByteArray("{\"host\":\"mail.test\",\"port\":0,\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("port 70000") << QByteArray("{\"host\":\"mail.test\",\"port\":70000,\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("port as string") << QByteArray("{\"host\":\"mail.test\",\"port\":\"25\",\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("port fractional") << QByteArray("{\"host\":\"mail.test\",\"port\":25.5,\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("host with scheme") << QByteArray("{\"host\":\"smtp://mail.test\",\"port\":25,\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("host with space") << QByteArray("{\"host\":\"mail test\",\"port\":25,\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("host missing") << QByteArray("{\"port\":25,\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("unknown security") << QByteArray("{\"host\":\"mail.test\",\"port\":25,\"security\":\"ssl\",\"fromAddress\":\"a@b.test\"}");
        QTest::newRow("bad from address") << QByteArray("{\"host\":\"mail.test\",\"port\":25,\"fromAddress\":\"nope\"}");
        QTest::newRow("CRLF in from name") << QByteArray("{\"host\":\"mail.test\",\"port\":25,\"fromAddress\":\"a@b.test\",\"fromName\":\"A\\r\\nBcc: x@y.z\"}");
    }
    void adminSmtpBadInput()
    {
        QFETCH(QByteArray, body);
        Fixture f;
        QVERIFY(f.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const QByteArray admin = f.server.post(QStringLiteral("/realms/master/authRealm/login"),
                                               {{QStringLiteral("email"), QStringLiteral("admin")}, {QStringLiteral("password"), kAdminPassword}})
                                     .json.value(QStringLiteral("accessToken")).toString().toLatin1();
        const HttpResult r = f.server.request("PUT", QStringLiteral("/admin/realms/acme/smtp"), body,
                                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}});
        QVERIFY2(isErrorShape(r, 400, QStringLiteral("invalid_request")), r.body.constData());
        QVERIFY(!f.core().smtp().configured(QStringLiteral("acme")));
    }

    void mailTemplatesAndLanguages()
    {
        Fixture f;
        f.useCatcher(catcher());
        QVERIFY(f.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const QByteArray admin = f.server.post(QStringLiteral("/realms/master/authRealm/login"),
                                               {{QStringLiteral("email"), QStringLiteral("admin")}, {QStringLiteral("password"), kAdminPassword}})
                                     .json.value(QStringLiteral("accessToken")).toString().toLatin1();
        const auto call = [&](const QByteArray &method, const QString &p, const QByteArray &body) {
            return f.server.request(method, p, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}});
        };
        const QString resetEn = QStringLiteral("/admin/realms/acme/mailTemplates/reset_password/en");
        QVERIFY(isErrorShape(call("PUT", resetEn, "{\"subject\":\"Hi {{password}}\",\"body\":\"{{link}}\"}"), 400, QStringLiteral("invalid_request")));
        QVERIFY(isErrorShape(call("PUT", resetEn, "{\"subject\":\"Your token {{token}}\",\"body\":\"{{link}}\"}"), 400, QStringLiteral("invalid_request")));
        QVERIFY(isErrorShape(call("PUT", resetEn, "{\"subject\":\"Reset\",\"body\":\"no link here\"}"), 400, QStringLiteral("invalid_request")));
        QVERIFY(isErrorShape(call("PUT", QStringLiteral("/admin/realms/acme/mailTemplates/nope/en"), "{\"subject\":\"a\",\"body\":\"b\"}"), 400,
                             QStringLiteral("invalid_request")));
        QVERIFY(isErrorShape(call("PUT", QStringLiteral("/admin/realms/acme/mailTemplates/reset_password/xx"), "{\"subject\":\"a\",\"body\":\"{{link}}\"}"),
                             400, QStringLiteral("invalid_request")));
        QCOMPARE(call("PUT", resetEn, "{\"subject\":\"Reset for {{realmName}}\",\"body\":\"Go here: {{link}} ({{validMinutes}} min)\"}").status, 200);
        const HttpResult list = call("GET", QStringLiteral("/admin/realms/acme/mailTemplates"), {});
        QCOMPARE(list.status, 200);
        int custom = 0;
        for (const QJsonValue &item : list.json.value(QStringLiteral("items")).toArray())
            custom += item.toObject().value(QStringLiteral("custom")).toBool() ? 1 : 0;
        QCOMPARE(custom, 1);
        QCOMPARE(list.json.value(QStringLiteral("items")).toArray().size(), MailTemplates::kinds().size() * MailTemplates::languages().size());

        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).status, 200);
        auto mails = catcher().waitForMails(f.alice, 1);
        QCOMPARE(mails.size(), 1);
        QCOMPARE(mails.first().subject, QStringLiteral("Reset for Acme"));
        QVERIFY(mails.first().body.startsWith(QStringLiteral("Go here: http://authrealm.test/realms/acme/authRealm/resetPassword?token=")));
        QVERIFY(mails.first().body.endsWith(QStringLiteral("(60 min)")));

        // The realm's default language picks the built-in German text.
        QCOMPARE(call("PATCH", QStringLiteral("/admin/realms/acme/settings"), "{\"defaultLanguage\":\"de\"}").status, 200);
        QCOMPARE(call("DELETE", resetEn, {}).status, 200);
        QVERIFY(isErrorShape(call("DELETE", resetEn, {}), 404, QStringLiteral("not_found")));
        QCOMPARE(f.server.post(path("/forgotPassword"), {{QStringLiteral("email"), f.alice}}).status, 200);
        mails = catcher().waitForMails(f.alice, 2);
        QCOMPARE(mails.size(), 2);
        QCOMPARE(mails.at(1).subject, QStringLiteral("Ihr Passwort für Acme zurücksetzen"));
        QCOMPARE(f.auditCount(QStringLiteral("admin.mail_template.saved")), 1);
        QCOMPARE(f.auditCount(QStringLiteral("admin.mail_template.reset")), 1);
        QVERIFY(isErrorShape(call("PATCH", QStringLiteral("/admin/realms/acme/settings"), "{\"defaultLanguage\":\"xx\"}"), 400,
                             QStringLiteral("invalid_request")));
        QVERIFY(isErrorShape(call("PATCH", QStringLiteral("/admin/realms/acme/settings"), "{\"publicUrl\":\"javascript:alert(1)\"}"), 400,
                             QStringLiteral("invalid_request")));
        QVERIFY(isErrorShape(call("PATCH", QStringLiteral("/admin/realms/acme/settings"), "{\"publicUrl\":\"https://a.test/?next=evil\"}"), 400,
                             QStringLiteral("invalid_request")));
    }
};

QTEST_GUILESS_MAIN(tst_AccountMail)
#include "tst_accountmail.moc"
