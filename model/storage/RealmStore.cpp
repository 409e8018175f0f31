#include "storage/RealmStore.h"

#include "core/DomainError.h"
#include "storage/Sql.h"

namespace authrealm {

namespace {
const QString kMaster = QStringLiteral("master");

QStringList splitScopes(const QString &text)
{
    return text.split(u' ', Qt::SkipEmptyParts);
}
} // namespace

void RealmStore::createRealm(const Realm &realm) const
{
    if (!Validate::identifier(realm.id))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("A realm name uses letters, digits, '.', '_' or '-' (at most 64)"));
    if (realmExists(realm.id))
        throw DomainError(ErrorCode::Conflict, QStringLiteral("Realm \"%1\" already exists").arg(realm.id));
    SqlQuery(m_db, QStringLiteral("INSERT INTO realms (id, display_name, created_at) VALUES (:id, :name, :at)"))
        .bind(QStringLiteral(":id"), realm.id)
        .bind(QStringLiteral(":name"), realm.displayName.isEmpty() ? realm.id : realm.displayName)
        .bind(QStringLiteral(":at"), realm.createdAt)
        .exec();
}

std::optional<Realm> RealmStore::realm(const QString &id) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT id, display_name, created_at FROM realms WHERE id = :id"));
    q.bind(QStringLiteral(":id"), id).exec();
    if (!q.next())
        return std::nullopt;
    return Realm{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()};
}

bool RealmStore::realmExists(const QString &id) const
{
    return realm(id).has_value();
}

QList<Realm> RealmStore::realms() const
{
    SqlQuery q(m_db, QStringLiteral("SELECT id, display_name, created_at FROM realms ORDER BY id"));
    q.exec();
    QList<Realm> out;
    while (q.next())
        out.append(Realm{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong()});
    return out;
}

void RealmStore::deleteRealm(const QString &id) const
{
    if (id == kMaster)
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("The master realm cannot be deleted"));
    SqlQuery q(m_db, QStringLiteral("DELETE FROM realms WHERE id = :id"));
    q.bind(QStringLiteral(":id"), id).exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("Realm not found"));
}

RealmSettings RealmStore::settings(const QString &realmId) const
{
    RealmSettings settings;
    SqlQuery q(m_db, QStringLiteral("SELECT name, value FROM realm_settings WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    while (q.next())
        settings.setStored(q.value(0).toString(), q.value(1).toString());
    return settings;
}

void RealmStore::saveSettings(const QString &realmId, const RealmSettings &settings) const
{
    SqlQuery(m_db, QStringLiteral("DELETE FROM realm_settings WHERE realm_id = :r")).bind(QStringLiteral(":r"), realmId).exec();
    const auto overrides = settings.overrides();
    for (auto it = overrides.cbegin(); it != overrides.cend(); ++it) {
        SqlQuery(m_db, QStringLiteral("INSERT INTO realm_settings (realm_id, name, value) VALUES (:r, :n, :v)"))
            .bind(QStringLiteral(":r"), realmId)
            .bind(QStringLiteral(":n"), it.key())
            .bind(QStringLiteral(":v"), RealmSettings::toStored(it.value()))
            .exec();
    }
}

void RealmStore::createApp(const App &app) const
{
    if (!Validate::identifier(app.id))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("An app id uses letters, digits, '.', '_' or '-' (at most 64)"));
    if (this->app(app.realmId, app.id))
        throw DomainError(ErrorCode::Conflict, QStringLiteral("App \"%1\" already exists").arg(app.id));
    SqlQuery(m_db, QStringLiteral("INSERT INTO apps (realm_id, id, display_name, created_at) VALUES (:r, :id, :name, :at)"))
        .bind(QStringLiteral(":r"), app.realmId)
        .bind(QStringLiteral(":id"), app.id)
        .bind(QStringLiteral(":name"), app.displayName.isEmpty() ? app.id : app.displayName)
        .bind(QStringLiteral(":at"), app.createdAt)
        .exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO roles (realm_id, app_id, name, scopes, is_system) VALUES (:r, :a, :n, :s, 1)"))
        .bind(QStringLiteral(":r"), app.realmId)
        .bind(QStringLiteral(":a"), app.id)
        .bind(QStringLiteral(":n"), kOwnerRole)
        .bind(QStringLiteral(":s"), QStringLiteral("users:read users:write"))
        .exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO roles (realm_id, app_id, name, scopes, is_system) VALUES (:r, :a, :n, '', 1)"))
        .bind(QStringLiteral(":r"), app.realmId)
        .bind(QStringLiteral(":a"), app.id)
        .bind(QStringLiteral(":n"), kMemberRole)
        .exec();
}

std::optional<App> RealmStore::app(const QString &realmId, const QString &appId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT realm_id, id, display_name, created_at FROM apps WHERE realm_id = :r AND id = :id"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":id"), appId).exec();
    if (!q.next())
        return std::nullopt;
    return App{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()};
}

AppLifetimes RealmStore::appLifetimes(const QString &realmId, const QString &appId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT access_token_lifetime, refresh_token_lifetime, session_max_lifetime FROM apps "
                                    "WHERE realm_id = :r AND id = :id"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":id"), appId).exec();
    if (!q.next())
        return {};
    return AppLifetimes{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong()};
}

void RealmStore::setAppLifetimes(const QString &realmId, const QString &appId, const AppLifetimes &lifetimes) const
{
    const auto nullable = [](qint64 v) { return v > 0 ? QVariant(v) : QVariant(QMetaType(QMetaType::LongLong)); };
    SqlQuery q(m_db, QStringLiteral("UPDATE apps SET access_token_lifetime = :a, refresh_token_lifetime = :rt, session_max_lifetime = :s "
                                    "WHERE realm_id = :r AND id = :id"));
    q.bind(QStringLiteral(":a"), nullable(lifetimes.accessToken))
        .bind(QStringLiteral(":rt"), nullable(lifetimes.refreshToken))
        .bind(QStringLiteral(":s"), nullable(lifetimes.sessionMax))
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":id"), appId)
        .exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such app"));
}

QList<App> RealmStore::apps(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT realm_id, id, display_name, created_at FROM apps WHERE realm_id = :r ORDER BY id"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    QList<App> out;
    while (q.next())
        out.append(App{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()});
    return out;
}

void RealmStore::saveRole(const Role &role) const
{
    if (!Validate::roleName(role.name))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Invalid role name \"%1\"").arg(role.name.left(64)));
    for (const QString &scope : role.scopes) {
        if (!Validate::scope(scope))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Invalid scope \"%1\"").arg(scope.left(128)));
    }
    QStringList scopes = role.scopes;
    scopes.removeDuplicates();
    SqlQuery upd(m_db, QStringLiteral("UPDATE roles SET scopes = :s WHERE realm_id = :r AND app_id = :a AND name = :n"));
    upd.bind(QStringLiteral(":s"), scopes.join(u' '))
        .bind(QStringLiteral(":r"), role.realmId)
        .bind(QStringLiteral(":a"), role.appId)
        .bind(QStringLiteral(":n"), role.name)
        .exec();
    if (upd.rowsAffected() > 0)
        return;
    SqlQuery(m_db, QStringLiteral("INSERT INTO roles (realm_id, app_id, name, scopes) VALUES (:r, :a, :n, :s)"))
        .bind(QStringLiteral(":r"), role.realmId)
        .bind(QStringLiteral(":a"), role.appId)
        .bind(QStringLiteral(":n"), role.name)
        .bind(QStringLiteral(":s"), scopes.join(u' '))
        .exec();
}

QList<Role> RealmStore::roles(const QString &realmId, const QString &appId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT name, scopes, is_system FROM roles WHERE realm_id = :r AND app_id = :a ORDER BY name"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).exec();
    QList<Role> out;
    while (q.next())
        out.append(Role{realmId, appId, q.value(0).toString(), splitScopes(q.value(1).toString()), q.value(2).toInt() != 0});
    return out;
}

std::optional<Role> RealmStore::role(const QString &realmId, const QString &appId, const QString &name) const
{
    for (const Role &r : roles(realmId, appId)) {
        if (r.name == name)
            return r;
    }
    return std::nullopt;
}

void RealmStore::renameRole(const QString &realmId, const QString &appId, const QString &from, const QString &to) const
{
    if (!Validate::roleName(to))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Invalid role name \"%1\"").arg(to.left(64)));
    Transaction tx(m_db);
    const std::optional<Role> existing = role(realmId, appId, from);
    if (!existing)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such role"));
    if (existing->system)
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("System roles cannot be renamed"));
    if (role(realmId, appId, to))
        throw DomainError(ErrorCode::Conflict, QStringLiteral("A role named \"%1\" already exists").arg(to));
    // Insert the new name, move the holders, drop the old name: the foreign
    // keys stay satisfied at every step.
    SqlQuery(m_db, QStringLiteral("INSERT INTO roles (realm_id, app_id, name, scopes, is_system) VALUES (:r, :a, :n, :s, 0)"))
        .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":n"), to)
        .bind(QStringLiteral(":s"), existing->scopes.join(u' ')).exec();
    SqlQuery(m_db, QStringLiteral("UPDATE membership_roles SET role_name = :to WHERE realm_id = :r AND app_id = :a AND role_name = :from"))
        .bind(QStringLiteral(":to"), to).bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId)
        .bind(QStringLiteral(":from"), from).exec();
    SqlQuery(m_db, QStringLiteral("DELETE FROM roles WHERE realm_id = :r AND app_id = :a AND name = :n"))
        .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":n"), from).exec();
    tx.commit();
}

void RealmStore::deleteRole(const QString &realmId, const QString &appId, const QString &name) const
{
    Transaction tx(m_db);
    const std::optional<Role> existing = role(realmId, appId, name);
    if (!existing)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such role"));
    if (existing->system)
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("System roles cannot be deleted"));
    SqlQuery holders(m_db, QStringLiteral("SELECT COUNT(*) FROM membership_roles WHERE realm_id = :r AND app_id = :a AND role_name = :n"));
    holders.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":n"), name).exec();
    if (holders.next() && holders.value(0).toLongLong() > 0)
        throw DomainError(ErrorCode::RoleInUse, QStringLiteral("The role is still held by %1 member(s)").arg(holders.value(0).toLongLong()));
    SqlQuery(m_db, QStringLiteral("DELETE FROM roles WHERE realm_id = :r AND app_id = :a AND name = :n"))
        .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":n"), name).exec();
    tx.commit();
}

void RealmStore::saveFeature(const Feature &feature) const
{
    if (!Validate::featureKey(feature.key))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Invalid feature key \"%1\"").arg(feature.key.left(64)));
    for (const QString &scope : feature.scopes) {
        if (!Validate::scope(scope))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Invalid scope \"%1\"").arg(scope.left(128)));
    }
    QStringList scopes = feature.scopes;
    scopes.removeDuplicates();
    Transaction tx(m_db);
    SqlQuery(m_db, QStringLiteral("DELETE FROM features WHERE realm_id = :r AND app_id = :a AND feature_key = :k"))
        .bind(QStringLiteral(":r"), feature.realmId).bind(QStringLiteral(":a"), feature.appId).bind(QStringLiteral(":k"), feature.key).exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO features (realm_id, app_id, feature_key, is_enabled, scopes) VALUES (:r, :a, :k, :e, :s)"))
        .bind(QStringLiteral(":r"), feature.realmId).bind(QStringLiteral(":a"), feature.appId).bind(QStringLiteral(":k"), feature.key)
        .bind(QStringLiteral(":e"), feature.enabled ? 1 : 0).bind(QStringLiteral(":s"), scopes.join(u' ')).exec();
    tx.commit();
}

QList<Feature> RealmStore::features(const QString &realmId, const QString &appId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT feature_key, is_enabled, scopes FROM features WHERE realm_id = :r AND app_id = :a ORDER BY feature_key"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).exec();
    QList<Feature> out;
    while (q.next())
        out.append(Feature{realmId, appId, q.value(0).toString(), q.value(1).toInt() != 0, splitScopes(q.value(2).toString())});
    return out;
}

void RealmStore::setFeatureEnabled(const QString &realmId, const QString &appId, const QString &key, bool enabled) const
{
    SqlQuery q(m_db, QStringLiteral("UPDATE features SET is_enabled = :e WHERE realm_id = :r AND app_id = :a AND feature_key = :k"));
    q.bind(QStringLiteral(":e"), enabled ? 1 : 0).bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId)
        .bind(QStringLiteral(":k"), key).exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such feature"));
}

void RealmStore::deleteFeature(const QString &realmId, const QString &appId, const QString &key) const
{
    SqlQuery q(m_db, QStringLiteral("DELETE FROM features WHERE realm_id = :r AND app_id = :a AND feature_key = :k"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":k"), key).exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such feature"));
}

} // namespace authrealm
