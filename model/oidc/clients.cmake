# OAuth clients: registration, secrets, client authentication (ClientRegistry).
target_sources(authrealm_model PRIVATE
    oidc/OAuthClient.h
    oidc/ClientAuthentication.h
    oidc/ClientAuthenticator.cpp
    oidc/ClientOnboarding.cpp
    oidc/ClientCache.cpp oidc/ClientCache.h
    oidc/ClientRegistry.cpp oidc/ClientRegistry.h
    oidc/ClientRules.cpp oidc/ClientRules.h
    oidc/RedirectUris.cpp oidc/RedirectUris.h
)
