#pragma once

#include "auth/TokenLifetimes.h"
#include "crypto/SigningKey.h"
#include "oidc/ClientRegistry.h"

namespace authrealm::ClientRules {

// The registration rules that need no database: fills the defaults of an
// admin's or a dynamic registration's draft and checks every field. Throws
// DomainError(InvalidRequest) naming the first invalid field; the messages
// about redirect URIs start with "Redirect URI" so dynamic registration can
// answer invalid_redirect_uri for them (RFC 7591 §3.2.2).
void normalise(ClientRegistry::Draft &draft, const EffectiveLifetimes &appLimits);

// The public keys of a private_key_jwt client, parsed; InvalidRequest if a
// key does not parse, has no kid, repeats a kid or carries private members.
[[nodiscard]] QList<SigningKey> publicKeys(const QJsonObject &jwks);

[[nodiscard]] bool isRedirectUriProblem(const QString &message);

} // namespace authrealm::ClientRules
