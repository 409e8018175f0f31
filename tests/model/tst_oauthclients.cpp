// OAuth clients: redirect-URI rules (RFC 9700 §2.1/§4.1, RFC 8252 §7.3),
// registration rules, secrets and their rotation, client authentication
// (RFC 6749 §2.3, RFC 7523 §3), realm isolation and admin authorisation, on
// every backend with an injected clock.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "admin/AdminActor.h"
#include "core/DomainError.h"
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"
#include "oidc/RedirectUris.h"
#include "storage/Sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace authrealm;
using test::errorOf;

namespace {
const QString kRealm = QStringLiteral("acme");
const QString kApp = QStringLiteral("plantaerium");
const QString kOtherApp = QStringLiteral("whitcomb");
const QString kTokenUrl = QStringLiteral("http://127.0.0.1:8080/realms/acme/oauth2/token");

QJsonObject sampleRealm()
{
    return QJsonDocument::fromJson(R"({"realm": "acme", "displayName": "Acme",
        "settings": {"accessTokenLifetime": 900, "refreshTokenLifetime": 3600},
        "apps": [{"id": "plantaerium"}, {"id": "whitcomb"}]})").object();
}

AdminActor actor(AdminGrant::Layer layer, const QString &realm = {}, const QString &app = {}, bool readOnly = false)
{
    return AdminActor{QStringLiteral("user:test-admin"), {AdminGrant{layer, realm, app}}, readOnly, QStringLiteral("192.0.2.1"), {}};
}
const AdminActor kMaster = actor(AdminGrant::Layer::Master);

ClientRegistry::Draft webDraft()
{
    ClientRegistry::Draft d;
    d.appId = kApp;
    d.name = QStringLiteral("Plantaerium web");
    d.redirectUris = {QStringLiteral("https://plantaerium.example/callback")};
    return d;
}

ClientCredentials basic(const QString &id, const QString &secret)
{
    ClientCredentials c;
    c.hasBasic = true;
    c.basicId = id;
    c.basicSecret = secret;
    return c;
}

ClientCredentials assertion(const QString &jwt)
{
    ClientCredentials c;
    c.assertionType = ClientRegistry::kAssertionType;
    c.assertion = jwt;
    return c;
}

QString unsignedJwt(const QJsonObject &header, const QJsonObject &claims)
{
    return QString::fromLatin1(base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact))) + u'.'
        + QString::fromLatin1(base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact))) + u'.';
}
} // namespace

class tst_OAuthClients : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

    const ClientRegistry &clients() { return m_core->clients(); }

private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void init()
    {
        // The redirect-URI rules need no database (and a PostgreSQL scratch
        // database per row would only slow the suite down).
        if (QByteArray(QTest::currentTestFunction()).startsWith("redirectUri"))
            return;
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        m_core->transfer().importRealm(sampleRealm(), QStringLiteral("test"));
    }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    // ---- redirect URIs (pure rules; the backend rows just repeat them) ----

    void redirectUriRegistration_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("https") << "https://app.example.com/cb" << true;
        QTest::newRow("https port and query") << "https://app.example.com:8443/cb?tenant=a" << true;
        QTest::newRow("loopback v4") << "http://127.0.0.1/cb" << true;
        QTest::newRow("loopback v4 port") << "http://127.0.0.1:8080/cb" << true;
        QTest::newRow("loopback v6") << "http://[::1]:9000/cb" << true;
        QTest::newRow("localhost") << "http://localhost:3000/callback" << true;
        QTest::newRow("private-use scheme") << "com.example.app:/oauth2redirect" << true;
        QTest::newRow("private-use scheme authority") << "com.example.app://callback" << true;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("http non-loopback") << "http://app.example.com/cb" << false;
        QTest::newRow("http loopback-looking host") << "http://127.0.0.1.evil.example/cb" << false;
        QTest::newRow("http localhost subdomain") << "http://localhost.evil.example/cb" << false;
        QTest::newRow("javascript:") << "javascript:alert(1)" << false;
        QTest::newRow("javascript: upper") << "JavaScript:alert(1)" << false;
        QTest::newRow("data:") << "data:text/html,<script>alert(1)</script>" << false;
        QTest::newRow("file:") << "file:///etc/passwd" << false;
        QTest::newRow("vbscript:") << "vbscript:msgbox" << false;
        QTest::newRow("scheme without dot") << "myapp:/cb" << false;
        QTest::newRow("wildcard host") << "https://*.example.com/cb" << false;
        QTest::newRow("wildcard path") << "https://app.example.com/*" << false;
        QTest::newRow("fragment") << "https://app.example.com/cb#frag" << false;
        QTest::newRow("empty fragment") << "https://app.example.com/cb#" << false;
        QTest::newRow("userinfo") << "https://user@app.example.com/cb" << false;
        QTest::newRow("@evil") << "https://app.example.com@evil.example/cb" << false;
        QTest::newRow("userinfo loopback") << "http://127.0.0.1@evil.example/cb" << false;
        QTest::newRow("/../") << "https://app.example.com/a/../cb" << false;
        QTest::newRow("..;/") << "https://app.example.com/a/..;/cb" << false;
        QTest::newRow("trailing ..") << "https://app.example.com/a/.." << false;
        QTest::newRow("/./") << "https://app.example.com/./cb" << false;
        QTest::newRow("%2e%2e") << "https://app.example.com/a/%2e%2E/cb" << false;
        QTest::newRow("%2F") << "https://app.example.com/a%2Fb" << false;
        QTest::newRow("%5C") << "https://app.example.com/a%5cb" << false;
        QTest::newRow("backslash") << "https://app.example.com\\@evil.example/cb" << false;
        QTest::newRow("space") << "https://app.example.com/c b" << false;
        QTest::newRow("newline") << "https://app.example.com/cb\r\nX: y" << false;
        QTest::newRow("tab") << "https://app.example.com/\tcb" << false;
        QTest::newRow("non-ascii") << QString::fromUtf8("https://äpp.example.com/cb") << false;
        QTest::newRow("host case") << "https://App.Example.com/cb" << false;
        QTest::newRow("scheme case") << "HTTPS://app.example.com/cb" << false;
        QTest::newRow("relative") << "/relative/cb" << false;
        QTest::newRow("no authority") << "https:/app.example.com/cb" << false;
        QTest::newRow("empty host") << "https://:443/cb" << false;
        QTest::newRow("port 0") << "https://app.example.com:0/cb" << false;
        QTest::newRow("port too big") << "https://app.example.com:99999/cb" << false;
        QTest::newRow("port letters") << "https://app.example.com:80a/cb" << false;
        QTest::newRow("percent in host") << "https://app%2eexample.com/cb" << false;
        QTest::newRow("too long") << QStringLiteral("https://app.example.com/") + QString(2000, u'a') << false;
    }
    void redirectUriRegistration()
    {
        QFETCH(QString, uri);
        QFETCH(bool, allowed);
        const auto problem = RedirectUris::problem(uri);
        QVERIFY2(problem.has_value() != allowed, qPrintable(problem.value_or(QStringLiteral("(accepted)"))));
    }

    void redirectUriMatching_data()
    {
        QTest::addColumn<QString>("registered");
        QTest::addColumn<QString>("presented");
        QTest::addColumn<bool>("matches");
        const QString cb = QStringLiteral("https://app.example.com/cb");
        QTest::newRow("exact") << cb << cb << true;
        QTest::newRow("/../") << cb << "https://app.example.com/cb/../evil" << false;
        QTest::newRow("..;/") << cb << "https://app.example.com/cb/..;/evil" << false;
        QTest::newRow("@evil after host") << cb << "https://app.example.com@evil.example/cb" << false;
        QTest::newRow("@evil in path") << cb << "https://app.example.com/cb@evil.example" << false;
        QTest::newRow("%2F host") << cb << "https://app.example.com%2F@evil.example/cb" << false;
        QTest::newRow("%2F path") << cb << "https://app.example.com/cb%2F..%2Fevil" << false;
        QTest::newRow("percent-encoded path") << cb << "https://app.example.com/%63b" << false;
        QTest::newRow("host case") << cb << "https://APP.example.com/cb" << false;
        QTest::newRow("scheme case") << cb << "HTTPS://app.example.com/cb" << false;
        QTest::newRow("extra query") << cb << "https://app.example.com/cb?next=https://evil.example" << false;
        QTest::newRow("extra query param") << "https://app.example.com/cb?a=1" << "https://app.example.com/cb?a=1&b=2" << false;
        QTest::newRow("fragment") << cb << "https://app.example.com/cb#x" << false;
        QTest::newRow("trailing slash") << cb << "https://app.example.com/cb/" << false;
        QTest::newRow("suffix") << cb << "https://app.example.com/cbx" << false;
        QTest::newRow("subdomain") << cb << "https://app.example.com.evil.example/cb" << false;
        QTest::newRow("port on non-loopback") << cb << "https://app.example.com:8443/cb" << false;
        QTest::newRow("default port spelled") << cb << "https://app.example.com:443/cb" << false;
        QTest::newRow("http non-loopback") << cb << "http://app.example.com/cb" << false;
        QTest::newRow("javascript:") << cb << "javascript:alert(1)//app.example.com/cb" << false;
        QTest::newRow("data:") << cb << "data:text/html,app.example.com/cb" << false;
        QTest::newRow("wildcard") << cb << "https://*.example.com/cb" << false;
        QTest::newRow("userinfo") << cb << "https://user@app.example.com/cb" << false;
        QTest::newRow("backslash") << cb << "https://app.example.com\\cb" << false;
        QTest::newRow("empty") << cb << "" << false;
        const QString loop = QStringLiteral("http://127.0.0.1/cb");
        QTest::newRow("loopback any port") << loop << "http://127.0.0.1:51234/cb" << true;
        QTest::newRow("loopback registered port varies") << "http://127.0.0.1:8080/cb" << "http://127.0.0.1:9999/cb" << true;
        QTest::newRow("loopback no port") << "http://127.0.0.1:8080/cb" << "http://127.0.0.1/cb" << true;
        QTest::newRow("loopback v6 port") << "http://[::1]/cb" << "http://[::1]:4000/cb" << true;
        QTest::newRow("loopback path differs") << loop << "http://127.0.0.1:51234/cb/../x" << false;
        QTest::newRow("loopback query differs") << loop << "http://127.0.0.1:51234/cb?x=1" << false;
        QTest::newRow("loopback other host") << loop << "http://localhost:51234/cb" << false;
        QTest::newRow("loopback port 0") << loop << "http://127.0.0.1:0/cb" << false;
        QTest::newRow("loopback port letters") << loop << "http://127.0.0.1:80a/cb" << false;
        QTest::newRow("loopback userinfo") << loop << "http://127.0.0.1:5000@evil.example/cb" << false;
        QTest::newRow("loopback https") << loop << "https://127.0.0.1:5000/cb" << false;
        QTest::newRow("https loopback port fixed") << "https://127.0.0.1:8443/cb" << "https://127.0.0.1:9443/cb" << false;
    }
    void redirectUriMatching()
    {
        QFETCH(QString, registered);
        QFETCH(QString, presented);
        QFETCH(bool, matches);
        QCOMPARE(RedirectUris::matches({QStringLiteral("https://other.example/x"), registered}, presented), matches);
    }

    // ---- registration -------------------------------------------------

    void createShowsTheSecretOnceAndStoresOnlyAnHmac()
    {
        const ClientRegistry::Created created = clients().create(kMaster, kRealm, webDraft());
        QVERIFY(created.client.id.startsWith(u"c_"));
        QVERIFY(created.secret.size() >= 43); // 32 bytes base64url
        QCOMPARE(created.client.tokenEndpointAuthMethod, ClientRegistry::kMethodBasic);
        QCOMPARE(created.client.grantTypes, (QStringList{"authorization_code", "refresh_token"}));
        QCOMPARE(created.client.appIds, QStringList{kApp});

        SqlQuery q(m_core->database(), QStringLiteral("SELECT secret_hash FROM oauth_client_secrets WHERE client_id = :c"));
        q.bind(QStringLiteral(":c"), created.client.id).exec();
        QVERIFY(q.next());
        const QString stored = q.value(0).toString();
        QCOMPARE(stored.size(), 64); // hex HMAC-SHA256, not an argon2 PHC string
        QVERIFY(!stored.contains(created.secret));

        const OAuthClient again = clients().get(kMaster, kRealm, created.client.id);
        QCOMPARE(again.redirectUris, created.client.redirectUris);
        const auto events = m_core->audit().recent(kRealm, 5);
        QCOMPARE(events.first().kind, QStringLiteral("client.created"));
        QCOMPARE(events.first().targetId, created.client.id);
        QVERIFY(!events.first().summary.contains(created.secret));
    }

    void twoClientsGetDifferentIdsAndSecrets()
    {
        const auto a = clients().create(kMaster, kRealm, webDraft());
        const auto b = clients().create(kMaster, kRealm, webDraft());
        QVERIFY(a.client.id != b.client.id);
        QVERIFY(a.secret != b.secret);
        QCOMPARE(clients().list(kMaster, kRealm, kApp).size(), 2);
        QCOMPARE(clients().list(kMaster, kRealm, kOtherApp).size(), 0);
    }

    void invalidDraftsAreRefused_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<int>("code");
        const int invalid = int(ErrorCode::InvalidRequest);
        QTest::newRow("empty name") << "name=" << invalid;
        QTest::newRow("bad redirect") << "redirect=javascript:alert(1)" << invalid;
        QTest::newRow("no redirect with code flow") << "redirect=" << invalid;
        QTest::newRow("bad post-logout redirect") << "postlogout=http://evil.example/" << invalid;
        QTest::newRow("password grant") << "grant=password" << invalid;
        QTest::newRow("implicit grant") << "grant=implicit" << invalid;
        QTest::newRow("refresh without code") << "grant=refresh_token" << invalid;
        QTest::newRow("public client_credentials") << "public,grant=authorization_code client_credentials" << invalid;
        QTest::newRow("public without code") << "public,grant=client_credentials" << invalid;
        QTest::newRow("public with secret") << "public,method=client_secret_basic" << invalid;
        QTest::newRow("confidential none") << "method=none" << invalid;
        QTest::newRow("unknown method") << "method=tls_client_auth" << invalid;
        QTest::newRow("alg HS256") << "alg=HS256" << invalid;
        QTest::newRow("alg none") << "alg=none" << invalid;
        QTest::newRow("negative lifetime") << "access=-1" << invalid;
        QTest::newRow("access beyond app") << "access=901" << invalid;
        QTest::newRow("refresh beyond app") << "refresh=3601" << invalid;
        QTest::newRow("bad scope") << "scope=a b" << invalid;
        QTest::newRow("unknown extra app") << "extra=nope" << invalid;
        QTest::newRow("jwt without jwks") << "method=private_key_jwt" << invalid;
        QTest::newRow("jwks without jwt") << "jwks" << invalid;
        QTest::newRow("jwks with private key") << "method=private_key_jwt,privatejwks" << invalid;
        QTest::newRow("unknown app") << "app=nope" << int(ErrorCode::NotFound);
    }
    void invalidDraftsAreRefused()
    {
        QFETCH(QString, change);
        QFETCH(int, code);
        ClientRegistry::Draft d = webDraft();
        const SigningKey key = SigningKey::generate(SigningAlgorithm::ES256, QStringLiteral("k1"));
        for (const QString &part : change.split(u',')) {
            const QString name = part.section(u'=', 0, 0);
            const QString value = part.section(u'=', 1);
            if (name == u"name") d.name = value;
            else if (name == u"redirect") d.redirectUris = value.isEmpty() ? QStringList{} : QStringList{value};
            else if (name == u"postlogout") d.postLogoutRedirectUris = {value};
            else if (name == u"grant") d.grantTypes = value.split(u' ');
            else if (name == u"public") d.confidential = false;
            else if (name == u"method") d.tokenEndpointAuthMethod = value;
            else if (name == u"alg") d.idTokenAlgorithm = value;
            else if (name == u"access") d.accessTokenLifetime = value.toLongLong();
            else if (name == u"refresh") d.refreshTokenLifetime = value.toLongLong();
            else if (name == u"scope") d.allowedScopes = {value};
            else if (name == u"extra") d.extraAppIds = {value};
            else if (name == u"app") d.appId = value;
            else if (name == u"jwks") d.jwks = QJsonObject{{"keys", QJsonArray{key.publicJwk()}}};
            else if (name == u"privatejwks") {
                QJsonObject jwk = key.publicJwk();
                jwk.insert("d", "AAAA");
                d.jwks = QJsonObject{{"keys", QJsonArray{jwk}}};
            }
        }
        QCOMPARE(int(errorOf([&] { (void)clients().create(kMaster, kRealm, d); })), code);
        QCOMPARE(clients().list(kMaster, kRealm, kApp).size(), 0);
    }

    void lifetimesWithinTheAppAreAccepted()
    {
        ClientRegistry::Draft d = webDraft();
        d.accessTokenLifetime = 900;
        d.refreshTokenLifetime = 60;
        QCOMPARE(clients().create(kMaster, kRealm, d).client.accessTokenLifetime, 900);
    }

    void publicClientAuthenticatesWithItsIdOnly()
    {
        ClientRegistry::Draft d = webDraft();
        d.confidential = false;
        const auto created = clients().create(kMaster, kRealm, d);
        QVERIFY(created.secret.isEmpty());
        QCOMPARE(created.client.tokenEndpointAuthMethod, ClientRegistry::kMethodNone);
        ClientCredentials c;
        c.formClientId = created.client.id;
        QCOMPARE(clients().authenticate(kRealm, c, {kTokenUrl}).id, created.client.id);
        // A confidential client cannot skip its secret.
        const auto confidential = clients().create(kMaster, kRealm, webDraft());
        c.formClientId = confidential.client.id;
        QCOMPARE(errorOf([&] { (void)clients().authenticate(kRealm, c, {kTokenUrl}); }), ErrorCode::InvalidClient);
        // Nor can a public client be given one.
        QCOMPARE(errorOf([&] { (void)clients().rotateSecret(kMaster, kRealm, created.client.id, 0); }), ErrorCode::InvalidRequest);
    }

    // ---- secrets --------------------------------------------------------

    void secretMethodMustBeTheRegisteredOne()
    {
        const auto created = clients().create(kMaster, kRealm, webDraft());
        QCOMPARE(clients().authenticate(kRealm, basic(created.client.id, created.secret), {kTokenUrl}).id, created.client.id);
        ClientCredentials post;
        post.formClientId = created.client.id;
        post.formSecret = created.secret;
        QCOMPARE(errorOf([&] { (void)clients().authenticate(kRealm, post, {kTokenUrl}); }), ErrorCode::InvalidClient);
        ClientCredentials both = basic(created.client.id, created.secret);
        both.formSecret = created.secret;
        QCOMPARE(errorOf([&] { (void)clients().authenticate(kRealm, both, {kTokenUrl}); }), ErrorCode::InvalidClient);
        ClientCredentials mismatched = basic(created.client.id, created.secret);
        mismatched.formClientId = QStringLiteral("c_someoneelse");
        QCOMPARE(errorOf([&] { (void)clients().authenticate(kRealm, mismatched, {kTokenUrl}); }), ErrorCode::InvalidClient);
    }

    void wrongSecretsFail_data()
    {
        QTest::addColumn<QString>("mutation");
        QTest::newRow("wrong") << "wrong";
        QTest::newRow("empty") << "empty";
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("extended") << "extended";
        QTest::newRow("case") << "case";
    }
    void wrongSecretsFail()
    {
        QFETCH(QString, mutation);
        const auto created = clients().create(kMaster, kRealm, webDraft());
        QString secret = created.secret;
        if (mutation == u"wrong") secret = QStringLiteral("x").repeated(43);
        else if (mutation == u"empty") secret.clear();
        else if (mutation == u"truncated") secret.chop(1);
        else if (mutation == u"extended") secret += u'A';
        else if (mutation == u"case") secret = secret.toUpper() == secret ? secret.toLower() : secret.toUpper();
        try {
            (void)clients().authenticate(kRealm, basic(created.client.id, secret), {kTokenUrl});
            QFAIL("authenticated with a wrong secret");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::InvalidClient);
            QCOMPARE(e.message(), QStringLiteral("Client authentication failed"));
        }
    }

    void rotationKeepsTheOldSecretForTheOverlap()
    {
        const auto created = clients().create(kMaster, kRealm, webDraft());
        const QString id = created.client.id;
        auto works = [&](const QString &secret) {
            return errorOf([&] { (void)clients().authenticate(kRealm, basic(id, secret), {kTokenUrl}); }) == ErrorCode::Internal;
        };
        const QString second = clients().rotateSecret(kMaster, kRealm, id, 60);
        QVERIFY(second != created.secret);
        QVERIFY(works(created.secret));
        QVERIFY(works(second));
        m_clock->advanceSeconds(59);
        QVERIFY(works(created.secret));
        m_clock->advanceSeconds(2);
        QVERIFY(!works(created.secret));
        QVERIFY(works(second));

        const QString third = clients().rotateSecret(kMaster, kRealm, id, 0);
        QVERIFY(!works(second));
        QVERIFY(works(third));
        QCOMPARE(errorOf([&] { (void)clients().rotateSecret(kMaster, kRealm, id, -1); }), ErrorCode::InvalidRequest);
        QCOMPARE(errorOf([&] { (void)clients().rotateSecret(kMaster, kRealm, id, ClientRegistry::kMaxOverlapSeconds + 1); }),
                 ErrorCode::InvalidRequest);
        QCOMPARE(m_core->audit().recent(kRealm, 1).first().kind, QStringLiteral("client.secret_rotated"));
    }

    void unknownClientCostsTheSameWork()
    {
        const auto created = clients().create(kMaster, kRealm, webDraft());
        auto tally = [&](const QString &id) {
            const auto before = SqlQuery::tallyOnThisThread();
            (void)errorOf([&] { (void)clients().authenticate(kRealm, basic(id, QStringLiteral("x").repeated(43)), {kTokenUrl}); });
            const auto after = SqlQuery::tallyOnThisThread();
            return after.statements - before.statements;
        };
        QCOMPARE(tally(QStringLiteral("c_doesnotexist000000000")), tally(created.client.id));
    }

    // ---- isolation and authorisation ----------------------------------

    void anotherRealmsClientIsInvisible()
    {
        const auto created = clients().create(kMaster, kRealm, webDraft());
        (void)m_core->admin().createRealm(kMaster, QStringLiteral("other"), {}, {});
        (void)m_core->admin().createApp(kMaster, QStringLiteral("other"), kApp, {});
        QVERIFY(!clients().find(QStringLiteral("other"), created.client.id));
        QCOMPARE(errorOf([&] { (void)clients().authenticate(QStringLiteral("other"), basic(created.client.id, created.secret), {kTokenUrl}); }),
                 ErrorCode::InvalidClient);
        QCOMPARE(errorOf([&] { (void)clients().get(kMaster, QStringLiteral("other"), created.client.id); }), ErrorCode::NotFound);
        QCOMPARE(errorOf([&] { clients().remove(kMaster, QStringLiteral("other"), created.client.id); }), ErrorCode::NotFound);
        QVERIFY(clients().find(kRealm, created.client.id));
    }

    void appAdminsManageOnlyTheirAppsClients()
    {
        const AdminActor plantAdmin = actor(AdminGrant::Layer::App, kRealm, kApp);
        const AdminActor otherAdmin = actor(AdminGrant::Layer::App, kRealm, kOtherApp);
        const AdminActor readOnly = actor(AdminGrant::Layer::Realm, kRealm, {}, true);
        const auto created = clients().create(plantAdmin, kRealm, webDraft());
        const QString id = created.client.id;
        QCOMPARE(clients().list(plantAdmin, kRealm, kApp).size(), 1);

        const ErrorCode forbidden = ErrorCode::Forbidden;
        QCOMPARE(errorOf([&] { (void)clients().create(otherAdmin, kRealm, webDraft()); }), forbidden);
        QCOMPARE(errorOf([&] { (void)clients().list(otherAdmin, kRealm, kApp); }), forbidden);
        QCOMPARE(errorOf([&] { (void)clients().get(otherAdmin, kRealm, id); }), forbidden);
        QCOMPARE(errorOf([&] { (void)clients().update(otherAdmin, kRealm, id, webDraft()); }), forbidden);
        QCOMPARE(errorOf([&] { (void)clients().rotateSecret(otherAdmin, kRealm, id, 0); }), forbidden);
        QCOMPARE(errorOf([&] { clients().remove(otherAdmin, kRealm, id); }), forbidden);
        // An app admin cannot tell another app's client from a missing one.
        QCOMPARE(errorOf([&] { (void)clients().get(otherAdmin, kRealm, QStringLiteral("c_missing")); }), forbidden);
        // Nor make a client that signs people in to a product it does not run.
        ClientRegistry::Draft reach = webDraft();
        reach.extraAppIds = {kOtherApp};
        QCOMPARE(errorOf([&] { (void)clients().create(plantAdmin, kRealm, reach); }), forbidden);
        // Read-only keys read but do not change.
        QCOMPARE(clients().get(readOnly, kRealm, id).id, id);
        QCOMPARE(errorOf([&] { (void)clients().create(readOnly, kRealm, webDraft()); }), forbidden);
        QCOMPARE(errorOf([&] { (void)clients().rotateSecret(readOnly, kRealm, id, 0); }), forbidden);
        QCOMPARE(errorOf([&] { clients().remove(readOnly, kRealm, id); }), forbidden);
        QCOMPARE(clients().list(kMaster, kRealm, kApp).size(), 1);
    }

    void updateAndDelete()
    {
        const auto created = clients().create(kMaster, kRealm, webDraft());
        ClientRegistry::Draft d = webDraft();
        d.redirectUris = {QStringLiteral("https://plantaerium.example/cb2"), QStringLiteral("http://127.0.0.1/cb")};
        d.tokenEndpointAuthMethod = ClientRegistry::kMethodPost;
        const OAuthClient updated = clients().update(kMaster, kRealm, created.client.id, d);
        QCOMPARE(updated.redirectUris, d.redirectUris);
        QCOMPARE(clients().find(kRealm, created.client.id)->redirectUris, d.redirectUris);
        QCOMPARE(m_core->audit().recent(kRealm, 1).first().kind, QStringLiteral("client.updated"));
        d.confidential = false;
        d.tokenEndpointAuthMethod.clear();
        QCOMPARE(errorOf([&] { (void)clients().update(kMaster, kRealm, created.client.id, d); }), ErrorCode::InvalidRequest);

        clients().remove(kMaster, kRealm, created.client.id);
        QVERIFY(!clients().find(kRealm, created.client.id));
        ClientCredentials post;
        post.formClientId = created.client.id;
        post.formSecret = created.secret;
        QCOMPARE(errorOf([&] { (void)clients().authenticate(kRealm, post, {kTokenUrl}); }), ErrorCode::InvalidClient);
        QCOMPARE(m_core->audit().recent(kRealm, 1).first().kind, QStringLiteral("client.deleted"));
    }

    // ---- private_key_jwt (RFC 7523) --------------------------------------

    void privateKeyJwt_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("good") << "good" << true;
        QTest::newRow("aud in array") << "aud array" << true;
        QTest::newRow("wrong key same kid") << "wrong key" << false;
        QTest::newRow("unknown kid") << "unknown kid" << false;
        QTest::newRow("replayed jti") << "replay" << false;
        QTest::newRow("wrong aud") << "wrong aud" << false;
        QTest::newRow("expired") << "expired" << false;
        QTest::newRow("exp too far ahead") << "far exp" << false;
        QTest::newRow("no exp") << "no exp" << false;
        QTest::newRow("no jti") << "no jti" << false;
        QTest::newRow("iss not client") << "iss" << false;
        QTest::newRow("sub not client") << "sub" << false;
        QTest::newRow("nbf in future") << "nbf" << false;
        QTest::newRow("alg none") << "alg none" << false;
        QTest::newRow("wrong assertion type") << "type" << false;
        QTest::newRow("with a secret too") << "plus secret" << false;
        QTest::newRow("other client_id in form") << "form id" << false;
    }
    void privateKeyJwt()
    {
        QFETCH(QString, variant);
        QFETCH(bool, accepted);
        const SigningKey key = SigningKey::generate(SigningAlgorithm::ES256, QStringLiteral("k1"));
        ClientRegistry::Draft d = webDraft();
        d.tokenEndpointAuthMethod = ClientRegistry::kMethodJwt;
        d.jwks = QJsonObject{{"keys", QJsonArray{key.publicJwk()}}};
        const auto created = clients().create(kMaster, kRealm, d);
        QVERIFY(created.secret.isEmpty());
        const QString id = created.client.id;
        const qint64 now = m_clock->nowSeconds();
        QJsonObject claims{{"iss", id}, {"sub", id}, {"aud", kTokenUrl}, {"exp", now + 60}, {"iat", now},
                           {"jti", QStringLiteral("jti-") + variant}};
        if (variant == u"aud array") claims["aud"] = QJsonArray{"https://elsewhere.example", kTokenUrl};
        if (variant == u"wrong aud") claims["aud"] = "https://elsewhere.example/token";
        if (variant == u"expired") claims["exp"] = now - 1;
        if (variant == u"far exp") claims["exp"] = now + 3600;
        if (variant == u"no exp") claims.remove("exp");
        if (variant == u"no jti") claims.remove("jti");
        if (variant == u"iss") claims["iss"] = "c_other";
        if (variant == u"sub") claims["sub"] = "c_other";
        if (variant == u"nbf") claims["nbf"] = now + 30;
        SigningKey signer = key;
        if (variant == u"wrong key") signer = SigningKey::generate(SigningAlgorithm::ES256, QStringLiteral("k1"));
        if (variant == u"unknown kid") signer = SigningKey::generate(SigningAlgorithm::ES256, QStringLiteral("k2"));
        QString jwt = Jwt::sign(claims, signer);
        if (variant == u"alg none") jwt = unsignedJwt(QJsonObject{{"alg", "none"}, {"kid", "k1"}, {"typ", "JWT"}}, claims);
        ClientCredentials c = assertion(jwt);
        if (variant == u"type") c.assertionType = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer";
        if (variant == u"plus secret") c.formSecret = "anything";
        if (variant == u"form id") c.formClientId = "c_other";
        if (variant == u"replay")
            QCOMPARE(clients().authenticate(kRealm, c, {kTokenUrl}).id, id);
        const ErrorCode got = errorOf([&] { (void)clients().authenticate(kRealm, c, {kTokenUrl}); });
        QCOMPARE(got, accepted ? ErrorCode::Internal : ErrorCode::InvalidClient);
    }

    void assertionJtisArePruned()
    {
        const SigningKey key = SigningKey::generate(SigningAlgorithm::EdDSA, QStringLiteral("ed"));
        ClientRegistry::Draft d = webDraft();
        d.tokenEndpointAuthMethod = ClientRegistry::kMethodJwt;
        d.jwks = QJsonObject{{"keys", QJsonArray{key.publicJwk()}}};
        const QString id = clients().create(kMaster, kRealm, d).client.id;
        for (int i = 0; i < 3; ++i) {
            const qint64 now = m_clock->nowSeconds();
            const QJsonObject claims{{"iss", id}, {"sub", id}, {"aud", kTokenUrl}, {"exp", now + 60}, {"jti", QString::number(i)}};
            QCOMPARE(clients().authenticate(kRealm, assertion(Jwt::sign(claims, key)), {kTokenUrl}).id, id);
            m_clock->advanceSeconds(120);
        }
        SqlQuery q(m_core->database(), QStringLiteral("SELECT COUNT(*) FROM oauth_assertion_jtis"));
        q.exec();
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_OAuthClients)
#include "tst_oauthclients.moc"
