# The OpenID Connect provider's endpoints.
target_sources(authrealm_server PRIVATE
    oidc/BrowserCookies.cpp oidc/BrowserCookies.h
    oidc/FormBody.cpp oidc/FormBody.h
    oidc/OidcLogoutRoutes.cpp
    oidc/OidcPages.cpp oidc/OidcPages.h
    oidc/OidcRoutes.cpp
    oidc/OidcTokenRoutes.cpp
)
