#pragma once

#include "auth/AuthService.h"
#include "domain/Entities.h"
#include "oidc/AuthorizationRequest.h"
#include "oidc/OidcStore.h"

#include <QList>
#include <QString>

namespace authrealm {

class AccessTokens;
class AccountService;
class AuditLog;
class ClientRegistry;
class Clock;
class Database;
class IdTokens;
class MfaService;
class RealmStore;
class TokenHasher;
class UserStore;

// What the browser brought: the cookies the provider set earlier (secrets,
// empty when absent) and who it is for the audit log.
struct BrowserState
{
    QString ssoSecret;     // the SSO cookie of this realm
    QString bindingSecret; // the request-binding cookie
    ClientInfo client;
};

// What the server should do next in an authorization: show a page, redirect
// to the client, or come back to this request (303 to /oauth2/authorize/continue
// after every POST). Messages are English source texts the pages translate.
struct AuthorizationStep
{
    enum class Kind { ErrorPage, Redirect, Continue, SignIn, SecondFactor, EmailCode, ChooseProduct, Consent };
    Kind kind = Kind::ErrorPage;
    QString title;          // ErrorPage
    QString message;        // ErrorPage, and the notice shown on a page
    QString location;       // Redirect: the client's redirect URI with code or error
    QString requestId;      // pages and Continue
    QString notice;         // Continue: what to tell on the next page (a NoticeCode name)
    QString csrf;           // pages
    QString clientName;
    QString loginHint;      // SignIn
    QString email;          // EmailCode
    bool emailCodeEnabled = false;
    QList<App> products;    // ChooseProduct
    QStringList scopes;     // Consent
    QString uiLocales;
    QString redirectUri;    // the client's, for the page's CSP form-action (the POST ends in a redirect there)
    // Cookies: a new SSO secret to set, the SSO cookie to clear, a new binding secret to set.
    QString setSsoSecret;
    bool clearSso = false;
    QString setBindingSecret;
    qint64 ssoMaxAgeSeconds = 0;
};

// The authorization endpoint and its hosted sign-in steps (OIDC Core §3.1.2,
// RFC 6749 §4.1, RFC 9700): validation, SSO, password / e-mailed code /
// TOTP sign-in with the v1 rules (throttle, enumeration safety, audit), the
// product choice, consent, and the single-use code.
class OidcProvider
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const ClientRegistry &clients;
        const OidcStore &store;
        const AuthService &auth;
        const AccountService &account;
        const MfaService &mfa;
        const TokenHasher &tokenHasher;
        const IdTokens &idTokens;
        const AccessTokens &accessTokens;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit OidcProvider(Deps deps) : d(deps) {}

    static constexpr qint64 kRequestLifetimeSeconds = 1800;
    static constexpr qint64 kCodeLifetimeSeconds = 60;
    // The request's parameter holding the address an e-mailed code went to.
    static inline const QString kPendingEmail = QStringLiteral("pending_email");

    [[nodiscard]] AuthorizationStep authorize(const QString &realmId, const QueryItems &items, const BrowserState &browser) const;
    // GET …/continue: the page of the step the request is at.
    [[nodiscard]] AuthorizationStep resume(const QString &realmId, const QString &requestId, const QString &notice,
                                           const BrowserState &browser) const;

    struct Form
    {
        QString requestId;
        QString csrf;
    };
    [[nodiscard]] AuthorizationStep submitPassword(const QString &realmId, const Form &form, const QString &login, const QString &password,
                                                   const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep submitSecondFactor(const QString &realmId, const Form &form, const QString &code,
                                                       const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep sendEmailCode(const QString &realmId, const Form &form, const QString &email,
                                                  const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep submitEmailCode(const QString &realmId, const Form &form, const QString &code,
                                                    const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep chooseProduct(const QString &realmId, const Form &form, const QString &appId,
                                                  const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep consent(const QString &realmId, const Form &form, bool allow, const BrowserState &browser) const;

    // The English text of a notice code carried across a 303 (unknown: empty).
    [[nodiscard]] static QString noticeText(const QString &notice);

    // The live browser session of this realm for an SSO cookie secret.
    [[nodiscard]] std::optional<OidcStore::BrowserSession> browserSession(const QString &realmId, const QString &ssoSecret) const;
    [[nodiscard]] QString csrfFor(const QString &purpose, const QString &bindingSecret) const;

private:
    struct Loaded
    {
        OidcStore::PendingRequest pending;
        AuthorizationParams params;
        OAuthClient client;
    };
    // The request of a form or continue link, if it exists, is live and belongs to this browser.
    [[nodiscard]] std::optional<Loaded> load(const QString &realmId, const QString &requestId, const BrowserState &browser) const;
    [[nodiscard]] bool formValid(const Form &form, const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep expired() const;
    [[nodiscard]] AuthorizationStep continueWith(const QString &requestId, const QString &notice) const;
    [[nodiscard]] AuthorizationStep page(AuthorizationStep::Kind kind, const Loaded &loaded, const QString &requestId,
                                         const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep proceed(const QString &realmId, const Loaded &loaded, const QString &requestId,
                                            const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep issueCode(const QString &realmId, const Loaded &loaded, const BrowserState &browser) const;
    [[nodiscard]] AuthorizationStep errorRedirect(const QString &realmId, const AuthorizationParams &params, const QString &error,
                                                  const QString &description) const;
    // A completed first (and, if on, second) factor: a new browser session and its cookie.
    [[nodiscard]] AuthorizationStep signedIn(const QString &realmId, const Loaded &loaded, const QString &requestId, const User &user,
                                             const QStringList &amr, const QString &method, const BrowserState &browser) const;
    [[nodiscard]] QList<App> productsFor(const QString &realmId, const OAuthClient &client, const QString &userId) const;
    void audit(const QString &realmId, const QString &appId, const QString &kind, const QString &userId, const ClientInfo &client,
               const QString &outcome, const QString &summary) const;

    Deps d;
};

} // namespace authrealm
