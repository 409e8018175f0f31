// Admin API for realms, settings, apps, features, roles and signing keys.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/AdminAuth.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

namespace {
// The app's own overrides (null = inherit) and what its tokens actually get.
QJsonObject lifetimesJson(const AuthRealmCore &core, const App &app)
{
    const AppLifetimes own = core.realms().appLifetimes(app.realmId, app.id);
    const EffectiveLifetimes effective = core.auth().lifetimes(app.realmId, app.id);
    const auto orNull = [](qint64 v) { return v > 0 ? QJsonValue(v) : QJsonValue(QJsonValue::Null); };
    return QJsonObject{
        {QStringLiteral("accessTokenLifetime"), orNull(own.accessToken)},
        {QStringLiteral("refreshTokenLifetime"), orNull(own.refreshToken)},
        {QStringLiteral("sessionMaxLifetime"), orNull(own.sessionMax)},
        {QStringLiteral("effective"), QJsonObject{{QStringLiteral("accessTokenLifetime"), effective.accessToken},
                                                  {QStringLiteral("refreshTokenLifetime"), effective.refreshToken},
                                                  {QStringLiteral("sessionMaxLifetime"), effective.sessionMax},
                                                  {QStringLiteral("refreshIdleTimeout"), effective.refreshIdle}}},
    };
}

// A lifetime field: absent or null inherits (0), otherwise a whole number of seconds.
qint64 lifetimeField(const JsonBody &body, const char *field)
{
    const QJsonValue v = body.object().value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return 0;
    if (!v.isDouble() || v.toDouble() != double(qint64(v.toDouble())) || v.toDouble() <= 0)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be null (inherit) or a positive whole number of seconds")
                                                          .arg(QLatin1String(field)));
    return qint64(v.toDouble());
}

QJsonObject appJson(const AuthRealmCore &core, const App &app)
{
    QJsonArray features;
    for (const Feature &f : core.realms().features(app.realmId, app.id)) {
        features.append(QJsonObject{{QStringLiteral("featureKey"), f.key}, {QStringLiteral("isEnabled"), f.enabled},
                                    {QStringLiteral("scopes"), QJsonArray::fromStringList(f.scopes)}});
    }
    QJsonArray roles;
    for (const Role &r : core.realms().roles(app.realmId, app.id)) {
        roles.append(QJsonObject{{QStringLiteral("name"), r.name}, {QStringLiteral("system"), r.system},
                                 {QStringLiteral("scopes"), QJsonArray::fromStringList(r.scopes)}});
    }
    return QJsonObject{{QStringLiteral("id"), app.id}, {QStringLiteral("displayName"), app.displayName},
                       {QStringLiteral("createdAt"), isoTime(app.createdAt)}, {QStringLiteral("features"), features},
                       {QStringLiteral("roles"), roles}, {QStringLiteral("tokenLifetimes"), lifetimesJson(core, app)}};
}

QJsonObject requiredObject(const JsonBody &body, const char *field)
{
    const QJsonValue v = body.object().value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be an object").arg(QLatin1String(field)));
    return v.toObject();
}
} // namespace

void registerAdminRealmRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const AdminRouteAdder admin(context);
    const AdminService &svc = core.admin();

    admin("GET", QStringLiteral("/admin/realms"), [&svc](const AdminActor &by, const ApiRequest &) {
        QJsonArray items;
        for (const Realm &realm : svc.visibleRealms(by))
            items.append(QJsonObject{{QStringLiteral("id"), realm.id}, {QStringLiteral("displayName"), realm.displayName},
                                     {QStringLiteral("createdAt"), isoTime(realm.createdAt)}});
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("next_cursor"), QJsonValue::Null}});
    });
    admin("POST", QStringLiteral("/admin/realms"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const Realm realm = svc.createRealm(by, body.requiredString("realm", 64), body.optionalString("displayName", 200),
                                           requiredObject(body, "settings"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("id"), realm.id}, {QStringLiteral("displayName"), realm.displayName}}, 201);
    });
    admin("GET", QStringLiteral("/admin/realms/{realm}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const QString realm = pathParam(request, "realm");
        return ApiResponse::json(QJsonObject{{QStringLiteral("id"), realm}, {QStringLiteral("settings"), svc.settings(by, realm).toJson()}});
    });
    admin("PATCH", QStringLiteral("/admin/realms/{realm}/settings"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        return ApiResponse::json(svc.updateSettings(by, pathParam(request, "realm"), body.object()).toJson());
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        svc.deleteRealm(by, pathParam(request, "realm"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Realm deleted")}});
    });

    admin("GET", QStringLiteral("/admin/realms/{realm}/apps"), [&svc, &core](const AdminActor &by, const ApiRequest &request) {
        QJsonArray items;
        for (const App &app : svc.apps(by, pathParam(request, "realm")))
            items.append(appJson(core, app));
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("next_cursor"), QJsonValue::Null}});
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/apps"), [&svc, &core](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const App app = svc.createApp(by, pathParam(request, "realm"), body.requiredString("id", 64), body.optionalString("displayName", 200));
        return ApiResponse::json(appJson(core, app), 201);
    });
    admin("GET", QStringLiteral("/admin/realms/{realm}/apps/{app}"), [&svc, &core](const AdminActor &by, const ApiRequest &request) {
        return ApiResponse::json(appJson(core, svc.app(by, pathParam(request, "realm"), pathParam(request, "app"))));
    });

    admin("PUT", QStringLiteral("/admin/realms/{realm}/apps/{app}/tokenLifetimes"), [&svc, &core](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const AppLifetimes lifetimes{lifetimeField(body, "accessTokenLifetime"), lifetimeField(body, "refreshTokenLifetime"),
                                     lifetimeField(body, "sessionMaxLifetime")};
        const QString realm = pathParam(request, "realm");
        const QString appId = pathParam(request, "app");
        svc.setAppLifetimes(by, realm, appId, lifetimes);
        return ApiResponse::json(lifetimesJson(core, svc.app(by, realm, appId)));
    });

    admin("PUT", QStringLiteral("/admin/realms/{realm}/apps/{app}/features/{feature}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        svc.saveFeature(by, Feature{pathParam(request, "realm"), pathParam(request, "app"), pathParam(request, "feature"),
                                    body.optionalBool("isEnabled", true), body.stringList("scopes")});
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Feature saved")}});
    });
    admin("PATCH", QStringLiteral("/admin/realms/{realm}/apps/{app}/features/{feature}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        if (!body.object().value(QStringLiteral("isEnabled")).isBool())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"isEnabled\" must be true or false"));
        svc.setFeatureEnabled(by, pathParam(request, "realm"), pathParam(request, "app"), pathParam(request, "feature"),
                              body.optionalBool("isEnabled", true));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Feature updated")}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/apps/{app}/features/{feature}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        svc.deleteFeature(by, pathParam(request, "realm"), pathParam(request, "app"), pathParam(request, "feature"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Feature deleted")}});
    });

    admin("PUT", QStringLiteral("/admin/realms/{realm}/apps/{app}/roles/{role}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        svc.saveRole(by, Role{pathParam(request, "realm"), pathParam(request, "app"), pathParam(request, "role"), body.stringList("scopes")});
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Role saved")}});
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/apps/{app}/roles/{role}/rename"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        svc.renameRole(by, pathParam(request, "realm"), pathParam(request, "app"), pathParam(request, "role"), body.requiredString("name", 64));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Role renamed")}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/apps/{app}/roles/{role}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        svc.deleteRole(by, pathParam(request, "realm"), pathParam(request, "app"), pathParam(request, "role"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Role deleted")}});
    });

    admin("GET", QStringLiteral("/admin/realms/{realm}/keys"), [&svc](const AdminActor &by, const ApiRequest &request) {
        QJsonArray items;
        for (const auto &key : svc.signingKeys(by, pathParam(request, "realm")))
            items.append(QJsonObject{{QStringLiteral("kid"), key.kid}, {QStringLiteral("algorithm"), key.algorithm},
                                     {QStringLiteral("status"), key.status}, {QStringLiteral("createdAt"), isoTime(key.createdAt)}});
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/keys/rotate"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const QString kid = svc.rotateSigningKey(by, pathParam(request, "realm"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("kid"), kid}}, 201);
    });
}

} // namespace authrealm
