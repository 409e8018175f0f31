#pragma once

#include "crypto/SigningKey.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>
#include <variant>

namespace authrealm {

struct DecodedJwt
{
    QJsonObject header;
    QJsonObject claims;
};

enum class JwtError { Malformed, AlgorithmNotAllowed, UnknownKey, BadSignature };

// JWS compact serialization (RFC 7515 §7.1) for JWTs (RFC 7519), hardened per
// RFC 8725 (JWT BCP). Claim validation (exp, nbf, aud, iss, ...) is the
// caller's job because it needs the injected clock and realm configuration.
class Jwt
{
public:
    // Header {"alg","kid","typ"}; typ is omitted when type is empty.
    // Throws std::logic_error if key cannot sign.
    [[nodiscard]] static QString sign(const QJsonObject &claims, const SigningKey &key,
                                      const QString &type = QStringLiteral("JWT"));

    // keyLookup maps a kid to a key the caller trusts. The token's "alg" is
    // never trusted on its own: it must equal the looked-up key's algorithm
    // (RFC 8725 §3.1), so "none", HS256-with-public-key and RS/ES confusion all
    // yield AlgorithmNotAllowed. jku/x5u/jwk/x5c headers are ignored entirely:
    // keys come only from keyLookup. A "crit" header is Malformed because we
    // implement no extensions (RFC 7515 §4.1.11).
    [[nodiscard]] static std::variant<DecodedJwt, JwtError>
    verify(const QString &token,
           const std::function<std::optional<SigningKey>(const QString &kid)> &keyLookup);

    // Structure only, signature NOT checked: diagnostics and tests only.
    [[nodiscard]] static std::optional<DecodedJwt> decodeUnverified(const QString &token);

    // Tokens longer than this are Malformed (keeps hostile input cheap).
    static constexpr qsizetype MaxTokenSize = 16 * 1024;
};

} // namespace authrealm
