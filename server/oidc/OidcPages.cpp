#include "oidc/OidcPages.h"

#include "AuthRealmCore.h"

#include <QUrl>

namespace authrealm {

namespace {
using Kind = AuthorizationStep::Kind;

const QHash<QString, QString> &scopeDescriptions()
{
    static const QHash<QString, QString> texts{
        {QStringLiteral("openid"), QStringLiteral("Confirm who you are")},
        {QStringLiteral("profile"), QStringLiteral("Your name and profile")},
        {QStringLiteral("email"), QStringLiteral("Your email address")},
        {QStringLiteral("offline_access"), QStringLiteral("Stay signed in")},
    };
    return texts;
}
} // namespace

QString OidcPages::originOf(const QString &uri)
{
    const QUrl url(uri);
    if (!url.isValid() || url.scheme().isEmpty())
        return {};
    // Native apps' private-use schemes have no host: the scheme is the source.
    if (url.host().isEmpty())
        return url.scheme() + u':';
    return url.toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
}

QString OidcPages::base(const ApiRequest &request)
{
    return request.path.startsWith(QStringLiteral("/realms/")) ? QStringLiteral("/realms/") + request.realmId : QString();
}

QString OidcPages::language(const ApiRequest &request, const QString &uiLocales) const
{
    return HostedPages::chooseLanguage(uiLocales, request.header("Accept-Language"));
}

ApiResponse OidcPages::seeOther(const QString &location)
{
    ApiResponse r;
    r.status = 303;
    r.contentType = "text/plain; charset=utf-8";
    r.headers.append(qMakePair(QByteArray("Location"), QByteArray(location.toUtf8())));
    return r;
}

ApiResponse OidcPages::errorPage(const ApiRequest &request, const QString &title, const QString &message, int status) const
{
    const QString lang = language(request, request.query.queryItemValue(QStringLiteral("ui_locales"), QUrl::FullyDecoded));
    const auto realm = m_core.realms().realm(request.realmId);
    return m_pages.render(QStringLiteral("error"), lang,
                          QVariantHash{{QStringLiteral("title"), m_pages.translate(lang, title)},
                                       {QStringLiteral("message"), m_pages.translate(lang, message)},
                                       {QStringLiteral("realm_name"), realm ? realm->displayName : request.realmId}},
                          status);
}

ApiResponse OidcPages::page(const ApiRequest &request, const AuthorizationStep &step) const
{
    const QString lang = language(request, step.uiLocales);
    const QString actions = base(request) + QStringLiteral("/oauth2/authorize/");
    const auto realm = m_core.realms().realm(request.realmId);
    QVariantHash fields{
        {QStringLiteral("req"), step.requestId},
        {QStringLiteral("csrf"), step.csrf},
        {QStringLiteral("client_name"), step.clientName},
        {QStringLiteral("realm_name"), realm ? realm->displayName : request.realmId},
        {QStringLiteral("error"), step.message.isEmpty() ? QString() : m_pages.translate(lang, step.message)},
    };
    QString name;
    switch (step.kind) {
    case Kind::SignIn:
        name = QStringLiteral("signin");
        fields.insert(QStringLiteral("title"), m_pages.translate(lang, QStringLiteral("Sign in")));
        fields.insert(QStringLiteral("action_password"), actions + QStringLiteral("password"));
        fields.insert(QStringLiteral("action_email_code"), step.emailCodeEnabled ? actions + QStringLiteral("email-code/send") : QString());
        fields.insert(QStringLiteral("login_hint"), step.loginHint);
        break;
    case Kind::SecondFactor:
        name = QStringLiteral("totp");
        fields.insert(QStringLiteral("title"), m_pages.translate(lang, QStringLiteral("Two-step verification")));
        fields.insert(QStringLiteral("action"), actions + QStringLiteral("totp"));
        break;
    case Kind::EmailCode:
        name = QStringLiteral("email_code_verify");
        fields.insert(QStringLiteral("title"), m_pages.translate(lang, QStringLiteral("Enter the code we emailed you")));
        fields.insert(QStringLiteral("action"), actions + QStringLiteral("email-code/verify"));
        fields.insert(QStringLiteral("email"), step.email);
        break;
    case Kind::ChooseProduct: {
        name = QStringLiteral("choose_product");
        fields.insert(QStringLiteral("title"), m_pages.translate(lang, QStringLiteral("Choose a product")));
        fields.insert(QStringLiteral("action"), actions + QStringLiteral("product"));
        QVariantList products;
        for (const App &app : step.products)
            products.append(QVariantHash{{QStringLiteral("id"), app.id}, {QStringLiteral("name"), app.displayName}});
        fields.insert(QStringLiteral("products"), products);
        break;
    }
    case Kind::Consent: {
        name = QStringLiteral("consent");
        fields.insert(QStringLiteral("title"), m_pages.translate(lang, QStringLiteral("Allow access")));
        fields.insert(QStringLiteral("action"), actions + QStringLiteral("consent"));
        QVariantList scopes;
        for (const QString &scope : step.scopes) {
            const QString description = scopeDescriptions().value(scope);
            scopes.append(QVariantHash{{QStringLiteral("name"), scope},
                                       {QStringLiteral("description"), description.isEmpty() ? scope : m_pages.translate(lang, description)}});
        }
        fields.insert(QStringLiteral("scopes"), scopes);
        break;
    }
    default:
        break;
    }
    return m_pages.render(name, lang, fields, 200, {originOf(step.redirectUri)});
}

ApiResponse OidcPages::respond(const ApiRequest &request, const AuthorizationStep &step) const
{
    ApiResponse response;
    switch (step.kind) {
    case Kind::ErrorPage:
        response = errorPage(request, step.title, step.message);
        break;
    case Kind::Redirect:
        response = seeOther(step.location);
        break;
    case Kind::Continue: {
        QString location = base(request) + QStringLiteral("/oauth2/authorize/continue?req=") + step.requestId;
        if (!step.notice.isEmpty())
            location += QStringLiteral("&notice=") + step.notice;
        response = seeOther(location);
        break;
    }
    default:
        response = page(request, step);
        break;
    }
    m_cookies.apply(step, request.realmId, response);
    return response;
}

} // namespace authrealm
