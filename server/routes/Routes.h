#pragma once

#include "Router.h"

namespace authrealm {

class AuthRealmCore;
struct ApiResponse;
struct TokenPair;

struct RouteContext
{
    AuthRealmCore &core;
    Router &router;
};

// One file per resource; each registers its own routes.
void registerHealthRoutes(const RouteContext &context);
void registerAuthRoutes(const RouteContext &context);
void registerAccountRoutes(const RouteContext &context);
void registerAdminMailRoutes(const RouteContext &context);

// The token response of every sign-in method (password, email code).
[[nodiscard]] ApiResponse tokenResponse(const TokenPair &pair);
void registerTenantRoutes(const RouteContext &context);
void registerTokenRoutes(const RouteContext &context);
void registerAdminRealmRoutes(const RouteContext &context);
void registerAdminUserRoutes(const RouteContext &context);
void registerAdminAuditRoutes(const RouteContext &context);
void registerSetupRoutes(const RouteContext &context);
void registerWellKnownRoutes(const RouteContext &context);

} // namespace authrealm
