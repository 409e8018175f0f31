// The signed-in user's own sessions, next to /v1/me/tokens:
// GET /v1/me/sessions, DELETE /v1/me/sessions/{id}, POST /v1/me/sessions/endOthers.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/AdminAuth.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

void registerSessionRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const auto principalOf = [&core](const ApiRequest &request) {
        return core.authenticator().authenticate(request.realmId, bearerToken(request), clientOf(request));
    };

    context.router.add("GET", QStringLiteral("/v1/me/sessions"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const PageRequest page = pageRequest(request);
        const SessionService::Page result = core.mySessions().list(p, page.after, page.limit);
        QJsonArray items;
        for (const Session &s : result.items) {
            QJsonObject json = sessionJson(s);
            json.insert(QStringLiteral("current"), s.id == p.sessionId);
            items.append(json);
        }
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("items"), items},
            {QStringLiteral("next_cursor"), result.nextCursorKey.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(encodeCursor(result.nextCursorKey))},
        });
    });

    context.router.add("DELETE", QStringLiteral("/v1/me/sessions/{id}"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        core.mySessions().end(p, request.params.value(QStringLiteral("id")), clientOf(request));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Session ended")}});
    });

    context.router.add("POST", QStringLiteral("/v1/me/sessions/endOthers"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const int ended = core.mySessions().endOthers(p, clientOf(request));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Other sessions ended")},
                                             {QStringLiteral("sessionsEnded"), ended}});
    });
}

} // namespace authrealm
