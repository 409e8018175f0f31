#pragma once

#include "domain/Entities.h"
#include "domain/RealmSettings.h"

#include <QList>
#include <QSet>
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

    // Also creates the app's system roles "owner" and "member".
    void createApp(const App &app) const;
    [[nodiscard]] std::optional<App> app(const QString &realmId, const QString &appId) const;
    [[nodiscard]] QList<App> apps(const QString &realmId) const;
    [[nodiscard]] AppLifetimes appLifetimes(const QString &realmId, const QString &appId) const;
    // NotFound if the app does not exist.
    void setAppLifetimes(const QString &realmId, const QString &appId, const AppLifetimes &lifetimes) const;

    void saveRole(const Role &role) const;        // insert or replace the scopes
    [[nodiscard]] QList<Role> roles(const QString &realmId, const QString &appId) const;
    [[nodiscard]] std::optional<Role> role(const QString &realmId, const QString &appId, const QString &name) const;
    // Renames everywhere the role is held, in one transaction. System roles refuse.
    void renameRole(const QString &realmId, const QString &appId, const QString &from, const QString &to) const;
    // Refused with Conflict ("role_in_use") while anyone holds it; system roles refuse.
    void deleteRole(const QString &realmId, const QString &appId, const QString &name) const;

    static inline const QString kOwnerRole = QStringLiteral("owner");
    static inline const QString kMemberRole = QStringLiteral("member");

    void saveFeature(const Feature &feature) const; // insert or replace
    [[nodiscard]] QList<Feature> features(const QString &realmId, const QString &appId) const;
    void setFeatureEnabled(const QString &realmId, const QString &appId, const QString &key, bool enabled) const;
    void deleteFeature(const QString &realmId, const QString &appId, const QString &key) const;

private:
    const Database &m_db;
};

} // namespace authrealm
