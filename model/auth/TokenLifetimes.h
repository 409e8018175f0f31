#pragma once

#include "domain/Entities.h"

namespace authrealm {

class RealmSettings;

// The deployment's ceiling on token lifetimes (authrealmd
// --max-access-token-lifetime, --max-refresh-token-lifetime,
// --max-session-lifetime), in seconds.
struct LifetimeBounds
{
    qint64 maxAccessTokenLifetime = 86400;
    qint64 maxRefreshTokenLifetime = 31536000;
    qint64 maxSessionLifetime = 31536000;
};

// What one sign-in actually gets, in seconds.
struct EffectiveLifetimes
{
    qint64 accessToken = 0;
    qint64 refreshToken = 0;
    qint64 sessionMax = 0;
    qint64 refreshIdle = 0;
};

// Hierarchical lifetimes: the deployment sets bounds, a realm tightens them,
// an app tightens further. Each level can only shorten: effective = min of the
// levels that say something (an app's 0 means "inherit").
[[nodiscard]] EffectiveLifetimes effectiveLifetimes(const LifetimeBounds &deployment, const RealmSettings &realm, const AppLifetimes &app);

} // namespace authrealm
