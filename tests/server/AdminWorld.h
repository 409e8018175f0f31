#pragma once

// The world the admin API tests run in: two realms, admins of every layer
// signed in, API keys, a PAT and per-actor objects, and the kinds of caller
// (tst_adminapi: the permission matrix and bad input; tst_adminisolation:
// tenant isolation and the audit trail).
#include "TestServer.h"

#include "crypto/Base64Url.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>
#include <QUuid>

namespace authrealm::test::admin {

inline const QString kPassword = QStringLiteral("SecurePassword123!");
inline const QString kAdminPassword = QStringLiteral("Master-Password-2024!");

// The kinds of caller the matrix tries on every route. Garbage is a bearer
// that is no credential at all; it is not a column of the table: always 401.
enum Actor { Master, AcmeAdmin, AppAdmin, GlobexAdmin, Plain, RoKey, RwKey, Pat, Garbage, ActorCount };
inline const char *const kActorNames[ActorCount] = {"master", "acme-admin", "app-admin", "globex-admin", "plain-user",
                                             "ro-key", "rw-key", "pat", "garbage"};
inline constexpr int kPerActor = 9; // u0..u8, f0..f8, r0..r8, k0..k8: one object per actor for non-idempotent rows

inline QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

inline QByteArray compact(const QJsonObject &o)
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

inline QStringList kinds(const QJsonArray &items)
{
    QStringList out;
    for (const QJsonValue &v : items)
        out.append(v.toObject().value(QStringLiteral("kind")).toString());
    return out;
}

inline bool isErrorBody(const HttpResult &r)
{
    return r.json.value(QStringLiteral("error")).isString() && r.json.value(QStringLiteral("message")).isString();
}

// Rows that only get refused share one seeded world per backend (a fresh
// PostgreSQL database per row would take most of the run). Each such row
// checks that it changed nothing; a failed row throws the world away.
class SharedWorld
{
public:
    World &get()
    {
        if (!m_world || m_backend != test::currentBackend()) {
            m_world.reset();
            m_world = std::make_unique<World>(false);
            m_backend = test::currentBackend();
        }
        return *m_world;
    }
    void reset() { m_world.reset(); }

private:
    std::unique_ptr<World> m_world;
    QString m_backend;
};

} // namespace authrealm::test::admin
