// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the SSO
// session and every session begun from it. With an id_token_hint of the
// signed-in person it ends at once; otherwise the person confirms on a page.
#include "AuthRealmCore.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "oidc/FormBody.h"
#include "oidc/OidcPages.h"
#include "routes/Routes.h"

#include <QUrl>

namespace authrealm {

namespace {
struct LogoutInput
{
    QString idTokenHint;
    QString clientId;
    QString postLogoutRedirectUri;
    QString state;
    QString uiLocales;
};

LogoutInput fromItems(const QueryItems &items)
{
    LogoutInput in;
    for (const auto &[key, value] : items) {
        if (key == u"id_token_hint")
            in.idTokenHint = value.left(16384);
        else if (key == u"client_id")
            in.clientId = value.left(256);
        else if (key == u"post_logout_redirect_uri")
            in.postLogoutRedirectUri = value.left(2048);
        else if (key == u"state")
            in.state = value.left(2048);
        else if (key == u"ui_locales")
            in.uiLocales = value.left(256);
    }
    return in;
}

// Where to go once signed out: the client's registered address with its
// state, or our own "signed out" page.
ApiResponse finished(const OidcPages &pages, const ApiRequest &request, const OidcTokens::LogoutRequest &logout, const QString &lang)
{
    if (!logout.postLogoutRedirectUri.isEmpty())
        return OidcPages::seeOther(redirectWith(logout.postLogoutRedirectUri, {{QStringLiteral("state"), logout.state}}));
    return pages.pages().render(QStringLiteral("logged_out"), lang,
                                QVariantHash{{QStringLiteral("title"), pages.pages().translate(lang, QStringLiteral("Sign out"))},
                                             {QStringLiteral("message"), pages.pages().translate(lang, QStringLiteral("You are signed out."))},
                                             {QStringLiteral("realm_name"), request.realmId}});
}
} // namespace

void registerOidcLogoutRoutes(const RouteContext &context, std::shared_ptr<OidcPages> pages)
{
    AuthRealmCore &core = context.core;
    const auto endSession = [&core, pages](const ApiRequest &request, const LogoutInput &in) {
        const QString lang = pages->language(request, in.uiLocales);
        OidcTokens::LogoutRequest logout;
        try {
            logout = core.oidcTokens().checkLogout(request.realmId, in.idTokenHint, in.clientId, in.postLogoutRedirectUri, in.state);
        } catch (const DomainError &e) {
            return pages->errorPage(request, QStringLiteral("Invalid request"), e.message());
        }
        const BrowserState browser = pages->cookies().read(request);
        const auto sso = core.oidc().browserSession(request.realmId, browser.ssoSecret);
        if (!sso)
            return finished(*pages, request, logout, lang);
        // The hint names this very person: the client asks on their behalf, no page needed.
        const auto hint = in.idTokenHint.isEmpty() ? std::nullopt : core.idTokens().verifyHint(request.realmId, in.idTokenHint);
        if (hint && hint->value(QStringLiteral("sub")).toString() == sso->userId) {
            (void)core.oidcTokens().endBrowserSession(request.realmId, sso->id, sso->userId, browser.client);
            ApiResponse response = finished(*pages, request, logout, lang);
            response.headers.append(qMakePair(QByteArray("Set-Cookie"), QByteArray(pages->cookies().clearSso(request.realmId))));
            return response;
        }
        return pages->pages().render(
            QStringLiteral("logout_confirm"), lang,
            QVariantHash{{QStringLiteral("title"), pages->pages().translate(lang, QStringLiteral("Sign out"))},
                         {QStringLiteral("action"), OidcPages::base(request) + QStringLiteral("/oauth2/logout/confirm")},
                         {QStringLiteral("csrf"), core.oidc().csrfFor(QStringLiteral("logout|") + sso->id, browser.ssoSecret)},
                         {QStringLiteral("client_name"), logout.clientName},
                         {QStringLiteral("client_id"), logout.clientId},
                         {QStringLiteral("id_token_hint"), logout.idTokenHint},
                         {QStringLiteral("post_logout_redirect_uri"), logout.postLogoutRedirectUri},
                         {QStringLiteral("state"), logout.state},
                         {QStringLiteral("realm_name"), request.realmId}},
            200, {OidcPages::originOf(logout.postLogoutRedirectUri)});
    };
    context.router.add("GET", QStringLiteral("/oauth2/logout"), Scope::Realm, Execution::Inline, [endSession](const ApiRequest &request) {
        return endSession(request, fromItems(queryItems(request)));
    });
    context.router.add("POST", QStringLiteral("/oauth2/logout"), Scope::Realm, Execution::Inline, [endSession](const ApiRequest &request) {
        return endSession(request, fromItems(FormBody(request).items()));
    });
    context.router.add("GET", QStringLiteral("/oauth2/logout/done"), Scope::Realm, Execution::Inline, [pages](const ApiRequest &request) {
        const QString lang = pages->language(request, {});
        const bool signedOut = request.query.queryItemValue(QStringLiteral("signed_out")) != u"0";
        const QString message = signedOut ? QStringLiteral("You are signed out.") : QStringLiteral("You are still signed in.");
        return pages->pages().render(QStringLiteral("logged_out"), lang,
                                     QVariantHash{{QStringLiteral("title"), pages->pages().translate(lang, QStringLiteral("Sign out"))},
                                                  {QStringLiteral("message"), pages->pages().translate(lang, message)},
                                                  {QStringLiteral("realm_name"), request.realmId}});
    });
    context.router.add("POST", QStringLiteral("/oauth2/logout/confirm"), Scope::Realm, Execution::Inline, [&core, pages](const ApiRequest &request) {
        const FormBody form(request);
        const LogoutInput in = fromItems(form.items());
        OidcTokens::LogoutRequest logout;
        try {
            logout = core.oidcTokens().checkLogout(request.realmId, in.idTokenHint, in.clientId, in.postLogoutRedirectUri, in.state);
        } catch (const DomainError &e) {
            return pages->errorPage(request, QStringLiteral("Invalid request"), e.message());
        }
        const BrowserState browser = pages->cookies().read(request);
        const auto sso = core.oidc().browserSession(request.realmId, browser.ssoSecret);
        const QString csrf = form.value("csrf", 128);
        const bool valid = sso && constantTimeEquals(csrf.toLatin1(),
                                                     core.oidc().csrfFor(QStringLiteral("logout|") + sso->id, browser.ssoSecret).toLatin1());
        if (sso && !valid)
            return pages->errorPage(request, QStringLiteral("Invalid request"), QStringLiteral("The form has expired. Please try again."));
        const bool signOut = form.value("decision", 16) == u"logout";
        ApiResponse response;
        if (!logout.postLogoutRedirectUri.isEmpty())
            response = OidcPages::seeOther(redirectWith(logout.postLogoutRedirectUri, {{QStringLiteral("state"), logout.state}}));
        else
            response = OidcPages::seeOther(OidcPages::base(request) + QStringLiteral("/oauth2/logout/done?signed_out=")
                                           + (signOut || !sso ? u'1' : u'0'));
        if (sso && signOut) {
            (void)core.oidcTokens().endBrowserSession(request.realmId, sso->id, sso->userId, browser.client);
            response.headers.append(qMakePair(QByteArray("Set-Cookie"), QByteArray(pages->cookies().clearSso(request.realmId))));
        }
        return response;
    });
}

} // namespace authrealm
