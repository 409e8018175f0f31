#include "admin/AdminActor.h"

#include "core/DomainError.h"

namespace authrealm {

QString AdminGrant::layerName(Layer layer)
{
    switch (layer) {
    case Layer::Master: return QStringLiteral("master");
    case Layer::Realm: return QStringLiteral("realm");
    case Layer::App: return QStringLiteral("app");
    }
    return QStringLiteral("app");
}

std::optional<AdminGrant::Layer> AdminGrant::layerFromName(const QString &name)
{
    if (name == u"master") return Layer::Master;
    if (name == u"realm") return Layer::Realm;
    if (name == u"app") return Layer::App;
    return std::nullopt;
}

bool AdminActor::isMaster() const
{
    for (const AdminGrant &g : grants) {
        if (g.layer == AdminGrant::Layer::Master)
            return true;
    }
    return false;
}

bool AdminActor::canAdminRealm(const QString &realmId) const
{
    for (const AdminGrant &g : grants) {
        if (g.layer == AdminGrant::Layer::Master || (g.layer == AdminGrant::Layer::Realm && g.realmId == realmId))
            return true;
    }
    return false;
}

bool AdminActor::canAdminApp(const QString &realmId, const QString &appId) const
{
    if (canAdminRealm(realmId))
        return true;
    for (const AdminGrant &g : grants) {
        if (g.layer == AdminGrant::Layer::App && g.realmId == realmId && g.appId == appId)
            return true;
    }
    return false;
}

bool AdminActor::canSeeRealm(const QString &realmId) const
{
    if (canAdminRealm(realmId))
        return true;
    for (const AdminGrant &g : grants) {
        if (g.realmId == realmId)
            return true;
    }
    return false;
}

void AdminActor::requireRealm(const QString &realmId) const
{
    if (!canAdminRealm(realmId))
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("You do not administer this realm"));
}

void AdminActor::requireApp(const QString &realmId, const QString &appId) const
{
    if (!canAdminApp(realmId, appId))
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("You do not administer this app"));
}

void AdminActor::requireMaster() const
{
    if (!isMaster())
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("Only a master administrator may do this"));
}

void AdminActor::requireWrite() const
{
    if (readOnly)
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("This API key may only read"));
}

} // namespace authrealm
