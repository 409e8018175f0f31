#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace authrealm {

// RFC 4648 §5 alphabet without '=' padding, as required by JOSE (RFC 7515 §2).
[[nodiscard]] QByteArray base64UrlEncode(QByteArrayView data);
[[nodiscard]] QString base64UrlEncodeString(QByteArrayView data);

// Strict: rejects padding, the standard '+' '/' alphabet, whitespace and
// non-canonical encodings (non-zero unused trailing bits), so that exactly one
// textual form exists for every byte string.
[[nodiscard]] std::optional<QByteArray> base64UrlDecode(QByteArrayView text);
[[nodiscard]] std::optional<QByteArray> base64UrlDecode(const QString &text);

} // namespace authrealm
