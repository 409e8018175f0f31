#include "auth/Permissions.h"

#include "storage/RealmStore.h"

namespace authrealm {

QSet<QString> Permissions::disabledScopes(const QString &realmId, const QString &appId) const
{
    QSet<QString> off;
    QSet<QString> on;
    for (const Feature &feature : m_realms.features(realmId, appId)) {
        for (const QString &scope : feature.scopes)
            (feature.enabled ? on : off).insert(scope);
    }
    // A scope shared with a feature that is still on stays available.
    return off - on;
}

QStringList Permissions::withoutDisabled(const QString &realmId, const QString &appId, const QStringList &scopes) const
{
    const QSet<QString> off = disabledScopes(realmId, appId);
    QStringList out;
    for (const QString &scope : scopes) {
        if (!off.contains(scope))
            out.append(scope);
    }
    return out;
}

Grant Permissions::grantFor(const QString &realmId, const QString &appId, const QStringList &roleNames) const
{
    Grant grant;
    QSet<QString> scopes;
    const QSet<QString> held(roleNames.cbegin(), roleNames.cend());
    for (const Role &role : m_realms.roles(realmId, appId)) {
        if (!held.contains(role.name))
            continue;
        grant.roles.append(role.name);
        for (const QString &scope : role.scopes)
            scopes.insert(scope);
    }
    scopes -= disabledScopes(realmId, appId);
    grant.scopes = QStringList(scopes.cbegin(), scopes.cend());
    grant.scopes.sort();
    return grant;
}

} // namespace authrealm
