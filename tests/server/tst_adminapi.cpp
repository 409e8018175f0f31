// Admin API over HTTP: who may do what (a matrix of routes x actor kinds),
// focused behaviour of single routes, and bad input never 5xx.
#include "AdminWorld.h"

using namespace authrealm;
using namespace authrealm::test::admin;
using test::HttpResult;
using test::TestServer;

class tst_AdminApi : public QObject
{
    Q_OBJECT

    SharedWorld m_shared;
    World &sharedWorld() { return m_shared.get(); }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void cleanup()
    {
        if (QTest::currentTestFailed())
            m_shared.reset();
    }
    void cleanupTestCase() { m_shared.reset(); }

    // ---- 1. the permission matrix -------------------------------------------
    void matrix_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QList<int>>("expected"); // one per Actor, Master..Pat

        // Columns:       master acme  app  globex plain  ro   rw  pat
        const auto row = [](const char *name, const QByteArray &method, const QString &path, const QByteArray &body, QList<int> expected) {
            Q_ASSERT(expected.size() == Pat + 1);
            QTest::newRow(name) << method << path << body << expected;
        };
        const QString acme = QStringLiteral("/admin/realms/acme");
        const QString plant = acme + QStringLiteral("/apps/plantaerium");
        row("GET realms", "GET", "/admin/realms", {}, {200, 200, 200, 200, 403, 200, 200, 403});
        row("POST realms", "POST", "/admin/realms", R"({"realm":"new{n}","displayName":"New","settings":{"accessTokenLifetime":600}})",
            {201, 403, 403, 403, 403, 403, 403, 403});
        row("GET realm", "GET", acme, {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("PATCH settings", "PATCH", acme + "/settings", R"({"accessTokenLifetime":600,"registrationEnabled":true})",
            {200, 200, 403, 403, 403, 403, 200, 403});
        row("DELETE realm globex", "DELETE", "/admin/realms/globex", {}, {200, 403, 403, 403, 403, 403, 403, 403});
        row("GET apps", "GET", acme + "/apps", {}, {200, 200, 200, 403, 403, 200, 200, 403});
        row("POST apps", "POST", acme + "/apps", R"({"id":"app{n}","displayName":"App"})", {201, 201, 403, 403, 403, 403, 201, 403});
        row("GET app", "GET", plant, {}, {200, 200, 200, 403, 403, 200, 200, 403});
        row("GET unknown app", "GET", acme + "/apps/nosuch", {}, {404, 404, 403, 403, 403, 404, 404, 403});
        row("PUT feature", "PUT", plant + "/features/newfeature", R"({"isEnabled":true,"scopes":["blogs:read"]})",
            {200, 200, 200, 403, 403, 403, 200, 403});
        row("PATCH feature", "PATCH", plant + "/features/blogs", R"({"isEnabled":false})", {200, 200, 200, 403, 403, 403, 200, 403});
        row("PATCH unknown feature", "PATCH", plant + "/features/nosuch", R"({"isEnabled":false})", {404, 404, 404, 403, 403, 403, 404, 403});
        row("DELETE feature", "DELETE", plant + "/features/f{n}", {}, {200, 200, 200, 403, 403, 403, 200, 403});
        row("PUT role", "PUT", plant + "/roles/Reviewer", R"({"scopes":["blogs:read"]})", {200, 200, 200, 403, 403, 403, 200, 403});
        row("rename role", "POST", plant + "/roles/r{n}/rename", R"({"name":"renamed{n}"})", {200, 200, 200, 403, 403, 403, 200, 403});
        row("DELETE role", "DELETE", plant + "/roles/r{n}", {}, {200, 200, 200, 403, 403, 403, 200, 403});
        row("DELETE held role", "DELETE", plant + "/roles/ContentEditor", {}, {409, 409, 409, 403, 403, 403, 409, 403});
        row("GET users", "GET", acme + "/users", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("GET users q", "GET", acme + "/users?q=gu&limit=5", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("POST users", "POST", acme + "/users", R"({"email":"new{n}@example.com","password":"SecurePassword123!"})",
            {201, 201, 403, 403, 403, 403, 201, 403});
        row("GET user", "GET", acme + "/users/{guest}", {}, {200, 200, 200, 403, 403, 200, 200, 403});
        row("GET unknown user", "GET", acme + "/users/00000000-0000-4000-8000-000000000000", {}, {404, 404, 404, 403, 403, 404, 404, 403});
        row("PATCH status", "PATCH", acme + "/users/{a1}", R"({"status":"suspended"})", {200, 200, 403, 403, 403, 403, 200, 403});
        row("POST password", "POST", acme + "/users/{a1}/password", R"({"password":"Another-Secure-Pass-9"})",
            {200, 200, 403, 403, 403, 403, 200, 403});
        row("PUT membership", "PUT", acme + "/users/{a2}/memberships/plantaerium", R"({"roles":["TeamLead"]})",
            {200, 200, 200, 403, 403, 403, 200, 403});
        row("PUT membership other app", "PUT", acme + "/users/{a2}/memberships/whitcomb", R"({"roles":["Member"]})",
            {200, 200, 403, 403, 403, 403, 200, 403});
        row("DELETE membership", "DELETE", acme + "/users/{u{n}}/memberships/plantaerium", {}, {200, 200, 200, 403, 403, 403, 200, 403});
        row("GET sessions", "GET", acme + "/users/{u0}/sessions", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("DELETE session", "DELETE", acme + "/users/{u{n}}/sessions/{s{n}}", {}, {200, 200, 403, 403, 403, 403, 200, 403});
        row("DELETE sessions", "DELETE", acme + "/users/{a1}/sessions", {}, {200, 200, 403, 403, 403, 403, 200, 403});
        row("GET tokens", "GET", acme + "/users/{u0}/tokens", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("DELETE token", "DELETE", acme + "/users/{u{n}}/tokens/{t{n}}", {}, {200, 200, 403, 403, 403, 403, 200, 403});
        row("GET keys", "GET", acme + "/keys", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("POST keys rotate", "POST", acme + "/keys/rotate", {}, {201, 201, 403, 403, 403, 403, 201, 403});
        row("GET events", "GET", "/admin/events", {}, {200, 200, 403, 200, 403, 200, 200, 403});
        row("GET events realm", "GET", "/admin/events?realm=acme&kind=login.success", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("GET events app", "GET", "/admin/events?realm=acme&app=plantaerium", {}, {200, 200, 200, 403, 403, 200, 200, 403});
        row("GET search", "GET", "/admin/search?q=a", {}, {200, 200, 200, 200, 403, 200, 200, 403});
        row("GET stats", "GET", "/admin/stats", {}, {200, 200, 403, 200, 403, 200, 200, 403});
        row("GET api-keys", "GET", "/admin/api-keys", {}, {200, 200, 200, 200, 403, 200, 200, 403});
        row("POST api-key realm", "POST", "/admin/api-keys", R"({"name":"ci","layer":"realm","realm":"acme","scopes":["admin:read"]})",
            {201, 201, 403, 403, 403, 403, 201, 403});
        row("POST api-key app", "POST", "/admin/api-keys", R"({"name":"ci","layer":"app","realm":"acme","app":"plantaerium"})",
            {201, 201, 201, 403, 403, 403, 201, 403});
        row("POST api-key master", "POST", "/admin/api-keys", R"({"name":"ci","layer":"master","scopes":["admin:write"]})",
            {201, 403, 403, 403, 403, 403, 403, 403});
        // Keys an actor cannot see are unknown to it (404), the same as keys that never existed.
        row("DELETE api-key", "DELETE", "/admin/api-keys/{k{n}}", {}, {200, 200, 404, 404, 403, 403, 200, 403});
        row("PUT grant app", "PUT", acme + "/users/{a2}/grants", R"({"layer":"app","app":"plantaerium"})",
            {200, 200, 200, 403, 403, 403, 200, 403});
        row("PUT grant realm", "PUT", acme + "/users/{a2}/grants", R"({"layer":"realm"})", {200, 200, 403, 403, 403, 403, 200, 403});
        row("PUT grant master", "PUT", "/admin/realms/master/users/{masterAdmin}/grants", R"({"layer":"master"})",
            {200, 403, 403, 403, 403, 403, 403, 403});
    }
    void matrix()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QList<int>, expected);
        expected.append(401); // Garbage

        World w(path.contains(QStringLiteral("{n}}")));
        if (QTest::currentTestFailed())
            return;
        // Callers expected to fail go first: they must change nothing, so each
        // allowed caller afterwards still finds the seeded state.
        QList<int> order;
        for (int a = 0; a < ActorCount; ++a) {
            if (expected.at(a) >= 300)
                order.append(a);
        }
        for (int a = 0; a < ActorCount; ++a) {
            if (expected.at(a) < 300)
                order.append(a);
        }
        for (const int a : std::as_const(order)) {
            const QString url = w.expand(path, a);
            const QByteArray payload = w.expand(QString::fromUtf8(body), a).toUtf8();
            const int eventsBefore = w.actorId[a].isEmpty() ? 0 : int(w.eventsBy(w.actorId[a]).size());
            const HttpResult r = w.call(Actor(a), method, url, payload);
            const QByteArray what = QByteArray(kActorNames[a]) + ' ' + method + ' ' + url.toUtf8() + " -> " + QByteArray::number(r.status)
                    + ' ' + r.body.left(300);
            QVERIFY2(r.status == expected.at(a), what.constData());
            if (r.status >= 400) {
                QVERIFY2(isErrorBody(r), what.constData());
                if (r.status == 403)
                    QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("forbidden"));
                if (r.status == 401)
                    QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_token"));
                if (r.status == 409)
                    QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("role_in_use"));
            }
            // Every change writes exactly one audit event naming its actor, and so
            // does every refused authorization ("admin.denied"); reads none.
            if (!w.actorId[a].isEmpty()) {
                const int wrote = int(w.eventsBy(w.actorId[a]).size()) - eventsBefore;
                const int want = ((method != "GET" && r.status < 300) || r.status == 403) ? 1 : 0;
                QVERIFY2(wrote == want, (what + " wrote " + QByteArray::number(wrote) + " event(s)").constData());
            }
        }
    }

    // ---- focused behaviour ----------------------------------------------------
    void usersSearchAndPagination()
    {
        World w(false);
        HttpResult r = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/realms/acme/users?q=U"));
        QCOMPARE(r.status, 200);
        QStringList emails;
        for (const QJsonValue &v : r.json.value(QStringLiteral("items")).toArray())
            emails.append(v.toObject().value(QStringLiteral("email")).toString());
        QCOMPARE(emails.size(), kPerActor);
        QVERIFY(std::all_of(emails.begin(), emails.end(), [](const QString &e) { return e.startsWith(u'u'); }));
        QVERIFY(r.json.value(QStringLiteral("next_cursor")).isNull());
        QVERIFY(!r.body.contains("passwordHash") && !r.body.contains("argon2"));

        // Prefix, not substring: "example" is inside every address but starts none.
        r = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/realms/acme/users?q=example"));
        QCOMPARE(r.json.value(QStringLiteral("items")).toArray().size(), 0);
        r = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/realms/acme/users?q=g"));
        QCOMPARE(r.json.value(QStringLiteral("items")).toArray().size(), 1); // guest, never g1@globex

        const QStringList all = [&] {
            QStringList out;
            for (const QJsonValue &v : w.call(Master, "GET", QStringLiteral("/admin/realms/acme/users?limit=200")).json.value(QStringLiteral("items")).toArray())
                out.append(v.toObject().value(QStringLiteral("email")).toString());
            return out;
        }();
        QCOMPARE(all.size(), 7 + kPerActor);
        QStringList paged;
        QString cursor;
        int pages = 0;
        do {
            r = w.call(RoKey, "GET", QStringLiteral("/admin/realms/acme/users?limit=4") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(r.status, 200);
            const QJsonArray items = r.json.value(QStringLiteral("items")).toArray();
            QVERIFY(items.size() <= 4 && !items.isEmpty());
            for (const QJsonValue &v : items) {
                const QString email = v.toObject().value(QStringLiteral("email")).toString();
                QVERIFY2(!paged.contains(email), qPrintable(email));
                paged.append(email);
            }
            cursor = r.json.value(QStringLiteral("next_cursor")).toString();
            ++pages;
        } while (!cursor.isEmpty() && pages < 20);
        QCOMPARE(paged, all);
        QCOMPARE(pages, (all.size() + 3) / 4);

        r = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/realms/acme/users?status=suspended"));
        QCOMPARE(r.json.value(QStringLiteral("items")).toArray().size(), 0);
    }

    void suspendingEndsSessions()
    {
        World w;
        const HttpResult login = w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                                               {{QStringLiteral("email"), QStringLiteral("a1@example.com")}, {QStringLiteral("password"), kPassword}});
        QCOMPARE(login.status, 200);
        const QString refresh = login.json.value(QStringLiteral("refreshToken")).toString();
        const QByteArray access = login.json.value(QStringLiteral("accessToken")).toString().toLatin1();
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), access).status, 200);
        QCOMPARE(w.call(AcmeAdmin, "GET", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}/sessions"), 0))
                         .json.value(QStringLiteral("items")).toArray().size(), 1);

        const HttpResult patched = w.call(AcmeAdmin, "PATCH", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}"), 0), R"({"status":"suspended"})");
        QCOMPARE(patched.status, 200);
        const HttpResult refreshed = w.server.post(QStringLiteral("/realms/acme/authRealm/refresh"), {{QStringLiteral("refreshToken"), refresh}});
        QCOMPARE(refreshed.status, 401);
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), access).status, 401);
        QCOMPARE(w.call(AcmeAdmin, "GET", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}"), 0)).json.value(QStringLiteral("status")).toString(),
                 QStringLiteral("suspended"));
        QCOMPARE(w.call(AcmeAdmin, "GET", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}/sessions"), 0))
                         .json.value(QStringLiteral("items")).toArray().size(), 0);
        // Suspended users cannot sign in; reactivated they can, with a new session.
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                               {{QStringLiteral("email"), QStringLiteral("a1@example.com")}, {QStringLiteral("password"), kPassword}}).status, 401);
        QCOMPARE(w.call(AcmeAdmin, "PATCH", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}"), 0), R"({"status":"active"})").status, 200);
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                               {{QStringLiteral("email"), QStringLiteral("a1@example.com")}, {QStringLiteral("password"), kPassword}}).status, 200);

        // A password reset ends sessions too, and the old password stops working.
        const HttpResult again = w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                                               {{QStringLiteral("email"), QStringLiteral("a1@example.com")}, {QStringLiteral("password"), kPassword}});
        QCOMPARE(w.call(RwKey, "POST", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}/password"), 0), R"({"password":"Another-Secure-Pass-9"})").status, 200);
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/refresh"),
                               {{QStringLiteral("refreshToken"), again.json.value(QStringLiteral("refreshToken")).toString()}}).status, 401);
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                               {{QStringLiteral("email"), QStringLiteral("a1@example.com")}, {QStringLiteral("password"), kPassword}}).status, 401);
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                               {{QStringLiteral("email"), QStringLiteral("a1@example.com")}, {QStringLiteral("password"), QStringLiteral("Another-Secure-Pass-9")}}).status, 200);

        // Revoking one session by id kills that session's refresh token.
        const TokenPair pair = w.core().auth().login(QStringLiteral("acme"), QStringLiteral("u0@example.com"), kPassword, {}, ClientInfo{}).tokens.value();
        const Principal p = w.core().authenticator().authenticate(QStringLiteral("acme"), pair.accessToken, ClientInfo{});
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{u0}/sessions/"), 0) + p.sessionId).status, 200);
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/refresh"), {{QStringLiteral("refreshToken"), pair.refreshToken}}).status, 401);
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), pair.accessToken.toLatin1()).status, 401);
        // A session of another user cannot be revoked through this user's path.
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{u0}/sessions/{s1}"), 0)).status, 404);
    }

    void userTokensListAndRevoke()
    {
        World w;
        HttpResult r = w.call(AcmeAdmin, "GET", w.expand(QStringLiteral("/admin/realms/acme/users/{guest}/tokens"), 0));
        QCOMPARE(r.status, 200);
        const QJsonArray items = r.json.value(QStringLiteral("items")).toArray();
        QCOMPARE(items.size(), 1);
        QVERIFY(!r.body.contains(w.cred[Pat])); // never the secret
        const QString id = items.first().toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), w.cred[Pat]).status, 200);
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{guest}/tokens/"), 0) + id).status, 200);
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), w.cred[Pat]).status, 401);
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{guest}/tokens/"), 0) + id).status, 404);
        // Another user's token through this user's path is unknown.
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{guest}/tokens/{t0}"), 0)).status, 404);
    }

    void keyRotation()
    {
        World w(false);
        const QByteArray guest = w.signIn(QStringLiteral("acme"), QStringLiteral("guest@example.com"));
        HttpResult jwks = w.server.get(QStringLiteral("/realms/acme/.well-known/jwks.json"));
        QCOMPARE(jwks.status, 200);
        QCOMPARE(jwks.json.value(QStringLiteral("keys")).toArray().size(), 1);
        const HttpResult rotated = w.call(AcmeAdmin, "POST", QStringLiteral("/admin/realms/acme/keys/rotate"));
        QCOMPARE(rotated.status, 201);
        const QString kid = rotated.json.value(QStringLiteral("kid")).toString();
        QVERIFY(!kid.isEmpty());
        jwks = w.server.get(QStringLiteral("/realms/acme/.well-known/jwks.json"));
        const QJsonArray keys = jwks.json.value(QStringLiteral("keys")).toArray();
        QCOMPARE(keys.size(), 2);
        QVERIFY(std::any_of(keys.begin(), keys.end(), [&](const QJsonValue &k) { return k.toObject().value(QStringLiteral("kid")).toString() == kid; }));
        const HttpResult listed = w.call(RoKey, "GET", QStringLiteral("/admin/realms/acme/keys"));
        QCOMPARE(listed.json.value(QStringLiteral("items")).toArray().size(), 2);
        QVERIFY(!listed.body.contains("\"d\"") && !listed.body.contains("private"));
        // Tokens signed before the rotation still verify; new ones use the new key.
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), guest).status, 200);
        QCOMPARE(w.call(AcmeAdmin, "GET", QStringLiteral("/admin/realms/acme")).status, 200);
        const QByteArray fresh = w.signIn(QStringLiteral("acme"), QStringLiteral("guest@example.com"));
        const auto header = QJsonDocument::fromJson(base64UrlDecode(QString::fromLatin1(fresh.split('.').value(0))).value_or(QByteArray())).object();
        QCOMPARE(header.value(QStringLiteral("kid")).toString(), kid);
        QCOMPARE(w.server.get(QStringLiteral("/realms/acme/v1/tenant/me"), fresh).status, 200);
        // globex keys are untouched.
        QCOMPARE(w.server.get(QStringLiteral("/realms/globex/.well-known/jwks.json")).json.value(QStringLiteral("keys")).toArray().size(), 1);
    }

    void apiKeyLifecycle()
    {
        World w(false);
        const HttpResult created = w.call(Master, "POST", QStringLiteral("/admin/api-keys"),
                                          R"({"name":"deploy bot","layer":"realm","realm":"acme","scopes":["admin:write","admin:read"]})");
        QCOMPARE(created.status, 201);
        const QByteArray key = created.json.value(QStringLiteral("key")).toString().toLatin1();
        const QString id = created.json.value(QStringLiteral("id")).toString();
        QVERIFY(key.startsWith("rk_"));
        QCOMPARE(created.json.value(QStringLiteral("scopes")).toArray(), (QJsonArray{QStringLiteral("admin:read"), QStringLiteral("admin:write")}));
        QCOMPARE(w.callWith(key, "GET", QStringLiteral("/admin/realms/acme")).status, 200);
        QCOMPARE(w.callWith(key, "GET", QStringLiteral("/admin/realms/globex")).status, 403);
        QCOMPARE(w.callWith(key, "PATCH", QStringLiteral("/admin/realms/acme/settings"), R"({"registrationEnabled":true})").status, 200);
        const HttpResult listed = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/api-keys"));
        QVERIFY(!listed.body.contains(key));
        QVERIFY(listed.body.contains(id.toLatin1()));
        QVERIFY(!w.call(GlobexAdmin, "GET", QStringLiteral("/admin/api-keys")).body.contains(id.toLatin1()));
        // The key's change is in the log under the key's name.
        const HttpResult events = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/events?kind=admin.realm.settings_changed&actor=apikey:") + id);
        QCOMPARE(events.json.value(QStringLiteral("items")).toArray().size(), 1);

        QCOMPARE(w.call(AcmeAdmin, "DELETE", QStringLiteral("/admin/api-keys/") + id).status, 200);
        const HttpResult after = w.callWith(key, "GET", QStringLiteral("/admin/realms/acme"));
        QCOMPARE(after.status, 401);
        QCOMPARE(after.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_token"));
        QCOMPARE(w.call(AcmeAdmin, "DELETE", QStringLiteral("/admin/api-keys/") + id).status, 404);
        QVERIFY(!w.call(AcmeAdmin, "GET", QStringLiteral("/admin/api-keys")).body.contains(id.toLatin1()));
    }

    void credentialsThatNeverAdminister_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("no header") << 401;
        QTest::newRow("basic scheme") << 401;
        QTest::newRow("unknown api key") << 401;
        QTest::newRow("truncated api key") << 401;
        QTest::newRow("expired access token") << 401;
        QTest::newRow("iss rewritten to another realm") << 401;
        QTest::newRow("iss of unknown realm") << 401;
        QTest::newRow("alg none") << 401;
        QTest::newRow("pat of a realm admin") << 403;
        QTest::newRow("suspended admin") << 401;
    }
    void credentialsThatNeverAdminister()
    {
        QFETCH(int, status);
        World w(false);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        const auto reissue = [](const QByteArray &jwt, const std::function<void(QJsonObject &, QJsonObject &)> &edit) {
            const QList<QByteArray> parts = jwt.split('.');
            QJsonObject header = QJsonDocument::fromJson(base64UrlDecode(QString::fromLatin1(parts.value(0))).value_or(QByteArray())).object();
            QJsonObject claims = QJsonDocument::fromJson(base64UrlDecode(QString::fromLatin1(parts.value(1))).value_or(QByteArray())).object();
            edit(header, claims);
            return base64UrlEncodeString(compact(header)).toLatin1() + '.' + base64UrlEncodeString(compact(claims)).toLatin1() + '.' + parts.value(2);
        };
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray bearer;
        if (tag == u"basic scheme") {
            headers.append(qMakePair(QByteArray("Authorization"), QByteArray("Basic YWRtaW46cGFzc3dvcmQ=")));
        } else if (tag == u"unknown api key") {
            bearer = "rk_" + QByteArray(43, 'A');
        } else if (tag == u"truncated api key") {
            bearer = w.cred[RwKey].left(w.cred[RwKey].size() - 1);
        } else if (tag == u"expired access token") {
            bearer = w.cred[AcmeAdmin];
            w.server.clock().advanceSeconds(3600);
        } else if (tag == u"iss rewritten to another realm") {
            // A globex admin's token claiming to come from acme: acme's keys reject it.
            bearer = reissue(w.cred[GlobexAdmin], [](QJsonObject &, QJsonObject &c) {
                c.insert(QStringLiteral("iss"), c.value(QStringLiteral("iss")).toString().replace(QStringLiteral("globex"), QStringLiteral("acme")));
            });
        } else if (tag == u"iss of unknown realm") {
            bearer = reissue(w.cred[AcmeAdmin], [](QJsonObject &, QJsonObject &c) {
                c.insert(QStringLiteral("iss"), c.value(QStringLiteral("iss")).toString().replace(QStringLiteral("acme"), QStringLiteral("nosuch")));
            });
        } else if (tag == u"alg none") {
            bearer = reissue(w.cred[Master], [](QJsonObject &h, QJsonObject &) { h.insert(QStringLiteral("alg"), QStringLiteral("none")); });
            bearer = bearer.left(bearer.lastIndexOf('.') + 1);
        } else if (tag == u"pat of a realm admin") {
            const HttpResult pat = w.server.request("POST", QStringLiteral("/realms/acme/v1/me/tokens"), R"({"name":"admin-pat"})",
                                                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + w.cred[AcmeAdmin]}});
            QCOMPARE(pat.status, 201);
            bearer = pat.json.value(QStringLiteral("token")).toString().toLatin1();
        } else if (tag == u"suspended admin") {
            bearer = w.cred[AcmeAdmin];
            QCOMPARE(w.call(Master, "PATCH", w.expand(QStringLiteral("/admin/realms/acme/users/{acmeAdmin}"), 0), R"({"status":"suspended"})").status, 200);
        }
        if (!bearer.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + bearer));
        const HttpResult r = w.server.request("GET", QStringLiteral("/admin/realms/acme"), {}, headers);
        QCOMPARE(r.status, status);
        QVERIFY(isErrorBody(r));
        QCOMPARE(r.json.value(QStringLiteral("error")).toString(), status == 401 ? QStringLiteral("invalid_token") : QStringLiteral("forbidden"));
        QVERIFY(!r.body.contains("settings"));
    }

    // Admin routes that hash a password (argon2id) must run on the bounded
    // password pool, never on an I/O thread. A pool with no capacity (one
    // worker, queue limit -1) sheds every password route with 503 overloaded
    // while inline routes still answer: a hashing route moved back to Inline
    // would answer 201/200 here.
    void passwordRoutesRunOnThePasswordPool_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("create user with password") << QByteArray("POST") << QStringLiteral("/admin/realms/master/users")
                                                   << QByteArray(R"({"email":"new@example.com","password":"Another-Password-2024!"})") << 503;
        QTest::newRow("create user without password") << QByteArray("POST") << QStringLiteral("/admin/realms/master/users")
                                                      << QByteArray(R"({"email":"new@example.com"})") << 503;
        QTest::newRow("set password") << QByteArray("POST") << QStringLiteral("/admin/realms/master/users/{masterAdmin}/password")
                                      << QByteArray(R"({"password":"Another-Password-2024!"})") << 503;
        QTest::newRow("list users (inline)") << QByteArray("GET") << QStringLiteral("/admin/realms/master/users") << QByteArray() << 200;
        QTest::newRow("realm settings (inline)") << QByteArray("PATCH") << QStringLiteral("/admin/realms/master/settings")
                                                 << QByteArray(R"({"registrationEnabled":false})") << 200;
    }
    void passwordRoutesRunOnThePasswordPool()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        ServerOptions options;
        options.passwordThreads = 1;
        options.passwordQueueLimit = -1; // capacity 0: every password route is shed
        TestServer server(options);
        QVERIFY(server.core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const auto admin = server.core().users().findByLogin(QStringLiteral("master"), QStringLiteral("admin"));
        QVERIFY(admin);
        const AdminActor master = server.core().adminDirectory().actorForUser(admin->id);
        // An API key: signing in would itself be password work.
        const QByteArray key = server.core().adminDirectory()
                                   .createApiKey(master, QStringLiteral("pool"), AdminGrant{AdminGrant::Layer::Master, {}, {}},
                                                 {QStringLiteral("admin:read"), QStringLiteral("admin:write")})
                                   .secret.toLatin1();
        path.replace(QStringLiteral("{masterAdmin}"), admin->id);
        const HttpResult r = server.request(method, path, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key}});
        QCOMPARE(r.status, status);
        if (status == 503) {
            QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("overloaded"));
            QCOMPARE(r.header("Retry-After"), QByteArray("1"));
            QVERIFY(!server.core().users().findByLogin(QStringLiteral("master"), QStringLiteral("new@example.com")));
        }
    }

    // A deleted realm takes its grants and keys with it: recreating the name
    // must not hand the old administrators the new realm.
    void deletedRealmLeavesNoGrants()
    {
        World w(false);
        const HttpResult operatorUser = w.call(Master, "POST", QStringLiteral("/admin/realms/master/users"),
                                               R"({"email":"operator@example.com","password":"SecurePassword123!"})");
        QCOMPARE(operatorUser.status, 201);
        const QString operatorId = operatorUser.json.value(QStringLiteral("id")).toString();
        QCOMPARE(w.call(Master, "PUT", QStringLiteral("/admin/realms/master/users/%1/memberships/admin-console").arg(operatorId), R"({"roles":[]})").status, 200);
        QCOMPARE(w.call(Master, "PUT", QStringLiteral("/admin/realms/globex/users/%1/grants").arg(operatorId), R"({"layer":"realm"})").status, 200);
        const HttpResult key = w.call(Master, "POST", QStringLiteral("/admin/api-keys"), R"({"name":"g","layer":"realm","realm":"globex","scopes":["admin:write"]})");
        QCOMPARE(key.status, 201);
        const QByteArray globexKey = key.json.value(QStringLiteral("key")).toString().toLatin1();
        const QByteArray operatorToken = w.signIn(QStringLiteral("master"), QStringLiteral("operator@example.com"));
        QCOMPARE(w.callWith(operatorToken, "GET", QStringLiteral("/admin/realms/globex")).status, 200);
        QCOMPARE(w.callWith(globexKey, "GET", QStringLiteral("/admin/realms/globex")).status, 200);

        QCOMPARE(w.call(Master, "DELETE", QStringLiteral("/admin/realms/globex")).status, 200);
        QCOMPARE(w.call(Master, "DELETE", QStringLiteral("/admin/realms/globex")).status, 404);
        QCOMPARE(w.call(Master, "GET", QStringLiteral("/admin/realms/globex")).status, 404);
        QCOMPARE(w.call(Master, "POST", QStringLiteral("/admin/realms"), R"({"realm":"globex"})").status, 201);
        QCOMPARE(w.callWith(operatorToken, "GET", QStringLiteral("/admin/realms/globex")).status, 403);
        QCOMPARE(w.callWith(globexKey, "GET", QStringLiteral("/admin/realms/globex")).status, 401);
        // The deletion is in master's log.
        const HttpResult events = w.call(Master, "GET", QStringLiteral("/admin/events?realm=master&kind=admin.realm.deleted"));
        QCOMPARE(events.json.value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(events.json.value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("targetId")).toString(), QStringLiteral("globex"));
        // The master realm itself cannot be deleted.
        QCOMPARE(w.call(Master, "DELETE", QStringLiteral("/admin/realms/master")).status, 403);
    }

    // ---- 4. bad input -------------------------------------------------------
    void badInput_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        const QString acme = QStringLiteral("/admin/realms/acme");
        const QString plant = acme + QStringLiteral("/apps/plantaerium");
        const auto row = [](const char *name, const QByteArray &m, const QString &p, const QByteArray &b, int s = 400) {
            QTest::newRow(name) << m << p << b << s;
        };
        row("malformed JSON", "POST", "/admin/realms", "{\"realm\":");
        row("JSON array", "POST", "/admin/realms", "[]");
        row("JSON string", "PATCH", acme + "/settings", "\"x\"");
        row("empty body", "PATCH", acme + "/settings", "");
        row("realm not a string", "POST", "/admin/realms", R"({"realm":5})");
        row("realm id invalid", "POST", "/admin/realms", R"({"realm":"bad id!"})");
        row("realm settings not object", "POST", "/admin/realms", R"({"realm":"x1","settings":"no"})");
        row("realm settings unknown", "POST", "/admin/realms", R"({"realm":"x1","settings":{"bogus":1}})");
        row("realm exists", "POST", "/admin/realms", R"({"realm":"acme"})", 409);
        row("unknown setting", "PATCH", acme + "/settings", R"({"noSuchSetting":true})");
        row("setting wrong type", "PATCH", acme + "/settings", R"({"accessTokenLifetime":"900"})");
        row("setting fractional", "PATCH", acme + "/settings", R"({"accessTokenLifetime":900.5})");
        row("setting out of range", "PATCH", acme + "/settings", R"({"accessTokenLifetime":1e300})");
        row("setting null", "PATCH", acme + "/settings", R"({"accessTokenLifetime":null})");
        row("bool setting string", "PATCH", acme + "/settings", R"({"registrationEnabled":"yes"})");
        row("algorithm none", "PATCH", acme + "/settings", R"({"signingAlgorithm":"none"})");
        row("algorithm HS256", "PATCH", acme + "/settings", R"({"signingAlgorithm":"HS256"})");
        row("app id not a string", "POST", acme + "/apps", R"({"id":["a"]})");
        row("app id invalid", "POST", acme + "/apps", R"({"id":"../x"})");
        row("app exists", "POST", acme + "/apps", R"({"id":"plantaerium"})", 409);
        row("isEnabled not bool (PATCH)", "PATCH", plant + "/features/blogs", R"({"isEnabled":"false"})");
        row("isEnabled missing", "PATCH", plant + "/features/blogs", R"({})");
        row("isEnabled not bool (PUT)", "PUT", plant + "/features/blogs", R"({"isEnabled":1})");
        row("scopes not array (feature)", "PUT", plant + "/features/blogs", R"({"scopes":"blogs:read"})");
        row("scope not string", "PUT", plant + "/features/blogs", R"({"scopes":[1]})");
        row("scope invalid", "PUT", plant + "/features/blogs", R"({"scopes":["has space"]})");
        row("feature key invalid", "PUT", plant + "/features/bad%20key", R"({"isEnabled":true})");
        row("scopes not array (role)", "PUT", plant + "/roles/Reviewer", R"({"scopes":{"a":1}})");
        row("role name invalid", "PUT", plant + "/roles/bad%20role!", R"({"scopes":[]})");
        row("rename no name", "POST", plant + "/roles/TeamLead/rename", R"({})");
        row("rename name not string", "POST", plant + "/roles/TeamLead/rename", R"({"name":7})");
        row("rename onto existing", "POST", plant + "/roles/TeamLead/rename", R"({"name":"ContentEditor"})", 409);
        row("rename unknown", "POST", plant + "/roles/Nobody/rename", R"({"name":"X"})", 404);
        row("delete system role", "DELETE", plant + "/roles/owner", {}, 403);
        row("email missing", "POST", acme + "/users", R"({"password":"SecurePassword123!"})");
        row("email invalid", "POST", acme + "/users", R"({"email":"not-an-email"})");
        row("email exists", "POST", acme + "/users", R"({"email":"GUEST@example.com"})", 409);
        row("password too short", "POST", acme + "/users", R"({"email":"weak@example.com","password":"short1"})");
        row("password not string", "POST", acme + "/users", R"({"email":"weak@example.com","password":12345678})");
        row("status not string", "PATCH", acme + "/users/{a1}", R"({"status":1})");
        row("status unknown", "PATCH", acme + "/users/{a1}", R"({"status":"zombie"})");
        row("status missing", "PATCH", acme + "/users/{a1}", R"({})");
        row("reset weak password", "POST", acme + "/users/{a1}/password", R"({"password":"123"})");
        row("reset password missing", "POST", acme + "/users/{a1}/password", R"({})");
        row("roles not array", "PUT", acme + "/users/{a2}/memberships/plantaerium", R"({"roles":"TeamLead"})");
        row("role unknown", "PUT", acme + "/users/{a2}/memberships/plantaerium", R"({"roles":["NoSuchRole"]})");
        row("membership unknown app", "PUT", acme + "/users/{a2}/memberships/nosuch", R"({"roles":[]})", 404);
        row("membership unknown user", "PUT", acme + "/users/00000000-0000-4000-8000-000000000000/memberships/plantaerium", R"({"roles":[]})", 404);
        row("api-key scopes not array", "POST", "/admin/api-keys", R"({"name":"k","layer":"realm","realm":"acme","scopes":"admin:read"})");
        row("api-key scope unknown", "POST", "/admin/api-keys", R"({"name":"k","layer":"realm","realm":"acme","scopes":["admin:root"]})");
        row("api-key layer unknown", "POST", "/admin/api-keys", R"({"name":"k","layer":"god"})");
        row("api-key no name", "POST", "/admin/api-keys", R"({"layer":"realm","realm":"acme"})");
        row("api-key blank name", "POST", "/admin/api-keys", R"({"name":"   ","layer":"realm","realm":"acme"})");
        row("api-key no realm", "POST", "/admin/api-keys", R"({"name":"k","layer":"realm"})");
        row("api-key unknown", "DELETE", "/admin/api-keys/nosuch", {}, 404);
        row("grant layer unknown", "PUT", acme + "/users/{a2}/grants", R"({"layer":"boss"})");
        row("grant app missing", "PUT", acme + "/users/{a2}/grants", R"({"layer":"app"})");
        row("grant layer not string", "PUT", acme + "/users/{a2}/grants", R"({"layer":true})");
        row("users limit 0", "GET", acme + "/users?limit=0", {});
        row("users limit 201", "GET", acme + "/users?limit=201", {});
        row("users limit text", "GET", acme + "/users?limit=ten", {});
        row("users cursor garbage", "GET", acme + "/users?cursor=%25%25%25", {});
        row("users status unknown", "GET", acme + "/users?status=zombie", {});
        row("events limit 0", "GET", "/admin/events?limit=0", {});
        row("events limit negative", "GET", "/admin/events?limit=-1", {});
        row("events cursor garbage", "GET", "/admin/events?cursor=!!!", {});
        row("events cursor not ours", "GET", "/admin/events?cursor=" + base64UrlEncodeString("hello"), {});
        row("events cursor zero time", "GET", "/admin/events?cursor=" + base64UrlEncodeString("0:5"), {});
        row("events cursor negative", "GET", "/admin/events?cursor=" + base64UrlEncodeString("-5:-5"), {});
        row("events since text", "GET", "/admin/events?since=yesterday", {});
        row("events until negative", "GET", "/admin/events?until=-5", {});
        row("events too many kinds", "GET", "/admin/events?kind=" + QStringLiteral("k,").repeated(51), {});
        row("events text too long", "GET", "/admin/events?q=" + QStringLiteral("x").repeated(201), {});
        row("events cursor negative id", "GET", "/admin/events?cursor=" + base64UrlEncodeString("1767225600000:-1"), {});
        row("search without q", "GET", "/admin/search", {});
        row("search q too long", "GET", "/admin/search?q=" + QString(300, u'a'), {});
        row("unknown user sessions", "GET", acme + "/users/00000000-0000-4000-8000-000000000000/sessions", {}, 404);
        row("unknown session", "DELETE", acme + "/users/{a1}/sessions/nosuch", {}, 404);
        row("unknown token", "DELETE", acme + "/users/{a1}/tokens/nosuch", {}, 404);
        row("unknown realm settings", "GET", "/admin/realms/nosuchrealm", {}, 404);
        row("delete unknown realm", "DELETE", "/admin/realms/nosuchrealm", {}, 404);
        row("unknown feature delete", "DELETE", plant + "/features/nosuch", {}, 404);
        row("unknown role delete", "DELETE", plant + "/roles/Nobody", {}, 404);
        row("membership not held", "DELETE", acme + "/users/{only}/memberships/plantaerium", {}, 404);
    }
    void badInput()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        World &w = sharedWorld();
        w.vars.insert(QStringLiteral("only"), w.userId(QStringLiteral("acme"), QStringLiteral("only-whitcomb@example.com")));
        // Refusals are logged as "admin.denied"; what must not appear is a change.
        const auto changes = [&w] {
            const auto events = w.eventsBy(w.actorId[Master]);
            return std::count_if(events.cbegin(), events.cend(), [](const AuditEvent &e) { return e.kind != u"admin.denied"; });
        };
        const auto before = changes();
        const QString url = w.expand(path, 0);
        const HttpResult r = w.server.request(method, url, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + w.cred[Master]}});
        const QByteArray what = method + ' ' + url.toUtf8() + " -> " + QByteArray::number(r.status) + ' ' + r.body;
        QVERIFY2(r.status == status, what.constData());
        QVERIFY2(isErrorBody(r), what.constData());
        // Refused input changes nothing and logs no change.
        QCOMPARE(changes(), before);
        QCOMPARE(w.core().realms().settings(QStringLiteral("acme")).accessTokenLifetime(), 900);
    }

    void wrongContentTypeIs415()
    {
        World w(false);
        const HttpResult r = w.server.request("PATCH", QStringLiteral("/admin/realms/acme/settings"), R"({"registrationEnabled":true})",
                                              {{"Content-Type", "text/plain"}, {"Authorization", "Bearer " + w.cred[Master]}});
        QCOMPARE(r.status, 415);
        QVERIFY(isErrorBody(r));
    }

    void unknownTargetsOfTheMasterAre404()
    {
        World w(false);
        const auto call = [&w](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
            return w.server.request(method, path, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + w.cred[Master]}});
        };
        for (const QString &path : {QStringLiteral("/admin/realms/nope/apps"), QStringLiteral("/admin/realms/nope/users"),
                                    QStringLiteral("/admin/realms/nope/keys")}) {
            const HttpResult r = call("GET", path);
            QVERIFY2(r.status == 404 && isErrorBody(r), qPrintable(path + u' ' + QString::number(r.status)));
        }
        // Keys and grants for realms or apps that do not exist would come alive with them later.
        QCOMPARE(call("POST", QStringLiteral("/admin/api-keys"), R"({"name":"k","layer":"realm","realm":"nope","scopes":["admin:read"]})").status, 404);
        QCOMPARE(call("POST", QStringLiteral("/admin/api-keys"), R"({"name":"k","layer":"app","realm":"acme","app":"nope","scopes":["admin:read"]})").status, 404);
    }
};

QTEST_GUILESS_MAIN(tst_AdminApi)
#include "tst_adminapi.moc"
