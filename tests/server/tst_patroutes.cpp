// The PAT route matrix, on every backend: every route that sees or manages
// tokens, sessions or credentials answers every personal access token (with
// no scopes or with all of its owner's) the same 403 forbidden and changes
// nothing, while an access token from a sign-in gets through.
#include "TestServer.h"

#include "storage/Sql.h"

#include <QJsonArray>
#include <QTest>

using namespace authrealm;
using test::HttpResult;
using test::TestServer;

namespace {
const QString kPassword = QStringLiteral("SecurePassword123!");

QJsonObject sampleRealm()
{
    return QJsonDocument::fromJson(R"({"realm": "acme", "displayName": "Acme",
        "apps": [{"id": "plantaerium", "displayName": "Plantaerium",
                  "roles": [{"name": "ContentEditor", "scopes": ["blogs:read", "blogs:write"]}]}],
        "users": [{"email": "guest@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]}]})")
        .object();
}

qint64 scalar(const Database &db, const QString &sql)
{
    SqlQuery q(db, sql);
    q.exec();
    return q.next() ? q.value(0).toLongLong() : -1;
}
} // namespace

class tst_PatRoutes : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QByteArray m_access;           // access token of guest@
    QByteArray m_pats[2];          // [0] no scopes, [1] every scope guest@ holds
    QString m_userId;

    TestServer &server() { return *m_server; }

    HttpResult call(const QByteArray &bearer, const QByteArray &method, const QString &path, const QByteArray &body)
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + bearer}};
        if (!body.isEmpty())
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return server().request(method, QStringLiteral("/realms/acme") + path, body, headers);
    }

    Principal signedIn()
    {
        const SignInResult r = server().core().auth().login(QStringLiteral("acme"), QStringLiteral("guest@example.com"), kPassword, {}, {});
        return server().core().authenticator().authenticate(QStringLiteral("acme"), r.tokens->accessToken, {});
    }

    // "{pat}" a fresh PAT of the user, "{session}" another session of theirs.
    QString expand(QString path)
    {
        if (path.contains(u"{pat}"))
            path.replace(QStringLiteral("{pat}"), server().core().pats().create(signedIn(), QStringLiteral("victim"), {}, 30, {}).token.id);
        if (path.contains(u"{session}"))
            path.replace(QStringLiteral("{session}"), signedIn().sessionId);
        return path;
    }

    // What a refused request must leave as it was.
    QString fingerprint()
    {
        const Database &db = server().core().database();
        const auto count = [&](const QString &sql) { return QString::number(scalar(db, sql)); };
        return QStringList{
            count(QStringLiteral("SELECT COUNT(*) FROM personal_access_tokens WHERE revoked_at IS NULL")),
            count(QStringLiteral("SELECT COUNT(*) FROM sessions WHERE revoked_at IS NULL")),
            count(QStringLiteral("SELECT COUNT(*) FROM totp_credentials")),
            count(QStringLiteral("SELECT COUNT(*) FROM account_tokens")),
            count(QStringLiteral("SELECT COUNT(*) FROM mail_outbox")),
            server().core().users().findByLogin(QStringLiteral("acme"), QStringLiteral("guest@example.com"))->passwordHash,
        }.join(u'|');
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init()
    {
        m_server = std::make_unique<TestServer>();
        server().core().transfer().importRealm(sampleRealm(), QStringLiteral("test"));
        const HttpResult login = server().post(QStringLiteral("/realms/acme/authRealm/login"),
                                               QJsonObject{{QStringLiteral("email"), QStringLiteral("guest@example.com")},
                                                           {QStringLiteral("password"), kPassword}});
        QCOMPARE(login.status, 200);
        m_access = login.json.value(QStringLiteral("accessToken")).toString().toLatin1();
        const QByteArray scopes[2] = {R"([])", R"(["blogs:read","blogs:write"])"};
        for (int i = 0; i < 2; ++i) {
            const HttpResult pat = call(m_access, "POST", QStringLiteral("/v1/me/tokens"), R"({"name":"automation","scopes":)" + scopes[i] + "}");
            QCOMPARE(pat.status, 201);
            m_pats[i] = pat.json.value(QStringLiteral("token")).toString().toLatin1();
        }
        // The PATs do work where a PAT belongs.
        QCOMPARE(call(m_pats[0], "GET", QStringLiteral("/v1/tenant/me"), {}).status, 200);
    }
    void cleanup() { m_server.reset(); }

    void accountManagementRefusesEveryPat_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("accessStatus"); // what a signed-in access token gets: past the gate
        QTest::newRow("list PATs") << QByteArray("GET") << "/v1/me/tokens" << QByteArray() << 200;
        QTest::newRow("create PAT") << QByteArray("POST") << "/v1/me/tokens" << QByteArray(R"({"name":"more"})") << 201;
        QTest::newRow("rotate PAT") << QByteArray("POST") << "/v1/me/tokens/{pat}/rotate" << QByteArray() << 200;
        QTest::newRow("revoke PAT") << QByteArray("DELETE") << "/v1/me/tokens/{pat}" << QByteArray() << 200;
        QTest::newRow("list sessions") << QByteArray("GET") << "/v1/me/sessions" << QByteArray() << 200;
        QTest::newRow("end a session") << QByteArray("DELETE") << "/v1/me/sessions/{session}" << QByteArray() << 200;
        QTest::newRow("end other sessions") << QByteArray("POST") << "/v1/me/sessions/endOthers" << QByteArray() << 200;
        QTest::newRow("change password") << QByteArray("POST") << "/authRealm/changePassword"
                                         << QByteArray(R"({"currentPassword":"not-the-password","newPassword":"Brand-New-Passphrase-77"})") << 400;
        QTest::newRow("TOTP enrol") << QByteArray("POST") << "/authRealm/totp/enroll" << QByteArray() << 200;
        QTest::newRow("TOTP confirm") << QByteArray("POST") << "/authRealm/totp/confirm" << QByteArray(R"({"code":"000000"})") << 409;
        QTest::newRow("TOTP disable") << QByteArray("POST") << "/authRealm/totp/disable" << QByteArray(R"({"code":"000000"})") << 409;
        QTest::newRow("step-up") << QByteArray("POST") << "/authRealm/stepUp" << QByteArray(R"({"code":"000000"})") << 409;
        QTest::newRow("verify email request") << QByteArray("POST") << "/authRealm/verifyEmail/request" << QByteArray() << 202;
    }
    void accountManagementRefusesEveryPat()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, accessStatus);
        QString message;
        for (const QByteArray &pat : m_pats) {
            const QString url = expand(path);
            const QString before = fingerprint();
            const HttpResult r = call(pat, method, url, body);
            const QByteArray what = method + ' ' + url.toUtf8() + " with a PAT -> " + QByteArray::number(r.status) + ' ' + r.body;
            QVERIFY2(r.status == 403, what.constData());
            QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("forbidden"));
            // One rule, one answer: the same message on every route, for every PAT.
            if (message.isEmpty())
                message = r.json.value(QStringLiteral("message")).toString();
            QCOMPARE(r.json.value(QStringLiteral("message")).toString(), message);
            QVERIFY(!r.body.contains("\"items\""));
            QCOMPARE(fingerprint(), before);
        }
        QVERIFY(message.contains(u"personal access token"));
        const HttpResult r = call(m_access, method, expand(path), body);
        const QByteArray what = method + ' ' + path.toUtf8() + " with an access token -> " + QByteArray::number(r.status) + ' ' + r.body;
        QVERIFY2(r.status == accessStatus, what.constData());
    }
};

QTEST_GUILESS_MAIN(tst_PatRoutes)
#include "tst_patroutes.moc"
