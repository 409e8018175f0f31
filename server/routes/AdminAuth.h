#pragma once

#include "ApiRequest.h"
#include "admin/AdminActor.h"

#include <QJsonObject>

namespace authrealm {

class AuthRealmCore;
struct Session;
struct User;

// The admin API's gate: a platform API key ("rk_…") or a realm-signed access
// token of a user holding admin grants. Personal access tokens never
// administer. No grant at all is 403.
[[nodiscard]] AdminActor adminActor(AuthRealmCore &core, const ApiRequest &request);

// JSON shapes shared by the admin route files.
[[nodiscard]] QString isoTime(qint64 ms);
[[nodiscard]] QJsonObject userJson(const User &user);
[[nodiscard]] QJsonObject sessionJson(const Session &session);
// Path parameter, e.g. pathParam(request, "realm").
[[nodiscard]] QString pathParam(const ApiRequest &request, const char *name);

} // namespace authrealm
