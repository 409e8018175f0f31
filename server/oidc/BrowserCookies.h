#pragma once

#include "ApiRequest.h"
#include "oidc/OidcProvider.h"

namespace authrealm {

class AuthRealmCore;

// The provider's cookies: the realm's SSO cookie and the request-binding
// cookie. Over HTTPS they carry the __Host- prefix and Secure; always
// HttpOnly, SameSite=Lax and Path=/ (RFC 6265bis §4.1.3.2).
class BrowserCookies
{
public:
    explicit BrowserCookies(bool https) : m_https(https) {}

    [[nodiscard]] QString ssoName(const QString &realmId) const;
    [[nodiscard]] QString bindingName() const;
    [[nodiscard]] BrowserState read(const ApiRequest &request) const;
    // Set-Cookie headers for what the step asks (new SSO, cleared SSO, new binding).
    void apply(const AuthorizationStep &step, const QString &realmId, ApiResponse &response) const;
    [[nodiscard]] QByteArray clearSso(const QString &realmId) const;

private:
    [[nodiscard]] QByteArray setCookie(const QString &name, const QString &value, qint64 maxAgeSeconds) const;
    bool m_https;
};

} // namespace authrealm
