// The v1 API over real HTTP: shapes, the error boundary for bad input,
// forged tokens, setup, concurrency and load shedding, on every backend.
#include "TestServer.h"
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"
#include "crypto/SigningKey.h"
#include "BackgroundJobs.h"
#include "storage/Sql.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace authrealm;
using test::HttpResult;
using test::TestServer;

namespace {
const QString kLogin = QStringLiteral("/realms/acme/authRealm/login");
const QString kRefresh = QStringLiteral("/realms/acme/authRealm/refresh");
const QString kLogout = QStringLiteral("/realms/acme/authRealm/logout");
const QString kMe = QStringLiteral("/realms/acme/v1/tenant/me");

QJsonObject guestCredentials()
{
    return {{QStringLiteral("email"), QStringLiteral("guest@example.com")}, {QStringLiteral("password"), QStringLiteral("SecurePassword123!")}};
}

void importExample(TestServer &server)
{
    QFile file(QStringLiteral(AUTHREALM_SOURCE_DIR "/docs/examples/acme-realm.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    server.core().transfer().importRealm(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("test"));
}

bool isErrorShape(const HttpResult &r, const QString &code)
{
    return r.json.size() == 2 && r.json.value(QStringLiteral("error")).toString() == code
            && !r.json.value(QStringLiteral("message")).toString().isEmpty()
            && r.header("Content-Type") == "application/json";
}
} // namespace

class tst_AuthApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void fullSessionLifecycle()
    {
        TestServer server;
        importExample(server);
        const HttpResult login = server.post(kLogin, guestCredentials());
        QCOMPARE(login.status, 200);
        for (const char *key : {"accessToken", "refreshToken", "expiresIn", "roles", "scope", "tenantId"})
            QVERIFY2(login.json.contains(QLatin1String(key)), key);
        QCOMPARE(login.json.value(QStringLiteral("expiresIn")).toInt(), 900);
        QCOMPARE(login.json.value(QStringLiteral("scope")).toString(), QStringLiteral("blogs:read blogs:write events:read"));
        QCOMPARE(login.json.value(QStringLiteral("roles")).toArray(), QJsonArray{QStringLiteral("ContentEditor")});
        QCOMPARE(login.header("Cache-Control"), QByteArray("no-store"));
        const QByteArray access = login.json.value(QStringLiteral("accessToken")).toString().toLatin1();
        const QString refresh = login.json.value(QStringLiteral("refreshToken")).toString();

        const HttpResult me = server.get(kMe, access);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json.value(QStringLiteral("email")).toString(), QStringLiteral("guest@example.com"));
        QCOMPARE(me.json.value(QStringLiteral("tenantId")).toString(), QStringLiteral("plantaerium"));

        const HttpResult rotated = server.post(kRefresh, {{QStringLiteral("refreshToken"), refresh}});
        QCOMPARE(rotated.status, 200);
        const QString refresh2 = rotated.json.value(QStringLiteral("refreshToken")).toString();
        QVERIFY(refresh2 != refresh);

        // Replay of the old token: refused, and the family dies with it.
        const HttpResult replay = server.post(kRefresh, {{QStringLiteral("refreshToken"), refresh}});
        QCOMPARE(replay.status, 401);
        QVERIFY(isErrorShape(replay, QStringLiteral("invalid_refresh_token")));
        QCOMPARE(server.post(kRefresh, {{QStringLiteral("refreshToken"), refresh2}}).status, 401);
        QCOMPARE(server.get(kMe, access).status, 401);

        // A new login, then logout everywhere: the access token is refused at once.
        const HttpResult again = server.post(kLogin, guestCredentials());
        const QByteArray access2 = again.json.value(QStringLiteral("accessToken")).toString().toLatin1();
        QCOMPARE(server.get(kMe, access2).status, 200);
        const HttpResult logout = server.post(kLogout, {{QStringLiteral("refreshToken"), again.json.value(QStringLiteral("refreshToken"))},
                                                        {QStringLiteral("all"), true}});
        QCOMPARE(logout.status, 200);
        QCOMPARE(logout.json.value(QStringLiteral("sessionsEnded")).toInt(), 1);
        const HttpResult refused = server.get(kMe, access2);
        QCOMPARE(refused.status, 401);
        QVERIFY(isErrorShape(refused, QStringLiteral("invalid_token")));
        QVERIFY(refused.header("WWW-Authenticate").startsWith("Bearer"));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        const QByteArray json = "application/json";
        QTest::newRow("malformed json") << QByteArray("POST") << kLogin << QByteArray("{\"email\":") << json << 400 << "invalid_json";
        QTest::newRow("json array") << QByteArray("POST") << kLogin << QByteArray("[1,2]") << json << 400 << "invalid_json";
        QTest::newRow("json string") << QByteArray("POST") << kLogin << QByteArray("\"hi\"") << json << 400 << "invalid_json";
        QTest::newRow("empty body") << QByteArray("POST") << kLogin << QByteArray() << json << 400 << "invalid_json";
        QTest::newRow("missing password") << QByteArray("POST") << kLogin << QByteArray(R"({"email":"guest@example.com"})") << json << 400 << "invalid_request";
        QTest::newRow("email is a number") << QByteArray("POST") << kLogin << QByteArray(R"({"email":5,"password":"x"})") << json << 400 << "invalid_request";
        QTest::newRow("password is null") << QByteArray("POST") << kLogin << QByteArray(R"({"email":"a@b.c","password":null})") << json << 400 << "invalid_request";
        QTest::newRow("password is an object") << QByteArray("POST") << kLogin << QByteArray(R"({"email":"a@b.c","password":{}})") << json << 400 << "invalid_request";
        QTest::newRow("tenantId is a number") << QByteArray("POST") << kLogin << QByteArray(R"({"email":"a@b.c","password":"x","tenantId":3})") << json << 400 << "invalid_request";
        QTest::newRow("email too long") << QByteArray("POST") << kLogin << ("{\"password\":\"x\",\"email\":\"" + QByteArray(300, 'a') + "\"}") << json << 400 << "invalid_request";
        QTest::newRow("form encoded") << QByteArray("POST") << kLogin << QByteArray("email=a&password=b") << QByteArray("application/x-www-form-urlencoded") << 415 << "unsupported_media_type";
        QTest::newRow("oversized body") << QByteArray("POST") << kLogin << ("{\"email\":\"a@b.c\",\"password\":\"" + QByteArray(200 * 1024, 'x') + "\"}") << json << 413 << "payload_too_large";
        QTest::newRow("unknown realm") << QByteArray("POST") << QStringLiteral("/realms/globex/authRealm/login") << QByteArray(R"({"email":"a@b.c","password":"x"})") << json << 404 << "realm_not_found";
        QTest::newRow("realm name with dots") << QByteArray("POST") << QStringLiteral("/realms/..%2F../authRealm/login") << QByteArray("{}") << json << 404 << "not_found";
        QTest::newRow("realm name not an identifier") << QByteArray("POST") << QStringLiteral("/realms/a%20b/authRealm/login") << QByteArray("{}") << json << 404 << "realm_not_found";
        QTest::newRow("unknown endpoint") << QByteArray("GET") << QStringLiteral("/realms/acme/nope") << QByteArray() << json << 404 << "not_found";
        QTest::newRow("wrong method") << QByteArray("GET") << kLogin << QByteArray() << json << 405 << "method_not_allowed";
        QTest::newRow("refresh token is a number") << QByteArray("POST") << kRefresh << QByteArray(R"({"refreshToken":12})") << json << 400 << "invalid_request";
        QTest::newRow("refresh token unknown") << QByteArray("POST") << kRefresh << QByteArray(R"({"refreshToken":"rt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})") << json << 401 << "invalid_refresh_token";
        QTest::newRow("refresh token garbage") << QByteArray("POST") << kRefresh << QByteArray("{\"refreshToken\":\"\x27; DROP TABLE sessions; --\"}") << json << 401 << "invalid_refresh_token";
        QTest::newRow("logout all not a bool") << QByteArray("POST") << kLogout << QByteArray(R"({"refreshToken":"rt_x","all":"yes"})") << json << 400 << "invalid_request";
        QTest::newRow("setup without code") << QByteArray("POST") << QStringLiteral("/_/setup") << QByteArray(R"({"password":"longenough"})") << json << 400 << "invalid_request";
    }
    void badInput()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, error);
        TestServer server;
        importExample(server);
        const HttpResult r = server.request(method, path, body, {{"Content-Type", contentType}});
        QCOMPARE(r.status, status);
        QVERIFY2(isErrorShape(r, error), r.body.constData());
        // The server is still healthy afterwards.
        QCOMPARE(server.get(QStringLiteral("/healthz")).status, 200);
    }

    void forgedBearerTokens_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("no header") << "missing";
        QTest::newRow("wrong scheme") << "basic";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("alg none") << "none";
        QTest::newRow("HS256 confusion") << "hs256";
        QTest::newRow("signed by a foreign key with the same kid") << "foreign";
        QTest::newRow("token of another realm") << "otherrealm";
        QTest::newRow("expired") << "expired";
        QTest::newRow("jku header pointing elsewhere") << "jku";
    }
    void forgedBearerTokens()
    {
        QFETCH(QString, kind);
        TestServer server;
        importExample(server);
        QJsonObject globex = QJsonDocument::fromJson(R"({"realm":"globex","apps":[{"id":"plantaerium"}],
            "users":[{"email":"guest@example.com","password":"SecurePassword123!","memberships":[{"app":"plantaerium"}]}]})").object();
        server.core().transfer().importRealm(globex, QStringLiteral("test"));
        const HttpResult login = server.post(kLogin, guestCredentials());
        const QString good = login.json.value(QStringLiteral("accessToken")).toString();
        const auto decoded = Jwt::decodeUnverified(good);
        QVERIFY(decoded);
        const auto enc = [](const QJsonObject &o) { return base64UrlEncodeString(QJsonDocument(o).toJson(QJsonDocument::Compact)); };
        QList<QPair<QByteArray, QByteArray>> headers;
        QString token;
        if (kind == u"basic") {
            headers.append(qMakePair(QByteArray("Authorization"), QByteArray("Basic Z3Vlc3Q6cGFzcw==")));
        } else if (kind == u"garbage") {
            token = QStringLiteral("a.b.c");
        } else if (kind == u"none") {
            QJsonObject h = decoded->header;
            h.insert(QStringLiteral("alg"), QStringLiteral("none"));
            token = enc(h) + u'.' + good.split(u'.')[1] + u'.';
        } else if (kind == u"hs256") {
            QJsonObject h = decoded->header;
            h.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
            token = enc(h) + u'.' + good.split(u'.')[1] + u'.' + good.split(u'.')[2];
        } else if (kind == u"foreign") {
            const SigningKey foreign = SigningKey::generate(SigningAlgorithm::ES256, decoded->header.value(QStringLiteral("kid")).toString());
            token = Jwt::sign(decoded->claims, foreign, QStringLiteral("at+jwt"));
        } else if (kind == u"otherrealm") {
            token = server.post(QStringLiteral("/realms/globex/authRealm/login"), guestCredentials()).json.value(QStringLiteral("accessToken")).toString();
            QVERIFY(!token.isEmpty());
        } else if (kind == u"expired") {
            token = good;
            server.clock().advanceSeconds(900 + AccessTokens::kClockSkewSeconds + 1);
        } else if (kind == u"jku") {
            QJsonObject h = decoded->header;
            h.insert(QStringLiteral("jku"), QStringLiteral("http://attacker.invalid/jwks.json"));
            token = enc(h) + u'.' + good.split(u'.')[1] + u'.' + good.split(u'.')[2];
        }
        if (!token.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + token.toLatin1()));
        const HttpResult r = server.request("GET", kMe, {}, headers);
        QCOMPARE(r.status, 401);
        QVERIFY2(isErrorShape(r, QStringLiteral("invalid_token")), r.body.constData());
    }

    void unknownEmailAndWrongPasswordAnswerAlike()
    {
        TestServer server;
        importExample(server);
        const HttpResult unknown = server.post(kLogin, {{QStringLiteral("email"), QStringLiteral("ghost@example.com")},
                                                        {QStringLiteral("password"), QStringLiteral("SecurePassword123!")}});
        const HttpResult wrong = server.post(kLogin, {{QStringLiteral("email"), QStringLiteral("guest@example.com")},
                                                      {QStringLiteral("password"), QStringLiteral("nope-nope-nope")}});
        QCOMPARE(unknown.status, 401);
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.body, wrong.body);
        QCOMPARE(unknown.body, QByteArray(R"({"error":"invalid_credentials","message":"Invalid email or password"})"));
    }

    void defaultRealmAnswersUnprefixedPaths()
    {
        TestServer server;
        const HttpResult jwks = server.get(QStringLiteral("/.well-known/jwks.json"));
        QCOMPARE(jwks.status, 200);
        QCOMPARE(jwks.json.value(QStringLiteral("keys")).toArray().size(), 1);
        const QJsonObject key = jwks.json.value(QStringLiteral("keys")).toArray().first().toObject();
        QVERIFY(!key.contains(QStringLiteral("d")));
        QCOMPARE(key.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        QCOMPARE(server.request("POST", QStringLiteral("/authRealm/login"), R"({"email":"admin","password":"whatever123"})").status, 401);
        QCOMPARE(server.get(QStringLiteral("/readyz")).status, 200);
    }

    void setupCodeFinishesTheAdminAccountOnce()
    {
        TestServer server;
        QVERIFY(server.core().bootstrap().adminNeedsPassword());
        const QString code = server.core().bootstrap().issueSetupCode();
        const HttpResult wrong = server.post(QStringLiteral("/_/setup"), {{QStringLiteral("code"), QStringLiteral("guess")},
                                                                        {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
        QCOMPARE(wrong.status, 403);
        QVERIFY(isErrorShape(wrong, QStringLiteral("invalid_setup_code")));
        const HttpResult weak = server.post(QStringLiteral("/_/setup"), {{QStringLiteral("code"), code}, {QStringLiteral("password"), QStringLiteral("short")}});
        QCOMPARE(weak.status, 400);
        QVERIFY(isErrorShape(weak, QStringLiteral("weak_password")));
        const HttpResult ok = server.post(QStringLiteral("/_/setup"), {{QStringLiteral("code"), code},
                                                                     {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
        QCOMPARE(ok.status, 200);
        const HttpResult twice = server.post(QStringLiteral("/_/setup"), {{QStringLiteral("code"), code},
                                                                        {QStringLiteral("password"), QStringLiteral("another password!")}});
        QCOMPARE(twice.status, 409);
        const HttpResult admin = server.post(QStringLiteral("/realms/master/authRealm/login"),
                                             {{QStringLiteral("email"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
        QCOMPARE(admin.status, 200);
        QCOMPARE(admin.json.value(QStringLiteral("tenantId")).toString(), QStringLiteral("admin-console"));
    }

    void tenConcurrentHttpRefreshesExactlyOneWins()
    {
        TestServer server;
        importExample(server);
        const QString refresh = server.post(kLogin, guestCredentials()).json.value(QStringLiteral("refreshToken")).toString();
        QNetworkAccessManager nam;
        QList<QNetworkReply *> replies;
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("refreshToken"), refresh}}).toJson(QJsonDocument::Compact);
        for (int i = 0; i < 10; ++i) {
            QNetworkRequest req{QUrl(server.url(kRefresh))};
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            replies.append(nam.post(req, body));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }), 60000);
        int ok = 0, refused = 0;
        for (QNetworkReply *r : std::as_const(replies)) {
            const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            ok += status == 200;
            refused += status == 401;
            r->deleteLater();
        }
        QCOMPARE(ok, 1);
        QCOMPARE(refused, 9);
    }

    void loginFloodIsShedWith503AndHealthStaysUp()
    {
        ServerOptions options;
        options.passwordThreads = 1;
        options.passwordQueueLimit = 2;
        // Real argon2id cost so the pool is actually busy.
        TestServer server(options, Argon2Params{19456, 2});
        importExample(server);
        QNetworkAccessManager nam;
        QList<QNetworkReply *> replies;
        const QByteArray body = QJsonDocument(guestCredentials()).toJson(QJsonDocument::Compact);
        for (int i = 0; i < 24; ++i) {
            QNetworkRequest req{QUrl(server.url(kLogin))};
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
            replies.append(nam.post(req, body));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); }), 120000);
        int ok = 0, shed = 0, other = 0;
        for (QNetworkReply *r : std::as_const(replies)) {
            const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 200)
                ++ok;
            else if (status == 503 && r->rawHeader("Retry-After") == "1")
                ++shed;
            else
                ++other;
            r->deleteLater();
        }
        QVERIFY2(ok >= 1, qPrintable(QString::number(ok)));
        QCOMPARE(other, 0);
        QCOMPARE(ok + shed, 24);
        QCOMPARE(server.get(QStringLiteral("/healthz")).status, 200);
    }

    // The revocation sync runs every second; a database outage must leave a
    // trace without a line a second: the first failure, then once a minute,
    // and a line when it works again.
    void revocationSyncFailuresAreLoggedRateLimited()
    {
        TestServer server;
        const auto rename = [&server](const char *from, const char *to) {
            SqlQuery(server.core().database(), QStringLiteral("ALTER TABLE %1 RENAME TO %2").arg(QLatin1String(from), QLatin1String(to))).exec();
        };
        BackgroundJobs jobs(server.core(), BackgroundJobs::Options{});
        QTest::failOnWarning(QRegularExpression(QStringLiteral("^revocation sync")));
        jobs.syncRevocations(); // healthy: silent
        rename("sessions", "sessions_away");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^revocation sync failed; retrying every second")));
        jobs.syncRevocations();
        for (int second = 1; second < 60; ++second) {
            server.clock().advanceSeconds(1);
            jobs.syncRevocations(); // within the minute: silent
        }
        server.clock().advanceSeconds(1);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^revocation sync still failing after 61 attempts")));
        jobs.syncRevocations();
        rename("sessions_away", "sessions");
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("^revocation sync works again")));
        jobs.syncRevocations();
        jobs.syncRevocations(); // healthy again: silent
    }

    // A refused admin call whose admin.denied event cannot be written still
    // answers 403, and the lost event is logged (route only, no credential).
    void lostAdminDeniedEventIsLogged()
    {
        TestServer server;
        importExample(server);
        const QByteArray token = server.post(kLogin, guestCredentials()).json.value(QStringLiteral("accessToken")).toString().toLatin1();
        QVERIFY(!token.isEmpty());
        SqlQuery(server.core().database(), QStringLiteral("ALTER TABLE audit_heads RENAME TO audit_heads_away")).exec();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^could not record an admin.denied event for GET /admin/realms :")));
        const HttpResult r = server.get(QStringLiteral("/admin/realms"), token);
        SqlQuery(server.core().database(), QStringLiteral("ALTER TABLE audit_heads_away RENAME TO audit_heads")).exec();
        QCOMPARE(r.status, 403);
        QVERIFY(isErrorShape(r, QStringLiteral("forbidden")));
    }

    void forwardedForIsIgnoredFromUntrustedPeers()
    {
        TestServer server;
        importExample(server);
        const QByteArray body = QJsonDocument(guestCredentials()).toJson(QJsonDocument::Compact);
        QCOMPARE(server.request("POST", kLogin, body, {{"Content-Type", "application/json"}, {"X-Forwarded-For", "198.51.100.9"}}).status, 200);
        const auto events = server.core().audit().recent(QStringLiteral("acme"), 1);
        QCOMPARE(events.first().kind, QStringLiteral("login.success"));
        QCOMPARE(events.first().ip, QStringLiteral("127.0.0.1"));
    }

    void trustedProxySuppliesTheClientAddress()
    {
        ServerOptions options;
        options.trustedProxies = {ClientAddress::parseSubnet(QStringLiteral("127.0.0.0/8"))};
        TestServer server(options);
        importExample(server);
        const QByteArray body = QJsonDocument(guestCredentials()).toJson(QJsonDocument::Compact);
        QCOMPARE(server.request("POST", kLogin, body, {{"Content-Type", "application/json"}, {"X-Forwarded-For", "198.51.100.9"}}).status, 200);
        QCOMPARE(server.core().audit().recent(QStringLiteral("acme"), 1).first().ip, QStringLiteral("198.51.100.9"));
    }
};

QTEST_GUILESS_MAIN(tst_AuthApi)
#include "tst_authapi.moc"
