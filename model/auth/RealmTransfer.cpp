#include "auth/RealmTransfer.h"

#include "admin/AdminDirectory.h"
#include "auth/KeyManager.h"
#include "auth/PasswordPolicy.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/PasswordHasher.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QUuid>

namespace authrealm {

namespace {

[[noreturn]] void invalid(const QString &path, const QString &problem)
{
    throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("%1: %2").arg(path, problem));
}

// Typed accessors that name the JSON path of whatever is wrong.
QString requiredString(const QJsonObject &o, const char *key, const QString &path)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString() || v.toString().isEmpty())
        invalid(path + u'.' + QLatin1String(key), QStringLiteral("must be a non-empty string"));
    return v.toString();
}

QString optionalString(const QJsonObject &o, const char *key, const QString &path)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString())
        invalid(path + u'.' + QLatin1String(key), QStringLiteral("must be a string"));
    return v.toString();
}

QJsonArray optionalArray(const QJsonObject &o, const char *key, const QString &path)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isArray())
        invalid(path + u'.' + QLatin1String(key), QStringLiteral("must be an array"));
    return v.toArray();
}

QJsonObject objectAt(const QJsonArray &array, int i, const QString &path)
{
    if (!array.at(i).isObject())
        invalid(QStringLiteral("%1[%2]").arg(path).arg(i), QStringLiteral("must be an object"));
    return array.at(i).toObject();
}

// An app's optional "tokenLifetimes": {"accessTokenLifetime": s, "refreshTokenLifetime": s,
// "sessionMaxLifetime": s}; absent or null inherits the realm's, values within the realm setting's range.
AppLifetimes appLifetimes(const QJsonObject &app, const QString &path)
{
    const QJsonValue v = app.value(QStringLiteral("tokenLifetimes"));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject())
        invalid(path + QStringLiteral(".tokenLifetimes"), QStringLiteral("must be an object"));
    const QJsonObject o = v.toObject();
    const auto field = [&](const char *name) -> qint64 {
        const QJsonValue f = o.value(QLatin1String(name));
        if (f.isUndefined() || f.isNull())
            return 0;
        const SettingDefinition *def = RealmSettings::find(QLatin1String(name));
        const double d = f.toDouble(-1);
        if (!f.isDouble() || d != double(qint64(d)) || d < def->minimum || d > def->maximum)
            invalid(QStringLiteral("%1.tokenLifetimes.%2").arg(path, QLatin1String(name)),
                    QStringLiteral("must be null or a whole number of seconds from %1 to %2").arg(def->minimum).arg(def->maximum));
        return qint64(d);
    };
    return AppLifetimes{field("accessTokenLifetime"), field("refreshTokenLifetime"), field("sessionMaxLifetime")};
}


QStringList stringList(const QJsonArray &array, const QString &path)
{
    QStringList out;
    for (int i = 0; i < array.size(); ++i) {
        if (!array.at(i).isString())
            invalid(QStringLiteral("%1[%2]").arg(path).arg(i), QStringLiteral("must be a string"));
        out.append(array.at(i).toString());
    }
    return out;
}

struct PlannedUser
{
    User user;
    QString password; // hashed before writing
    QList<Membership> memberships;
    QList<AdminGrant> grants;
};

struct PlannedKey
{
    QString id;
    QString name;
    AdminGrant grant;
    QStringList scopes;
    QString keyHash;
};

const QRegularExpression &hexHash()
{
    static const QRegularExpression re(QStringLiteral("^[0-9a-f]{64}$"));
    return re;
}

} // namespace

RealmTransfer::Summary RealmTransfer::importRealm(const QJsonObject &doc, const QString &actor) const
{
    const qint64 now = d.clock.nowMs();
    const QString root = QStringLiteral("$");
    Realm realm{requiredString(doc, "realm", root), optionalString(doc, "displayName", root), now};
    if (!Validate::identifier(realm.id))
        invalid(QStringLiteral("$.realm"), QStringLiteral("use letters, digits, '.', '_' or '-' (at most 64)"));
    if (d.realms.realmExists(realm.id))
        throw DomainError(ErrorCode::Conflict, QStringLiteral("Realm \"%1\" already exists; delete it first or import under another name").arg(realm.id));

    RealmSettings settings;
    const QJsonValue settingsValue = doc.value(QStringLiteral("settings"));
    if (!settingsValue.isUndefined() && !settingsValue.isObject())
        invalid(QStringLiteral("$.settings"), QStringLiteral("must be an object"));
    const QJsonObject settingsObject = settingsValue.toObject();
    for (auto it = settingsObject.begin(); it != settingsObject.end(); ++it) {
        try {
            settings.set(it.key(), it.value().toVariant());
        } catch (const DomainError &e) {
            invalid(QStringLiteral("$.settings.%1").arg(it.key().left(64)), e.message());
        }
    }

    QList<App> apps;
    QHash<QString, AppLifetimes> lifetimesByApp;
    QList<Role> roles;
    QList<Feature> features;
    QHash<QString, QSet<QString>> rolesByApp;
    const QJsonArray appArray = optionalArray(doc, "apps", root);
    for (int i = 0; i < appArray.size(); ++i) {
        const QString path = QStringLiteral("$.apps[%1]").arg(i);
        const QJsonObject a = objectAt(appArray, i, QStringLiteral("$.apps"));
        App app{realm.id, requiredString(a, "id", path), optionalString(a, "displayName", path), now};
        if (!Validate::identifier(app.id))
            invalid(path + QStringLiteral(".id"), QStringLiteral("use letters, digits, '.', '_' or '-' (at most 64)"));
        if (rolesByApp.contains(app.id))
            invalid(path + QStringLiteral(".id"), QStringLiteral("duplicate app id \"%1\"").arg(app.id));
        rolesByApp.insert(app.id, {});
        apps.append(app);
        lifetimesByApp.insert(app.id, appLifetimes(a, path));
        const QJsonArray roleArray = optionalArray(a, "roles", path);
        for (int j = 0; j < roleArray.size(); ++j) {
            const QString rpath = QStringLiteral("%1.roles[%2]").arg(path).arg(j);
            const QJsonObject r = objectAt(roleArray, j, path + QStringLiteral(".roles"));
            Role role{realm.id, app.id, requiredString(r, "name", rpath), stringList(optionalArray(r, "scopes", rpath), rpath + QStringLiteral(".scopes"))};
            if (!Validate::roleName(role.name))
                invalid(rpath + QStringLiteral(".name"), QStringLiteral("letters, digits, space, '.', '_' or '-' (at most 64)"));
            for (const QString &scope : std::as_const(role.scopes)) {
                if (!Validate::scope(scope))
                    invalid(rpath + QStringLiteral(".scopes"), QStringLiteral("invalid scope \"%1\"").arg(scope.left(128)));
            }
            if (rolesByApp[app.id].contains(role.name))
                invalid(rpath + QStringLiteral(".name"), QStringLiteral("duplicate role \"%1\"").arg(role.name));
            rolesByApp[app.id].insert(role.name);
            roles.append(role);
        }
        // System roles exist in every app even when the file does not list them.
        rolesByApp[app.id].insert(RealmStore::kOwnerRole);
        rolesByApp[app.id].insert(RealmStore::kMemberRole);
        const QJsonArray featureArray = optionalArray(a, "features", path);
        QSet<QString> featureKeys;
        for (int j = 0; j < featureArray.size(); ++j) {
            const QString fpath = QStringLiteral("%1.features[%2]").arg(path).arg(j);
            const QJsonObject f = objectAt(featureArray, j, path + QStringLiteral(".features"));
            Feature feature{realm.id, app.id, requiredString(f, "featureKey", fpath), true,
                            stringList(optionalArray(f, "scopes", fpath), fpath + QStringLiteral(".scopes"))};
            const QJsonValue enabled = f.value(QStringLiteral("isEnabled"));
            if (!enabled.isUndefined() && !enabled.isBool())
                invalid(fpath + QStringLiteral(".isEnabled"), QStringLiteral("must be true or false"));
            feature.enabled = enabled.toBool(true);
            if (!Validate::featureKey(feature.key))
                invalid(fpath + QStringLiteral(".featureKey"), QStringLiteral("letters, digits, '.', '_' or '-' (at most 64)"));
            if (featureKeys.contains(feature.key))
                invalid(fpath + QStringLiteral(".featureKey"), QStringLiteral("duplicate feature \"%1\"").arg(feature.key));
            featureKeys.insert(feature.key);
            for (const QString &scope : std::as_const(feature.scopes)) {
                if (!Validate::scope(scope))
                    invalid(fpath + QStringLiteral(".scopes"), QStringLiteral("invalid scope \"%1\"").arg(scope.left(128)));
            }
            features.append(feature);
        }
    }

    QList<PlannedUser> users;
    QSet<QString> emails;
    const QJsonArray userArray = optionalArray(doc, "users", root);
    for (int i = 0; i < userArray.size(); ++i) {
        const QString path = QStringLiteral("$.users[%1]").arg(i);
        const QJsonObject u = objectAt(userArray, i, QStringLiteral("$.users"));
        PlannedUser planned;
        User &user = planned.user;
        user.id = optionalString(u, "id", path);
        if (user.id.isEmpty())
            user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        user.realmId = realm.id;
        user.email = requiredString(u, "email", path).trimmed();
        user.username = optionalString(u, "username", path);
        user.displayName = optionalString(u, "displayName", path);
        user.createdAt = now;
        user.updatedAt = now;
        if (!Validate::email(user.email))
            invalid(path + QStringLiteral(".email"), QStringLiteral("not a valid email address"));
        if (emails.contains(Validate::emailKey(user.email)))
            invalid(path + QStringLiteral(".email"), QStringLiteral("duplicate email (emails are unique per realm, ignoring case)"));
        emails.insert(Validate::emailKey(user.email));
        const QString status = optionalString(u, "status", path);
        if (!status.isEmpty()) {
            const auto parsed = userStatusFromName(status);
            if (!parsed)
                invalid(path + QStringLiteral(".status"), QStringLiteral("must be active, suspended or deactivated"));
            user.status = *parsed;
        }
        planned.password = optionalString(u, "password", path);
        const QString passwordHash = optionalString(u, "passwordHash", path);
        if (!planned.password.isEmpty() && !passwordHash.isEmpty())
            invalid(path, QStringLiteral("give either password or passwordHash, not both"));
        if (!passwordHash.isEmpty()) {
            if (!PasswordHasher::isArgon2idPhc(passwordHash))
                invalid(path + QStringLiteral(".passwordHash"), QStringLiteral("must be an argon2id PHC string ($argon2id$v=19$m=...,t=...,p=1$...)"));
            user.passwordHash = passwordHash;
        }
        if (!planned.password.isEmpty()) {
            try {
                PasswordPolicy{}.check(planned.password);
            } catch (const DomainError &e) {
                invalid(path + QStringLiteral(".password"), e.message());
            }
        }
        const QJsonArray memberArray = optionalArray(u, "memberships", path);
        QSet<QString> seenApps;
        for (int j = 0; j < memberArray.size(); ++j) {
            const QString mpath = QStringLiteral("%1.memberships[%2]").arg(path).arg(j);
            const QJsonObject m = objectAt(memberArray, j, path + QStringLiteral(".memberships"));
            Membership membership{requiredString(m, "app", mpath), stringList(optionalArray(m, "roles", mpath), mpath + QStringLiteral(".roles"))};
            if (!rolesByApp.contains(membership.appId))
                invalid(mpath + QStringLiteral(".app"), QStringLiteral("no app \"%1\" in this file").arg(membership.appId.left(64)));
            if (seenApps.contains(membership.appId))
                invalid(mpath + QStringLiteral(".app"), QStringLiteral("duplicate membership"));
            seenApps.insert(membership.appId);
            for (const QString &role : std::as_const(membership.roles)) {
                if (!rolesByApp.value(membership.appId).contains(role))
                    invalid(mpath + QStringLiteral(".roles"), QStringLiteral("app \"%1\" has no role \"%2\"").arg(membership.appId, role.left(64)));
            }
            planned.memberships.append(membership);
        }
        const QJsonArray adminArray = optionalArray(u, "admin", path);
        for (int j = 0; j < adminArray.size(); ++j) {
            const QString apath = QStringLiteral("%1.admin[%2]").arg(path).arg(j);
            const QJsonObject g = objectAt(adminArray, j, path + QStringLiteral(".admin"));
            const auto layer = AdminGrant::layerFromName(requiredString(g, "layer", apath));
            // Import grants stay inside the imported realm; master grants are given on the master realm only.
            if (!layer || *layer == AdminGrant::Layer::Master)
                invalid(apath + QStringLiteral(".layer"), QStringLiteral("must be realm or app"));
            AdminGrant grant{*layer, realm.id, {}};
            if (*layer == AdminGrant::Layer::App) {
                grant.appId = requiredString(g, "app", apath);
                if (!rolesByApp.contains(grant.appId))
                    invalid(apath + QStringLiteral(".app"), QStringLiteral("no app \"%1\" in this file").arg(grant.appId.left(64)));
            }
            planned.grants.append(grant);
        }
        users.append(planned);
    }

    QList<PlannedKey> keys;
    const QJsonArray keyArray = optionalArray(doc, "apiKeys", root);
    for (int i = 0; i < keyArray.size(); ++i) {
        const QString path = QStringLiteral("$.apiKeys[%1]").arg(i);
        const QJsonObject k = objectAt(keyArray, i, QStringLiteral("$.apiKeys"));
        PlannedKey key{requiredString(k, "id", path), requiredString(k, "name", path), {}, stringList(optionalArray(k, "scopes", path), path + QStringLiteral(".scopes")),
                       requiredString(k, "keyHash", path)};
        const auto layer = AdminGrant::layerFromName(requiredString(k, "layer", path));
        if (!layer || *layer == AdminGrant::Layer::Master)
            invalid(path + QStringLiteral(".layer"), QStringLiteral("must be realm or app"));
        key.grant = AdminGrant{*layer, realm.id, *layer == AdminGrant::Layer::App ? requiredString(k, "app", path) : QString()};
        if (*layer == AdminGrant::Layer::App && !rolesByApp.contains(key.grant.appId))
            invalid(path + QStringLiteral(".app"), QStringLiteral("no app \"%1\" in this file").arg(key.grant.appId.left(64)));
        if (!hexHash().match(key.keyHash).hasMatch())
            invalid(path + QStringLiteral(".keyHash"), QStringLiteral("must be the 64-hex-digit hash from an export"));
        for (const QString &scope : std::as_const(key.scopes)) {
            if (scope != u"admin:read" && scope != u"admin:write")
                invalid(path + QStringLiteral(".scopes"), QStringLiteral("API key scopes are admin:read and admin:write"));
        }
        keys.append(key);
    }

    // Hash before taking the write lock: argon2id is the slow part.
    for (PlannedUser &planned : users) {
        if (!planned.password.isEmpty()) {
            planned.user.passwordHash = d.hasher.hash(planned.password);
            planned.password.fill(u'\0');
        }
    }

    {
        Transaction tx(d.db);
        d.realms.createRealm(realm);
        d.realms.saveSettings(realm.id, settings);
        for (const App &app : std::as_const(apps)) {
            d.realms.createApp(app);
            const AppLifetimes lifetimes = lifetimesByApp.value(app.id);
            if (lifetimes.accessToken || lifetimes.refreshToken || lifetimes.sessionMax)
                d.realms.setAppLifetimes(realm.id, app.id, lifetimes);
        }
        for (const Role &role : std::as_const(roles))
            d.realms.saveRole(role);
        for (const Feature &feature : std::as_const(features))
            d.realms.saveFeature(feature);
        for (const PlannedUser &planned : std::as_const(users)) {
            d.users.createUser(planned.user);
            for (const Membership &m : planned.memberships)
                d.users.setMembership(realm.id, planned.user.id, m, now);
            for (const AdminGrant &g : planned.grants)
                d.admins.insertGrant(planned.user.id, g);
        }
        for (const PlannedKey &k : std::as_const(keys)) {
            SqlQuery(d.db, QStringLiteral("INSERT INTO api_keys (id, name, token_hash, layer, realm_id, app_id, scopes, created_by, created_at) "
                                          "VALUES (:id, :n, :h, :l, :r, :a, :s, :b, :c)"))
                .bind(QStringLiteral(":id"), k.id).bind(QStringLiteral(":n"), k.name).bind(QStringLiteral(":h"), k.keyHash)
                .bind(QStringLiteral(":l"), AdminGrant::layerName(k.grant.layer)).bind(QStringLiteral(":r"), k.grant.realmId)
                .bind(QStringLiteral(":a"), k.grant.appId).bind(QStringLiteral(":s"), k.scopes.join(u' '))
                .bind(QStringLiteral(":b"), actor).bind(QStringLiteral(":c"), now)
                .exec();
        }
        d.audit.record(AuditEvent::of(realm.id, QStringLiteral("realm.imported"), actor, QStringLiteral("success"))
                           .target(QStringLiteral("realm"), realm.id)
                           .says(QStringLiteral("%1 apps, %2 roles, %3 users imported").arg(apps.size()).arg(roles.size()).arg(users.size())));
        tx.commit();
    }
    d.keys.ensureKey(realm.id, algorithmFromName(settings.signingAlgorithm()).value_or(SigningAlgorithm::ES256));
    return Summary{realm.id, int(apps.size()), int(roles.size()), int(users.size())};
}

QJsonObject RealmTransfer::exportRealm(const QString &realmId, const QString &actor) const
{
    const std::optional<Realm> realm = d.realms.realm(realmId);
    if (!realm)
        throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("Realm \"%1\" not found").arg(realmId.left(64)));
    QJsonObject settings;
    const RealmSettings values = d.realms.settings(realmId);
    for (const SettingDefinition &def : RealmSettings::definitions())
        settings.insert(def.name, QJsonValue::fromVariant(values.value(def.name)));

    QJsonArray apps;
    for (const App &app : d.realms.apps(realmId)) {
        QJsonArray roles;
        for (const Role &role : d.realms.roles(realmId, app.id))
            roles.append(QJsonObject{{QStringLiteral("name"), role.name}, {QStringLiteral("scopes"), QJsonArray::fromStringList(role.scopes)}});
        QJsonArray features;
        for (const Feature &f : d.realms.features(realmId, app.id)) {
            features.append(QJsonObject{{QStringLiteral("featureKey"), f.key}, {QStringLiteral("isEnabled"), f.enabled},
                                        {QStringLiteral("scopes"), QJsonArray::fromStringList(f.scopes)}});
        }
        QJsonObject appJson{{QStringLiteral("id"), app.id}, {QStringLiteral("displayName"), app.displayName},
                            {QStringLiteral("roles"), roles}, {QStringLiteral("features"), features}};
        const AppLifetimes lifetimes = d.realms.appLifetimes(realmId, app.id);
        QJsonObject lifetimesJson;
        if (lifetimes.accessToken)
            lifetimesJson.insert(QStringLiteral("accessTokenLifetime"), lifetimes.accessToken);
        if (lifetimes.refreshToken)
            lifetimesJson.insert(QStringLiteral("refreshTokenLifetime"), lifetimes.refreshToken);
        if (lifetimes.sessionMax)
            lifetimesJson.insert(QStringLiteral("sessionMaxLifetime"), lifetimes.sessionMax);
        if (!lifetimesJson.isEmpty())
            appJson.insert(QStringLiteral("tokenLifetimes"), lifetimesJson);
        apps.append(appJson);
    }
    QJsonArray users;
    for (const User &user : d.users.users(realmId)) {
        QJsonArray memberships;
        for (const Membership &m : d.users.memberships(user.id))
            memberships.append(QJsonObject{{QStringLiteral("app"), m.appId}, {QStringLiteral("roles"), QJsonArray::fromStringList(m.roles)}});
        QJsonObject u{{QStringLiteral("id"), user.id},
                      {QStringLiteral("email"), user.email},
                      {QStringLiteral("status"), userStatusName(user.status)},
                      {QStringLiteral("memberships"), memberships}};
        if (!user.username.isEmpty())
            u.insert(QStringLiteral("username"), user.username);
        if (!user.displayName.isEmpty())
            u.insert(QStringLiteral("displayName"), user.displayName);
        // The argon2id hash, never a password: it lets a migration keep logins working.
        if (!user.passwordHash.isEmpty())
            u.insert(QStringLiteral("passwordHash"), user.passwordHash);
        QJsonArray admin;
        for (const AdminGrant &g : d.admins.grantsOf(user.id)) {
            if (g.layer == AdminGrant::Layer::Master)
                continue; // master grants belong to the deployment, not to a realm file
            QJsonObject grant{{QStringLiteral("layer"), AdminGrant::layerName(g.layer)}};
            if (g.layer == AdminGrant::Layer::App)
                grant.insert(QStringLiteral("app"), g.appId);
            admin.append(grant);
        }
        if (!admin.isEmpty())
            u.insert(QStringLiteral("admin"), admin);
        users.append(u);
    }
    // API keys travel as their keyed hashes: they keep working only on a
    // deployment with the same key-encryption key.
    QJsonArray apiKeys;
    SqlQuery keys(d.db, QStringLiteral("SELECT id, name, layer, app_id, scopes, token_hash FROM api_keys "
                                       "WHERE realm_id = :r AND revoked_at IS NULL AND layer <> 'master' ORDER BY created_at, id"));
    keys.bind(QStringLiteral(":r"), realmId).exec();
    while (keys.next()) {
        QJsonObject k{{QStringLiteral("id"), keys.value(0).toString()}, {QStringLiteral("name"), keys.value(1).toString()},
                      {QStringLiteral("layer"), keys.value(2).toString()},
                      {QStringLiteral("scopes"), QJsonArray::fromStringList(keys.value(4).toString().split(u' ', Qt::SkipEmptyParts))},
                      {QStringLiteral("keyHash"), keys.value(5).toString()}};
        if (keys.value(2).toString() == u"app")
            k.insert(QStringLiteral("app"), keys.value(3).toString());
        apiKeys.append(k);
    }
    // Recorded before anything leaves: if the audit write fails, so does the export.
    d.audit.record(AuditEvent::of(realm->id, QStringLiteral("realm.exported"), actor, QStringLiteral("success"))
                       .target(QStringLiteral("realm"), realm->id)
                       .says(QStringLiteral("%1 apps, %2 users (with password hashes), %3 API keys exported")
                                 .arg(apps.size()).arg(users.size()).arg(apiKeys.size())));
    return QJsonObject{{QStringLiteral("formatVersion"), 1},
                       {QStringLiteral("realm"), realm->id},
                       {QStringLiteral("displayName"), realm->displayName},
                       {QStringLiteral("settings"), settings},
                       {QStringLiteral("apps"), apps},
                       {QStringLiteral("users"), users},
                       {QStringLiteral("apiKeys"), apiKeys}};
}

} // namespace authrealm
