# Admin API for OAuth clients and dynamic client registration.
target_sources(authrealm_server PRIVATE
)
