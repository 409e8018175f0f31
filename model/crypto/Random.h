#pragma once

#include <QByteArray>
#include <QString>

namespace authrealm {

// CSPRNG bytes from libsodium (getrandom(2) on Linux). Throws
// std::invalid_argument for a negative count.
[[nodiscard]] QByteArray randomBytes(int count);

// URL/header-safe secret: base64url of byteCount random bytes, no padding.
[[nodiscard]] QString randomToken(int byteCount);

} // namespace authrealm
