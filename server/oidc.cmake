# The OpenID Connect provider's endpoints.
target_sources(authrealm_server PRIVATE
)
