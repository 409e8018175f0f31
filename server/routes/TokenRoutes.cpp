// Personal access tokens: POST/GET /v1/me/tokens, POST /v1/me/tokens/{id}/rotate, DELETE /v1/me/tokens/{id}.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

namespace {
QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

QJsonObject describe(const PersonalAccessToken &t)
{
    return QJsonObject{{QStringLiteral("id"), t.id},
                       {QStringLiteral("name"), t.name},
                       {QStringLiteral("scopes"), QJsonArray::fromStringList(t.scopes)},
                       {QStringLiteral("createdAt"), isoTime(t.createdAt)},
                       {QStringLiteral("lastUsedAt"), t.lastUsedAt ? QJsonValue(isoTime(t.lastUsedAt)) : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("expiresAt"), isoTime(t.expiresAt)}};
}

ApiResponse minted(const PatService::Minted &m, int status)
{
    QJsonObject body = describe(m.token);
    body.insert(QStringLiteral("token"), m.secret); // the only time it is ever shown
    return ApiResponse::json(body, status);
}
} // namespace

void registerTokenRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const auto principalOf = [&core](const ApiRequest &request) {
        return core.authenticator().authenticate(request.realmId, bearerToken(request), clientOf(request));
    };

    context.router.add("POST", QStringLiteral("/v1/me/tokens"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        const JsonBody body(request);
        const QString name = body.requiredString("name", 100);
        const QStringList scopes = body.stringList("scopes");
        const int days = body.optionalInt("expiresInDays", 90);
        return minted(core.pats().create(p, name, scopes, days, clientOf(request)), 201);
    });

    context.router.add("GET", QStringLiteral("/v1/me/tokens"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        QJsonArray items;
        for (const PersonalAccessToken &t : core.pats().list(p))
            items.append(describe(t));
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });

    context.router.add("POST", QStringLiteral("/v1/me/tokens/{id}/rotate"), Scope::Realm, Execution::Inline,
                       [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        return minted(core.pats().rotate(p, request.params.value(QStringLiteral("id")), clientOf(request)), 200);
    });

    context.router.add("DELETE", QStringLiteral("/v1/me/tokens/{id}"), Scope::Realm, Execution::Inline, [&core, principalOf](const ApiRequest &request) {
        const Principal p = principalOf(request);
        core.pats().revoke(p, request.params.value(QStringLiteral("id")), clientOf(request));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Token revoked")}});
    });
}

} // namespace authrealm
