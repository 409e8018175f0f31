// Admin API for OAuth clients over HTTP, on every backend: the life cycle
// (create with the secret shown once, list, get, update, rotate, delete), the
// permission matrix of every kind of caller, and precise 400s for bad input.
#include "AdminWorld.h"

using namespace authrealm;
using namespace authrealm::test;
using namespace authrealm::test::admin;

namespace {
const QString kAcme = QStringLiteral("/admin/realms/acme");
const QString kPlantClients = QStringLiteral("/admin/realms/acme/apps/plantaerium/clients");
// JSON written with single quotes: Qt 6.4's moc loses track of a raw string
// literal that contains "//" and then finds no test class at all.
QByteArray js(const char *singleQuoted)
{
    return QByteArray(singleQuoted).replace('\'', '"');
}
const QByteArray kWebClient = js("{'name': 'Plantaerium web', 'redirectUris': ['https://plantaerium.example/callback']}");

QString clientId(const HttpResult &r)
{
    return r.json.value(QStringLiteral("clientId")).toString();
}
} // namespace

class tst_ClientApi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data() { addBackendRows(); }

    void lifeCycle()
    {
        World w(false);
        const HttpResult created = w.call(Master, "POST", kPlantClients, kWebClient);
        QCOMPARE(created.status, 201);
        const QString id = clientId(created);
        const QString secret = created.json.value(QStringLiteral("clientSecret")).toString();
        QVERIFY(id.startsWith(u"c_"));
        QVERIFY(secret.size() >= 43);
        QCOMPARE(created.header("Cache-Control"), QByteArray("no-store"));
        QCOMPARE(created.json.value(QStringLiteral("tokenEndpointAuthMethod")).toString(), QStringLiteral("client_secret_basic"));
        QCOMPARE(created.json.value(QStringLiteral("appId")).toString(), QStringLiteral("plantaerium"));

        const HttpResult listed = w.call(AppAdmin, "GET", kPlantClients);
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json.value(QStringLiteral("items")).toArray().size(), 1);
        QVERIFY(!listed.body.contains(secret.toUtf8()));
        QVERIFY(!listed.body.contains("clientSecret"));

        const QString one = kAcme + QStringLiteral("/clients/") + id;
        HttpResult got = w.call(AppAdmin, "GET", one);
        QCOMPARE(got.status, 200);
        QVERIFY(!got.body.contains(secret.toUtf8()));

        // The GET shape can be PUT back with a change.
        QJsonObject changed = got.json;
        changed.insert(QStringLiteral("redirectUris"), QJsonArray{"https://plantaerium.example/cb2", "http://127.0.0.1/cb"});
        const HttpResult updated = w.call(AppAdmin, "PUT", one, compact(changed));
        QCOMPARE(updated.status, 200);
        QCOMPARE(updated.json.value(QStringLiteral("redirectUris")).toArray().size(), 2);

        const HttpResult rotated = w.call(AppAdmin, "POST", one + QStringLiteral("/secret"), js("{'overlapSeconds': 300}"));
        QCOMPARE(rotated.status, 200);
        const QString second = rotated.json.value(QStringLiteral("clientSecret")).toString();
        QVERIFY(second.size() >= 43 && second != secret);
        QCOMPARE(rotated.header("Cache-Control"), QByteArray("no-store"));
        ClientCredentials c;
        c.hasBasic = true;
        c.basicId = id;
        c.basicSecret = secret;
        QCOMPARE(w.core().clients().authenticate(QStringLiteral("acme"), c, {}).id, id);
        c.basicSecret = second;
        QCOMPARE(w.core().clients().authenticate(QStringLiteral("acme"), c, {}).id, id);
        QCOMPARE(w.call(AppAdmin, "POST", one + QStringLiteral("/secret")).status, 200); // empty body: no overlap

        QCOMPARE(w.call(AppAdmin, "DELETE", one).status, 200);
        QCOMPARE(w.call(AppAdmin, "GET", one).status, 403); // app admins cannot tell "gone" from "not yours"
        QCOMPARE(w.call(AcmeAdmin, "GET", one).status, 404);

        QStringList kinds;
        for (const AuditEvent &e : w.eventsBy(w.actorId[AppAdmin]))
            kinds.append(e.kind);
        for (const char *kind : {"client.updated", "client.secret_rotated", "client.deleted"})
            QVERIFY2(kinds.contains(QLatin1String(kind)), kind);
    }

    void publicClientHasNoSecret()
    {
        World w(false);
        const HttpResult r = w.call(AppAdmin, "POST", kPlantClients,
                                    js("{'name': 'SPA', 'confidential': false, 'redirectUris': ['http://127.0.0.1/cb']}"));
        QCOMPARE(r.status, 201);
        QVERIFY(!r.json.contains(QStringLiteral("clientSecret")));
        QCOMPARE(r.json.value(QStringLiteral("tokenEndpointAuthMethod")).toString(), QStringLiteral("none"));
    }

    void permissions_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QList<int>>("expected"); // Master..Pat

        // Columns:       master acme  app  globex plain  ro   rw  pat
        const auto row = [](const char *name, const QByteArray &method, const QString &path, const QByteArray &body, QList<int> expected) {
            Q_ASSERT(expected.size() == Pat + 1);
            QTest::newRow(name) << method << path << body << expected;
        };
        const QString whit = kAcme + QStringLiteral("/apps/whitcomb/clients");
        row("POST plant", "POST", kPlantClients, kWebClient, {201, 201, 201, 403, 403, 403, 201, 403});
        row("POST whitcomb", "POST", whit, kWebClient, {201, 201, 403, 403, 403, 403, 201, 403});
        row("POST unknown app", "POST", kAcme + "/apps/nosuch/clients", kWebClient, {404, 404, 403, 403, 403, 403, 404, 403});
        row("GET plant list", "GET", kPlantClients, {}, {200, 200, 200, 403, 403, 200, 200, 403});
        row("GET whitcomb list", "GET", whit, {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("GET plant client", "GET", kAcme + "/clients/{plant}", {}, {200, 200, 200, 403, 403, 200, 200, 403});
        row("GET whitcomb client", "GET", kAcme + "/clients/{whit}", {}, {200, 200, 403, 403, 403, 200, 200, 403});
        row("GET unknown client", "GET", kAcme + "/clients/c_nosuch", {}, {404, 404, 403, 403, 403, 404, 404, 403});
        row("GET via other realm", "GET", "/admin/realms/globex/clients/{plant}", {}, {404, 403, 403, 404, 403, 403, 403, 403});
        row("PUT whitcomb client", "PUT", kAcme + "/clients/{whit}", kWebClient, {200, 200, 403, 403, 403, 403, 200, 403});
        row("rotate whitcomb", "POST", kAcme + "/clients/{whit}/secret", {}, {200, 200, 403, 403, 403, 403, 200, 403});
        row("DELETE whitcomb", "DELETE", kAcme + "/clients/{whit}", {}, {200, 200, 403, 403, 403, 403, 200, 403});
    }
    void permissions()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QList<int>, expected);
        World w(false);
        for (int who = Master; who <= Pat; ++who) {
            // Fresh objects per caller, so a DELETE by one does not decide the next one's answer.
            const QString plant = clientId(w.call(Master, "POST", kPlantClients, kWebClient));
            const QString whit = clientId(w.call(Master, "POST", kAcme + "/apps/whitcomb/clients", kWebClient));
            QString p = path;
            p.replace(QStringLiteral("{plant}"), plant).replace(QStringLiteral("{whit}"), whit);
            const HttpResult r = w.call(Actor(who), method, p, body);
            QVERIFY2(r.status == expected.at(who), qPrintable(QStringLiteral("%1: %2 %3").arg(kActorNames[who]).arg(r.status).arg(QString::fromUtf8(r.body))));
        }
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{") << "invalid_json" << "JSON";
        QTest::newRow("no name") << js("{'redirectUris': ['https://a.example/cb']}") << "invalid_request" << "name";
        QTest::newRow("uris not array") << js("{'name': 'x', 'redirectUris': 'https://a.example/cb'}") << "invalid_request" << "redirectUris";
        QTest::newRow("unknown field") << js("{'name': 'x', 'redirectUri': 'https://a.example/cb'}") << "invalid_request" << "redirectUri";
        QTest::newRow("javascript uri") << js("{'name': 'x', 'redirectUris': ['javascript:alert(1)']}") << "invalid_request" << "javascript";
        QTest::newRow("http uri") << js("{'name': 'x', 'redirectUris': ['http://a.example/cb']}") << "invalid_request" << "https";
        QTest::newRow("fragment uri") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb#x']}") << "invalid_request" << "fragment";
        QTest::newRow("control char") << js("{'name': 'x', 'redirectUris': ['https://a.example/\\u0000']}") << "invalid_request" << "redirectUris";
        QTest::newRow("negative lifetime") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'accessTokenLifetime': -5}")
                                           << "invalid_request" << "accessTokenLifetime";
        QTest::newRow("fractional lifetime") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'accessTokenLifetime': 1.5}")
                                             << "invalid_request" << "accessTokenLifetime";
        QTest::newRow("password grant") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'grantTypes': ['password']}")
                                        << "invalid_request" << "password";
        QTest::newRow("jwks not object") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'jwks': 'k'}")
                                         << "invalid_request" << "jwks";
        QTest::newRow("bad jwk") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'tokenEndpointAuthMethod': 'private_key_jwt', 'jwks': {'keys': [{'kty': 'oct', 'k': 'AAAA'}]}}")
                                 << "invalid_request" << "jwks";
        QTest::newRow("confidential not bool") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'confidential': 'no'}")
                                               << "invalid_request" << "confidential";
        QTest::newRow("alg none") << js("{'name': 'x', 'redirectUris': ['https://a.example/cb'], 'idTokenAlgorithm': 'none'}")
                                  << "invalid_request" << "idTokenAlgorithm";
    }
    void badInput()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        QFETCH(QString, mentions);
        World w(false);
        const HttpResult r = w.call(Master, "POST", kPlantClients, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json.value(QStringLiteral("error")).toString(), error);
        QVERIFY2(r.json.value(QStringLiteral("message")).toString().contains(mentions), r.body.constData());
        QCOMPARE(w.call(Master, "GET", kPlantClients).json.value(QStringLiteral("items")).toArray().size(), 0);
    }

    void badRotation()
    {
        World w(false);
        const QString one = kAcme + QStringLiteral("/clients/") + clientId(w.call(Master, "POST", kPlantClients, kWebClient));
        for (const QByteArray &body : {js("{'overlapSeconds': -1}"), js("{'overlapSeconds': 99999999}"),
                                      js("{'overlapSeconds': 'soon'}")}) {
            const HttpResult r = w.call(Master, "POST", one + QStringLiteral("/secret"), body);
            QCOMPARE(r.status, 400);
            QVERIFY(r.json.value(QStringLiteral("message")).toString().contains(u"overlapSeconds"));
        }
    }

    // ---- dynamic client registration (RFC 7591 / RFC 7592) ----------------

    void dynamicRegistrationLifeCycle()
    {
        World w(false);
        const QByteArray iat = issueToken(w, AppAdmin, 2);
        const QString reg = QStringLiteral("/realms/acme/oauth2/register");
        const QByteArray metadata = js("{'client_name': 'Self-serve', 'redirect_uris': ['https://self.example/cb'], "
                                       "'token_endpoint_auth_method': 'client_secret_post', 'scope': 'openid email', 'software_id': 'ignored'}");
        const HttpResult r = w.callWith(iat, "POST", reg, metadata);
        QCOMPARE(r.status, 201);
        const QString id = r.json.value(QStringLiteral("client_id")).toString();
        const QByteArray regToken = r.json.value(QStringLiteral("registration_access_token")).toString().toLatin1();
        QVERIFY(id.startsWith(u"c_"));
        QVERIFY(regToken.size() >= 43);
        QCOMPARE(r.json.value(QStringLiteral("client_secret_expires_at")).toInt(), 0);
        QVERIFY(r.json.value(QStringLiteral("registration_client_uri")).toString().endsWith(QStringLiteral("/realms/acme/oauth2/register/") + id));
        const std::optional<OAuthClient> client = w.core().clients().find(QStringLiteral("acme"), id);
        QVERIFY(client);
        QCOMPARE(client->appId, QStringLiteral("plantaerium"));
        QVERIFY(!client->firstParty); // self-registered clients always ask for consent
        QCOMPARE(client->allowedScopes, (QStringList{"openid", "email"}));
        ClientCredentials c;
        c.formClientId = id;
        c.formSecret = r.json.value(QStringLiteral("client_secret")).toString();
        QCOMPARE(w.core().clients().authenticate(QStringLiteral("acme"), c, {}).id, id);

        const QString mine = reg + u'/' + id;
        QCOMPARE(w.callWith(regToken, "GET", mine).status, 200);
        QCOMPARE(w.callWith(iat, "GET", mine).status, 401);
        QCOMPARE(w.callWith("", "GET", mine).status, 401);
        QCOMPARE(w.callWith(regToken, "GET", QStringLiteral("/realms/globex/oauth2/register/") + id).status, 401);
        // A client an admin registered has no registration access token to guess.
        const QString adminMade = clientId(w.call(Master, "POST", kPlantClients, kWebClient));
        QCOMPARE(w.callWith(regToken, "GET", reg + u'/' + adminMade).status, 401);

        const HttpResult put = w.callWith(regToken, "PUT", mine,
            js("{'client_id': '") + id.toLatin1() + js("', 'client_name': 'Renamed', 'redirect_uris': ['https://self.example/cb2'], "
                                                    "'token_endpoint_auth_method': 'client_secret_post'}"));
        QCOMPARE(put.status, 200);
        QCOMPARE(w.core().clients().find(QStringLiteral("acme"), id)->redirectUris, QStringList{"https://self.example/cb2"});
        const HttpResult wrongId = w.callWith(regToken, "PUT", mine, js("{'client_id': 'c_other', 'redirect_uris': ['https://self.example/cb']}"));
        QCOMPARE(wrongId.status, 400);
        QCOMPARE(wrongId.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client_metadata"));

        QCOMPARE(w.callWith(regToken, "DELETE", mine).status, 204);
        QCOMPARE(w.callWith(regToken, "GET", mine).status, 401);
        QVERIFY(!w.core().clients().find(QStringLiteral("acme"), id));

        // Two uses: the second registration works, the third does not.
        QCOMPARE(w.callWith(iat, "POST", reg, metadata).status, 201);
        QCOMPARE(w.callWith(iat, "POST", reg, metadata).status, 401);
    }

    void initialAccessTokenLimits()
    {
        World w(false);
        const QString reg = QStringLiteral("/realms/acme/oauth2/register");
        const QByteArray good = js("{'redirect_uris': ['https://self.example/cb']}");
        QByteArray iat = issueToken(w, AcmeAdmin, 1);
        // Invalid metadata spends no use.
        const HttpResult bad = w.callWith(iat, "POST", reg, js("{'redirect_uris': ['https://self.example/cb#frag']}"));
        QCOMPARE(bad.status, 400);
        QCOMPARE(bad.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_redirect_uri"));
        QCOMPARE(w.callWith(iat, "POST", reg, good).status, 201);
        QCOMPARE(w.callWith(iat, "POST", reg, good).status, 401);

        iat = issueToken(w, AcmeAdmin, 5);
        QCOMPARE(w.callWith(iat, "POST", QStringLiteral("/realms/globex/oauth2/register"), good).status, 401); // another realm
        QCOMPARE(w.callWith("not-a-token", "POST", reg, good).status, 401);
        QCOMPARE(w.callWith({}, "POST", reg, good).status, 401);
        // Who may issue, and bounds.
        const QString whit = kAcme + QStringLiteral("/apps/whitcomb/initialAccessTokens");
        QCOMPARE(w.call(AppAdmin, "POST", whit, js("{'expiresIn': 3600, 'uses': 1}")).status, 403);
        QCOMPARE(w.call(RoKey, "POST", whit, js("{'expiresIn': 3600, 'uses': 1}")).status, 403);
        QCOMPARE(w.call(AcmeAdmin, "POST", whit, js("{'expiresIn': 10, 'uses': 1}")).status, 400);
        QCOMPARE(w.call(AcmeAdmin, "POST", whit, js("{'expiresIn': 3600, 'uses': 0}")).status, 400);
        // (last: the admins' own access tokens expire with it)
        w.server.clock().advanceSeconds(3601);
        QCOMPARE(w.callWith(iat, "POST", reg, good).status, 401); // expired

    }

    void registrationMetadataErrors_data()
    {
        QTest::addColumn<QByteArray>("metadata");
        QTest::addColumn<QString>("error");
        QTest::newRow("javascript redirect") << js("{'redirect_uris': ['javascript:alert(1)']}") << "invalid_redirect_uri";
        QTest::newRow("http redirect") << js("{'redirect_uris': ['http://self.example/cb']}") << "invalid_redirect_uri";
        QTest::newRow("wildcard redirect") << js("{'redirect_uris': ['https://*.self.example/cb']}") << "invalid_redirect_uri";
        QTest::newRow("no redirect") << js("{'client_name': 'x'}") << "invalid_redirect_uri";
        QTest::newRow("password grant") << js("{'redirect_uris': ['https://self.example/cb'], 'grant_types': ['password']}") << "invalid_client_metadata";
        QTest::newRow("implicit") << js("{'redirect_uris': ['https://self.example/cb'], 'response_types': ['token']}") << "invalid_client_metadata";
        QTest::newRow("jwks_uri") << js("{'redirect_uris': ['https://self.example/cb'], 'jwks_uri': 'https://self.example/jwks'}") << "invalid_client_metadata";
        QTest::newRow("public client_credentials") << js("{'redirect_uris': ['https://self.example/cb'], 'token_endpoint_auth_method': 'none', "
                                                         "'grant_types': ['authorization_code', 'client_credentials']}") << "invalid_client_metadata";
        QTest::newRow("alg") << js("{'redirect_uris': ['https://self.example/cb'], 'id_token_signed_response_alg': 'none'}") << "invalid_client_metadata";
        QTest::newRow("name not string") << js("{'redirect_uris': ['https://self.example/cb'], 'client_name': 5}") << "invalid_client_metadata";
        QTest::newRow("not json") << QByteArray("{") << "invalid_client_metadata";
    }
    void registrationMetadataErrors()
    {
        QFETCH(QByteArray, metadata);
        QFETCH(QString, error);
        World w(false);
        const HttpResult r = w.callWith(issueToken(w, AcmeAdmin, 1), "POST", QStringLiteral("/realms/acme/oauth2/register"), metadata);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json.value(QStringLiteral("error")).toString(), error);
        QVERIFY(!r.json.value(QStringLiteral("error_description")).toString().isEmpty());
    }

private:
    static QByteArray issueToken(World &w, Actor who, int uses)
    {
        const HttpResult r = w.call(who, "POST", kAcme + QStringLiteral("/apps/plantaerium/initialAccessTokens"),
                                    js("{'expiresIn': 3600, 'uses': ") + QByteArray::number(uses) + "}");
        if (r.status != 201)
            qWarning() << "initial access token" << r.status << r.body;
        return r.json.value(QStringLiteral("token")).toString().toLatin1();
    }
};

QTEST_GUILESS_MAIN(tst_ClientApi)
#include "tst_clientapi.moc"
