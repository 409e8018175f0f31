#include "oidc/OidcProvider.h"

#include "auth/AccessTokens.h"
#include "auth/AccountService.h"
#include "auth/MfaService.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "oidc/ClientRegistry.h"
#include "oidc/IdTokens.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

namespace authrealm {

namespace {
using Kind = AuthorizationStep::Kind;

// Notices carried across the 303 after a POST, by name: the URL never holds free text.
const QHash<QString, QString> &notices()
{
    static const QHash<QString, QString> texts{
        {QStringLiteral("credentials"), QStringLiteral("Invalid email or password")},
        {QStringLiteral("throttled"), QStringLiteral("Too many attempts. Try again later.")},
        {QStringLiteral("code"), QStringLiteral("The code is wrong or has expired.")},
        {QStringLiteral("form"), QStringLiteral("The form has expired. Please try again.")},
        {QStringLiteral("code_sent"), QStringLiteral("If the address belongs to an account, a code is on its way.")},
        {QStringLiteral("email_code_off"), QStringLiteral("Signing in with an emailed code is not available.")},
        {QStringLiteral("access"), QStringLiteral("You do not have access to this application.")},
    };
    return texts;
}
} // namespace

QString OidcProvider::noticeText(const QString &notice) { return notices().value(notice); }

QString OidcProvider::csrfFor(const QString &purpose, const QString &bindingSecret) const
{
    // Bound to the browser's own cookie: a page of another browser (or a
    // cross-site form, which SameSite=Lax sends without the cookie) cannot post.
    return d.tokenHasher.hashHex((QStringLiteral("csrf|") + purpose + u'|' + bindingSecret).toUtf8());
}

bool OidcProvider::formValid(const Form &form, const BrowserState &browser) const
{
    if (browser.bindingSecret.isEmpty() || form.csrf.isEmpty())
        return false;
    return constantTimeEquals(csrfFor(form.requestId, browser.bindingSecret).toLatin1(), form.csrf.toLatin1());
}

void OidcProvider::audit(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                         const ClientInfo &client, const QString &outcome, const QString &summary) const
{
    d.audit.record(signInEvent(realmId, appId, kind, userId, client, outcome, summary));
}

std::optional<OidcStore::BrowserSession> OidcProvider::browserSession(const QString &realmId, const QString &ssoSecret) const
{
    if (ssoSecret.isEmpty() || ssoSecret.size() > 128)
        return std::nullopt;
    return d.store.browserSession(realmId, d.tokenHasher.hashHex(ssoSecret.toUtf8()), d.clock.nowMs());
}

AuthorizationStep OidcProvider::expired() const
{
    AuthorizationStep step;
    step.title = QStringLiteral("Sign-in error");
    step.message = QStringLiteral("This sign-in request has expired. Go back to the application and start again.");
    return step;
}

AuthorizationStep OidcProvider::continueWith(const QString &requestId, const QString &notice) const
{
    AuthorizationStep step;
    step.kind = Kind::Continue;
    step.requestId = requestId;
    step.notice = notice;
    return step;
}

AuthorizationStep OidcProvider::errorRedirect(const QString &realmId, const AuthorizationParams &params, const QString &error,
                                              const QString &description) const
{
    AuthorizationStep step;
    step.kind = Kind::Redirect;
    step.location = redirectWith(params.redirectUri, {{QStringLiteral("error"), error},
                                                      {QStringLiteral("error_description"), description},
                                                      {QStringLiteral("state"), params.state},
                                                      {QStringLiteral("iss"), d.accessTokens.issuer(realmId)}});
    return step;
}

std::optional<OidcProvider::Loaded> OidcProvider::load(const QString &realmId, const QString &requestId, const BrowserState &browser) const
{
    if (requestId.isEmpty() || requestId.size() > 128 || browser.bindingSecret.isEmpty())
        return std::nullopt;
    const auto pending = d.store.request(realmId, d.tokenHasher.hashHex(requestId.toUtf8()), d.clock.nowMs());
    if (!pending || pending->completedAt != 0)
        return std::nullopt;
    if (!constantTimeEquals(pending->bindingHash.toLatin1(), d.tokenHasher.hashHex(browser.bindingSecret.toUtf8()).toLatin1()))
        return std::nullopt;
    const auto client = d.clients.find(realmId, pending->clientId);
    if (!client)
        return std::nullopt;
    return Loaded{*pending, AuthorizationParams::fromJson(pending->params), *client};
}

AuthorizationStep OidcProvider::page(Kind kind, const Loaded &loaded, const QString &requestId, const BrowserState &browser) const
{
    AuthorizationStep step;
    step.kind = kind;
    step.requestId = requestId;
    step.csrf = csrfFor(requestId, browser.bindingSecret);
    step.clientName = loaded.client.name;
    step.uiLocales = loaded.params.uiLocales;
    step.redirectUri = loaded.params.redirectUri;
    step.loginHint = loaded.params.loginHint;
    step.email = loaded.pending.params.value(OidcProvider::kPendingEmail).toString();
    step.emailCodeEnabled = d.realms.settings(loaded.pending.realmId).emailCodeLoginEnabled();
    return step;
}

QList<App> OidcProvider::productsFor(const QString &realmId, const OAuthClient &client, const QString &userId) const
{
    QList<App> products;
    const QList<Membership> memberships = d.users.memberships(userId);
    for (const QString &appId : client.appIds) {
        const bool member = std::any_of(memberships.begin(), memberships.end(), [&](const Membership &m) { return m.appId == appId; });
        if (!member)
            continue;
        if (const auto app = d.realms.app(realmId, appId))
            products.append(*app);
    }
    return products;
}

AuthorizationStep OidcProvider::authorize(const QString &realmId, const QueryItems &items, const BrowserState &browser) const
{
    const AuthorizationValidation validation = validateAuthorization(items, [&](const QString &id) { return d.clients.find(realmId, id); });
    if (const auto *errorPage = std::get_if<AuthorizationErrorPage>(&validation)) {
        AuthorizationStep step;
        step.title = errorPage->title;
        step.message = errorPage->message;
        return step;
    }
    if (const auto *error = std::get_if<AuthorizationErrorRedirect>(&validation)) {
        AuthorizationParams params;
        params.redirectUri = error->redirectUri;
        params.state = error->state;
        return errorRedirect(realmId, params, error->error, error->description);
    }
    const AuthorizationParams &params = std::get<AuthorizationParams>(validation);
    const OAuthClient client = *d.clients.find(realmId, params.clientId);
    QString hintedSubject;
    if (!params.idTokenHint.isEmpty()) {
        const auto hint = d.idTokens.verifyHint(realmId, params.idTokenHint);
        if (!hint)
            return errorRedirect(realmId, params, QStringLiteral("invalid_request"), QStringLiteral("id_token_hint is not a valid ID token"));
        hintedSubject = hint->value(QStringLiteral("sub")).toString();
    }
    const qint64 now = d.clock.nowMs();
    const auto sso = browserSession(realmId, browser.ssoSecret);
    const bool tooOld = sso && params.maxAge >= 0 && now / 1000 - sso->authTime > params.maxAge;
    const bool otherUser = sso && !hintedSubject.isEmpty() && hintedSubject != sso->userId;
    const bool mustSignIn = !sso || params.prompts("login") || tooOld || otherUser;
    if (mustSignIn && params.prompts("none"))
        return errorRedirect(realmId, params, QStringLiteral("login_required"), QStringLiteral("The user is not signed in"));

    // Remember the request server-side; the browser gets only its random id,
    // bound to a cookie of this browser.
    const QString requestId = randomToken(32);
    const QString binding = browser.bindingSecret.isEmpty() || browser.bindingSecret.size() > 128 ? randomToken(32) : browser.bindingSecret;
    BrowserState bound = browser;
    bound.bindingSecret = binding;
    OidcStore::PendingRequest pending;
    pending.idHash = d.tokenHasher.hashHex(requestId.toUtf8());
    pending.realmId = realmId;
    pending.clientId = client.id;
    pending.params = params.toJson();
    pending.bindingHash = d.tokenHasher.hashHex(binding.toUtf8());
    pending.csrfHash = d.tokenHasher.hashHex(csrfFor(requestId, binding).toUtf8());
    pending.expiresAt = now + kRequestLifetimeSeconds * 1000;
    d.store.createRequest(pending, now);
    if (!mustSignIn) {
        d.store.setRequestUser(pending.idHash, sso->userId, sso->amr);
        d.store.setRequestSignedIn(pending.idHash, sso->id, sso->amr, sso->authTime);
        pending.userId = sso->userId;
        pending.amr = sso->amr;
        pending.browserSession = sso->id;
        pending.authTime = sso->authTime;
    }
    AuthorizationStep step = mustSignIn ? page(Kind::SignIn, Loaded{pending, params, client}, requestId, bound)
                                        : proceed(realmId, Loaded{pending, params, client}, requestId, bound);
    if (binding != browser.bindingSecret)
        step.setBindingSecret = binding;
    return step;
}

AuthorizationStep OidcProvider::resume(const QString &realmId, const QString &requestId, const QString &notice,
                                       const BrowserState &browser) const
{
    const auto loaded = load(realmId, requestId, browser);
    if (!loaded)
        return expired();
    AuthorizationStep step;
    const OidcStore::PendingRequest &pending = loaded->pending;
    if (!pending.browserSession.isEmpty())
        step = proceed(realmId, *loaded, requestId, browser);
    else if (!pending.userId.isEmpty())
        step = page(Kind::SecondFactor, *loaded, requestId, browser);
    else if (pending.params.contains(OidcProvider::kPendingEmail) && notice != u"email_code_off")
        step = page(Kind::EmailCode, *loaded, requestId, browser);
    else
        step = page(Kind::SignIn, *loaded, requestId, browser);
    if (step.kind != Kind::Redirect && step.kind != Kind::ErrorPage) {
        step.message = noticeText(notice);
        step.notice = step.message.isEmpty() ? QString() : notice;
    }
    return step;
}

AuthorizationStep OidcProvider::proceed(const QString &realmId, const Loaded &loaded, const QString &requestId,
                                        const BrowserState &browser) const
{
    const AuthorizationParams &params = loaded.params;
    const QList<App> products = productsFor(realmId, loaded.client, loaded.pending.userId);
    if (products.isEmpty()) {
        audit(realmId, loaded.client.appId, QStringLiteral("login.failure"), loaded.pending.userId, browser.client, QStringLiteral("denied"),
              QStringLiteral("not a member of any product of client %1").arg(loaded.client.id));
        return errorRedirect(realmId, params, QStringLiteral("access_denied"), QStringLiteral("You do not have access to this application."));
    }
    Loaded chosen = loaded;
    const bool known = std::any_of(products.begin(), products.end(), [&](const App &a) { return a.id == loaded.pending.appId; });
    if (!known) {
        if (products.size() > 1) {
            if (params.prompts("none"))
                return errorRedirect(realmId, params, QStringLiteral("interaction_required"), QStringLiteral("The user must choose a product"));
            AuthorizationStep step = page(Kind::ChooseProduct, loaded, requestId, browser);
            step.products = products;
            return step;
        }
        chosen.pending.appId = products.constFirst().id;
        d.store.setRequestApp(loaded.pending.idHash, chosen.pending.appId);
    }
    const QStringList consented = d.store.consentedScopes(loaded.pending.userId, loaded.client.id);
    const bool covered = std::all_of(params.scopes.begin(), params.scopes.end(), [&](const QString &s) { return consented.contains(s); });
    const bool needsConsent = params.prompts("consent") || (!loaded.client.firstParty && !covered);
    if (needsConsent) {
        if (params.prompts("none"))
            return errorRedirect(realmId, params, QStringLiteral("consent_required"), QStringLiteral("The user must consent"));
        AuthorizationStep step = page(Kind::Consent, chosen, requestId, browser);
        step.scopes = params.scopes;
        return step;
    }
    return issueCode(realmId, chosen, browser);
}

AuthorizationStep OidcProvider::issueCode(const QString &realmId, const Loaded &loaded, const BrowserState &browser) const
{
    const qint64 now = d.clock.nowMs();
    const QString code = randomToken(32);
    OidcStore::Code row;
    row.codeHash = d.tokenHasher.hashHex(code.toUtf8());
    row.realmId = realmId;
    row.clientId = loaded.client.id;
    row.userId = loaded.pending.userId;
    row.appId = loaded.pending.appId;
    row.redirectUri = loaded.params.redirectUri;
    row.scope = loaded.params.scopes.join(u' ');
    row.nonce = loaded.params.nonce;
    row.codeChallenge = loaded.params.codeChallenge;
    row.browserSession = loaded.pending.browserSession;
    row.authTime = loaded.pending.authTime;
    row.amr = loaded.pending.amr;
    row.acr = IdTokens::acrFor(row.amr);
    row.expiresAt = now + kCodeLifetimeSeconds * 1000;
    {
        Transaction tx(d.db);
        // One code per request: a second tab or a double submit finds it used.
        if (!d.store.completeRequest(loaded.pending.idHash, now))
            return expired();
        d.store.createCode(row, now);
        audit(realmId, row.appId, QStringLiteral("oidc.code_issued"), row.userId, browser.client, QStringLiteral("success"),
              QStringLiteral("authorization code for client %1").arg(loaded.client.id));
        tx.commit();
    }
    AuthorizationStep step;
    step.kind = Kind::Redirect;
    step.location = redirectWith(loaded.params.redirectUri, {{QStringLiteral("code"), code},
                                                             {QStringLiteral("state"), loaded.params.state},
                                                             {QStringLiteral("iss"), d.accessTokens.issuer(realmId)}});
    return step;
}

} // namespace authrealm
