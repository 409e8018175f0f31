#include "auth/TokenLifetimes.h"

#include "domain/RealmSettings.h"

#include <algorithm>

namespace authrealm {

namespace {
qint64 tightest(qint64 deployment, qint64 realm, qint64 app)
{
    qint64 v = std::min(deployment, realm);
    if (app > 0)
        v = std::min(v, app);
    return std::max<qint64>(v, 1);
}
} // namespace

EffectiveLifetimes effectiveLifetimes(const LifetimeBounds &deployment, const RealmSettings &realm, const AppLifetimes &app)
{
    EffectiveLifetimes e;
    e.accessToken = tightest(deployment.maxAccessTokenLifetime, realm.accessTokenLifetime(), app.accessToken);
    e.sessionMax = tightest(deployment.maxSessionLifetime, realm.sessionMaxLifetime(), app.sessionMax);
    // A refresh token never outlives its session.
    e.refreshToken = std::min(e.sessionMax, tightest(deployment.maxRefreshTokenLifetime, realm.refreshTokenLifetime(), app.refreshToken));
    e.refreshIdle = std::min(e.sessionMax, realm.refreshIdleTimeout());
    return e;
}

} // namespace authrealm
