#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>

namespace authrealm {

enum class SigningAlgorithm { ES256, RS256, EdDSA };

// JOSE "alg" names (RFC 7518 §3.1, RFC 8037 §3.1).
[[nodiscard]] QString algorithmName(SigningAlgorithm alg);
// Exact, case-sensitive: "es256" or "none" must never map to a real algorithm.
[[nodiscard]] std::optional<SigningAlgorithm> algorithmFromName(QStringView name);

// A JWS signing (or verify-only) key. Immutable and cheap to copy: copies share
// the underlying key, and sign()/verify() may be called concurrently from any
// number of threads on the same object.
class SigningKey
{
public:
    // ES256: P-256, RS256: RSA-2048 (both OpenSSL), EdDSA: Ed25519 (libsodium).
    // Throws std::runtime_error if key generation fails.
    [[nodiscard]] static SigningKey generate(SigningAlgorithm alg, const QString &kid);

    // Inverse of privateMaterial(). nullopt if material does not parse or is a
    // key of a different type/curve (or RSA < 2048 bits) than alg demands.
    [[nodiscard]] static std::optional<SigningKey> fromPrivateMaterial(SigningAlgorithm alg, const QString &kid,
                                                         const QByteArray &material);

    // Verify-only key from a public JWK (RFC 7517/7518/8037). kty, crv, alg and
    // use must be consistent; alg may be omitted (inferred from kty/crv).
    [[nodiscard]] static std::optional<SigningKey> fromPublicJwk(const QJsonObject &jwk);

    // ES256/RS256: unencrypted PKCS#8 DER; EdDSA: libsodium 64-byte secret key
    // (seed || public key). Empty for verify-only keys. Seal it with SecretBox
    // before storing.
    [[nodiscard]] QByteArray privateMaterial() const;

    // JOSE signature encoding (RFC 7518 §3.4: ES256 is raw R||S, 64 bytes, not
    // DER). Throws std::logic_error on a verify-only key.
    [[nodiscard]] QByteArray sign(QByteArrayView signingInput) const;

    // Never throws. ES256 accepts only the 64-byte R||S form.
    [[nodiscard]] bool verify(QByteArrayView signingInput, QByteArrayView signature) const;

    // Public members only, base64url without padding, plus kid, alg, use=sig.
    [[nodiscard]] QJsonObject publicJwk() const;

    SigningAlgorithm algorithm() const;
    QString kid() const;
    [[nodiscard]] bool canSign() const;

private:
    struct Impl;
    explicit SigningKey(std::shared_ptr<const Impl> impl);

    std::shared_ptr<const Impl> d;
};

} // namespace authrealm
