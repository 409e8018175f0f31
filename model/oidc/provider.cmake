# The OpenID Connect provider: authorization requests, codes, browser (SSO)
# sessions, ID tokens and the token endpoint's grants.
target_sources(authrealm_model PRIVATE
)
