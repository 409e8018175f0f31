// Tenant routes and personal access tokens over HTTP: scope checks (default
// deny), feature toggles, pagination, PAT lifecycle, cross-app isolation.
#include "TestServer.h"

#include <QJsonArray>
#include <QTest>

using namespace authrealm;
using test::HttpResult;
using test::TestServer;

namespace {
const QString kBase = QStringLiteral("/realms/acme");

void importRealm(TestServer &server)
{
    server.core().transfer().importRealm(QJsonDocument::fromJson(R"({"realm": "acme",
        "apps": [{"id": "plantaerium",
                  "features": [{"featureKey": "blogs", "isEnabled": true, "scopes": ["blogs:read", "blogs:write"]},
                               {"featureKey": "events", "isEnabled": true, "scopes": ["events:read"]}],
                  "roles": [{"name": "ContentEditor", "scopes": ["blogs:read", "blogs:write", "events:read"]},
                            {"name": "TeamLead", "scopes": ["blogs:read", "users:read"]}]},
                 {"id": "whitcomb", "roles": [{"name": "Member", "scopes": ["events:read"]}]}],
        "users": [{"email": "guest@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]},
                  {"email": "lead@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["TeamLead"]}, {"app": "whitcomb", "roles": ["Member"]}]},
                  {"email": "a1@example.com", "memberships": [{"app": "plantaerium"}]},
                  {"email": "a2@example.com", "memberships": [{"app": "plantaerium"}]},
                  {"email": "only-whitcomb@example.com", "memberships": [{"app": "whitcomb"}]}]})").object(),
                                         QStringLiteral("test"));
}

QByteArray signIn(TestServer &server, const QString &email)
{
    const HttpResult r = server.post(kBase + QStringLiteral("/authRealm/login"),
                                     {{QStringLiteral("email"), email}, {QStringLiteral("password"), QStringLiteral("SecurePassword123!")},
                                      {QStringLiteral("tenantId"), QStringLiteral("plantaerium")}});
    return r.json.value(QStringLiteral("accessToken")).toString().toLatin1();
}

HttpResult postAs(TestServer &server, const QString &path, const QByteArray &bearer, const QJsonObject &body)
{
    return server.request("POST", kBase + path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                          {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + bearer}});
}
} // namespace

class tst_TenantApi : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void featuresListAndToggle()
    {
        TestServer server;
        importRealm(server);
        const QByteArray token = signIn(server, QStringLiteral("guest@example.com"));
        HttpResult r = server.get(kBase + QStringLiteral("/v1/tenant/features"), token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QStringLiteral("features")).toArray().size(), 2);
        QCOMPARE(r.json.value(QStringLiteral("features")).toArray().first().toObject(),
                 (QJsonObject{{QStringLiteral("featureKey"), QStringLiteral("blogs")}, {QStringLiteral("isEnabled"), true},
                              {QStringLiteral("scopes"), QJsonArray{QStringLiteral("blogs:read"), QStringLiteral("blogs:write")}}}));
        server.core().realms().setFeatureEnabled(QStringLiteral("acme"), QStringLiteral("plantaerium"), QStringLiteral("blogs"), false);
        r = server.get(kBase + QStringLiteral("/v1/tenant/features"), token);
        QCOMPARE(r.json.value(QStringLiteral("features")).toArray().first().toObject().value(QStringLiteral("isEnabled")).toBool(), false);
        const HttpResult login = server.post(kBase + QStringLiteral("/authRealm/login"),
                                             {{QStringLiteral("email"), QStringLiteral("guest@example.com")},
                                              {QStringLiteral("password"), QStringLiteral("SecurePassword123!")}});
        QCOMPARE(login.json.value(QStringLiteral("scope")).toString(), QStringLiteral("events:read"));
        QCOMPARE(server.get(kBase + QStringLiteral("/v1/tenant/features")).status, 401);
    }

    void membersNeedUsersRead()
    {
        TestServer server;
        importRealm(server);
        const HttpResult denied = server.get(kBase + QStringLiteral("/v1/tenant/members"), signIn(server, QStringLiteral("guest@example.com")));
        QCOMPARE(denied.status, 403);
        QCOMPARE(denied.json.value(QStringLiteral("error")).toString(), QStringLiteral("forbidden"));

        const QByteArray lead = signIn(server, QStringLiteral("lead@example.com"));
        QStringList emails;
        QString cursor;
        int pages = 0;
        do {
            const QString path = kBase + QStringLiteral("/v1/tenant/members?limit=2") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor);
            const HttpResult page = server.get(path, lead);
            QCOMPARE(page.status, 200);
            QVERIFY(page.json.value(QStringLiteral("items")).toArray().size() <= 2);
            for (const QJsonValue &item : page.json.value(QStringLiteral("items")).toArray()) {
                emails.append(item.toObject().value(QStringLiteral("email")).toString());
                // One product never learns about another product.
                QVERIFY(!QJsonDocument(item.toObject()).toJson().contains("whitcomb"));
                QVERIFY(!QJsonDocument(item.toObject()).toJson().contains("Member\""));
            }
            cursor = page.json.value(QStringLiteral("next_cursor")).toString();
            ++pages;
        } while (!cursor.isEmpty() && pages < 10);
        QCOMPARE(emails, (QStringList{"a1@example.com", "a2@example.com", "guest@example.com", "lead@example.com"}));
        QCOMPARE(pages, 2);
        QCOMPARE(server.get(kBase + QStringLiteral("/v1/tenant/members?limit=0"), lead).status, 400);
        QCOMPARE(server.get(kBase + QStringLiteral("/v1/tenant/members?cursor=%%%"), lead).status, 400);
    }

    void patLifecycleOverHttp()
    {
        TestServer server;
        importRealm(server);
        const QByteArray token = signIn(server, QStringLiteral("guest@example.com"));
        const HttpResult created = postAs(server, QStringLiteral("/v1/me/tokens"), token,
                                          {{QStringLiteral("name"), QStringLiteral("nightly-content-sync")},
                                           {QStringLiteral("scopes"), QJsonArray{QStringLiteral("blogs:read"), QStringLiteral("events:read")}},
                                           {QStringLiteral("expiresInDays"), 90}});
        QCOMPARE(created.status, 201);
        const QByteArray pat = created.json.value(QStringLiteral("token")).toString().toLatin1();
        QVERIFY(pat.startsWith("pat_"));
        QCOMPARE(created.json.value(QStringLiteral("scopes")).toArray().size(), 2);
        const QString id = created.json.value(QStringLiteral("id")).toString();

        HttpResult me = server.get(kBase + QStringLiteral("/v1/tenant/me"), pat);
        QCOMPARE(me.status, 200);
        const HttpResult listed = server.get(kBase + QStringLiteral("/v1/me/tokens"), token);
        QCOMPARE(listed.json.value(QStringLiteral("items")).toArray().size(), 1);
        QVERIFY(!listed.body.contains(pat)); // never the secret again
        QVERIFY(!listed.json.value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("lastUsedAt")).isNull());

        // A PAT cannot mint PATs, and cannot ask beyond its creator.
        QCOMPARE(postAs(server, QStringLiteral("/v1/me/tokens"), pat, {{QStringLiteral("name"), QStringLiteral("child")}}).status, 403);
        const HttpResult tooMuch = postAs(server, QStringLiteral("/v1/me/tokens"), token,
                                          {{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("scopes"), QJsonArray{QStringLiteral("users:read")}}});
        QCOMPARE(tooMuch.status, 403);
        QCOMPARE(tooMuch.json.value(QStringLiteral("error")).toString(), QStringLiteral("scope_not_held"));

        const HttpResult rotated = postAs(server, QStringLiteral("/v1/me/tokens/") + id + QStringLiteral("/rotate"), token, {});
        QCOMPARE(rotated.status, 200);
        const QByteArray pat2 = rotated.json.value(QStringLiteral("token")).toString().toLatin1();
        QCOMPARE(server.get(kBase + QStringLiteral("/v1/tenant/me"), pat).status, 401);
        QCOMPARE(server.get(kBase + QStringLiteral("/v1/tenant/me"), pat2).status, 200);

        const HttpResult revoked = server.request("DELETE", kBase + QStringLiteral("/v1/me/tokens/") + id, {},
                                                  {{"Authorization", "Bearer " + token}});
        QCOMPARE(revoked.status, 200);
        me = server.get(kBase + QStringLiteral("/v1/tenant/me"), pat2);
        QCOMPARE(me.status, 401);
        QCOMPARE(me.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_token"));
        QCOMPARE(server.request("DELETE", kBase + QStringLiteral("/v1/me/tokens/") + id, {}, {{"Authorization", "Bearer " + token}}).status, 404);
    }

    void patBadInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("no name") << QByteArray(R"({"scopes":["blogs:read"]})") << 400;
        QTest::newRow("scopes not an array") << QByteArray(R"({"name":"a","scopes":"blogs:read"})") << 400;
        QTest::newRow("scope not a string") << QByteArray(R"({"name":"a","scopes":[1]})") << 400;
        QTest::newRow("days not a number") << QByteArray(R"({"name":"a","expiresInDays":"90"})") << 400;
        QTest::newRow("days fractional") << QByteArray(R"({"name":"a","expiresInDays":1.5})") << 400;
        QTest::newRow("days negative") << QByteArray(R"({"name":"a","expiresInDays":-1})") << 400;
        QTest::newRow("name too long") << (QByteArray(R"({"name":")") + QByteArray(101, 'n') + QByteArray(R"("})")) << 400;
        QTest::newRow("no scopes is fine") << QByteArray(R"({"name":"a"})") << 201;
    }
    void patBadInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        TestServer server;
        importRealm(server);
        const QByteArray token = signIn(server, QStringLiteral("guest@example.com"));
        const HttpResult r = server.request("POST", kBase + QStringLiteral("/v1/me/tokens"), body,
                                            {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
        QCOMPARE(r.status, status);
        if (status >= 400)
            QVERIFY(r.json.contains(QStringLiteral("error")) && r.json.contains(QStringLiteral("message")));
    }
};

QTEST_GUILESS_MAIN(tst_TenantApi)
#include "tst_tenantapi.moc"
