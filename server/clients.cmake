# Admin API for OAuth clients and dynamic client registration.
target_sources(authrealm_server PRIVATE
    routes/AdminClientRoutes.cpp
    routes/ClientJson.cpp routes/ClientJson.h
    routes/RegistrationRoutes.cpp
)
