#pragma once

// The world the OpenID provider tests run in: realm acme with two products,
// people (one in both products, one with TOTP), a second realm, OAuth clients
// of every kind, and a Browser: its own cookie jar, redirects not followed,
// forms read out of the hosted pages.
#include "TestServer.h"

#include "admin/AdminActor.h"
#include "crypto/Base64Url.h"
#include "crypto/Totp.h"

#include <QCryptographicHash>
#include <QNetworkCookieJar>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

namespace authrealm::test::oidc {

inline const QString kPassword = QStringLiteral("SecurePassword123!");
inline const QString kBase = QStringLiteral("/realms/acme");
inline const QString kRedirect = QStringLiteral("https://app.example/cb");
inline const QString kLoopback = QStringLiteral("http://127.0.0.1/cb");
inline const QString kVerifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-more-entropy");

inline QString challengeOf(const QString &verifier)
{
    return base64UrlEncodeString(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256));
}

inline QByteArray formEncode(const QueryItems &items)
{
    QByteArray out;
    for (const auto &[k, v] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(k) + '=' + QUrl::toPercentEncoding(v);
    }
    return out;
}

inline QString queryValue(const QString &location, const QString &name)
{
    return QUrlQuery(QUrl(location)).queryItemValue(name, QUrl::FullyDecoded);
}

// One user agent: cookies kept, redirects handed back to the test.
class Browser
{
public:
    explicit Browser(TestServer &server) : m_server(server) { m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); }

    HttpResult send(const QByteArray &method, const QString &pathOrUrl, const QByteArray &body = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QNetworkRequest req{QUrl(pathOrUrl.startsWith(u'/') ? m_server.url(pathOrUrl) : pathOrUrl)};
        for (const auto &[k, v] : headers)
            req.setRawHeader(k, v);
        QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
        HttpResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.json = QJsonDocument::fromJson(result.body).object();
        result.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return result;
    }
    HttpResult get(const QString &pathOrUrl) { return send("GET", pathOrUrl); }
    HttpResult post(const QString &path, const QueryItems &form)
    {
        return send("POST", path, formEncode(form), {{"Content-Type", "application/x-www-form-urlencoded"}});
    }
    // Posts the page's form whose action ends with `actionSuffix`, with its hidden fields plus `fields`.
    HttpResult submit(const HttpResult &page, const QString &actionSuffix, const QueryItems &fields)
    {
        QueryItems form{{QStringLiteral("req"), field(page.body, QStringLiteral("req"))},
                        {QStringLiteral("csrf"), field(page.body, QStringLiteral("csrf"))}};
        form += fields;
        return post(kBase + QStringLiteral("/oauth2/authorize/") + actionSuffix, form);
    }
    // The value of the form field `name` in a hosted page.
    static QString field(const QByteArray &html, const QString &name)
    {
        const QRegularExpression tag(QStringLiteral("<input[^>]*\\bname=\"%1\"[^>]*>").arg(QRegularExpression::escape(name)));
        const QRegularExpressionMatch m = tag.match(QString::fromUtf8(html));
        if (!m.hasMatch())
            return {};
        const QRegularExpressionMatch v = QRegularExpression(QStringLiteral("\\bvalue=\"([^\"]*)\"")).match(m.captured(0));
        QString value = v.captured(1);
        value.replace(QStringLiteral("&quot;"), QStringLiteral("\"")).replace(QStringLiteral("&#39;"), QStringLiteral("'"));
        value.replace(QStringLiteral("&lt;"), QStringLiteral("<")).replace(QStringLiteral("&gt;"), QStringLiteral(">"));
        return value.replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    }
    bool hasCookie(const QString &prefix)
    {
        for (const QNetworkCookie &c : m_nam.cookieJar()->cookiesForUrl(QUrl(m_server.url(QStringLiteral("/"))))) {
            if (QString::fromLatin1(c.name()).startsWith(prefix))
                return true;
        }
        return false;
    }

private:
    TestServer &m_server;
    QNetworkAccessManager m_nam;
};

struct World
{
    TestServer server;
    OAuthClient web;      // confidential, client_secret_basic, plantaerium
    QString webSecret;
    OAuthClient both;     // confidential, serves plantaerium and whitcomb
    QString bothSecret;
    OAuthClient spa;      // public, PKCE
    OAuthClient third;    // third party: consent
    QString thirdSecret;
    OAuthClient machine;  // client_credentials only
    QString machineSecret;
    OAuthClient globex;   // another realm's
    QString globexSecret;
    QString totpSecret;   // of totp@example.com

    World() { seed(); }
    AuthRealmCore &core() { return server.core(); }

    static AdminActor master()
    {
        AdminActor a;
        a.actor = QStringLiteral("console:test");
        a.grants = {AdminGrant{AdminGrant::Layer::Master, {}, {}}};
        return a;
    }

    ClientRegistry::Created create(const QString &realm, ClientRegistry::Draft draft)
    {
        return core().clients().create(master(), realm, draft);
    }

    void seed()
    {
        core().transfer().importRealm(QJsonDocument::fromJson(R"({"realm": "acme",
            "apps": [{"id": "plantaerium", "roles": [{"name": "ContentEditor", "scopes": ["blogs:read", "blogs:write"]}]},
                     {"id": "whitcomb", "roles": [{"name": "Member", "scopes": ["events:read"]}]}],
            "users": [{"email": "guest@example.com", "password": "SecurePassword123!",
                       "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]},
                      {"email": "lead@example.com", "password": "SecurePassword123!",
                       "memberships": [{"app": "plantaerium"}, {"app": "whitcomb", "roles": ["Member"]}]},
                      {"email": "totp@example.com", "password": "SecurePassword123!", "memberships": [{"app": "plantaerium"}]},
                      {"email": "outsider@example.com", "password": "SecurePassword123!", "memberships": [{"app": "whitcomb"}]}]})").object(),
                                       QStringLiteral("test"));
        core().transfer().importRealm(QJsonDocument::fromJson(R"({"realm": "globex", "apps": [{"id": "orders"}],
            "users": [{"email": "g1@globex.example", "password": "SecurePassword123!", "memberships": [{"app": "orders"}]}]})").object(),
                                       QStringLiteral("test"));
        ClientRegistry::Draft d;
        d.appId = QStringLiteral("plantaerium");
        d.name = QStringLiteral("Web");
        d.redirectUris = {kRedirect, kLoopback};
        d.postLogoutRedirectUris = {QStringLiteral("https://app.example/bye")};
        d.allowedScopes = {QStringLiteral("openid"), QStringLiteral("profile"), QStringLiteral("email"), QStringLiteral("offline_access"),
                           QStringLiteral("blogs:read")};
        auto made = create(QStringLiteral("acme"), d);
        web = made.client;
        webSecret = made.secret;
        d.name = QStringLiteral("Both");
        d.extraAppIds = {QStringLiteral("whitcomb")};
        made = create(QStringLiteral("acme"), d);
        both = made.client;
        bothSecret = made.secret;
        d.extraAppIds = {};
        d.name = QStringLiteral("Third");
        d.firstParty = false;
        made = create(QStringLiteral("acme"), d);
        third = made.client;
        thirdSecret = made.secret;
        d.firstParty = true;
        d.name = QStringLiteral("SPA");
        d.confidential = false;
        d.tokenEndpointAuthMethod = QStringLiteral("none");
        spa = create(QStringLiteral("acme"), d).client;
        ClientRegistry::Draft m;
        m.appId = QStringLiteral("plantaerium");
        m.name = QStringLiteral("Machine");
        m.grantTypes = {QStringLiteral("client_credentials")};
        m.allowedScopes = {QStringLiteral("blogs:read")};
        made = create(QStringLiteral("acme"), m);
        machine = made.client;
        machineSecret = made.secret;
        ClientRegistry::Draft g = d;
        g.appId = QStringLiteral("orders");
        g.name = QStringLiteral("Globex");
        g.confidential = true;
        g.tokenEndpointAuthMethod = {};
        made = create(QStringLiteral("globex"), g);
        globex = made.client;
        globexSecret = made.secret;

        const User totpUser = *core().users().findByLogin(QStringLiteral("acme"), QStringLiteral("totp@example.com"));
        totpSecret = core().mfa().enrollUser(totpUser, {}).secret;
        (void)core().mfa().confirmUser(totpUser, totpCode(-1), {}, {}, false);
    }

    // A code for the current time step (offset in steps; each step is used at most once).
    QString totpCode(int offset = 0)
    {
        return Totp::code(Totp::base32Decode(totpSecret).value(), Totp::stepAt(server.clock().nowSeconds()) + offset);
    }

    static QueryItems authorizeParams(const OAuthClient &client, const QString &scope = QStringLiteral("openid profile email"))
    {
        return {{QStringLiteral("client_id"), client.id},
                {QStringLiteral("redirect_uri"), kRedirect},
                {QStringLiteral("response_type"), QStringLiteral("code")},
                {QStringLiteral("scope"), scope},
                {QStringLiteral("state"), QStringLiteral("st-123")},
                {QStringLiteral("nonce"), QStringLiteral("n-456")},
                {QStringLiteral("code_challenge"), challengeOf(kVerifier)},
                {QStringLiteral("code_challenge_method"), QStringLiteral("S256")}};
    }
    static QString authorizeUrl(const QueryItems &params)
    {
        QUrlQuery q;
        for (const auto &[k, v] : params)
            q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
        return kBase + QStringLiteral("/oauth2/authorize?") + q.query(QUrl::FullyEncoded);
    }

    // Follows 303s inside the provider until a page or a redirect elsewhere.
    HttpResult follow(Browser &browser, HttpResult r)
    {
        for (int hops = 0; hops < 5 && r.status == 303; ++hops) {
            const QString location = QString::fromUtf8(r.header("Location"));
            if (!location.startsWith(u'/'))
                break;
            r = browser.get(location);
        }
        return r;
    }

    // Signs in with a password on the hosted page; returns the answer after the provider's own redirects.
    HttpResult signIn(Browser &browser, const QueryItems &params, const QString &email, const QString &password = kPassword)
    {
        const HttpResult page = browser.get(authorizeUrl(params));
        if (page.status != 200)
            return page;
        return follow(browser, browser.submit(page, QStringLiteral("password"),
                                              {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}}));
    }

    // The code from a redirect to the client (empty if none).
    static QString codeOf(const HttpResult &r) { return queryValue(QString::fromUtf8(r.header("Location")), QStringLiteral("code")); }

    HttpResult token(const OAuthClient &client, const QString &secret, const QueryItems &form, const QString &realm = QStringLiteral("acme"))
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/x-www-form-urlencoded"}};
        if (!secret.isEmpty())
            headers.append({"Authorization", "Basic " + (client.id + u':' + secret).toUtf8().toBase64()});
        return server.request("POST", QStringLiteral("/realms/%1/oauth2/token").arg(realm), formEncode(form), headers);
    }
    HttpResult redeem(const OAuthClient &client, const QString &secret, const QString &code, const QString &verifier = kVerifier)
    {
        QueryItems form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                        {QStringLiteral("code"), code},
                        {QStringLiteral("redirect_uri"), kRedirect}};
        if (!verifier.isEmpty())
            form.append({QStringLiteral("code_verifier"), verifier});
        if (secret.isEmpty())
            form.append({QStringLiteral("client_id"), client.id});
        return token(client, secret, form);
    }
    HttpResult backChannel(const QString &endpoint, const OAuthClient &client, const QString &secret, const QueryItems &form,
                           const QString &realm = QStringLiteral("acme"))
    {
        return server.request("POST", QStringLiteral("/realms/%1/oauth2/%2").arg(realm, endpoint), formEncode(form),
                              {{"Content-Type", "application/x-www-form-urlencoded"},
                               {"Authorization", "Basic " + (client.id + u':' + secret).toUtf8().toBase64()}});
    }
};

} // namespace authrealm::test::oidc
