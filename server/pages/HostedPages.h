#pragma once

#include "ApiRequest.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariantHash>
#include <memory>

namespace authrealm {

// The provider's own HTML pages (sign-in, second step, e-mailed code, product
// choice, consent, logout, errors): templates and one stylesheet compiled in
// from resources/pages, translated into en/de/fr with Qt's translation files
// (translations/pages_*.ts), no JavaScript.
//
// Templates use a small Mustache subset:
//   {{name}}               the field, HTML-escaped (attribute-safe)
//   {{t:English text}}     that text in the page's language
//   {{#name}}…{{/name}}    a section: shown when the field is true or a
//                          non-empty string; repeated for each element when
//                          it is a QVariantList of QVariantHash (fields of the
//                          element shadow the outer ones)
//   {{^name}}…{{/name}}    shown when the field is false, empty or missing
// Every response carries Content-Type text/html; charset=utf-8,
// Content-Security-Policy (default-src 'none'; style-src 'self';
// img-src 'self'; form-action 'self' plus the extra origins given;
// frame-ancestors 'none'; base-uri 'none'), X-Frame-Options DENY,
// Cache-Control no-store, Referrer-Policy no-referrer, and
// Content-Language.
class HostedPages
{
public:
    HostedPages();
    ~HostedPages();
    HostedPages(const HostedPages &) = delete;
    HostedPages &operator=(const HostedPages &) = delete;

    // "en", "de" or "fr": the first supported tag of ui_locales (space
    // separated, BCP 47, "de-CH" counts as "de"), else the best of
    // Accept-Language by q-value, else "en".
    [[nodiscard]] static QString chooseLanguage(const QString &uiLocales, const QByteArray &acceptLanguage);

    // English source text in `language` (the same catalog as {{t:…}}); the
    // text itself when there is no translation.
    [[nodiscard]] QString translate(const QString &language, const QString &english) const;

    // Renders resources/pages/<page>.html inside layout.html (which shows
    // {{title}} and the page body). Fields "lang" and "stylesheet" are set by
    // render. formActionOrigins: extra origins for CSP form-action. Chromium
    // checks form-action on every redirect that follows the POST (measured:
    // with only 'self', a 303 to another origin is refused and the page stays),
    // so every page whose form can end in a redirect to the client (sign-in,
    // second step, e-mailed code, product, consent, logout) must list that
    // redirect URI's origin ("https://rp.example:8443"); anything that is not a
    // plain http(s) origin is dropped. Fields ending in "_url" render only when
    // they are http(s) addresses.
    [[nodiscard]] ApiResponse render(const QString &page, const QString &language, const QVariantHash &fields,
                                     int status = 200, const QStringList &formActionOrigins = {}) const;

    // GET /authrealm/pages.css (text/css, cacheable for a day).
    [[nodiscard]] ApiResponse stylesheet() const;
    static inline const QString kStylesheetPath = QStringLiteral("/authrealm/pages.css");

    // The pages render knows ("signin", "totp", …, "error"; not "layout").
    [[nodiscard]] static QStringList pageNames();
    // The contract's messages the flow passes in (PageStrings.cpp), for tests.
    [[nodiscard]] static QStringList messageCatalog();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace authrealm
