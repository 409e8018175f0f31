#pragma once

#include "ApiRequest.h"
#include "oidc/BrowserCookies.h"
#include "oidc/OidcProvider.h"
#include "pages/HostedPages.h"

#include <memory>

namespace authrealm {

class AuthRealmCore;

// Turns the provider's AuthorizationStep into HTTP: a hosted page (in the
// browser's language), a 303 to the client or back to the request, and the
// cookies the step sets. Shared by the authorization and logout routes.
class OidcPages
{
public:
    OidcPages(AuthRealmCore &core, const HostedPages &pages, bool https) : m_core(core), m_pages(pages), m_cookies(https) {}

    [[nodiscard]] const BrowserCookies &cookies() const { return m_cookies; }
    [[nodiscard]] const HostedPages &pages() const { return m_pages; }
    // "/realms/{realm}" when the request came that way, "" for the default realm's short paths.
    [[nodiscard]] static QString base(const ApiRequest &request);
    [[nodiscard]] QString language(const ApiRequest &request, const QString &uiLocales) const;

    [[nodiscard]] ApiResponse respond(const ApiRequest &request, const AuthorizationStep &step) const;
    [[nodiscard]] ApiResponse errorPage(const ApiRequest &request, const QString &title, const QString &message, int status = 400) const;
    [[nodiscard]] static ApiResponse seeOther(const QString &location);
    // scheme://host[:port] of a redirect URI, for CSP form-action.
    [[nodiscard]] static QString originOf(const QString &uri);

private:
    [[nodiscard]] ApiResponse page(const ApiRequest &request, const AuthorizationStep &step) const;
    AuthRealmCore &m_core;
    const HostedPages &m_pages;
    BrowserCookies m_cookies;
};

struct RouteContext;
// RP-initiated logout (OidcLogoutRoutes.cpp), registered by registerOidcRoutes.
void registerOidcLogoutRoutes(const RouteContext &context, std::shared_ptr<OidcPages> pages);

} // namespace authrealm
