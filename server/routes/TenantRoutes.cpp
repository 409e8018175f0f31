// What a product can read about its own people, always gated by scopes:
// GET /v1/tenant/me, /v1/tenant/features, /v1/tenant/members.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

void registerTenantRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const auto principalOf = [&core](const ApiRequest &request) {
        return core.authenticator().authenticate(request.realmId, bearerToken(request), clientOf(request));
    };

    context.router.add("GET", QStringLiteral("/v1/tenant/me"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        return ApiResponse::json(core.auth().profile(p.realmId, p.userId, p.appId));
    });

    context.router.add("GET", QStringLiteral("/v1/tenant/features"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        QJsonArray features;
        for (const Feature &f : core.realms().features(p.realmId, p.appId)) {
            features.append(QJsonObject{{QStringLiteral("featureKey"), f.key},
                                        {QStringLiteral("isEnabled"), f.enabled},
                                        {QStringLiteral("scopes"), QJsonArray::fromStringList(f.scopes)}});
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("features"), features}});
    });

    context.router.add("GET", QStringLiteral("/v1/tenant/members"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        Authenticator::requireScope(p, QStringLiteral("users:read"));
        const PageRequest page = pageRequest(request);
        const auto rows = core.users().appMembers(p.realmId, p.appId, page.after, page.limit + 1);
        QJsonArray items;
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.size(), page.limit); ++i) {
            const auto &row = rows.at(i);
            items.append(QJsonObject{{QStringLiteral("id"), row.user.id},
                                     {QStringLiteral("email"), row.user.email},
                                     {QStringLiteral("displayName"), row.user.displayName},
                                     {QStringLiteral("status"), userStatusName(row.user.status)},
                                     {QStringLiteral("roles"), QJsonArray::fromStringList(row.roles)}});
        }
        QJsonObject body{{QStringLiteral("items"), items}};
        body.insert(QStringLiteral("next_cursor"), rows.size() > page.limit ? QJsonValue(encodeCursor(rows.at(page.limit - 1).cursorKey))
                                                                            : QJsonValue(QJsonValue::Null));
        return ApiResponse::json(body);
    });
}

} // namespace authrealm
