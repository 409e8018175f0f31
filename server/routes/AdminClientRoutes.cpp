// Admin API for OAuth clients (see OIDC_CONTRACT): app admins manage their
// app's clients; the secret appears only in the create and rotate answers.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/AdminAuth.h"
#include "routes/ClientJson.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

namespace {
// (Every API response already carries Cache-Control: no-store, secrets included.)
ApiResponse withSecret(QJsonObject object, const QString &secret, int status)
{
    object.insert(QStringLiteral("clientSecret"), secret);
    return ApiResponse::json(object, status);
}
} // namespace

void registerAdminClientRoutes(const RouteContext &context)
{
    const AdminRouteAdder admin(context);
    const ClientRegistry &clients = context.core.clients();

    admin("POST", QStringLiteral("/admin/realms/{realm}/apps/{app}/clients"), [&clients](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const ClientRegistry::Created created =
            clients.create(by, pathParam(request, "realm"), clientDraftFromJson(body, pathParam(request, "app")));
        if (created.secret.isEmpty())
            return ApiResponse::json(clientJson(created.client), 201);
        return withSecret(clientJson(created.client), created.secret, 201);
    });
    admin("GET", QStringLiteral("/admin/realms/{realm}/apps/{app}/clients"), [&clients](const AdminActor &by, const ApiRequest &request) {
        QJsonArray items;
        for (const OAuthClient &client : clients.list(by, pathParam(request, "realm"), pathParam(request, "app")))
            items.append(clientJson(client));
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("next_cursor"), QJsonValue::Null}});
    });
    admin("GET", QStringLiteral("/admin/realms/{realm}/clients/{client}"), [&clients](const AdminActor &by, const ApiRequest &request) {
        return ApiResponse::json(clientJson(clients.get(by, pathParam(request, "realm"), pathParam(request, "client"))));
    });
    admin("PUT", QStringLiteral("/admin/realms/{realm}/clients/{client}"), [&clients](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const QString realm = pathParam(request, "realm");
        const QString clientId = pathParam(request, "client");
        const QString appId = body.object().contains(QStringLiteral("appId")) ? body.optionalString("appId", 64) : QString();
        return ApiResponse::json(clientJson(clients.update(by, realm, clientId, clientDraftFromJson(body, appId))));
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/clients/{client}"), [&clients](const AdminActor &by, const ApiRequest &request) {
        clients.remove(by, pathParam(request, "realm"), pathParam(request, "client"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Client deleted")}});
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/clients/{client}/secret"), [&clients](const AdminActor &by, const ApiRequest &request) {
        // An empty body rotates without overlap.
        const int overlap = request.body.trimmed().isEmpty() ? 0 : JsonBody(request).optionalInt("overlapSeconds", 0);
        const QString secret = clients.rotateSecret(by, pathParam(request, "realm"), pathParam(request, "client"), overlap);
        return withSecret(QJsonObject{}, secret, 200);
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/apps/{app}/initialAccessTokens"), [&clients](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const ClientRegistry::InitialAccessToken t = clients.issueInitialAccessToken(
            by, pathParam(request, "realm"), pathParam(request, "app"), body.optionalInt("expiresIn", 86400), body.optionalInt("uses", 1));
        return ApiResponse::json(QJsonObject{{QStringLiteral("token"), t.token}, {QStringLiteral("id"), t.id},
                                             {QStringLiteral("appId"), t.appId}, {QStringLiteral("expiresAt"), isoTime(t.expiresAt)},
                                             {QStringLiteral("usesLeft"), t.usesLeft}},
                                 201);
    });
}

} // namespace authrealm
