#include "crypto/Totp.h"

#include "crypto/Random.h"

#include <QUrl>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace authrealm::Totp {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}

QByteArray newSecret()
{
    return randomBytes(kSecretBytes);
}

qint64 stepAt(qint64 unixSeconds, qint64 period)
{
    return unixSeconds >= 0 ? unixSeconds / period : -1;
}

QString code(QByteArrayView secret, qint64 counter, int digits)
{
    if (digits < 6 || digits > 8 || counter < 0)
        throw std::invalid_argument("Totp::code: digits must be 6..8 and the counter non-negative");
    unsigned char message[8];
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<unsigned char>(counter & 0xff);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLength = 0;
    if (!HMAC(EVP_sha1(), secret.data(), int(secret.size()), message, sizeof message, mac, &macLength) || macLength != 20)
        throw std::runtime_error("HMAC-SHA-1 failed");
    // Dynamic truncation (RFC 4226 §5.3).
    const int offset = mac[19] & 0x0f;
    const quint32 binary = (quint32(mac[offset] & 0x7f) << 24) | (quint32(mac[offset + 1]) << 16) | (quint32(mac[offset + 2]) << 8)
            | quint32(mac[offset + 3]);
    quint32 modulus = 1;
    for (int i = 0; i < digits; ++i)
        modulus *= 10;
    return QStringLiteral("%1").arg(binary % modulus, digits, 10, QLatin1Char('0'));
}

QString base32Encode(QByteArrayView data)
{
    QString out;
    quint32 buffer = 0;
    int bits = 0;
    for (const char byte : data) {
        buffer = (buffer << 8) | quint8(byte);
        bits += 8;
        while (bits >= 5) {
            out.append(QLatin1Char(kAlphabet[(buffer >> (bits - 5)) & 0x1f]));
            bits -= 5;
        }
    }
    if (bits > 0)
        out.append(QLatin1Char(kAlphabet[(buffer << (5 - bits)) & 0x1f]));
    return out;
}

std::optional<QByteArray> base32Decode(const QString &text)
{
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    bool padding = false;
    for (const QChar ch : text) {
        const char16_t c = ch.toUpper().unicode();
        if (c == u' ')
            continue;
        if (c == u'=') {
            padding = true;
            continue;
        }
        int value = -1;
        if (c >= u'A' && c <= u'Z')
            value = c - u'A';
        else if (c >= u'2' && c <= u'7')
            value = 26 + (c - u'2');
        if (value < 0 || padding)
            return std::nullopt;
        buffer = (buffer << 5) | quint32(value);
        bits += 5;
        if (bits >= 8) {
            out.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

QString provisioningUri(const QString &issuer, const QString &account, const QString &base32Secret)
{
    // The label is "issuer:account", each part percent-encoded (the colon stays literal).
    const auto enc = [](const QString &s) { return QString::fromLatin1(QUrl::toPercentEncoding(s)); };
    return QStringLiteral("otpauth://totp/%1:%2?secret=%3&issuer=%4&algorithm=SHA1&digits=%5&period=%6")
        .arg(enc(issuer), enc(account), base32Secret, enc(issuer))
        .arg(kDigits)
        .arg(kPeriodSeconds);
}

} // namespace authrealm::Totp
