#pragma once

#include <QSet>
#include <QStringList>

namespace authrealm {

class RealmStore;

struct Grant
{
    QStringList roles;  // the held roles that exist in the app's catalog
    QStringList scopes; // sorted
};

// Scope evaluation, in one place: a holder's scopes in an app are the union
// of the scopes of their roles there, minus the scopes of the app's features
// that are switched off.
class Permissions
{
public:
    explicit Permissions(const RealmStore &realms) : m_realms(realms) {}

    [[nodiscard]] Grant grantFor(const QString &realmId, const QString &appId, const QStringList &roleNames) const;
    // Scopes unlocked only by features that are off right now.
    [[nodiscard]] QSet<QString> disabledScopes(const QString &realmId, const QString &appId) const;
    // `scopes` minus whatever is switched off now (for checks on tokens minted earlier).
    [[nodiscard]] QStringList withoutDisabled(const QString &realmId, const QString &appId, const QStringList &scopes) const;

private:
    const RealmStore &m_realms;
};

} // namespace authrealm
