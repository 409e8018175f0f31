// Sign-in security over real HTTP, on every backend: two-step sign-in (202 +
// challenge), step-up, lockout answers (429 + Retry-After) that reveal
// nothing, the per-address limit behind a trusted proxy, own sessions, the
// admin routes (unlock, TOTP reset, per-app token lifetimes) and bad input.
#include "CountingPasswordHasher.h"
#include "TestServer.h"
#include "crypto/Base64Url.h"
#include "crypto/Totp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <algorithm>

using namespace authrealm;
using test::HttpResult;
using test::TestServer;

namespace {
const QString kLogin = QStringLiteral("/realms/acme/authRealm/login");
const QString kLoginTotp = QStringLiteral("/realms/acme/authRealm/login/totp");
const QString kMe = QStringLiteral("/realms/acme/v1/tenant/me");
const QString kSessions = QStringLiteral("/realms/acme/v1/me/sessions");
const QString kPassword = QStringLiteral("SecurePassword123!");
const QString kAdminPassword = QStringLiteral("Master-Password-2024!");
const QString kGuest = QStringLiteral("guest@example.com");

void importExample(TestServer &server)
{
    QFile file(QStringLiteral(AUTHREALM_SOURCE_DIR "/docs/examples/acme-realm.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    server.core().transfer().importRealm(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("test"));
}

AdminActor master()
{
    return AdminActor{QStringLiteral("console:test"), {AdminGrant{AdminGrant::Layer::Master, {}, {}}}, false, {}, {}};
}

void addUser(TestServer &server, const QString &email)
{
    const User u = server.core().admin().createUser(master(), QStringLiteral("acme"), email, kPassword, {});
    server.core().admin().setMembership(master(), QStringLiteral("acme"), u.id, Membership{QStringLiteral("plantaerium"), {}});
}

void setSetting(TestServer &server, const QString &name, qint64 value)
{
    (void)server.core().admin().updateSettings(master(), QStringLiteral("acme"), QJsonObject{{name, value}});
}

QJsonObject credentials(const QString &email, const QString &password = kPassword)
{
    return {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
}

QByteArray bearer(const HttpResult &r)
{
    return r.json.value(QStringLiteral("accessToken")).toString().toLatin1();
}

HttpResult postAuthed(TestServer &server, const QString &path, const QByteArray &token, const QJsonObject &body = {})
{
    return server.request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                          {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
}

QJsonObject jwtPayload(const QByteArray &jwt)
{
    return QJsonDocument::fromJson(base64UrlDecode(QString::fromLatin1(jwt.split('.').value(1))).value_or(QByteArray())).object();
}

QString codeAt(const QString &secret, qint64 unixSeconds)
{
    return Totp::code(Totp::base32Decode(secret).value(), Totp::stepAt(unixSeconds));
}

bool isErrorShape(const HttpResult &r, const QString &code)
{
    return r.json.size() == 2 && r.json.value(QStringLiteral("error")).toString() == code
            && !r.json.value(QStringLiteral("message")).toString().isEmpty();
}

double median(QList<qint64> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : double(v.at(v.size() / 2)) / 1e6;
}
} // namespace

class tst_SignInApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void twoStepSignInOverHttp()
    {
        TestServer server;
        importExample(server);
        const HttpResult first = server.post(kLogin, credentials(kGuest));
        QCOMPARE(first.status, 200);
        const HttpResult enrol = postAuthed(server, QStringLiteral("/realms/acme/authRealm/totp/enroll"), bearer(first));
        QCOMPARE(enrol.status, 200);
        const QString secret = enrol.json.value(QStringLiteral("secret")).toString();
        QCOMPARE(enrol.json.value(QStringLiteral("otpauth_uri")).toString(),
                 QStringLiteral("otpauth://totp/Acme:guest%40example.com?secret=%1&issuer=Acme&algorithm=SHA1&digits=6&period=30").arg(secret));
        const qint64 now = server.clock().nowSeconds();
        const HttpResult confirm = postAuthed(server, QStringLiteral("/realms/acme/authRealm/totp/confirm"), bearer(first),
                                              {{QStringLiteral("code"), codeAt(secret, now)}});
        QCOMPARE(confirm.status, 200);
        QCOMPARE(confirm.json.value(QStringLiteral("backup_codes")).toArray().size(), 10);
        server.clock().advanceSeconds(30);

        const HttpResult step1 = server.post(kLogin, credentials(kGuest));
        QCOMPARE(step1.status, 202);
        QCOMPARE(step1.json.value(QStringLiteral("mfa_required")).toBool(), true);
        QCOMPARE(step1.json.value(QStringLiteral("expires_in")).toInt(), 300);
        QVERIFY(!step1.json.contains(QStringLiteral("accessToken")));
        QVERIFY(!step1.json.contains(QStringLiteral("refreshToken")));
        const QString challenge = step1.json.value(QStringLiteral("challenge_id")).toString();
        QVERIFY(challenge.startsWith(QStringLiteral("mfa_")));

        const HttpResult wrong = server.post(kLoginTotp, {{QStringLiteral("challenge_id"), challenge}, {QStringLiteral("code"), QStringLiteral("12345")}});
        QCOMPARE(wrong.status, 401);
        QVERIFY(isErrorShape(wrong, QStringLiteral("invalid_otp")));
        const QString code = codeAt(secret, server.clock().nowSeconds());
        const HttpResult done = server.post(kLoginTotp, {{QStringLiteral("challenge_id"), challenge}, {QStringLiteral("code"), code}});
        QCOMPARE(done.status, 200);
        const QJsonObject claims = jwtPayload(bearer(done));
        QCOMPARE(claims.value(QStringLiteral("amr")).toArray(), (QJsonArray{QStringLiteral("pwd"), QStringLiteral("otp")}));
        QCOMPARE(qint64(claims.value(QStringLiteral("mfa_at")).toDouble()), server.clock().nowSeconds());
        QCOMPARE(server.get(kMe, bearer(done)).status, 200);

        // Same code again on a new challenge: replay.
        const HttpResult again = server.post(kLogin, credentials(kGuest));
        const HttpResult replay = server.post(kLoginTotp, {{QStringLiteral("challenge_id"), again.json.value(QStringLiteral("challenge_id"))},
                                                           {QStringLiteral("code"), code}});
        QCOMPARE(replay.status, 401);
        QVERIFY(isErrorShape(replay, QStringLiteral("invalid_otp")));

        // Step-up ten minutes later.
        server.clock().advanceSeconds(600);
        const HttpResult up = postAuthed(server, QStringLiteral("/realms/acme/authRealm/stepUp"), bearer(done),
                                         {{QStringLiteral("code"), codeAt(secret, server.clock().nowSeconds())}});
        QCOMPARE(up.status, 200);
        QCOMPARE(qint64(jwtPayload(bearer(up)).value(QStringLiteral("mfa_at")).toDouble()), server.clock().nowSeconds());

        // Admin reset over the admin API: sessions end, password alone works again.
        QVERIFY(server.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const QByteArray admin = bearer(server.post(QStringLiteral("/realms/master/authRealm/login"), credentials(QStringLiteral("admin"), kAdminPassword)));
        const QString userId = server.core().users().findByLogin(QStringLiteral("acme"), kGuest)->id;
        const HttpResult reset = server.request("DELETE", QStringLiteral("/admin/realms/acme/users/%1/totp").arg(userId), {},
                                                {{"Authorization", "Bearer " + admin}});
        QCOMPARE(reset.status, 200);
        QCOMPARE(reset.json.value(QStringLiteral("mfaWasEnabled")).toBool(), true);
        QCOMPARE(server.get(kMe, bearer(up)).status, 401);
        QCOMPARE(server.post(kLogin, credentials(kGuest)).status, 200);
    }

    void lockedLooksTheSameForEveryone()
    {
        const test::CountingPasswordHasher hasher;
        TestServer server({}, {1024, 1}, &hasher);
        importExample(server);
        setSetting(server, QStringLiteral("lockoutThreshold"), 1000);
        // The ordinary failure: unknown email vs known email with a wrong
        // password. The same answer, and the same Argon2id work (one full
        // verification each); the timing is printed only, as it is noisy.
        QList<qint64> unknownNs, knownNs;
        HttpResult unknownAnswer, knownAnswer;
        for (int i = 0; i < 9; ++i) {
            QElapsedTimer t;
            auto before = hasher.counts();
            t.start();
            unknownAnswer = server.post(kLogin, credentials(QStringLiteral("nobody%1@example.com").arg(i), QStringLiteral("wrong")));
            unknownNs.append(t.nsecsElapsed());
            QCOMPARE(hasher.since(before).fullVerifications(), 1);
            QCOMPARE(hasher.since(before).argon2, 1u);
            before = hasher.counts();
            t.restart();
            knownAnswer = server.post(kLogin, credentials(kGuest, QStringLiteral("wrong")));
            knownNs.append(t.nsecsElapsed());
            QCOMPARE(hasher.since(before).fullVerifications(), 1);
            QCOMPARE(hasher.since(before).argon2, 1u);
        }
        QCOMPARE(unknownAnswer.status, 401);
        QCOMPARE(knownAnswer.status, 401);
        QCOMPARE(unknownAnswer.body, knownAnswer.body);
        qInfo("median sign-in failure: unknown email %.2f ms, known email + wrong password %.2f ms", median(unknownNs), median(knownNs));

        // Locked: unknown email, known email with the right and with a wrong password.
        setSetting(server, QStringLiteral("lockoutThreshold"), 3);
        (void)server.core().admin().unlockUser(master(), QStringLiteral("acme"), server.core().users().findByLogin(QStringLiteral("acme"), kGuest)->id);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(server.post(kLogin, credentials(QStringLiteral("ghost@example.com"), QStringLiteral("wrong"))).status, 401);
            QCOMPARE(server.post(kLogin, credentials(kGuest, QStringLiteral("wrong"))).status, 401);
        }
        QList<qint64> lockedUnknownNs, lockedRightNs, lockedWrongNs;
        HttpResult lockedUnknown, lockedRight, lockedWrong;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer t;
            t.start();
            lockedUnknown = server.post(kLogin, credentials(QStringLiteral("ghost@example.com"), QStringLiteral("wrong")));
            lockedUnknownNs.append(t.nsecsElapsed());
            t.restart();
            lockedRight = server.post(kLogin, credentials(kGuest));
            lockedRightNs.append(t.nsecsElapsed());
            t.restart();
            lockedWrong = server.post(kLogin, credentials(kGuest, QStringLiteral("wrong")));
            lockedWrongNs.append(t.nsecsElapsed());
        }
        QCOMPARE(lockedUnknown.status, 429);
        QVERIFY(isErrorShape(lockedUnknown, QStringLiteral("too_many_attempts")));
        QCOMPARE(lockedRight.status, lockedUnknown.status);
        QCOMPARE(lockedWrong.status, lockedUnknown.status);
        QCOMPARE(lockedRight.body, lockedUnknown.body);
        QCOMPARE(lockedWrong.body, lockedUnknown.body);
        QCOMPARE(lockedRight.header("Retry-After"), lockedUnknown.header("Retry-After"));
        QCOMPARE(lockedWrong.header("Retry-After"), lockedUnknown.header("Retry-After"));
        // Locked: the lock is checked before any password work, for everyone alike.
        const auto beforeLocked = hasher.counts();
        QCOMPARE(server.post(kLogin, credentials(QStringLiteral("ghost@example.com"), QStringLiteral("wrong"))).status, 429);
        QCOMPARE(server.post(kLogin, credentials(kGuest)).status, 429);
        QCOMPARE(hasher.since(beforeLocked).fullVerifications(), 0);
        qInfo("median locked answer: unknown %.2f ms, known + right password %.2f ms, known + wrong password %.2f ms",
              median(lockedUnknownNs), median(lockedRightNs), median(lockedWrongNs));
    }

    void twentyWrongPasswordsLockOnlyThatAccount()
    {
        TestServer server;
        importExample(server);
        addUser(server, QStringLiteral("colleague@example.com"));
        int unauthorized = 0, throttled = 0;
        for (int i = 0; i < 20; ++i) {
            const HttpResult r = server.post(kLogin, credentials(kGuest, QStringLiteral("wrong-%1").arg(i)));
            if (r.status == 401)
                ++unauthorized;
            if (r.status == 429) {
                ++throttled;
                QVERIFY(isErrorShape(r, QStringLiteral("too_many_attempts")));
                bool ok = false;
                const int retry = r.header("Retry-After").toInt(&ok);
                QVERIFY(ok && retry > 0 && retry <= 60);
            }
        }
        QCOMPARE(unauthorized, 10);
        QCOMPARE(throttled, 10);
        QCOMPARE(server.post(kLogin, credentials(kGuest)).status, 429);
        // Same address, another account: unaffected.
        QCOMPARE(server.post(kLogin, credentials(QStringLiteral("colleague@example.com"))).status, 200);

        // The lock expires with time...
        server.clock().advanceSeconds(61);
        QCOMPARE(server.post(kLogin, credentials(kGuest)).status, 200);
        // ...or an administrator lifts it.
        for (int i = 0; i < 11; ++i)
            (void)server.post(kLogin, credentials(kGuest, QStringLiteral("wrong")));
        QCOMPARE(server.post(kLogin, credentials(kGuest)).status, 429);
        QVERIFY(server.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const QByteArray admin = bearer(server.post(QStringLiteral("/realms/master/authRealm/login"), credentials(QStringLiteral("admin"), kAdminPassword)));
        const QString userId = server.core().users().findByLogin(QStringLiteral("acme"), kGuest)->id;
        const HttpResult shown = server.get(QStringLiteral("/admin/realms/acme/users/%1").arg(userId), admin);
        QCOMPARE(shown.status, 200);
        QVERIFY(!shown.json.value(QStringLiteral("signInLockedUntil")).toString().isEmpty());
        QCOMPARE(shown.json.value(QStringLiteral("mfaEnabled")).toBool(), false);
        const HttpResult unlock = server.request("POST", QStringLiteral("/admin/realms/acme/users/%1/unlock").arg(userId), "{}",
                                                 {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}});
        QCOMPARE(unlock.status, 200);
        QCOMPARE(unlock.json.value(QStringLiteral("hadFailures")).toBool(), true);
        QCOMPARE(server.post(kLogin, credentials(kGuest)).status, 200);
        QVERIFY(server.get(QStringLiteral("/admin/realms/acme/users/%1").arg(userId), admin).json.value(QStringLiteral("signInLockedUntil")).isNull());
    }

    void perSourceLimitBehindTrustedProxy()
    {
        ServerOptions options;
        options.trustedProxies.append(ClientAddress::parseSubnet(QStringLiteral("127.0.0.1")));
        TestServer server(options);
        importExample(server);
        setSetting(server, QStringLiteral("sourceFailureLimit"), 3);
        const auto from = [&](const QByteArray &address, const QJsonObject &body) {
            return server.request("POST", kLogin, QJsonDocument(body).toJson(QJsonDocument::Compact),
                                  {{"Content-Type", "application/json"}, {"X-Forwarded-For", address}});
        };
        for (int i = 0; i < 3; ++i)
            QCOMPARE(from("198.51.100.1", credentials(QStringLiteral("spray%1@example.com").arg(i), QStringLiteral("x"))).status, 401);
        QCOMPARE(from("198.51.100.1", credentials(kGuest)).status, 429);
        QCOMPARE(from("198.51.100.2", credentials(kGuest)).status, 200);
    }

    void ownSessionsOverHttp()
    {
        TestServer server;
        importExample(server);
        QList<QByteArray> tokens;
        for (int i = 0; i < 3; ++i) {
            const HttpResult r = server.request("POST", kLogin, QJsonDocument(credentials(kGuest)).toJson(),
                                                {{"Content-Type", "application/json"}, {"User-Agent", QByteArray("device-") + QByteArray::number(i)}});
            QCOMPARE(r.status, 200);
            tokens.append(bearer(r));
            server.clock().advanceSeconds(1);
        }
        const HttpResult page1 = server.get(kSessions + QStringLiteral("?limit=2"), tokens.at(2));
        QCOMPARE(page1.status, 200);
        QCOMPARE(page1.json.value(QStringLiteral("items")).toArray().size(), 2);
        const QString cursor = page1.json.value(QStringLiteral("next_cursor")).toString();
        QVERIFY(!cursor.isEmpty());
        const HttpResult page2 = server.get(kSessions + QStringLiteral("?limit=2&cursor=") + cursor, tokens.at(2));
        QCOMPARE(page2.status, 200);
        const QJsonArray rest = page2.json.value(QStringLiteral("items")).toArray();
        QCOMPARE(rest.size(), 1);
        QVERIFY(page2.json.value(QStringLiteral("next_cursor")).isNull());
        const QJsonObject mine = rest.at(0).toObject();
        QCOMPARE(mine.value(QStringLiteral("current")).toBool(), true);
        QCOMPARE(mine.value(QStringLiteral("userAgent")).toString(), QStringLiteral("device-2"));
        QCOMPARE(mine.value(QStringLiteral("ip")).toString(), QStringLiteral("127.0.0.1"));
        for (const char *key : {"id", "app", "createdAt", "lastUsedAt", "expiresAt"})
            QVERIFY2(mine.contains(QLatin1String(key)), key);
        const QJsonObject first = page1.json.value(QStringLiteral("items")).toArray().at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("current")).toBool(), false);

        // End the first session: its access token is refused at once.
        QCOMPARE(server.get(kMe, tokens.at(0)).status, 200);
        const HttpResult ended = server.request("DELETE", kSessions + u'/' + first.value(QStringLiteral("id")).toString(), {},
                                                {{"Authorization", "Bearer " + tokens.at(2)}});
        QCOMPARE(ended.status, 200);
        QCOMPARE(server.get(kMe, tokens.at(0)).status, 401);
        // Ending it again, or a session id that does not exist: 404.
        const HttpResult again = server.request("DELETE", kSessions + u'/' + first.value(QStringLiteral("id")).toString(), {},
                                                {{"Authorization", "Bearer " + tokens.at(2)}});
        QCOMPARE(again.status, 404);
        QVERIFY(isErrorShape(again, QStringLiteral("not_found")));
        // Another user's session: the same 404.
        addUser(server, QStringLiteral("colleague@example.com"));
        const QByteArray theirs = bearer(server.post(kLogin, credentials(QStringLiteral("colleague@example.com"))));
        const QString theirSession = jwtPayload(theirs).value(QStringLiteral("sid")).toString();
        const HttpResult foreign = server.request("DELETE", kSessions + u'/' + theirSession, {}, {{"Authorization", "Bearer " + tokens.at(2)}});
        QCOMPARE(foreign.status, 404);
        QCOMPARE(foreign.body, again.body);
        QCOMPARE(server.get(kMe, theirs).status, 200);

        const HttpResult others = postAuthed(server, kSessions + QStringLiteral("/endOthers"), tokens.at(2));
        QCOMPARE(others.status, 200);
        QCOMPARE(others.json.value(QStringLiteral("sessionsEnded")).toInt(), 1);
        QCOMPARE(server.get(kMe, tokens.at(1)).status, 401);
        QCOMPARE(server.get(kMe, tokens.at(2)).status, 200);
        QCOMPARE(server.get(kSessions, tokens.at(2)).json.value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(server.get(kSessions).status, 401);
    }

    void appTokenLifetimesOverAdminApi()
    {
        TestServer server;
        importExample(server);
        QVERIFY(server.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const QByteArray admin = bearer(server.post(QStringLiteral("/realms/master/authRealm/login"), credentials(QStringLiteral("admin"), kAdminPassword)));
        const QString path = QStringLiteral("/admin/realms/acme/apps/plantaerium/tokenLifetimes");
        const auto put = [&](const QByteArray &body) {
            return server.request("PUT", path, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}});
        };
        const HttpResult set = put(R"({"accessTokenLifetime": 300, "refreshTokenLifetime": null})");
        QCOMPARE(set.status, 200);
        QCOMPARE(set.json.value(QStringLiteral("accessTokenLifetime")).toInt(), 300);
        QVERIFY(set.json.value(QStringLiteral("refreshTokenLifetime")).isNull());
        QCOMPARE(set.json.value(QStringLiteral("effective")).toObject().value(QStringLiteral("accessTokenLifetime")).toInt(), 300);
        QCOMPARE(server.post(kLogin, credentials(kGuest)).json.value(QStringLiteral("expiresIn")).toInt(), 300);
        // An app asking for more than the realm allows gets the realm's value.
        QCOMPARE(put(R"({"accessTokenLifetime": 3600})").json.value(QStringLiteral("effective")).toObject()
                     .value(QStringLiteral("accessTokenLifetime")).toInt(), 900);
        const HttpResult app = server.get(QStringLiteral("/admin/realms/acme/apps/plantaerium"), admin);
        QCOMPARE(app.json.value(QStringLiteral("tokenLifetimes")).toObject().value(QStringLiteral("accessTokenLifetime")).toInt(), 3600);

        for (const QByteArray &bad : {QByteArray(R"({"accessTokenLifetime": "300"})"), QByteArray(R"({"accessTokenLifetime": 1.5})"),
                                      QByteArray(R"({"accessTokenLifetime": -5})"), QByteArray(R"({"accessTokenLifetime": 10})"),
                                      QByteArray(R"({"sessionMaxLifetime": 99999999999})")}) {
            const HttpResult r = put(bad);
            QCOMPARE(r.status, 400);
            QVERIFY2(isErrorShape(r, QStringLiteral("invalid_request")), bad.constData());
        }
        QCOMPARE(server.request("PUT", QStringLiteral("/admin/realms/acme/apps/nope/tokenLifetimes"), "{}",
                                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}}).status, 404);
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("signedIn");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("totp: no challenge") << kLoginTotp << QByteArray(R"({"code":"123456"})") << false << 400 << "invalid_request";
        QTest::newRow("totp: no code") << kLoginTotp << QByteArray(R"({"challenge_id":"mfa_x"})") << false << 400 << "invalid_request";
        QTest::newRow("totp: code is a number") << kLoginTotp << QByteArray(R"({"challenge_id":"mfa_x","code":123456})") << false << 400 << "invalid_request";
        QTest::newRow("totp: unknown challenge") << kLoginTotp << QByteArray(R"({"challenge_id":"mfa_x","code":"123456"})") << false << 401 << "invalid_mfa_challenge";
        QTest::newRow("totp: not a challenge") << kLoginTotp << QByteArray(R"({"challenge_id":"rt_abc","code":"123456"})") << false << 401 << "invalid_mfa_challenge";
        QTest::newRow("totp: huge code") << kLoginTotp << ("{\"challenge_id\":\"mfa_x\",\"code\":\"" + QByteArray(100, '1') + "\"}") << false << 400 << "invalid_request";
        QTest::newRow("enroll: anonymous") << QStringLiteral("/realms/acme/authRealm/totp/enroll") << QByteArray("{}") << false << 401 << "invalid_token";
        QTest::newRow("confirm: nothing pending") << QStringLiteral("/realms/acme/authRealm/totp/confirm") << QByteArray(R"({"code":"123456"})") << true << 409 << "mfa_not_enabled";
        QTest::newRow("confirm: no code") << QStringLiteral("/realms/acme/authRealm/totp/confirm") << QByteArray("{}") << true << 400 << "invalid_request";
        QTest::newRow("disable: not on") << QStringLiteral("/realms/acme/authRealm/totp/disable") << QByteArray(R"({"code":"123456"})") << true << 409 << "mfa_not_enabled";
        QTest::newRow("stepUp: anonymous") << QStringLiteral("/realms/acme/authRealm/stepUp") << QByteArray(R"({"code":"123456"})") << false << 401 << "invalid_token";
        QTest::newRow("stepUp: no TOTP") << QStringLiteral("/realms/acme/authRealm/stepUp") << QByteArray(R"({"code":"123456"})") << true << 409 << "mfa_not_enabled";
        QTest::newRow("stepUp: code null") << QStringLiteral("/realms/acme/authRealm/stepUp") << QByteArray(R"({"code":null})") << true << 400 << "invalid_request";
        QTest::newRow("endOthers: anonymous") << kSessions + QStringLiteral("/endOthers") << QByteArray("{}") << false << 401 << "invalid_token";
    }
    void badInput()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(bool, signedIn);
        QFETCH(int, status);
        QFETCH(QString, error);
        TestServer server;
        importExample(server);
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (signedIn)
            headers.append({"Authorization", "Bearer " + bearer(server.post(kLogin, credentials(kGuest)))});
        const HttpResult r = server.request("POST", path, body, headers);
        QCOMPARE(r.status, status);
        QVERIFY2(isErrorShape(r, error), r.body.constData());
    }

    void badSessionCursor()
    {
        TestServer server;
        importExample(server);
        const QByteArray token = bearer(server.post(kLogin, credentials(kGuest)));
        for (const QString &query : {QStringLiteral("?cursor=%%%"), QStringLiteral("?cursor=bm90LWEtY3Vyc29y"), QStringLiteral("?limit=0"),
                                     QStringLiteral("?limit=abc")}) {
            const HttpResult r = server.get(kSessions + query, token);
            QCOMPARE(r.status, 400);
            QVERIFY2(isErrorShape(r, QStringLiteral("invalid_request")), qPrintable(query));
        }
    }
};

QTEST_GUILESS_MAIN(tst_SignInApi)
#include "tst_signinapi.moc"
