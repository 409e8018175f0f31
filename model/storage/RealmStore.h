#pragma once

#include "domain/Entities.h"
#include "domain/RealmSettings.h"

#include <QList>
#include <optional>

namespace authrealm {

class Database;

// Realms, their settings, apps (products) and role catalogs.
class RealmStore
{
public:
    explicit RealmStore(const Database &db) : m_db(db) {}

    void createRealm(const Realm &realm) const;   // Conflict if it exists
    [[nodiscard]] std::optional<Realm> realm(const QString &id) const;
    [[nodiscard]] bool realmExists(const QString &id) const;
    [[nodiscard]] QList<Realm> realms() const;
    void deleteRealm(const QString &id) const;    // refuses master

    [[nodiscard]] RealmSettings settings(const QString &realmId) const;
    void saveSettings(const QString &realmId, const RealmSettings &settings) const;

    void createApp(const App &app) const;
    [[nodiscard]] std::optional<App> app(const QString &realmId, const QString &appId) const;
    [[nodiscard]] QList<App> apps(const QString &realmId) const;

    void saveRole(const Role &role) const;        // insert or replace the scopes
    [[nodiscard]] QList<Role> roles(const QString &realmId, const QString &appId) const;

private:
    const Database &m_db;
};

} // namespace authrealm
