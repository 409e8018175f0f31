#pragma once

#include "oidc/ClientRegistry.h"

#include <QJsonObject>

namespace authrealm {

class JsonBody;

// The admin API's JSON shape of an OAuth client (never a secret) and the
// draft read from a create/update body. Unknown fields are refused so a
// misspelt "redirectUri" cannot silently register nothing; the read-only
// fields of the GET shape are accepted and ignored, so a GET body can be PUT back.
[[nodiscard]] QJsonObject clientJson(const OAuthClient &client);
[[nodiscard]] ClientRegistry::Draft clientDraftFromJson(const JsonBody &body, const QString &appId);

} // namespace authrealm
