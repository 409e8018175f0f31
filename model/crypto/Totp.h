#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace authrealm {

// RFC 4226 HOTP / RFC 6238 TOTP with HMAC-SHA-1, the only variant every
// authenticator app implements. Pure functions: the caller supplies the time
// (from the injected Clock) and keeps track of which steps were used.
namespace Totp {

constexpr int kDigits = 6;
constexpr qint64 kPeriodSeconds = 30;
constexpr int kSecretBytes = 20; // 160 bits, the HMAC-SHA-1 block-friendly size RFC 4226 recommends

[[nodiscard]] QByteArray newSecret();

// The step a Unix time falls in (RFC 6238 T = floor(t / X)).
[[nodiscard]] qint64 stepAt(qint64 unixSeconds, qint64 period = kPeriodSeconds);

// HOTP(secret, counter) truncated to `digits` decimal digits, zero-padded.
[[nodiscard]] QString code(QByteArrayView secret, qint64 counter, int digits = kDigits);

// RFC 4648 base32 (upper case, no padding), as authenticator apps expect.
[[nodiscard]] QString base32Encode(QByteArrayView data);
// Accepts lower case, spaces and '=' padding; nullopt for anything else.
[[nodiscard]] std::optional<QByteArray> base32Decode(const QString &text);

// otpauth://totp/ISSUER:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
[[nodiscard]] QString provisioningUri(const QString &issuer, const QString &account, const QString &base32Secret);

} // namespace Totp
} // namespace authrealm
