// Admin API over HTTP: who may do what (a matrix of routes x actor kinds),
// tenant isolation, one audit event per change, and bad input never 5xx.
#include "TestServer.h"

#include "crypto/Base64Url.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>
#include <QUuid>

using namespace authrealm;
using test::HttpResult;
using test::TestServer;

namespace {
const QString kPassword = QStringLiteral("SecurePassword123!");
const QString kAdminPassword = QStringLiteral("Master-Password-2024!");

// The kinds of caller the matrix tries on every route. Garbage is a bearer
// that is no credential at all; it is not a column of the table: always 401.
enum Actor { Master, AcmeAdmin, AppAdmin, GlobexAdmin, Plain, RoKey, RwKey, Pat, Garbage, ActorCount };
const char *const kActorNames[ActorCount] = {"master", "acme-admin", "app-admin", "globex-admin", "plain-user",
                                             "ro-key", "rw-key", "pat", "garbage"};
constexpr int kPerActor = 9; // u0..u8, f0..f8, r0..r8, k0..k8: one object per actor for non-idempotent rows

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Everything a row needs: two realms, admins of every layer signed in, two
// API keys, a PAT, and per-actor objects ({u3}, {s3}, {t3}, {k3}, f3, r3).
struct World
{
    TestServer server;
    QByteArray cred[ActorCount];
    QString actorId[ActorCount]; // as written in the audit log
    QHash<QString, QString> vars;

    // perActor: also sign in u0..u8 and give each a PAT and an API key k0..k8
    // ({s3}, {t3}, {k3}); only the rows that delete such objects need them.
    explicit World(bool perActor = true) { seed(perActor); }

    AuthRealmCore &core() { return server.core(); }

    QString userId(const QString &realm, const QString &login)
    {
        const auto u = core().users().findByLogin(realm, login);
        return u ? u->id : QString();
    }

    QByteArray signIn(const QString &realm, const QString &email, const QString &password = kPassword, const QString &tenant = {})
    {
        QJsonObject body{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
        if (!tenant.isEmpty())
            body.insert(QStringLiteral("tenantId"), tenant);
        const HttpResult r = server.post(QStringLiteral("/realms/%1/authRealm/login").arg(realm), body);
        if (r.status != 200)
            qWarning() << "sign-in failed" << realm << email << r.status << r.body;
        return r.json.value(QStringLiteral("accessToken")).toString().toLatin1();
    }

    void seed(bool perActor)
    {
        QJsonArray plantFeatures{parse(R"({"featureKey": "blogs", "isEnabled": true, "scopes": ["blogs:read", "blogs:write"]})"),
                                 parse(R"({"featureKey": "events", "isEnabled": true, "scopes": ["events:read"]})")};
        QJsonArray plantRoles{parse(R"({"name": "ContentEditor", "scopes": ["blogs:read", "blogs:write", "events:read"]})"),
                              parse(R"({"name": "TeamLead", "scopes": ["blogs:read", "users:read"]})")};
        QJsonArray users{
            parse(R"({"email": "guest@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]})"),
            parse(R"({"email": "lead@example.com", "password": "SecurePassword123!",
                      "memberships": [{"app": "plantaerium", "roles": ["TeamLead"]}, {"app": "whitcomb", "roles": ["Member"]}]})"),
            parse(R"({"email": "a1@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]})"),
            parse(R"({"email": "a2@example.com", "memberships": [{"app": "plantaerium"}]})"),
            parse(R"({"email": "only-whitcomb@example.com", "memberships": [{"app": "whitcomb"}]})"),
            parse(R"({"email": "acme-admin@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]})"),
            parse(R"({"email": "app-admin@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]})"),
        };
        for (int n = 0; n < kPerActor; ++n) {
            plantFeatures.append(QJsonObject{{QStringLiteral("featureKey"), QStringLiteral("f%1").arg(n)}, {QStringLiteral("isEnabled"), true},
                                             {QStringLiteral("scopes"), QJsonArray{QStringLiteral("blogs:read")}}});
            plantRoles.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("r%1").arg(n)}, {QStringLiteral("scopes"), QJsonArray{QStringLiteral("blogs:read")}}});
            users.append(QJsonObject{{QStringLiteral("email"), QStringLiteral("u%1@example.com").arg(n)}, {QStringLiteral("password"), kPassword},
                                     {QStringLiteral("memberships"), QJsonArray{QJsonObject{{QStringLiteral("app"), QStringLiteral("plantaerium")}}}}});
        }
        QJsonObject acme{{QStringLiteral("realm"), QStringLiteral("acme")},
                         {QStringLiteral("apps"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("plantaerium")},
                                                                         {QStringLiteral("features"), plantFeatures},
                                                                         {QStringLiteral("roles"), plantRoles}},
                                                             parse(R"({"id": "whitcomb",
                                                                       "features": [{"featureKey": "wf", "isEnabled": true, "scopes": ["events:read"]}],
                                                                       "roles": [{"name": "Member", "scopes": ["events:read"]}]})")}},
                         {QStringLiteral("users"), users}};
        core().transfer().importRealm(acme, QStringLiteral("test"));
        core().transfer().importRealm(parse(R"({"realm": "globex",
            "apps": [{"id": "orders", "features": [{"featureKey": "of", "isEnabled": true, "scopes": ["orders:read"]}],
                      "roles": [{"name": "Clerk", "scopes": ["orders:read"]}]}],
            "users": [{"email": "g1@globex.example", "password": "SecurePassword123!", "memberships": [{"app": "orders", "roles": ["Clerk"]}]},
                      {"email": "globex-admin@globex.example", "password": "SecurePassword123!", "memberships": [{"app": "orders"}]}]})"),
                                          QStringLiteral("test"));

        QVERIFY(core().bootstrap().setInitialAdminPassword(kAdminPassword));
        const QString masterId = userId(QStringLiteral("master"), QStringLiteral("admin"));
        const QString acmeAdminId = userId(QStringLiteral("acme"), QStringLiteral("acme-admin@example.com"));
        const QString appAdminId = userId(QStringLiteral("acme"), QStringLiteral("app-admin@example.com"));
        const QString globexAdminId = userId(QStringLiteral("globex"), QStringLiteral("globex-admin@globex.example"));
        const QString leadId = userId(QStringLiteral("acme"), QStringLiteral("lead@example.com"));
        const QString guestId = userId(QStringLiteral("acme"), QStringLiteral("guest@example.com"));
        core().adminDirectory().insertGrant(acmeAdminId, AdminGrant{AdminGrant::Layer::Realm, QStringLiteral("acme"), {}});
        core().adminDirectory().insertGrant(appAdminId, AdminGrant{AdminGrant::Layer::App, QStringLiteral("acme"), QStringLiteral("plantaerium")});
        core().adminDirectory().insertGrant(globexAdminId, AdminGrant{AdminGrant::Layer::Realm, QStringLiteral("globex"), {}});

        cred[Master] = signIn(QStringLiteral("master"), QStringLiteral("admin"), kAdminPassword);
        cred[AcmeAdmin] = signIn(QStringLiteral("acme"), QStringLiteral("acme-admin@example.com"));
        cred[AppAdmin] = signIn(QStringLiteral("acme"), QStringLiteral("app-admin@example.com"));
        cred[GlobexAdmin] = signIn(QStringLiteral("globex"), QStringLiteral("globex-admin@globex.example"));
        cred[Plain] = signIn(QStringLiteral("acme"), QStringLiteral("lead@example.com"), kPassword, QStringLiteral("plantaerium"));
        const QByteArray guestToken = signIn(QStringLiteral("acme"), QStringLiteral("guest@example.com"));
        actorId[Master] = QStringLiteral("user:") + masterId;
        actorId[AcmeAdmin] = QStringLiteral("user:") + acmeAdminId;
        actorId[AppAdmin] = QStringLiteral("user:") + appAdminId;
        actorId[GlobexAdmin] = QStringLiteral("user:") + globexAdminId;
        actorId[Plain] = QStringLiteral("user:") + leadId;
        actorId[Pat] = QStringLiteral("user:") + guestId;

        const AdminActor masterActor = core().adminDirectory().actorForUser(masterId);
        const AdminGrant acmeGrant{AdminGrant::Layer::Realm, QStringLiteral("acme"), {}};
        const auto ro = core().adminDirectory().createApiKey(masterActor, QStringLiteral("ro"), acmeGrant, {QStringLiteral("admin:read")});
        const auto rw = core().adminDirectory().createApiKey(masterActor, QStringLiteral("rw"), acmeGrant,
                                                             {QStringLiteral("admin:read"), QStringLiteral("admin:write")});
        cred[RoKey] = ro.secret.toLatin1();
        cred[RwKey] = rw.secret.toLatin1();
        actorId[RoKey] = QStringLiteral("apikey:") + ro.info.id;
        actorId[RwKey] = QStringLiteral("apikey:") + rw.info.id;

        const HttpResult pat = server.request("POST", QStringLiteral("/realms/acme/v1/me/tokens"), R"({"name":"automation","scopes":["blogs:read"]})",
                                              {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + guestToken}});
        QCOMPARE(pat.status, 201);
        cred[Pat] = pat.json.value(QStringLiteral("token")).toString().toLatin1();
        cred[Garbage] = "not-a-token";

        vars.insert(QStringLiteral("guest"), guestId);
        vars.insert(QStringLiteral("lead"), leadId);
        vars.insert(QStringLiteral("a1"), userId(QStringLiteral("acme"), QStringLiteral("a1@example.com")));
        vars.insert(QStringLiteral("a2"), userId(QStringLiteral("acme"), QStringLiteral("a2@example.com")));
        vars.insert(QStringLiteral("g1"), userId(QStringLiteral("globex"), QStringLiteral("g1@globex.example")));
        vars.insert(QStringLiteral("masterAdmin"), masterId);
        vars.insert(QStringLiteral("acmeAdmin"), acmeAdminId);
        vars.insert(QStringLiteral("rwKey"), rw.info.id);
        for (int n = 0; n < kPerActor; ++n) {
            const QString email = QStringLiteral("u%1@example.com").arg(n);
            const QString uid = userId(QStringLiteral("acme"), email);
            vars.insert(QStringLiteral("u%1").arg(n), uid);
            if (!perActor)
                continue;
            const TokenPair pair = core().auth().login(QStringLiteral("acme"), email, kPassword, QString(), ClientInfo{}).tokens.value();
            const Principal p = core().authenticator().authenticate(QStringLiteral("acme"), pair.accessToken, ClientInfo{});
            vars.insert(QStringLiteral("s%1").arg(n), p.sessionId);
            vars.insert(QStringLiteral("t%1").arg(n), core().pats().create(p, QStringLiteral("t"), {}, 30, ClientInfo{}).token.id);
            vars.insert(QStringLiteral("k%1").arg(n),
                        core().adminDirectory().createApiKey(masterActor, QStringLiteral("k%1").arg(n), acmeGrant, {}).info.id);
        }
    }

    // "{n}" becomes the actor's number first, then "{name}" a seeded value.
    QString expand(QString text, int n) const
    {
        text.replace(QStringLiteral("{n}"), QString::number(n));
        for (auto it = vars.begin(); it != vars.end(); ++it)
            text.replace(u'{' + it.key() + u'}', it.value());
        return text;
    }

    HttpResult call(Actor who, const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        return callWith(cred[who], method, path, body);
    }
    HttpResult callWith(const QByteArray &bearer, const QByteArray &method, const QString &path, const QByteArray &body = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!bearer.isEmpty())
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + bearer));
        if (!body.isEmpty())
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return server.request(method, path, body, headers);
    }

    QList<AuditEvent> eventsBy(const QString &actor)
    {
        AuditQuery q;
        q.actor = actor;
        q.limit = 1000;
        return core().audit().query(q);
    }
};

QStringList kinds(const QJsonArray &items)
{
    QStringList out;
    for (const QJsonValue &v : items)
        out.append(v.toObject().value(QStringLiteral("kind")).toString());
    return out;
}

bool isErrorBody(const HttpResult &r)
{
    return r.json.value(QStringLiteral("error")).isString() && r.json.value(QStringLiteral("message")).isString();
}
} // namespace

class tst_AdminApi : public QObject
{
    Q_OBJECT

    // Rows that only get refused share one seeded world per backend (a fresh
    // PostgreSQL database per row would take most of the run). Each such row
    // checks that it changed nothing; a failed row throws the world away.
    std::unique_ptr<World> m_shared;
    QString m_sharedBackend;
    World &sharedWorld()
    {
        if (!m_shared || m_sharedBackend != test::currentBackend()) {
            m_shared.reset();
            m_shared = std::make_unique<World>(false);
            m_sharedBackend = test::currentBackend();
        }
        return *m_shared;
    }

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

    // ---- 2. isolation ---------------------------------------------------------
    void realmAdminCannotTouchOtherRealms_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path"); // {realm}, {user}, {app}, {x} are filled per variant
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("GET realm") << QByteArray("GET") << "/admin/realms/{realm}" << QByteArray();
        QTest::newRow("PATCH settings") << QByteArray("PATCH") << "/admin/realms/{realm}/settings" << QByteArray(R"({"registrationEnabled":true})");
        QTest::newRow("DELETE realm") << QByteArray("DELETE") << "/admin/realms/{realm}" << QByteArray();
        QTest::newRow("GET apps") << QByteArray("GET") << "/admin/realms/{realm}/apps" << QByteArray();
        QTest::newRow("POST apps") << QByteArray("POST") << "/admin/realms/{realm}/apps" << QByteArray(R"({"id":"sneaky"})");
        QTest::newRow("GET app") << QByteArray("GET") << "/admin/realms/{realm}/apps/{app}" << QByteArray();
        QTest::newRow("PUT feature") << QByteArray("PUT") << "/admin/realms/{realm}/apps/{app}/features/{x}" << QByteArray(R"({"isEnabled":true})");
        QTest::newRow("PATCH feature") << QByteArray("PATCH") << "/admin/realms/{realm}/apps/{app}/features/{x}" << QByteArray(R"({"isEnabled":false})");
        QTest::newRow("DELETE feature") << QByteArray("DELETE") << "/admin/realms/{realm}/apps/{app}/features/{x}" << QByteArray();
        QTest::newRow("PUT role") << QByteArray("PUT") << "/admin/realms/{realm}/apps/{app}/roles/{x}" << QByteArray(R"({"scopes":[]})");
        QTest::newRow("rename role") << QByteArray("POST") << "/admin/realms/{realm}/apps/{app}/roles/{x}/rename" << QByteArray(R"({"name":"Other"})");
        QTest::newRow("DELETE role") << QByteArray("DELETE") << "/admin/realms/{realm}/apps/{app}/roles/{x}" << QByteArray();
        QTest::newRow("GET users") << QByteArray("GET") << "/admin/realms/{realm}/users?q=g" << QByteArray();
        QTest::newRow("POST users") << QByteArray("POST") << "/admin/realms/{realm}/users" << QByteArray(R"({"email":"x@example.com"})");
        QTest::newRow("GET user") << QByteArray("GET") << "/admin/realms/{realm}/users/{user}" << QByteArray();
        QTest::newRow("PATCH user") << QByteArray("PATCH") << "/admin/realms/{realm}/users/{user}" << QByteArray(R"({"status":"suspended"})");
        QTest::newRow("POST password") << QByteArray("POST") << "/admin/realms/{realm}/users/{user}/password" << QByteArray(R"({"password":"Another-Secure-Pass-9"})");
        QTest::newRow("PUT membership") << QByteArray("PUT") << "/admin/realms/{realm}/users/{user}/memberships/{app}" << QByteArray(R"({"roles":[]})");
        QTest::newRow("DELETE membership") << QByteArray("DELETE") << "/admin/realms/{realm}/users/{user}/memberships/{app}" << QByteArray();
        QTest::newRow("GET sessions") << QByteArray("GET") << "/admin/realms/{realm}/users/{user}/sessions" << QByteArray();
        QTest::newRow("DELETE sessions") << QByteArray("DELETE") << "/admin/realms/{realm}/users/{user}/sessions" << QByteArray();
        QTest::newRow("DELETE session") << QByteArray("DELETE") << "/admin/realms/{realm}/users/{user}/sessions/{x}" << QByteArray();
        QTest::newRow("GET tokens") << QByteArray("GET") << "/admin/realms/{realm}/users/{user}/tokens" << QByteArray();
        QTest::newRow("DELETE token") << QByteArray("DELETE") << "/admin/realms/{realm}/users/{user}/tokens/{x}" << QByteArray();
        QTest::newRow("PUT grant") << QByteArray("PUT") << "/admin/realms/{realm}/users/{user}/grants" << QByteArray(R"({"layer":"realm"})");
        QTest::newRow("DELETE grant") << QByteArray("DELETE") << "/admin/realms/{realm}/users/{user}/grants" << QByteArray(R"({"layer":"realm"})");
        QTest::newRow("GET keys") << QByteArray("GET") << "/admin/realms/{realm}/keys" << QByteArray();
        QTest::newRow("rotate key") << QByteArray("POST") << "/admin/realms/{realm}/keys/rotate" << QByteArray();
        QTest::newRow("GET events") << QByteArray("GET") << "/admin/events?realm={realm}" << QByteArray();
        QTest::newRow("GET app events") << QByteArray("GET") << "/admin/events?realm={realm}&app={app}" << QByteArray();
        QTest::newRow("POST api-key") << QByteArray("POST") << "/admin/api-keys" << QByteArray(R"({"name":"x","layer":"realm","realm":"{realm}"})");
        QTest::newRow("POST app api-key") << QByteArray("POST") << "/admin/api-keys" << QByteArray(R"({"name":"x","layer":"app","realm":"{realm}","app":"{app}"})");
    }
    void realmAdminCannotTouchOtherRealms()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        World &w = sharedWorld();
        const TokenPair g1 = w.core().auth().login(QStringLiteral("globex"), QStringLiteral("g1@globex.example"), kPassword, {}, ClientInfo{}).tokens.value();
        const Principal p = w.core().authenticator().authenticate(QStringLiteral("globex"), g1.accessToken, ClientInfo{});
        const QString g1Pat = w.core().pats().create(p, QStringLiteral("t"), {}, 30, ClientInfo{}).token.id;
        const QString sessionOrToken = path.contains(u"tokens") ? g1Pat : p.sessionId;
        const QString feature = path.contains(u"roles") ? QStringLiteral("Clerk") : QStringLiteral("of");
        struct Variant
        {
            const char *name;
            QString realm, user, app, x;
        };
        const QString fakeUser = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QList<Variant> variants = {
            {"existing", QStringLiteral("globex"), p.userId, QStringLiteral("orders"), path.contains(u"sessions/") || path.contains(u"tokens/") ? sessionOrToken : feature},
            {"unknown objects", QStringLiteral("globex"), fakeUser, QStringLiteral("nosuchapp"), QStringLiteral("nosuch")},
            {"unknown realm", QStringLiteral("nosuchrealm"), fakeUser, QStringLiteral("nosuchapp"), QStringLiteral("nosuch")},
        };
        const QList<Actor> outsiders = {AcmeAdmin, RwKey, RoKey, AppAdmin};
        for (const Actor who : outsiders) {
            QByteArray firstBody;
            for (const Variant &v : variants) {
                const auto fill = [&](QString text) {
                    return text.replace(QStringLiteral("{realm}"), v.realm).replace(QStringLiteral("{user}"), v.user)
                            .replace(QStringLiteral("{app}"), v.app).replace(QStringLiteral("{x}"), v.x);
                };
                const HttpResult r = w.call(who, method, fill(path), fill(QString::fromUtf8(body)).toUtf8());
                const QByteArray what = QByteArray(kActorNames[who]) + ' ' + v.name + ": " + QByteArray::number(r.status) + ' ' + r.body;
                QVERIFY2(r.status == 403, what.constData());
                if (firstBody.isNull())
                    firstBody = r.body;
                QVERIFY2(r.body == firstBody, (what + " differs from " + firstBody).constData());
            }
        }
        // Nothing changed in globex.
        QCOMPARE(w.core().users().user(QStringLiteral("globex"), p.userId)->status, UserStatus::Active);
        QCOMPARE(w.core().realms().features(QStringLiteral("globex"), QStringLiteral("orders")).size(), 1);
        QCOMPARE(w.core().realms().roles(QStringLiteral("globex"), QStringLiteral("orders")).size(), 3);
        QCOMPARE(w.server.post(QStringLiteral("/realms/globex/authRealm/refresh"), {{QStringLiteral("refreshToken"), g1.refreshToken}}).status, 200);
    }

    // Granting rights to a user of another realm through one's own realm path
    // looks exactly like granting to a user that does not exist.
    void grantToForeignUserLooksUnknown()
    {
        World w(false);
        const QString fake = QUuid::createUuid().toString(QUuid::WithoutBraces);
        for (const QString &layerBody : {QStringLiteral(R"({"layer":"realm"})"), QStringLiteral(R"({"layer":"app","app":"plantaerium"})")}) {
            const HttpResult foreign = w.call(AcmeAdmin, "PUT", w.expand(QStringLiteral("/admin/realms/acme/users/{g1}/grants"), 0), layerBody.toUtf8());
            const HttpResult unknown = w.call(AcmeAdmin, "PUT", QStringLiteral("/admin/realms/acme/users/%1/grants").arg(fake), layerBody.toUtf8());
            QCOMPARE(unknown.status, 404);
            QCOMPARE(foreign.status, unknown.status);
            QCOMPARE(foreign.body, unknown.body);
        }
        QVERIFY(w.core().adminDirectory().grantsOf(w.vars.value(QStringLiteral("g1"))).isEmpty());
        // Master may still make a master-realm operator an administrator of acme.
        QCOMPARE(w.call(Master, "PUT", w.expand(QStringLiteral("/admin/realms/acme/users/{masterAdmin}/grants"), 0), R"({"layer":"realm"})").status, 200);
        // ...but never a realm user a master administrator.
        QCOMPARE(w.call(Master, "PUT", w.expand(QStringLiteral("/admin/realms/acme/users/{a2}/grants"), 0), R"({"layer":"master"})").status, 400);
        QVERIFY(w.core().adminDirectory().grantsOf(w.vars.value(QStringLiteral("a2"))).isEmpty());
    }

    void appAdminSeesOnlyTheirApp()
    {
        World w(false);
        HttpResult r = w.call(AppAdmin, "GET", QStringLiteral("/admin/realms/acme/apps"));
        QCOMPARE(r.status, 200);
        const QJsonArray apps = r.json.value(QStringLiteral("items")).toArray();
        QCOMPARE(apps.size(), 1);
        QCOMPARE(apps.first().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("plantaerium"));
        QVERIFY(!r.body.contains("whitcomb"));
        QCOMPARE(w.call(AcmeAdmin, "GET", QStringLiteral("/admin/realms/acme/apps")).json.value(QStringLiteral("items")).toArray().size(), 2);

        r = w.call(AppAdmin, "GET", QStringLiteral("/admin/realms"));
        QCOMPARE(r.json.value(QStringLiteral("items")).toArray().size(), 1);
        r = w.call(AppAdmin, "GET", QStringLiteral("/admin/search?q=whit"));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.contains("whitcomb"));
        QCOMPARE(r.json.value(QStringLiteral("users")).toArray().size(), 0);

        const QString whit = QStringLiteral("/admin/realms/acme/apps/whitcomb");
        QCOMPARE(w.call(AppAdmin, "GET", whit).status, 403);
        QCOMPARE(w.call(AppAdmin, "PUT", whit + "/features/wf", R"({"isEnabled":false})").status, 403);
        QCOMPARE(w.call(AppAdmin, "PATCH", whit + "/features/wf", R"({"isEnabled":false})").status, 403);
        QCOMPARE(w.call(AppAdmin, "DELETE", whit + "/features/wf").status, 403);
        QCOMPARE(w.call(AppAdmin, "PUT", whit + "/roles/Member", R"({"scopes":["events:read","users:read"]})").status, 403);
        QCOMPARE(w.call(AppAdmin, "POST", whit + "/roles/Member/rename", R"({"name":"Owned"})").status, 403);
        QCOMPARE(w.call(AppAdmin, "DELETE", whit + "/roles/Member").status, 403);
        QCOMPARE(w.call(AppAdmin, "PUT", w.expand(QStringLiteral("/admin/realms/acme/users/{a2}/memberships/whitcomb"), 0), R"({"roles":["Member"]})").status, 403);
        QCOMPARE(w.call(AppAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{lead}/memberships/whitcomb"), 0)).status, 403);
        QCOMPARE(w.call(AppAdmin, "PUT", w.expand(QStringLiteral("/admin/realms/acme/users/{a2}/grants"), 0), R"({"layer":"app","app":"whitcomb"})").status, 403);
        QCOMPARE(w.core().realms().features(QStringLiteral("acme"), QStringLiteral("whitcomb")).first().enabled, true);
        QCOMPARE(w.core().realms().role(QStringLiteral("acme"), QStringLiteral("whitcomb"), QStringLiteral("Member"))->scopes, QStringList{QStringLiteral("events:read")});

        // A user in both apps: only the administered app's membership shows.
        r = w.call(AppAdmin, "GET", w.expand(QStringLiteral("/admin/realms/acme/users/{lead}"), 0));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QStringLiteral("memberships")).toArray().size(), 1);
        QVERIFY(!r.body.contains("whitcomb"));
        // A user only of the other app is unknown to them, like one that does not exist.
        const QString onlyWhit = w.userId(QStringLiteral("acme"), QStringLiteral("only-whitcomb@example.com"));
        const HttpResult hidden = w.call(AppAdmin, "GET", QStringLiteral("/admin/realms/acme/users/") + onlyWhit);
        const HttpResult missing = w.call(AppAdmin, "GET", QStringLiteral("/admin/realms/acme/users/00000000-0000-4000-8000-000000000000"));
        QCOMPARE(hidden.status, 404);
        QCOMPARE(hidden.body, missing.body);
        // App events only for their app.
        r = w.call(AppAdmin, "GET", QStringLiteral("/admin/events?realm=acme&app=whitcomb"));
        QCOMPARE(r.status, 403);
        r = w.call(AppAdmin, "PATCH", QStringLiteral("/admin/realms/acme/apps/plantaerium/features/blogs"), R"({"isEnabled":false})");
        QCOMPARE(r.status, 200);
        r = w.call(AppAdmin, "GET", QStringLiteral("/admin/events?realm=acme&app=plantaerium&kind=admin.feature.disabled"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QStringLiteral("items")).toArray().size(), 1);
        for (const QJsonValue &v : r.json.value(QStringLiteral("items")).toArray())
            QCOMPARE(v.toObject().value(QStringLiteral("app")).toString(), QStringLiteral("plantaerium"));
    }

    void globexEventsNeverReachAcme()
    {
        World w(false);
        // Activity in globex: a failed login, an admin change.
        QCOMPARE(w.server.post(QStringLiteral("/realms/globex/authRealm/login"),
                               {{QStringLiteral("email"), QStringLiteral("g1@globex.example")}, {QStringLiteral("password"), QStringLiteral("wrong-password-x")}}).status, 401);
        QCOMPARE(w.call(GlobexAdmin, "PATCH", QStringLiteral("/admin/realms/globex/settings"), R"({"registrationEnabled":true})").status, 200);

        for (const Actor who : {AcmeAdmin, RoKey, RwKey}) {
            QStringList realms;
            QString cursor;
            int pages = 0;
            do {
                const HttpResult r = w.call(who, "GET", QStringLiteral("/admin/events?limit=25") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
                QCOMPARE(r.status, 200);
                for (const QJsonValue &v : r.json.value(QStringLiteral("items")).toArray())
                    realms.append(v.toObject().value(QStringLiteral("realm")).toString());
                QVERIFY(!r.body.contains("globex"));
                cursor = r.json.value(QStringLiteral("next_cursor")).toString();
            } while (!cursor.isEmpty() && ++pages < 50);
            QVERIFY(!realms.isEmpty());
            realms.removeDuplicates();
            QCOMPARE(realms, QStringList{QStringLiteral("acme")});
            QCOMPARE(w.call(who, "GET", QStringLiteral("/admin/events?outcome=failure")).json.value(QStringLiteral("items")).toArray().size(), 0);
            QCOMPARE(w.call(who, "GET", QStringLiteral("/admin/events?realm=globex")).status, 403);
            const HttpResult search = w.call(who, "GET", QStringLiteral("/admin/search?q=g"));
            QCOMPARE(search.status, 200);
            QVERIFY(!search.body.contains("globex"));
            const HttpResult stats = w.call(who, "GET", QStringLiteral("/admin/stats"));
            QCOMPARE(stats.json.value(QStringLiteral("realms")).toInt(), 1);
            QCOMPARE(stats.json.value(QStringLiteral("users")).toInt(), 7 + kPerActor);
            const HttpResult realmsList = w.call(who, "GET", QStringLiteral("/admin/realms"));
            QCOMPARE(realmsList.json.value(QStringLiteral("items")).toArray().size(), 1);
        }
        // The globex admin sees globex's failure; master sees every realm.
        QCOMPARE(w.call(GlobexAdmin, "GET", QStringLiteral("/admin/events?outcome=failure")).json.value(QStringLiteral("items")).toArray().size(), 1);
        QCOMPARE(w.call(Master, "GET", QStringLiteral("/admin/realms")).json.value(QStringLiteral("items")).toArray().size(), 3);
        QCOMPARE(w.call(Master, "GET", QStringLiteral("/admin/stats")).json.value(QStringLiteral("realms")).toInt(), 3);
    }

    // ---- 3. audit events and the event browser ------------------------------
    void eventsFiltersAndPagination()
    {
        World w;
        const qint64 start = w.server.clock().nowMs();
        const QString plant = QStringLiteral("/admin/realms/acme/apps/plantaerium");
        w.server.clock().advanceSeconds(10);
        QCOMPARE(w.call(AcmeAdmin, "PATCH", plant + "/features/blogs", R"({"isEnabled":false})").status, 200);
        w.server.clock().advanceSeconds(10);
        const qint64 middle = w.server.clock().nowMs();
        QCOMPARE(w.call(Master, "PATCH", QStringLiteral("/admin/realms/acme/settings"), R"({"accessTokenLifetime":600})").status, 200);
        QCOMPARE(w.call(AppAdmin, "PUT", plant + "/roles/Reviewer", R"({"scopes":["blogs:read"]})").status, 200);
        w.server.clock().advanceSeconds(10);
        const qint64 late = w.server.clock().nowMs();
        QCOMPARE(w.call(RwKey, "PATCH", plant + "/features/blogs", R"({"isEnabled":true})").status, 200);
        QCOMPARE(w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                               {{QStringLiteral("email"), QStringLiteral("guest@example.com")}, {QStringLiteral("password"), QStringLiteral("not-the-password")}}).status, 401);

        const auto items = [&](const QString &query, Actor who = AcmeAdmin) {
            const HttpResult r = w.call(who, "GET", QStringLiteral("/admin/events") + query);
            if (r.status != 200)
                qWarning() << query << r.status << r.body;
            return r.json.value(QStringLiteral("items")).toArray();
        };
        // Each change once, with its actor.
        QJsonArray e = items(QStringLiteral("?kind=admin.feature.disabled"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e.first().toObject().value(QStringLiteral("actor")).toString(), w.actorId[AcmeAdmin]);
        QCOMPARE(e.first().toObject().value(QStringLiteral("targetId")).toString(), QStringLiteral("blogs"));
        QCOMPARE(e.first().toObject().value(QStringLiteral("app")).toString(), QStringLiteral("plantaerium"));
        QCOMPARE(e.first().toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("success"));
        e = items(QStringLiteral("?kind=admin.realm.settings_changed"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e.first().toObject().value(QStringLiteral("actor")).toString(), w.actorId[Master]);
        QVERIFY(e.first().toObject().value(QStringLiteral("summary")).toString().contains(QStringLiteral("accessTokenLifetime")));
        e = items(QStringLiteral("?kind=admin.feature.enabled"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(e.first().toObject().value(QStringLiteral("actor")).toString(), w.actorId[RwKey]);

        // Kind lists, outcome, actor, since/until, app.
        e = items(QStringLiteral("?kind=admin.feature.disabled,admin.feature.enabled,admin.role.saved"));
        QCOMPARE(kinds(e), (QStringList{"admin.feature.enabled", "admin.role.saved", "admin.feature.disabled"}));
        e = items(QStringLiteral("?outcome=failure"));
        QCOMPARE(kinds(e), QStringList{"login.failure"});
        e = items(QStringLiteral("?actor=") + QString::fromLatin1(QUrl::toPercentEncoding(w.actorId[AppAdmin])));
        QCOMPARE(kinds(e).first(), QStringLiteral("admin.role.saved"));
        QVERIFY(std::all_of(e.begin(), e.end(), [&](const QJsonValue &v) { return v.toObject().value(QStringLiteral("actor")).toString() == w.actorId[AppAdmin]; }));
        e = items(QStringLiteral("?since=%1&until=%2").arg(middle).arg(late));
        QCOMPARE(kinds(e), (QStringList{"admin.role.saved", "admin.realm.settings_changed"}));
        e = items(QStringLiteral("?since=") + QDateTime::fromMSecsSinceEpoch(late, Qt::UTC).toString(Qt::ISODateWithMs));
        QCOMPARE(kinds(e), (QStringList{"login.failure", "admin.feature.enabled"}));
        e = items(QStringLiteral("?until=%1").arg(start + 1));
        QVERIFY(!e.isEmpty()); // the seed (imports, sign-ins)
        QVERIFY(std::all_of(e.begin(), e.end(), [](const QJsonValue &v) { return !v.toObject().value(QStringLiteral("kind")).toString().startsWith(QStringLiteral("admin.feature")); }));
        e = items(QStringLiteral("?realm=acme&app=plantaerium&since=%1").arg(start + 1));
        QCOMPARE(kinds(e), (QStringList{"admin.feature.enabled", "admin.role.saved", "admin.feature.disabled"}));

        // Pagination: disjoint pages, newest first, together the unpaged list.
        const QJsonArray all = items(QStringLiteral("?limit=200"));
        QVERIFY(all.size() > 20);
        QList<qint64> ids;
        QString cursor;
        int pages = 0;
        do {
            const HttpResult r = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/events?limit=7") + (cursor.isEmpty() ? QString() : QStringLiteral("&cursor=") + cursor));
            QCOMPARE(r.status, 200);
            const QJsonArray page = r.json.value(QStringLiteral("items")).toArray();
            QVERIFY(!page.isEmpty() && page.size() <= 7);
            for (const QJsonValue &v : page) {
                const qint64 id = v.toObject().value(QStringLiteral("id")).toInteger();
                QVERIFY(!ids.contains(id));
                ids.append(id);
            }
            cursor = r.json.value(QStringLiteral("next_cursor")).toString();
        } while (!cursor.isEmpty() && ++pages < 100);
        QCOMPARE(ids.size(), all.size());
        QDateTime previous;
        qint64 previousId = 0;
        for (int i = 0; i < all.size(); ++i) {
            const QJsonObject o = all.at(i).toObject();
            QCOMPARE(o.value(QStringLiteral("id")).toInteger(), ids.at(i));
            const QDateTime t = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
            if (i > 0)
                QVERIFY(t < previous || (t == previous && ids.at(i) < previousId));
            previous = t;
            previousId = ids.at(i);
        }
        // Filters and cursors together.
        const QJsonArray firstTwo = items(QStringLiteral("?kind=admin.feature.disabled,admin.feature.enabled,admin.role.saved&limit=2"));
        QCOMPARE(firstTwo.size(), 2);
        const HttpResult p1 = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/events?kind=admin.feature.disabled,admin.feature.enabled,admin.role.saved&limit=2"));
        const QJsonArray rest = items(QStringLiteral("?kind=admin.feature.disabled,admin.feature.enabled,admin.role.saved&limit=2&cursor=")
                                      + p1.json.value(QStringLiteral("next_cursor")).toString());
        QCOMPARE(kinds(rest), QStringList{"admin.feature.disabled"});

        // Free text: a case-insensitive substring of summary, kind, actor or
        // target, through the text index (three or more characters) or by
        // scanning (fewer); pages continue with the cursor either way.
        e = items(QStringLiteral("?q=ACCESSTOKENlife"));
        QCOMPARE(kinds(e), QStringList{"admin.realm.settings_changed"});
        e = items(QStringLiteral("?q=") + QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("admin.FEATURE.")))+ QStringLiteral("&since=%1").arg(start + 1));
        QCOMPARE(kinds(e), (QStringList{"admin.feature.enabled", "admin.feature.disabled"}));
        e = items(QStringLiteral("?q=no%20such%20words%20anywhere"));
        QVERIFY(e.isEmpty());
        for (const QString &text : {QStringLiteral("admin.feature."), QStringLiteral("ad")}) {
            const QJsonArray whole = items(QStringLiteral("?limit=200&q=") + text);
            QVERIFY(!whole.isEmpty());
            for (const QJsonValue &v : whole) {
                const QJsonObject o = v.toObject();
                QVERIFY((o.value(QStringLiteral("summary")).toString() + o.value(QStringLiteral("kind")).toString()
                         + o.value(QStringLiteral("actor")).toString() + o.value(QStringLiteral("targetId")).toString())
                            .contains(text, Qt::CaseInsensitive));
            }
            QJsonArray paged;
            QString next;
            int round = 0;
            do {
                const HttpResult r = w.call(AcmeAdmin, "GET", QStringLiteral("/admin/events?limit=2&q=") + text
                                                                  + (next.isEmpty() ? QString() : QStringLiteral("&cursor=") + next));
                QCOMPARE(r.status, 200);
                for (const QJsonValue &v : r.json.value(QStringLiteral("items")).toArray())
                    paged.append(v);
                next = r.json.value(QStringLiteral("next_cursor")).toString();
            } while (!next.isEmpty() && ++round < 200);
            QCOMPARE(paged, whole);
        }
    }

    void everyChangeIsAudited()
    {
        World w(false);
        const auto lastEvent = [&](const QString &kind) {
            const HttpResult r = w.call(Master, "GET", QStringLiteral("/admin/events?kind=") + kind);
            return r.json.value(QStringLiteral("items")).toArray().first().toObject();
        };
        QCOMPARE(w.call(AcmeAdmin, "POST", QStringLiteral("/admin/realms/acme/users"), R"({"email":"audited@example.com"})").status, 201);
        QJsonObject e = lastEvent(QStringLiteral("admin.user.created"));
        QCOMPARE(e.value(QStringLiteral("actor")).toString(), w.actorId[AcmeAdmin]);
        QCOMPARE(e.value(QStringLiteral("realm")).toString(), QStringLiteral("acme"));
        QCOMPARE(e.value(QStringLiteral("summary")).toString(), QStringLiteral("audited@example.com"));
        QVERIFY(!e.value(QStringLiteral("ip")).toString().isEmpty());

        QCOMPARE(w.call(AcmeAdmin, "POST", w.expand(QStringLiteral("/admin/realms/acme/users/{a1}/password"), 0), R"({"password":"Another-Secure-Pass-9"})").status, 200);
        e = lastEvent(QStringLiteral("admin.user.password_reset"));
        QCOMPARE(e.value(QStringLiteral("targetId")).toString(), w.vars.value(QStringLiteral("a1")));
        QVERIFY(!QJsonDocument(e).toJson().contains("Another-Secure-Pass-9")); // never the secret

        QCOMPARE(w.call(RwKey, "POST", QStringLiteral("/admin/api-keys"), R"({"name":"child","layer":"realm","realm":"acme"})").status, 201);
        e = lastEvent(QStringLiteral("admin.apikey.created"));
        QCOMPARE(e.value(QStringLiteral("actor")).toString(), w.actorId[RwKey]);

        QCOMPARE(w.call(AcmeAdmin, "PUT", w.expand(QStringLiteral("/admin/realms/acme/users/{a2}/grants"), 0), R"({"layer":"app","app":"plantaerium"})").status, 200);
        e = lastEvent(QStringLiteral("admin.grant.added"));
        QCOMPARE(e.value(QStringLiteral("actor")).toString(), w.actorId[AcmeAdmin]);
        QCOMPARE(e.value(QStringLiteral("realm")).toString(), QStringLiteral("acme"));
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{a2}/grants"), 0), R"({"layer":"app","app":"plantaerium"})").status, 200);
        QCOMPARE(lastEvent(QStringLiteral("admin.grant.removed")).value(QStringLiteral("actor")).toString(), w.actorId[AcmeAdmin]);
        QCOMPARE(w.call(AcmeAdmin, "DELETE", w.expand(QStringLiteral("/admin/realms/acme/users/{a2}/grants"), 0), R"({"layer":"app","app":"plantaerium"})").status, 404);

        // A master grant is master's business: it is logged in master, not in the path's realm.
        QCOMPARE(w.call(Master, "PUT", QStringLiteral("/admin/realms/acme/users/%1/grants").arg(w.vars.value(QStringLiteral("masterAdmin"))),
                        R"({"layer":"master"})").status, 200);
        QVERIFY(!w.call(AcmeAdmin, "GET", QStringLiteral("/admin/events?kind=admin.grant.added")).body.contains("master admin grant"));

        // Log injection: CR/LF in user-supplied fields never reach the log verbatim.
        QCOMPARE(w.call(AcmeAdmin, "POST", QStringLiteral("/admin/realms/acme/apps"), R"({"id":"crlf","displayName":"x\r\nkind=admin.realm.deleted"})").status, 201);
        e = lastEvent(QStringLiteral("admin.app.created"));
        QVERIFY(!e.value(QStringLiteral("summary")).toString().contains(u'\n'));
        QVERIFY(!e.value(QStringLiteral("summary")).toString().contains(u'\r'));
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
