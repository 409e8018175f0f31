// Every English text the hosted pages show: the templates' {{t:…}} and the
// messages the OIDC endpoints pass in (OIDC_CONTRACT.md). Listed here so
// lupdate finds them (context "HostedPages", translations/pages_*.ts);
// tst_hostedpages checks that German and French exist for each.
#include "pages/HostedPages.h"

#include <QtGlobal>

namespace authrealm {

namespace {

// Texts the flow passes as fields (errors, titles, scope descriptions).
constexpr const char *kMessages[] = {
    QT_TRANSLATE_NOOP("HostedPages", "Invalid email or password"),
    QT_TRANSLATE_NOOP("HostedPages", "Too many attempts. Try again later."),
    QT_TRANSLATE_NOOP("HostedPages", "The code is wrong or has expired."),
    QT_TRANSLATE_NOOP("HostedPages",
                      "This sign-in request has expired. Go back to the application and start again."),
    QT_TRANSLATE_NOOP("HostedPages", "The form has expired. Please try again."),
    QT_TRANSLATE_NOOP("HostedPages", "You do not have access to this application."),
    QT_TRANSLATE_NOOP("HostedPages", "If the address belongs to an account, a code is on its way."),
    QT_TRANSLATE_NOOP("HostedPages", "Signing in with an emailed code is not available."),
    QT_TRANSLATE_NOOP("HostedPages", "Sign-in error"),
    QT_TRANSLATE_NOOP("HostedPages", "Unknown application"),
    QT_TRANSLATE_NOOP("HostedPages", "The application is not registered here."),
    QT_TRANSLATE_NOOP("HostedPages", "Invalid redirect address"),
    QT_TRANSLATE_NOOP("HostedPages", "The application sent an address that is not registered for it."),
    QT_TRANSLATE_NOOP("HostedPages", "Invalid request"),
    QT_TRANSLATE_NOOP("HostedPages", "You are signed out."),
    QT_TRANSLATE_NOOP("HostedPages", "Sign out"),
    QT_TRANSLATE_NOOP("HostedPages", "Sign in"),
    QT_TRANSLATE_NOOP("HostedPages", "Confirm who you are"),
    QT_TRANSLATE_NOOP("HostedPages", "Your name and profile"),
    QT_TRANSLATE_NOOP("HostedPages", "Your email address"),
    QT_TRANSLATE_NOOP("HostedPages", "Stay signed in"),
    QT_TRANSLATE_NOOP("HostedPages", "Choose a product"),
    QT_TRANSLATE_NOOP("HostedPages", "Allow access"),
    QT_TRANSLATE_NOOP("HostedPages", "Two-step verification"),
    QT_TRANSLATE_NOOP("HostedPages", "Enter the code we emailed you"),
    QT_TRANSLATE_NOOP("HostedPages", "You are still signed in."), // logout declined (OidcLogoutRoutes)
};

// Texts that appear only in the templates.
[[maybe_unused]] constexpr const char *kTemplateTexts[] = {
    QT_TRANSLATE_NOOP("HostedPages", "to continue to"),
    QT_TRANSLATE_NOOP("HostedPages", "Email address"),
    QT_TRANSLATE_NOOP("HostedPages", "Password"),
    QT_TRANSLATE_NOOP("HostedPages", "Email me a code instead"),
    QT_TRANSLATE_NOOP("HostedPages", "Send me a code"),
    QT_TRANSLATE_NOOP("HostedPages", "Enter the 6-digit code from your authenticator app."),
    QT_TRANSLATE_NOOP("HostedPages", "Code"),
    QT_TRANSLATE_NOOP("HostedPages", "Lost your device? Enter one of your backup codes instead."),
    QT_TRANSLATE_NOOP("HostedPages", "Verify"),
    QT_TRANSLATE_NOOP("HostedPages", "The application"),
    QT_TRANSLATE_NOOP("HostedPages", "asks for access to:"),
    QT_TRANSLATE_NOOP("HostedPages", "Allow"),
    QT_TRANSLATE_NOOP("HostedPages", "Deny"),
    QT_TRANSLATE_NOOP("HostedPages", "Do you want to sign out?"),
    QT_TRANSLATE_NOOP("HostedPages", "The request comes from"),
    QT_TRANSLATE_NOOP("HostedPages", "You can close this window."),
    QT_TRANSLATE_NOOP("HostedPages", "Return to the application"),
};

} // namespace

QStringList HostedPages::messageCatalog()
{
    QStringList texts;
    for (const char *text : kMessages)
        texts.append(QString::fromUtf8(text));
    return texts;
}

} // namespace authrealm
