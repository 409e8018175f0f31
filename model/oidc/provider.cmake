# The OpenID Connect provider: authorization requests, codes, browser (SSO)
# sessions, ID tokens and the token endpoint's grants.
target_sources(authrealm_model PRIVATE
    oidc/AuthorizationRequest.cpp oidc/AuthorizationRequest.h
    oidc/IdTokens.cpp oidc/IdTokens.h
    oidc/OidcProvider.cpp oidc/OidcSignInSteps.cpp oidc/OidcProvider.h
    oidc/OidcStore.cpp oidc/OidcStore.h
    oidc/OidcTokens.cpp oidc/OidcTokens.h
)
