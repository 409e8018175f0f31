// What the OpenID provider refuses, on both backends: every redirect-URI
// trick of RFC 9700 / security.md, the PKCE matrix, code replay (20 at once),
// forged forms, cross-client and cross-realm use, and malformed requests.
#include "OidcWorld.h"

#include <QJsonArray>

using namespace authrealm;
using namespace authrealm::test;
using namespace authrealm::test::oidc;

namespace {
QueryItems with(QueryItems items, const QString &name, const QString &value)
{
    for (auto &[k, v] : items) {
        if (k == name) {
            v = value;
            return items;
        }
    }
    items.append({name, value});
    return items;
}
QueryItems without(QueryItems items, const QString &name)
{
    items.removeIf([&](const QPair<QString, QString> &p) { return p.first == name; });
    return items;
}
} // namespace

class tst_OidcAttacks : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void redirectUriMustMatchExactly_data()
    {
        QTest::addColumn<QString>("redirect");
        QTest::newRow("path traversal") << QStringLiteral("https://app.example/cb/../evil");
        QTest::newRow("tomcat ..;/") << QStringLiteral("https://app.example/cb/..;/evil");
        QTest::newRow("userinfo @evil") << QStringLiteral("https://app.example@evil.example/cb");
        QTest::newRow("encoded slash") << QStringLiteral("https://app.example%2Fcb");
        QTest::newRow("encoded path") << QStringLiteral("https://app.example/c%62");
        QTest::newRow("host case") << QStringLiteral("https://APP.example/cb");
        QTest::newRow("extra query") << QStringLiteral("https://app.example/cb?next=https://evil.example");
        QTest::newRow("fragment") << QStringLiteral("https://app.example/cb#x");
        QTest::newRow("port") << QStringLiteral("https://app.example:8443/cb");
        QTest::newRow("scheme downgrade") << QStringLiteral("http://app.example/cb");
        QTest::newRow("trailing slash") << QStringLiteral("https://app.example/cb/");
        QTest::newRow("suffix") << QStringLiteral("https://app.example/cbx");
        QTest::newRow("subdomain") << QStringLiteral("https://evil.app.example/cb");
        QTest::newRow("other host") << QStringLiteral("https://evil.example/cb");
        QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)");
        QTest::newRow("loopback other path") << QStringLiteral("http://127.0.0.1:5555/other");
        QTest::newRow("localhost for 127.0.0.1") << QStringLiteral("http://localhost/cb");
        QTest::newRow("empty") << QString();
    }
    void redirectUriMustMatchExactly()
    {
        QFETCH(QString, redirect);
        World w;
        Browser browser(w.server);
        const HttpResult r = browser.get(World::authorizeUrl(with(World::authorizeParams(w.web), QStringLiteral("redirect_uri"), redirect)));
        QCOMPARE(r.status, 400);
        QVERIFY(r.header("Location").isEmpty()); // an error page, never a redirect
        QVERIFY(r.header("Content-Type").startsWith("text/html"));
    }

    void loopbackRedirectMayVaryItsPort()
    {
        World w;
        Browser browser(w.server);
        const HttpResult r = browser.get(World::authorizeUrl(with(World::authorizeParams(w.web), QStringLiteral("redirect_uri"),
                                                                  QStringLiteral("http://127.0.0.1:49152/cb"))));
        QCOMPARE(r.status, 200);
    }

    void unknownOrForeignClientGetsAnErrorPage_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::newRow("unknown") << QStringLiteral("c_nobody");
        QTest::newRow("missing") << QString();
        QTest::newRow("another realm's") << QStringLiteral("globex");
    }
    void unknownOrForeignClientGetsAnErrorPage()
    {
        QFETCH(QString, clientId);
        World w;
        Browser browser(w.server);
        const QString id = clientId == u"globex" ? w.globex.id : clientId;
        const HttpResult r = browser.get(World::authorizeUrl(with(World::authorizeParams(w.web), QStringLiteral("client_id"), id)));
        QCOMPARE(r.status, 400);
        QVERIFY(r.header("Location").isEmpty());
    }

    void errorsAfterTheRedirectUriGoBackToTheClient_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("error");
        QTest::newRow("implicit") << "response_type" << "token" << "unsupported_response_type";
        QTest::newRow("hybrid") << "response_type" << "code id_token" << "unsupported_response_type";
        QTest::newRow("no response_type") << "response_type" << "" << "invalid_request";
        QTest::newRow("request object") << "request" << "eyJhbGciOiJub25lIn0.e30." << "request_not_supported";
        QTest::newRow("request_uri") << "request_uri" << "https://evil.example/req" << "request_uri_not_supported";
        QTest::newRow("scope not allowed") << "scope" << "openid admin:all" << "invalid_scope";
        QTest::newRow("no scope") << "scope" << "" << "invalid_scope";
        QTest::newRow("prompt none + login") << "prompt" << "none login" << "invalid_request";
        QTest::newRow("unknown prompt") << "prompt" << "bogus" << "invalid_request";
        QTest::newRow("negative max_age") << "max_age" << "-1" << "invalid_request";
        QTest::newRow("forged id_token_hint") << "id_token_hint" << "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0." << "invalid_request";
        QTest::newRow("form_post mode") << "response_mode" << "form_post" << "invalid_request";
    }
    void errorsAfterTheRedirectUriGoBackToTheClient()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, error);
        World w;
        Browser browser(w.server);
        const HttpResult r = browser.get(World::authorizeUrl(with(World::authorizeParams(w.web), name, value)));
        QCOMPARE(r.status, 303);
        const QString location = QString::fromUtf8(r.header("Location"));
        QVERIFY(location.startsWith(kRedirect));
        QCOMPARE(queryValue(location, QStringLiteral("error")), error);
        QCOMPARE(queryValue(location, QStringLiteral("state")), QStringLiteral("st-123"));
        QCOMPARE(queryValue(location, QStringLiteral("iss")), w.core().accessTokens().issuer(QStringLiteral("acme")));
    }

    void unknownParametersAreIgnored()
    {
        World w;
        Browser browser(w.server);
        QueryItems params = World::authorizeParams(w.web);
        params += QueryItems{{QStringLiteral("display"), QStringLiteral("popup")}, {QStringLiteral("ui_locales"), QStringLiteral("de fr")},
                             {QStringLiteral("login_hint"), QStringLiteral("guest@example.com")}, {QStringLiteral("x-custom"), QStringLiteral("1")}};
        QCOMPARE(browser.get(World::authorizeUrl(params)).status, 200);
        // And POST to the authorization endpoint works like GET.
        QCOMPARE(browser.post(kBase + QStringLiteral("/oauth2/authorize"), World::authorizeParams(w.web)).status, 200);
    }

    void pkceMatrix_data()
    {
        QTest::addColumn<bool>("publicClient");
        QTest::addColumn<QString>("challenge");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("verifier");
        QTest::addColumn<QString>("outcome"); // an authorize error, "ok", or a token error
        const QString good = challengeOf(kVerifier);
        QTest::newRow("public, S256, right verifier") << true << good << "S256" << kVerifier << "ok";
        QTest::newRow("public, no challenge") << true << "" << "" << "" << "invalid_request";
        QTest::newRow("public, plain") << true << kVerifier << "plain" << kVerifier << "invalid_request";
        QTest::newRow("public, method missing (plain)") << true << good << "" << kVerifier << "invalid_request";
        QTest::newRow("public, wrong verifier") << true << good << "S256" << (kVerifier + u'x') << "invalid_grant";
        QTest::newRow("public, no verifier") << true << good << "S256" << "" << "invalid_grant";
        QTest::newRow("public, short verifier") << true << challengeOf(QStringLiteral("short")) << "S256" << "short" << "invalid_grant";
        QTest::newRow("confidential, S256") << false << good << "S256" << kVerifier << "ok";
        QTest::newRow("confidential, no PKCE") << false << "" << "" << "" << "ok";
        QTest::newRow("confidential, verifier without challenge") << false << "" << "" << kVerifier << "invalid_grant";
        QTest::newRow("malformed challenge") << false << "abc" << "S256" << "abc" << "invalid_request";
    }
    void pkceMatrix()
    {
        QFETCH(bool, publicClient);
        QFETCH(QString, challenge);
        QFETCH(QString, method);
        QFETCH(QString, verifier);
        QFETCH(QString, outcome);
        World w;
        Browser browser(w.server);
        const OAuthClient &client = publicClient ? w.spa : w.web;
        QueryItems params = without(without(World::authorizeParams(client), QStringLiteral("code_challenge")), QStringLiteral("code_challenge_method"));
        if (!challenge.isEmpty())
            params.append({QStringLiteral("code_challenge"), challenge});
        if (!method.isEmpty())
            params.append({QStringLiteral("code_challenge_method"), method});
        const HttpResult done = w.signIn(browser, params, QStringLiteral("guest@example.com"));
        const QString location = QString::fromUtf8(done.header("Location"));
        if (outcome == u"invalid_request") {
            QCOMPARE(queryValue(location, QStringLiteral("error")), outcome);
            return;
        }
        const QString code = World::codeOf(done);
        QVERIFY2(!code.isEmpty(), qPrintable(location));
        const HttpResult tokens = w.redeem(client, publicClient ? QString() : w.webSecret, code, verifier);
        if (outcome == u"ok") {
            QCOMPARE(tokens.status, 200);
        } else {
            QCOMPARE(tokens.status, 400);
            QCOMPARE(tokens.json.value(QStringLiteral("error")).toString(), outcome);
        }
    }

    void codeReplayIsRefusedAndRevokes()
    {
        World w;
        Browser browser(w.server);
        const QString code = World::codeOf(w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("guest@example.com")));
        QNetworkAccessManager nam;
        QList<QNetworkReply *> replies;
        const QByteArray body = formEncode({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")}, {QStringLiteral("code"), code},
                                            {QStringLiteral("redirect_uri"), kRedirect}, {QStringLiteral("code_verifier"), kVerifier}});
        for (int i = 0; i < 20; ++i) {
            QNetworkRequest req{QUrl(w.server.url(kBase + QStringLiteral("/oauth2/token")))};
            req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
            req.setRawHeader("Authorization", "Basic " + (w.web.id + u':' + w.webSecret).toUtf8().toBase64());
            replies.append(nam.post(req, body));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }), 60000);
        int ok = 0;
        QString refresh;
        for (QNetworkReply *r : replies) {
            const int status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject json = QJsonDocument::fromJson(r->readAll()).object();
            if (status == 200) {
                ++ok;
                refresh = json.value(QStringLiteral("refresh_token")).toString();
            } else {
                QCOMPARE(status, 400);
                QCOMPARE(json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
            }
            r->deleteLater();
        }
        QCOMPARE(ok, 1);
        // The replays revoked what the one winner got.
        QCOMPARE(w.token(w.web, w.webSecret, {{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                               {QStringLiteral("refresh_token"), refresh}}).status, 400);
    }

    void codeIsBoundToClientRedirectAndTime()
    {
        World w;
        Browser browser(w.server);
        const QString code = World::codeOf(w.signIn(browser, World::authorizeParams(w.web), QStringLiteral("guest@example.com")));
        // Another client cannot redeem it, and trying does not burn it.
        QCOMPARE(w.redeem(w.both, w.bothSecret, code).json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
        QueryItems wrongRedirect{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")}, {QStringLiteral("code"), code},
                                 {QStringLiteral("redirect_uri"), kLoopback}, {QStringLiteral("code_verifier"), kVerifier}};
        QCOMPARE(w.token(w.web, w.webSecret, wrongRedirect).json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
        // Nor from another realm.
        QCOMPARE(w.token(w.globex, w.globexSecret, {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                                     {QStringLiteral("code"), code}, {QStringLiteral("redirect_uri"), kRedirect}},
                         QStringLiteral("globex")).status, 400);
        QCOMPARE(w.redeem(w.web, w.webSecret, code).status, 200);
        // Codes live a minute.
        const QString late = World::codeOf(browser.get(World::authorizeUrl(World::authorizeParams(w.web))));
        w.server.clock().advanceSeconds(61);
        QCOMPARE(w.redeem(w.web, w.webSecret, late).json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_grant"));
    }

    void formsNeedTheirBrowsersBindingAndCsrf()
    {
        World w;
        Browser victim(w.server);
        Browser attacker(w.server);
        const HttpResult page = attacker.get(World::authorizeUrl(World::authorizeParams(w.web)));
        const QString req = Browser::field(page.body, QStringLiteral("req"));
        const QString csrf = Browser::field(page.body, QStringLiteral("csrf"));
        const QueryItems credentials{{QStringLiteral("email"), QStringLiteral("guest@example.com")}, {QStringLiteral("password"), kPassword}};
        // The attacker's request id and token, posted from the victim's browser (login CSRF): refused.
        const HttpResult forged = victim.post(kBase + QStringLiteral("/oauth2/authorize/password"),
                                              QueryItems{{QStringLiteral("req"), req}, {QStringLiteral("csrf"), csrf}} + credentials);
        QCOMPARE(forged.status, 400);
        QVERIFY(!victim.hasCookie(QStringLiteral("authrealm_sso")));
        // The right browser with a wrong token: refused too.
        const HttpResult badToken = attacker.post(kBase + QStringLiteral("/oauth2/authorize/password"),
                                                  QueryItems{{QStringLiteral("req"), req}, {QStringLiteral("csrf"), csrf.left(10)}} + credentials);
        QCOMPARE(badToken.status, 400);
        QVERIFY(!attacker.hasCookie(QStringLiteral("authrealm_sso")));
        // A used request cannot mint a second code.
        const HttpResult done = w.follow(attacker, attacker.submit(page, QStringLiteral("password"), credentials));
        QVERIFY(!World::codeOf(done).isEmpty());
        QCOMPARE(attacker.get(kBase + QStringLiteral("/oauth2/authorize/continue?req=") + req).status, 400);
    }

    void tokenEndpointRefusesBadInput_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("json body") << QByteArray("application/json") << QByteArray(R"({"grant_type":"client_credentials"})") << 415
                                   << "unsupported_media_type";
        QTest::newRow("no grant") << QByteArray("application/x-www-form-urlencoded") << QByteArray("") << 400 << "invalid_request";
        QTest::newRow("password grant") << QByteArray("application/x-www-form-urlencoded")
                                        << QByteArray("grant_type=password&username=a&password=b") << 400 << "unsupported_grant_type";
        QTest::newRow("implicit grant") << QByteArray("application/x-www-form-urlencoded") << QByteArray("grant_type=implicit") << 400
                                        << "unsupported_grant_type";
        QTest::newRow("NUL in a field") << QByteArray("application/x-www-form-urlencoded") << QByteArray("grant_type=client_%00credentials")
                                        << 400 << "invalid_request";
        QTest::newRow("repeated grant") << QByteArray("application/x-www-form-urlencoded")
                                        << QByteArray("grant_type=client_credentials&grant_type=refresh_token") << 400 << "invalid_request";
    }
    void tokenEndpointRefusesBadInput()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        World w;
        const HttpResult r = w.server.request("POST", kBase + QStringLiteral("/oauth2/token"), body,
                                              {{"Content-Type", contentType},
                                               {"Authorization", "Basic " + (w.machine.id + u':' + w.machineSecret).toUtf8().toBase64()}});
        QCOMPARE(r.status, status);
        QCOMPARE(r.json.value(QStringLiteral("error")).toString(), error);
    }

    void clientAuthenticationFailuresAreAlike_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("no credentials") << QByteArray() << QByteArray("grant_type=client_credentials");
        QTest::newRow("unknown client") << QByteArray("Basic " + QByteArray("c_nobody:secret").toBase64()) << QByteArray("grant_type=client_credentials");
        QTest::newRow("basic not base64") << QByteArray("Basic !!!") << QByteArray("grant_type=client_credentials");
        QTest::newRow("public client id only, for a secret client") << QByteArray() << QByteArray("grant_type=client_credentials&client_id=MACHINE");
    }
    void clientAuthenticationFailuresAreAlike()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, body);
        World w;
        body.replace("MACHINE", w.machine.id.toLatin1());
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/x-www-form-urlencoded"}};
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        const HttpResult r = w.server.request("POST", kBase + QStringLiteral("/oauth2/token"), body, headers);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
        QVERIFY(!r.header("WWW-Authenticate").isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_OidcAttacks)
#include "tst_oidcattacks.moc"
