// The POST steps of the hosted sign-in (OidcProvider): each checks the form
// against the browser's binding cookie, does one thing, and answers with a
// 303 back to the request (Kind::Continue) or to the client.
#include "oidc/OidcProvider.h"

#include "auth/AccountService.h"
#include "auth/MfaService.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "oidc/ClientRegistry.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

namespace authrealm {

namespace {
using Kind = AuthorizationStep::Kind;

// The notice for a failed factor; anything else propagates.
QString noticeFor(const DomainError &e)
{
    switch (e.code()) {
    case ErrorCode::InvalidCredentials: return QStringLiteral("credentials");
    case ErrorCode::TooManyAttempts: return QStringLiteral("throttled");
    case ErrorCode::InvalidOtp:
    case ErrorCode::InvalidMfaChallenge:
    case ErrorCode::InvalidAccountToken:
    case ErrorCode::MfaNotEnabled: return QStringLiteral("code");
    case ErrorCode::FeatureDisabled: return QStringLiteral("email_code_off");
    default: throw e;
    }
}
} // namespace

AuthorizationStep OidcProvider::signedIn(const QString &realmId, const Loaded &loaded, const QString &requestId, const User &user,
                                         const QStringList &amr, const QString &method, const BrowserState &browser) const
{
    const qint64 now = d.clock.nowMs();
    const EffectiveLifetimes life = d.auth.lifetimes(realmId, loaded.client.appId);
    OidcStore::BrowserSession session;
    session.id = randomToken(16);
    session.realmId = realmId;
    session.userId = user.id;
    session.authTime = now / 1000;
    session.amr = amr;
    session.expiresAt = now + life.sessionMax * 1000;
    // A new SSO session at every sign-in; the browser's previous one ends.
    const QString secret = randomToken(32);
    {
        Transaction tx(d.db);
        if (const auto previous = browserSession(realmId, browser.ssoSecret))
            (void)d.store.endBrowserSession(previous->id, now);
        d.store.createBrowserSession(session, d.tokenHasher.hashHex(secret.toUtf8()), now);
        d.store.setRequestUser(loaded.pending.idHash, user.id, amr);
        d.store.setRequestSignedIn(loaded.pending.idHash, session.id, amr, session.authTime);
        audit(realmId, loaded.client.appId, QStringLiteral("login.success"), user.id, browser.client, QStringLiteral("success"),
              QStringLiteral("hosted %1 sign-in (%2) for client %3, browser session %4")
                  .arg(method, amr.join(u'+'), loaded.client.id, session.id));
        tx.commit();
    }
    AuthorizationStep step = continueWith(requestId, {});
    step.setSsoSecret = secret;
    step.ssoMaxAgeSeconds = life.sessionMax;
    return step;
}

AuthorizationStep OidcProvider::submitPassword(const QString &realmId, const Form &form, const QString &login, const QString &password,
                                               const BrowserState &browser) const
{
    const auto loaded = formValid(form, browser) ? load(realmId, form.requestId, browser) : std::nullopt;
    if (!loaded)
        return expired();
    User user;
    try {
        user = d.auth.verifyPassword(realmId, login, password, loaded->client.appId, browser.client);
    } catch (const DomainError &e) {
        return continueWith(form.requestId, noticeFor(e));
    }
    if (d.mfa.enabled(user.id)) {
        d.store.setRequestUser(loaded->pending.idHash, user.id, {QStringLiteral("pwd")});
        return continueWith(form.requestId, {});
    }
    return signedIn(realmId, *loaded, form.requestId, user, {QStringLiteral("pwd")}, QStringLiteral("password"), browser);
}

AuthorizationStep OidcProvider::submitSecondFactor(const QString &realmId, const Form &form, const QString &code,
                                                   const BrowserState &browser) const
{
    const auto loaded = formValid(form, browser) ? load(realmId, form.requestId, browser) : std::nullopt;
    if (!loaded || loaded->pending.userId.isEmpty() || !loaded->pending.browserSession.isEmpty())
        return expired();
    const auto user = d.users.user(realmId, loaded->pending.userId);
    if (!user || user->status != UserStatus::Active)
        return expired();
    try {
        (void)d.mfa.verify(*user, code, browser.client, QStringLiteral("sign-in"));
    } catch (const DomainError &e) {
        return continueWith(form.requestId, noticeFor(e));
    }
    QStringList amr = loaded->pending.amr;
    amr.append(QStringLiteral("otp"));
    return signedIn(realmId, *loaded, form.requestId, *user, amr, QStringLiteral("two-step"), browser);
}

AuthorizationStep OidcProvider::sendEmailCode(const QString &realmId, const Form &form, const QString &email,
                                              const BrowserState &browser) const
{
    const auto loaded = formValid(form, browser) ? load(realmId, form.requestId, browser) : std::nullopt;
    if (!loaded || !loaded->pending.userId.isEmpty())
        return expired();
    try {
        // The same answer whether or not the address has an account.
        d.account.requestEmailCode(realmId, email, browser.client);
    } catch (const DomainError &e) {
        if (e.code() == ErrorCode::InvalidRequest)
            return continueWith(form.requestId, QStringLiteral("code"));
        return continueWith(form.requestId, noticeFor(e));
    }
    QJsonObject params = loaded->pending.params;
    params.insert(OidcProvider::kPendingEmail, email.left(254));
    d.store.setRequestParams(loaded->pending.idHash, params);
    return continueWith(form.requestId, QStringLiteral("code_sent"));
}

AuthorizationStep OidcProvider::submitEmailCode(const QString &realmId, const Form &form, const QString &code,
                                                const BrowserState &browser) const
{
    const auto loaded = formValid(form, browser) ? load(realmId, form.requestId, browser) : std::nullopt;
    const QString email = loaded ? loaded->pending.params.value(OidcProvider::kPendingEmail).toString() : QString();
    if (!loaded || email.isEmpty() || !loaded->pending.userId.isEmpty())
        return expired();
    User user;
    try {
        user = d.account.verifyEmailCode(realmId, email, code, browser.client);
    } catch (const DomainError &e) {
        return continueWith(form.requestId, noticeFor(e));
    }
    // The emailed code is a first factor: with TOTP on, the second step follows.
    if (d.mfa.enabled(user.id)) {
        d.store.setRequestUser(loaded->pending.idHash, user.id, {QStringLiteral("email")});
        return continueWith(form.requestId, {});
    }
    return signedIn(realmId, *loaded, form.requestId, user, {QStringLiteral("email")}, QStringLiteral("email code"), browser);
}

AuthorizationStep OidcProvider::chooseProduct(const QString &realmId, const Form &form, const QString &appId,
                                              const BrowserState &browser) const
{
    const auto loaded = formValid(form, browser) ? load(realmId, form.requestId, browser) : std::nullopt;
    if (!loaded || loaded->pending.browserSession.isEmpty())
        return expired();
    const QList<App> products = productsFor(realmId, loaded->client, loaded->pending.userId);
    const bool allowed = std::any_of(products.begin(), products.end(), [&](const App &a) { return a.id == appId; });
    if (!allowed)
        return continueWith(form.requestId, QStringLiteral("access"));
    d.store.setRequestApp(loaded->pending.idHash, appId);
    return continueWith(form.requestId, {});
}

AuthorizationStep OidcProvider::consent(const QString &realmId, const Form &form, bool allow, const BrowserState &browser) const
{
    const auto loaded = formValid(form, browser) ? load(realmId, form.requestId, browser) : std::nullopt;
    if (!loaded || loaded->pending.browserSession.isEmpty() || loaded->pending.appId.isEmpty())
        return expired();
    if (!allow) {
        (void)d.store.completeRequest(loaded->pending.idHash, d.clock.nowMs());
        audit(realmId, loaded->pending.appId, QStringLiteral("oidc.consent_denied"), loaded->pending.userId, browser.client,
              QStringLiteral("denied"), QStringLiteral("consent refused for client %1").arg(loaded->client.id));
        return errorRedirect(realmId, loaded->params, QStringLiteral("access_denied"), QStringLiteral("The user refused access"));
    }
    d.store.recordConsent(realmId, loaded->pending.userId, loaded->client.id, loaded->params.scopes, d.clock.nowMs());
    audit(realmId, loaded->pending.appId, QStringLiteral("oidc.consent_granted"), loaded->pending.userId, browser.client,
          QStringLiteral("success"),
          QStringLiteral("consent for client %1: %2").arg(loaded->client.id, loaded->params.scopes.join(u' ')));
    return issueCode(realmId, *loaded, browser);
}

} // namespace authrealm
