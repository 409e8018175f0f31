#include "crypto/Base64Url.h"

namespace authrealm {

namespace {

constexpr auto kOptions = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

bool isUrlAlphabet(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
}

} // namespace

QByteArray base64UrlEncode(QByteArrayView data)
{
    return QByteArray::fromRawData(data.data(), data.size()).toBase64(kOptions);
}

QString base64UrlEncodeString(QByteArrayView data)
{
    return QString::fromLatin1(base64UrlEncode(data));
}

std::optional<QByteArray> base64UrlDecode(QByteArrayView text)
{
    for (const char c : text) {
        if (!isUrlAlphabet(c))
            return std::nullopt;
    }
    if (text.size() % 4 == 1)
        return std::nullopt;

    auto result = QByteArray::fromBase64Encoding(QByteArray::fromRawData(text.data(), text.size()),
                                                 QByteArray::Base64UrlEncoding
                                                     | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    // Re-encoding catches leftover bits that Qt silently drops; accepting them
    // would make signatures/tokens malleable in their textual form.
    if (QByteArrayView(base64UrlEncode(result.decoded)) != text)
        return std::nullopt;
    return std::move(result.decoded);
}

std::optional<QByteArray> base64UrlDecode(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() > 0x7f)
            return std::nullopt;
    }
    return base64UrlDecode(QByteArrayView(text.toLatin1()));
}

} // namespace authrealm
