// Admin API for users, memberships, sessions, personal access tokens and admin grants.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/AdminAuth.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

namespace {
AdminGrant grantFrom(const JsonBody &body, const QString &realm)
{
    const auto layer = AdminGrant::layerFromName(body.requiredString("layer", 16));
    if (!layer)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"layer\" must be master, realm or app"));
    return AdminGrant{*layer, realm, *layer == AdminGrant::Layer::App ? body.requiredString("app", 64) : QString()};
}
} // namespace

void registerAdminUserRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const AdminRouteAdder admin(context);
    const AdminService &svc = core.admin();

    admin("GET", QStringLiteral("/admin/realms/{realm}/users"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const PageRequest page = pageRequest(request);
        const auto rows = svc.searchUsers(by, pathParam(request, "realm"), request.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded),
                                          request.query.queryItemValue(QStringLiteral("status")), page.after, page.limit + 1);
        QJsonArray items;
        for (qsizetype i = 0; i < std::min<qsizetype>(rows.size(), page.limit); ++i)
            items.append(userJson(rows.at(i).user));
        QJsonObject body{{QStringLiteral("items"), items}};
        body.insert(QStringLiteral("next_cursor"), rows.size() > page.limit ? QJsonValue(encodeCursor(rows.at(page.limit - 1).cursorKey))
                                                                            : QJsonValue(QJsonValue::Null));
        return ApiResponse::json(body);
    });
    // Creating a user with a password and setting one hash with argon2id: the password pool.
    admin("POST", QStringLiteral("/admin/realms/{realm}/users"), Execution::PasswordWork, [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const User user = svc.createUser(by, pathParam(request, "realm"), body.requiredString("email", 254),
                                         body.optionalString("password", 4096), body.optionalString("displayName", 200));
        return ApiResponse::json(userJson(user), 201);
    });
    admin("GET", QStringLiteral("/admin/realms/{realm}/users/{user}"), [&svc, &core](const AdminActor &by, const ApiRequest &request) {
        const QString realm = pathParam(request, "realm");
        const QString id = pathParam(request, "user");
        const User user = svc.user(by, realm, id);
        QJsonObject json = userJson(user);
        // Sign-in security at a glance: second factor, and a lockout in force (lift it with POST …/unlock).
        json.insert(QStringLiteral("mfaEnabled"), core.mfa().enabled(user.id));
        const qint64 lockedUntil = core.throttle().accountState(realm, user.email).lockedUntil;
        json.insert(QStringLiteral("signInLockedUntil"),
                    lockedUntil > core.clock().nowMs() ? QJsonValue(isoTime(lockedUntil)) : QJsonValue(QJsonValue::Null));
        QJsonArray memberships;
        for (const Membership &m : svc.memberships(by, realm, id))
            memberships.append(QJsonObject{{QStringLiteral("app"), m.appId}, {QStringLiteral("roles"), QJsonArray::fromStringList(m.roles)}});
        json.insert(QStringLiteral("memberships"), memberships);
        return ApiResponse::json(json);
    });
    admin("PATCH", QStringLiteral("/admin/realms/{realm}/users/{user}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const auto status = userStatusFromName(body.requiredString("status", 16));
        if (!status)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"status\" must be active, suspended or deactivated"));
        svc.setStatus(by, pathParam(request, "realm"), pathParam(request, "user"), *status);
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Status changed")}});
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/users/{user}/password"), Execution::PasswordWork, [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        svc.resetPassword(by, pathParam(request, "realm"), pathParam(request, "user"), body.requiredString("password", 4096));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Password set; the user's sessions were ended")}});
    });
    admin("PUT", QStringLiteral("/admin/realms/{realm}/users/{user}/memberships/{app}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        svc.setMembership(by, pathParam(request, "realm"), pathParam(request, "user"), Membership{pathParam(request, "app"), body.stringList("roles")});
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Membership saved")}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/users/{user}/memberships/{app}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        svc.removeMembership(by, pathParam(request, "realm"), pathParam(request, "user"), pathParam(request, "app"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Membership removed")}});
    });

    admin("GET", QStringLiteral("/admin/realms/{realm}/users/{user}/sessions"), [&svc](const AdminActor &by, const ApiRequest &request) {
        QJsonArray items;
        for (const Session &s : svc.sessions(by, pathParam(request, "realm"), pathParam(request, "user")))
            items.append(sessionJson(s));
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/users/{user}/sessions/{session}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        svc.revokeSession(by, pathParam(request, "realm"), pathParam(request, "user"), pathParam(request, "session"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Session revoked")}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/users/{user}/sessions"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const int ended = svc.revokeAllSessions(by, pathParam(request, "realm"), pathParam(request, "user"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("sessionsEnded"), ended}});
    });

    admin("DELETE", QStringLiteral("/admin/realms/{realm}/users/{user}/totp"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const bool wasOn = svc.resetTotp(by, pathParam(request, "realm"), pathParam(request, "user"));
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("message"), QStringLiteral("Two-step sign-in reset; the user's sessions were ended")},
            {QStringLiteral("mfaWasEnabled"), wasOn},
        });
    });
    admin("POST", QStringLiteral("/admin/realms/{realm}/users/{user}/unlock"), [&svc](const AdminActor &by, const ApiRequest &request) {
        const bool lifted = svc.unlockUser(by, pathParam(request, "realm"), pathParam(request, "user"));
        return ApiResponse::json(QJsonObject{
            {QStringLiteral("message"), lifted ? QStringLiteral("Sign-in lockout lifted") : QStringLiteral("The account was not locked")},
            {QStringLiteral("hadFailures"), lifted},
        });
    });

    admin("GET", QStringLiteral("/admin/realms/{realm}/users/{user}/tokens"), [&svc](const AdminActor &by, const ApiRequest &request) {
        QJsonArray items;
        for (const PersonalAccessToken &t : svc.personalAccessTokens(by, pathParam(request, "realm"), pathParam(request, "user"))) {
            items.append(QJsonObject{{QStringLiteral("id"), t.id}, {QStringLiteral("app"), t.appId},
                                     {QStringLiteral("name"), t.name},
                                     {QStringLiteral("scopes"), QJsonArray::fromStringList(t.scopes)},
                                     {QStringLiteral("createdAt"), isoTime(t.createdAt)},
                                     {QStringLiteral("expiresAt"), isoTime(t.expiresAt)},
                                     {QStringLiteral("lastUsedAt"), isoTime(t.lastUsedAt)}});
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/users/{user}/tokens/{token}"), [&svc](const AdminActor &by, const ApiRequest &request) {
        svc.revokePersonalAccessToken(by, pathParam(request, "realm"), pathParam(request, "user"), pathParam(request, "token"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Token revoked")}});
    });

    admin("PUT", QStringLiteral("/admin/realms/{realm}/users/{user}/grants"), [&core](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        core.adminDirectory().addGrant(by, pathParam(request, "user"), grantFrom(body, pathParam(request, "realm")));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Grant added")}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/users/{user}/grants"), [&core](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        core.adminDirectory().removeGrant(by, pathParam(request, "user"), grantFrom(body, pathParam(request, "realm")));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Grant removed")}});
    });
}

} // namespace authrealm
