// The OpenID provider's flows over HTTP, on both backends: discovery, code +
// PKCE with a full ID-token check, SSO, prompt/max_age, the product choice,
// consent, TOTP, refresh, client_credentials, userinfo, introspection,
// revocation and logout.
#include "OidcWorld.h"

#include "crypto/Jwt.h"
#include "domain/RealmSettings.h"

#include <QJsonArray>

using namespace authrealm;
using namespace authrealm::test;
using namespace authrealm::test::oidc;

namespace {
// Verifies a JWT with the realm's published JWKS, as a relying party would.
QJsonObject verifiedClaims(TestServer &server, const QString &jwt)
{
    const HttpResult jwks = server.get(kBase + QStringLiteral("/.well-known/jwks.json"));
    const auto result = Jwt::verify(jwt, [&](const QString &kid) -> std::optional<SigningKey> {
        for (const QJsonValue &k : jwks.json.value(QStringLiteral("keys")).toArray()) {
            if (k.toObject().value(QStringLiteral("kid")).toString() == kid)
                return SigningKey::fromPublicJwk(k.toObject());
        }
        return std::nullopt;
    });
    const auto *decoded = std::get_if<DecodedJwt>(&result);
    return decoded ? decoded->claims : QJsonObject{};
}
} // namespace

class tst_OidcFlow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void discoveryListsWhatIsImplemented()
    {
        World w;
        const HttpResult r = w.server.get(kBase + QStringLiteral("/.well-known/openid-configuration"));
        QCOMPARE(r.status, 200);
        const QString issuer = w.server.core().accessTokens().issuer(QStringLiteral("acme"));
        QCOMPARE(r.json.value(QStringLiteral("issuer")).toString(), issuer);
        QCOMPARE(r.json.value(QStringLiteral("token_endpoint")).toString(), issuer + QStringLiteral("/oauth2/token"));
        QCOMPARE(r.json.value(QStringLiteral("response_types_supported")).toArray(), QJsonArray{QStringLiteral("code")});
        QCOMPARE(r.json.value(QStringLiteral("code_challenge_methods_supported")).toArray(), QJsonArray{QStringLiteral("S256")});
        QCOMPARE(r.json.value(QStringLiteral("authorization_response_iss_parameter_supported")).toBool(), true);
        QCOMPARE(r.json.value(QStringLiteral("request_parameter_supported")).toBool(), false);
        QVERIFY(!r.json.value(QStringLiteral("grant_types_supported")).toArray().contains(QStringLiteral("password")));
        QVERIFY(!r.json.value(QStringLiteral("grant_types_supported")).toArray().contains(QStringLiteral("implicit")));
    }

    void codeFlowWithPkceGivesVerifiableTokens()
    {
        World w;
        Browser browser(w.server);
        const HttpResult page = browser.get(World::authorizeUrl(World::authorizeParams(w.web)));
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        QVERIFY(page.header("Access-Control-Allow-Origin").isEmpty());
        const HttpResult posted = browser.submit(page, QStringLiteral("password"),
                                                 {{QStringLiteral("email"), QStringLiteral("guest@example.com")},
                                                  {QStringLiteral("password"), kPassword}});
        QCOMPARE(posted.status, 303); // after every POST
        QVERIFY(browser.hasCookie(QStringLiteral("authrealm_sso_acme")));
        const HttpResult done = w.follow(browser, posted);
        QCOMPARE(done.status, 303);
        const QString location = QString::fromUtf8(done.header("Location"));
        QVERIFY2(location.startsWith(kRedirect + u'?'), qPrintable(location));
        QCOMPARE(queryValue(location, QStringLiteral("state")), QStringLiteral("st-123"));
        QCOMPARE(queryValue(location, QStringLiteral("iss")), w.core().accessTokens().issuer(QStringLiteral("acme")));

        const HttpResult tokens = w.redeem(w.web, w.webSecret, World::codeOf(done));
        QCOMPARE(tokens.status, 200);
        QCOMPARE(tokens.header("Cache-Control"), QByteArray("no-store"));
        const QJsonObject id = verifiedClaims(w.server, tokens.json.value(QStringLiteral("id_token")).toString());
        QCOMPARE(id.value(QStringLiteral("iss")).toString(), w.core().accessTokens().issuer(QStringLiteral("acme")));
        QCOMPARE(id.value(QStringLiteral("aud")).toString(), w.web.id);
        QCOMPARE(id.value(QStringLiteral("nonce")).toString(), QStringLiteral("n-456"));
        QCOMPARE(id.value(QStringLiteral("sub")).toString(), w.core().users().findByLogin(QStringLiteral("acme"), QStringLiteral("guest@example.com"))->id);
        QCOMPARE(id.value(QStringLiteral("amr")).toArray(), QJsonArray{QStringLiteral("pwd")});
        QCOMPARE(id.value(QStringLiteral("email")).toString(), QStringLiteral("guest@example.com"));
        for (const char *claim : {"exp", "iat", "auth_time", "at_hash", "acr", "sid"})
            QVERIFY2(id.contains(QLatin1String(claim)), claim);
        const QString accessToken = tokens.json.value(QStringLiteral("access_token")).toString();
        const QByteArray digest = QCryptographicHash::hash(accessToken.toLatin1(), QCryptographicHash::Sha256);
        QCOMPARE(id.value(QStringLiteral("at_hash")).toString(), base64UrlEncodeString(digest.left(16)));
        QCOMPARE(Jwt::decodeUnverified(tokens.json.value(QStringLiteral("id_token")).toString())->header.value(QStringLiteral("alg")).toString(),
                 QStringLiteral("RS256"));

        // The access token works on the v1 tenant routes and on userinfo.
        QCOMPARE(w.server.get(kBase + QStringLiteral("/v1/tenant/me"), accessToken.toLatin1()).status, 200);
        const HttpResult info = w.server.get(kBase + QStringLiteral("/oauth2/userinfo"), accessToken.toLatin1());
        QCOMPARE(info.status, 200);
        QCOMPARE(info.json.value(QStringLiteral("sub")).toString(), id.value(QStringLiteral("sub")).toString());
        QCOMPARE(info.json.value(QStringLiteral("email")).toString(), QStringLiteral("guest@example.com"));
        QCOMPARE(info.json.value(QStringLiteral("roles")).toArray(), QJsonArray{QStringLiteral("ContentEditor")});
        const HttpResult byPost = w.server.request("POST", kBase + QStringLiteral("/oauth2/userinfo"),
                                                   "access_token=" + accessToken.toLatin1(),
                                                   {{"Content-Type", "application/x-www-form-urlencoded"}});
        QCOMPARE(byPost.status, 200);
    }

    void secondAppSignsInWithoutPassword()
    {
        World w;
        Browser browser(w.server);
        QVERIFY(!World::codeOf(w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("guest@example.com"))).isEmpty());
        // Another client, same browser: straight back with a code, no page.
        const HttpResult sso = browser.get(World::authorizeUrl(World::authorizeParams(w.spa)));
        QCOMPARE(sso.status, 303);
        QVERIFY(!World::codeOf(sso).isEmpty());
        QCOMPARE(w.redeem(w.spa, {}, World::codeOf(sso)).status, 200);
        // prompt=none works while signed in; prompt=login shows the page again.
        QueryItems silent = World::authorizeParams(w.web);
        silent.append({QStringLiteral("prompt"), QStringLiteral("none")});
        QVERIFY(!World::codeOf(browser.get(World::authorizeUrl(silent))).isEmpty());
        QueryItems again = World::authorizeParams(w.web);
        again.append({QStringLiteral("prompt"), QStringLiteral("login")});
        QCOMPARE(browser.get(World::authorizeUrl(again)).status, 200);
    }

    void promptNoneWithoutSessionIsLoginRequired()
    {
        World w;
        Browser browser(w.server);
        QueryItems params = World::authorizeParams(w.web);
        params.append({QStringLiteral("prompt"), QStringLiteral("none")});
        const HttpResult r = browser.get(World::authorizeUrl(params));
        QCOMPARE(r.status, 303);
        const QString location = QString::fromUtf8(r.header("Location"));
        QCOMPARE(queryValue(location, QStringLiteral("error")), QStringLiteral("login_required"));
        QCOMPARE(queryValue(location, QStringLiteral("state")), QStringLiteral("st-123"));
        QCOMPARE(queryValue(location, QStringLiteral("iss")), w.core().accessTokens().issuer(QStringLiteral("acme")));
    }

    void maxAgeForcesANewSignIn()
    {
        World w;
        Browser browser(w.server);
        QVERIFY(!World::codeOf(w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("guest@example.com"))).isEmpty());
        w.server.clock().advanceSeconds(120);
        QueryItems params = World::authorizeParams(w.web);
        params.append({QStringLiteral("max_age"), QStringLiteral("60")});
        QCOMPARE(browser.get(World::authorizeUrl(params)).status, 200);
        params.last().second = QStringLiteral("600");
        QCOMPARE(browser.get(World::authorizeUrl(params)).status, 303);
    }

    void wrongPasswordShowsTheErrorAfterA303()
    {
        World w;
        Browser browser(w.server);
        const HttpResult page = browser.get(World::authorizeUrl(World::authorizeParams(w.web)));
        const HttpResult posted = browser.submit(page, QStringLiteral("password"),
                                                 {{QStringLiteral("email"), QStringLiteral("guest@example.com")},
                                                  {QStringLiteral("password"), QStringLiteral("wrong")}});
        QCOMPARE(posted.status, 303);
        const HttpResult again = w.follow(browser, posted);
        QCOMPARE(again.status, 200);
        QVERIFY(!Browser::field(again.body, QStringLiteral("req")).isEmpty());
        QVERIFY(!browser.hasCookie(QStringLiteral("authrealm_sso")));
        AuditQuery failures;
        failures.realmIds = {QStringLiteral("acme")};
        failures.kinds = {QStringLiteral("login.failure")};
        QVERIFY(!w.core().audit().query(failures).isEmpty());
    }

    void totpIsTheSecondStep()
    {
        World w;
        Browser browser(w.server);
        const HttpResult step = w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("totp@example.com"));
        QCOMPARE(step.status, 200); // the TOTP page, no code yet
        QVERIFY(!browser.hasCookie(QStringLiteral("authrealm_sso")));
        const HttpResult wrong = w.follow(browser, browser.submit(step, QStringLiteral("totp"), {{QStringLiteral("code"), QStringLiteral("000000")}}));
        QCOMPARE(wrong.status, 200);
        const HttpResult done = w.follow(browser, browser.submit(wrong, QStringLiteral("totp"), {{QStringLiteral("code"), w.totpCode()}}));
        QCOMPARE(done.status, 303);
        const HttpResult tokens = w.redeem(w.web, w.webSecret, World::codeOf(done));
        QCOMPARE(tokens.status, 200);
        const QJsonObject id = Jwt::decodeUnverified(tokens.json.value(QStringLiteral("id_token")).toString())->claims;
        QCOMPARE(id.value(QStringLiteral("amr")).toArray(), (QJsonArray{QStringLiteral("pwd"), QStringLiteral("otp")}));
        QCOMPARE(id.value(QStringLiteral("acr")).toString(), QStringLiteral("urn:authrealm:acr:2fa"));
    }

    void emailedCodeSignsInWithoutAPassword()
    {
        World w;
        RealmSettings settings = w.core().realms().settings(QStringLiteral("acme"));
        settings.set(QStringLiteral("emailCodeLoginEnabled"), true);
        w.core().realms().saveSettings(QStringLiteral("acme"), settings);
        Browser browser(w.server);
        const HttpResult page = browser.get(World::authorizeUrl(World::authorizeParams(w.web)));
        QVERIFY(page.body.contains("email-code/send"));
        const HttpResult verify = w.follow(browser, browser.submit(page, QStringLiteral("email-code/send"),
                                                                   {{QStringLiteral("email"), QStringLiteral("guest@example.com")}}));
        QCOMPARE(verify.status, 200);
        const QList<OutboxMail> mails = w.core().outbox().list(QStringLiteral("acme"), {}, 10);
        QCOMPARE(mails.size(), 1);
        const QString body = w.core().outbox().mail(mails.first().id)->body;
        const QString code = QRegularExpression(QStringLiteral("\\b(\\d{6})\\b")).match(body).captured(1);
        QCOMPARE(code.size(), 6);
        const HttpResult wrong = w.follow(browser, browser.submit(verify, QStringLiteral("email-code/verify"),
                                                                  {{QStringLiteral("code"), code == u"000000" ? QStringLiteral("111111") : QStringLiteral("000000")}}));
        QCOMPARE(wrong.status, 200);
        const HttpResult done = w.follow(browser, browser.submit(wrong, QStringLiteral("email-code/verify"), {{QStringLiteral("code"), code}}));
        QCOMPARE(done.status, 303);
        const HttpResult tokens = w.redeem(w.web, w.webSecret, World::codeOf(done));
        QCOMPARE(Jwt::decodeUnverified(tokens.json.value(QStringLiteral("id_token")).toString())->claims.value(QStringLiteral("amr")).toArray(),
                 QJsonArray{QStringLiteral("email")});
        // An unknown address gets the same page and no mail.
        Browser other(w.server);
        const HttpResult page2 = other.get(World::authorizeUrl(World::authorizeParams(w.web)));
        const HttpResult same = w.follow(other, other.submit(page2, QStringLiteral("email-code/send"),
                                                             {{QStringLiteral("email"), QStringLiteral("nobody@example.com")}}));
        QCOMPARE(same.status, 200);
        QCOMPARE(w.core().outbox().list(QStringLiteral("acme"), {}, 10).size(), 1);
    }

    void productChoiceForAClientOfSeveralProducts()
    {
        World w;
        Browser browser(w.server);
        const HttpResult choose = w.signIn(browser, World::authorizeParams(w.both), QStringLiteral("lead@example.com"));
        QCOMPARE(choose.status, 200);
        QVERIFY(choose.body.contains("whitcomb"));
        // A product the person is not in is refused; the real choice gives a code for it.
        const HttpResult refused = w.follow(browser, browser.submit(choose, QStringLiteral("product"), {{QStringLiteral("product"), QStringLiteral("nope")}}));
        QCOMPARE(refused.status, 200);
        const HttpResult done = w.follow(browser, browser.submit(refused, QStringLiteral("product"), {{QStringLiteral("product"), QStringLiteral("whitcomb")}}));
        QCOMPARE(done.status, 303);
        const HttpResult tokens = w.redeem(w.both, w.bothSecret, World::codeOf(done));
        const auto access = Jwt::decodeUnverified(tokens.json.value(QStringLiteral("access_token")).toString());
        QCOMPARE(access->claims.value(QStringLiteral("aud")).toString(), QStringLiteral("whitcomb"));
        QCOMPARE(access->claims.value(QStringLiteral("roles")).toArray(), QJsonArray{QStringLiteral("Member")});
        // One product in common: no question asked.
        Browser other(w.server);
        QCOMPARE(w.signIn(other, World::authorizeParams(w.both), QStringLiteral("guest@example.com")).status, 303);
    }

    void notAMemberGetsAccessDenied()
    {
        World w;
        Browser browser(w.server);
        const HttpResult r = w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("outsider@example.com"));
        QCOMPARE(r.status, 303);
        QCOMPARE(queryValue(QString::fromUtf8(r.header("Location")), QStringLiteral("error")), QStringLiteral("access_denied"));
    }

    void thirdPartyClientAsksForConsentOnce()
    {
        World w;
        Browser browser(w.server);
        const HttpResult consent = w.signIn(browser, World::authorizeParams(w.third), QStringLiteral("guest@example.com"));
        QCOMPARE(consent.status, 200);
        QVERIFY(consent.body.contains("Third"));
        const HttpResult denied = browser.submit(consent, QStringLiteral("consent"), {{QStringLiteral("decision"), QStringLiteral("deny")}});
        QCOMPARE(denied.status, 303);
        QCOMPARE(queryValue(QString::fromUtf8(denied.header("Location")), QStringLiteral("error")), QStringLiteral("access_denied"));
        const HttpResult page = browser.get(World::authorizeUrl(World::authorizeParams(w.third)));
        QCOMPARE(page.status, 200);
        const HttpResult allowed = browser.submit(page, QStringLiteral("consent"), {{QStringLiteral("decision"), QStringLiteral("allow")}});
        QCOMPARE(allowed.status, 303);
        QVERIFY(!World::codeOf(allowed).isEmpty());
        // Remembered: the next time goes straight through.
        QCOMPARE(browser.get(World::authorizeUrl(World::authorizeParams(w.third))).status, 303);
    }

    void refreshRotatesAndIsBoundToItsClient()
    {
        World w;
        Browser browser(w.server);
        const QString code = World::codeOf(w.signIn(browser, World::authorizeParams(w.web, QStringLiteral("openid email offline_access")),
                                                    QStringLiteral("guest@example.com")));
        const QString refresh = w.redeem(w.web, w.webSecret, code).json.value(QStringLiteral("refresh_token")).toString();
        QVERIFY(!refresh.isEmpty());
        const QueryItems grant{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")}, {QStringLiteral("refresh_token"), refresh}};
        // Another client cannot use it, and trying does not spend it.
        QCOMPARE(w.token(w.both, w.bothSecret, grant).json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
        // Nor through the v1 API.
        QCOMPARE(w.server.post(kBase + QStringLiteral("/authRealm/refresh"), {{QStringLiteral("refreshToken"), refresh}}).status, 401);
        QueryItems wider = grant;
        wider.append({QStringLiteral("scope"), QStringLiteral("openid profile")});
        QCOMPARE(w.token(w.web, w.webSecret, wider).json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_scope"));
        const HttpResult rotated = w.token(w.web, w.webSecret, grant);
        QCOMPARE(rotated.status, 200);
        QVERIFY(rotated.json.contains(QStringLiteral("id_token")));
        const QString next = rotated.json.value(QStringLiteral("refresh_token")).toString();
        QVERIFY(next != refresh);
        // Reuse of the old one ends the family: the new one dies with it.
        QCOMPARE(w.token(w.web, w.webSecret, grant).status, 400);
        QCOMPARE(w.token(w.web, w.webSecret, {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                               {QStringLiteral("refresh_token"), next}}).status, 400);
    }

    void clientCredentialsGetsOnlyAllowedScopes()
    {
        World w;
        const QueryItems grant{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")}};
        const HttpResult r = w.token(w.machine, w.machineSecret, grant);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(QStringLiteral("scope")).toString(), QStringLiteral("blogs:read"));
        QVERIFY(!r.json.contains(QStringLiteral("refresh_token")));
        QVERIFY(!r.json.contains(QStringLiteral("id_token")));
        QCOMPARE(w.token(w.machine, w.machineSecret, grant + QueryItems{{QStringLiteral("scope"), QStringLiteral("blogs:write")}})
                     .json.value(QStringLiteral("error")).toString(),
                 QStringLiteral("invalid_scope"));
        QCOMPARE(w.token(w.web, w.webSecret, grant).json.value(QStringLiteral("error")).toString(), QStringLiteral("unauthorized_client"));
        const HttpResult badSecret = w.token(w.machine, QStringLiteral("not-the-secret"), grant);
        QCOMPARE(badSecret.status, 401);
        QVERIFY(badSecret.header("WWW-Authenticate").startsWith("Basic"));
        QCOMPARE(badSecret.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
        // Introspection of a machine token by the machine itself.
        const HttpResult seen = w.backChannel(QStringLiteral("introspect"), w.machine, w.machineSecret,
                                              {{QStringLiteral("token"), r.json.value(QStringLiteral("access_token")).toString()}});
        QCOMPARE(seen.json.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(seen.json.value(QStringLiteral("client_id")).toString(), w.machine.id);
    }

    void privateKeyJwtAuthenticatesAtTheTokenEndpoint()
    {
        World w;
        const SigningKey key = SigningKey::generate(SigningAlgorithm::ES256, QStringLiteral("rp-key-1"));
        ClientRegistry::Draft d;
        d.appId = QStringLiteral("plantaerium");
        d.name = QStringLiteral("Signed");
        d.grantTypes = {QStringLiteral("client_credentials")};
        d.allowedScopes = {QStringLiteral("blogs:read")};
        d.tokenEndpointAuthMethod = QStringLiteral("private_key_jwt");
        d.jwks = QJsonObject{{QStringLiteral("keys"), QJsonArray{key.publicJwk()}}};
        const OAuthClient client = w.create(QStringLiteral("acme"), d).client;
        const qint64 now = w.server.clock().nowSeconds();
        const auto assertion = [&](const QString &jti) {
            return Jwt::sign(QJsonObject{{QStringLiteral("iss"), client.id}, {QStringLiteral("sub"), client.id},
                                         {QStringLiteral("aud"), w.core().accessTokens().issuer(QStringLiteral("acme")) + QStringLiteral("/oauth2/token")},
                                         {QStringLiteral("exp"), now + 60}, {QStringLiteral("jti"), jti}},
                             key);
        };
        const auto request = [&](const QString &jwt) {
            return w.token(client, {}, {{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                                        {QStringLiteral("client_assertion_type"), QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")},
                                        {QStringLiteral("client_assertion"), jwt}});
        };
        const QString first = assertion(QStringLiteral("jti-1"));
        QCOMPARE(request(first).status, 200);
        QCOMPARE(request(first).json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client")); // replayed jti
        const SigningKey stranger = SigningKey::generate(SigningAlgorithm::ES256, QStringLiteral("rp-key-1"));
        QCOMPARE(request(Jwt::sign(Jwt::decodeUnverified(assertion(QStringLiteral("jti-2")))->claims, stranger)).status, 401);
        QCOMPARE(request(assertion(QStringLiteral("jti-3"))).status, 200);
    }

    void introspectionAndRevocationSeeOnlyTheirOwnClientsTokens()
    {
        World w;
        Browser browser(w.server);
        const QString code = World::codeOf(w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("guest@example.com")));
        const HttpResult tokens = w.redeem(w.web, w.webSecret, code);
        const QString access = tokens.json.value(QStringLiteral("access_token")).toString();
        const QString refresh = tokens.json.value(QStringLiteral("refresh_token")).toString();
        const QJsonObject inactive{{QStringLiteral("active"), false}};
        HttpResult r = w.backChannel(QStringLiteral("introspect"), w.web, w.webSecret, {{QStringLiteral("token"), access}});
        QCOMPARE(r.json.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(r.json.value(QStringLiteral("sub")).toString(), w.core().users().findByLogin(QStringLiteral("acme"), QStringLiteral("guest@example.com"))->id);
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.web, w.webSecret, {{QStringLiteral("token"), refresh}})
                     .json.value(QStringLiteral("token_type")).toString(),
                 QStringLiteral("refresh_token"));
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.both, w.bothSecret, {{QStringLiteral("token"), access}}).json, inactive);
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.both, w.bothSecret, {{QStringLiteral("token"), refresh}}).json, inactive);
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.globex, w.globexSecret, {{QStringLiteral("token"), access}},
                               QStringLiteral("globex")).json, inactive);
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.web, w.webSecret, {{QStringLiteral("token"), QStringLiteral("garbage")}}).json,
                 inactive);
        // Another client's revocation does nothing; the owner's ends the session.
        QCOMPARE(w.backChannel(QStringLiteral("revoke"), w.both, w.bothSecret, {{QStringLiteral("token"), refresh}}).status, 200);
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.web, w.webSecret, {{QStringLiteral("token"), access}})
                     .json.value(QStringLiteral("active")).toBool(), true);
        QCOMPARE(w.backChannel(QStringLiteral("revoke"), w.web, w.webSecret, {{QStringLiteral("token"), refresh}}).status, 200);
        QCOMPARE(w.backChannel(QStringLiteral("introspect"), w.web, w.webSecret, {{QStringLiteral("token"), access}}).json, inactive);
        QCOMPARE(w.server.get(kBase + QStringLiteral("/oauth2/userinfo"), access.toLatin1()).status, 401);
    }

    void logoutEndsTheSsoSessionAndItsTokens()
    {
        World w;
        Browser browser(w.server);
        const QString code = World::codeOf(w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("guest@example.com")));
        const HttpResult tokens = w.redeem(w.web, w.webSecret, code);
        const QString idToken = tokens.json.value(QStringLiteral("id_token")).toString();
        const QString access = tokens.json.value(QStringLiteral("access_token")).toString();
        // An unregistered post-logout address is an error page, never a redirect.
        HttpResult r = browser.get(kBase + QStringLiteral("/oauth2/logout?id_token_hint=%1&post_logout_redirect_uri=%2")
                                               .arg(idToken, QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("https://evil.example/")))));
        QCOMPARE(r.status, 400);
        QVERIFY(r.header("Location").isEmpty());
        // Without a hint the person confirms; "stay" keeps the session.
        r = browser.get(kBase + QStringLiteral("/oauth2/logout"));
        QCOMPARE(r.status, 200);
        QVERIFY(!Browser::field(r.body, QStringLiteral("csrf")).isEmpty());
        HttpResult stay = browser.post(kBase + QStringLiteral("/oauth2/logout/confirm"),
                                       {{QStringLiteral("csrf"), Browser::field(r.body, QStringLiteral("csrf"))},
                                        {QStringLiteral("decision"), QStringLiteral("stay")}});
        QCOMPARE(stay.status, 303);
        QCOMPARE(w.server.get(kBase + QStringLiteral("/oauth2/userinfo"), access.toLatin1()).status, 200);
        // A forged confirmation (no CSRF token) does nothing.
        QCOMPARE(browser.post(kBase + QStringLiteral("/oauth2/logout/confirm"), {{QStringLiteral("decision"), QStringLiteral("logout")}}).status, 400);
        QCOMPARE(w.server.get(kBase + QStringLiteral("/oauth2/userinfo"), access.toLatin1()).status, 200);
        // With the hint of the signed-in person: out at once, back to the registered address with state.
        r = browser.get(kBase + QStringLiteral("/oauth2/logout?id_token_hint=%1&post_logout_redirect_uri=%2&state=bye-1")
                                    .arg(idToken, QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("https://app.example/bye")))));
        QCOMPARE(r.status, 303);
        QCOMPARE(QString::fromUtf8(r.header("Location")), QStringLiteral("https://app.example/bye?state=bye-1"));
        QCOMPARE(w.server.get(kBase + QStringLiteral("/oauth2/userinfo"), access.toLatin1()).status, 401);
        QCOMPARE(browser.get(World::authorizeUrl(World::authorizeParams(w.web))).status, 200); // signed out: the page again
    }
};

QTEST_GUILESS_MAIN(tst_OidcFlow)
#include "tst_oidcflow.moc"
