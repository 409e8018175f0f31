#pragma once

#include "ApiRequest.h"
#include "Router.h"
#include "admin/AdminActor.h"

#include <QJsonObject>
#include <functional>

namespace authrealm {

class AuthRealmCore;
struct Session;
struct User;

// The admin API's gate: the request's bearer credential checked by the
// model's AdminGate (API key, or an access token of a user holding admin
// grants; never a PAT). `who` receives the caller's audit identity as soon as
// it is known, so a refusal can be attributed even when no AdminActor comes back.
[[nodiscard]] AdminActor adminActor(AuthRealmCore &core, const ApiRequest &request, QString *who = nullptr);

struct RouteContext;

// Registers an admin route: authenticates the caller as an AdminActor, runs
// the handler, and writes an "admin.denied" audit event for every refused
// authorization (403), in the realm the request named (or master).
// Routes that hash a password (argon2id) pass Execution::PasswordWork so they
// run on the bounded hashing pool, never on an I/O thread.
class AdminRouteAdder
{
public:
    using AdminHandler = std::function<ApiResponse(const AdminActor &, const ApiRequest &)>;
    explicit AdminRouteAdder(const RouteContext &context) : m_context(context) {}
    void operator()(const QByteArray &method, const QString &path, AdminHandler handler) const
    {
        (*this)(method, path, Execution::Inline, std::move(handler));
    }
    void operator()(const QByteArray &method, const QString &path, Execution execution, AdminHandler handler) const;

private:
    const RouteContext &m_context;
};

// JSON shapes shared by the admin route files.
[[nodiscard]] QString isoTime(qint64 ms);
[[nodiscard]] QJsonObject userJson(const User &user);
[[nodiscard]] QJsonObject sessionJson(const Session &session);
// Path parameter, e.g. pathParam(request, "realm").
[[nodiscard]] QString pathParam(const ApiRequest &request, const char *name);

} // namespace authrealm
