#pragma once

#include "Router.h"

namespace authrealm {

class AuthRealmCore;
struct ApiResponse;
struct SignInResult;
struct TokenPair;

struct RouteContext
{
    AuthRealmCore &core;
    Router &router;
};

// The token response of every sign-in endpoint (AuthRoutes.cpp), and the
// answer of a first factor: tokens, or 202 with the second-factor challenge.
[[nodiscard]] ApiResponse tokenResponse(const TokenPair &pair);
[[nodiscard]] ApiResponse signInResponse(const SignInResult &result);

// One file per resource; each registers its own routes.
void registerHealthRoutes(const RouteContext &context);
void registerAuthRoutes(const RouteContext &context);
void registerAccountRoutes(const RouteContext &context);
void registerAdminMailRoutes(const RouteContext &context);
void registerTenantRoutes(const RouteContext &context);
void registerTokenRoutes(const RouteContext &context);
void registerMfaRoutes(const RouteContext &context);
void registerSessionRoutes(const RouteContext &context);
void registerAdminRealmRoutes(const RouteContext &context);
void registerAdminClientRoutes(const RouteContext &context);
void registerRegistrationRoutes(const RouteContext &context);
void registerAdminUserRoutes(const RouteContext &context);
void registerAdminAuditRoutes(const RouteContext &context);
void registerSetupRoutes(const RouteContext &context);
void registerWellKnownRoutes(const RouteContext &context);
void registerOidcRoutes(const RouteContext &context);      // oidc/OidcRoutes.cpp
void registerOidcTokenRoutes(const RouteContext &context); // oidc/OidcTokenRoutes.cpp
void registerPageRoutes(const RouteContext &context);

} // namespace authrealm
