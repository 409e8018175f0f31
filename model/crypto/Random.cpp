#include "crypto/Random.h"

#include "crypto/Base64Url.h"
#include "crypto/Sodium.h"

#include <sodium.h>

#include <stdexcept>

namespace authrealm {

QByteArray randomBytes(int count)
{
    if (count < 0)
        throw std::invalid_argument("randomBytes: negative count");
    ensureSodium();
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0)
        randombytes_buf(out.data(), static_cast<size_t>(count));
    return out;
}

QString randomToken(int byteCount)
{
    QByteArray bytes = randomBytes(byteCount);
    QString token = base64UrlEncodeString(bytes);
    sodium_memzero(bytes.data(), static_cast<size_t>(bytes.size()));
    return token;
}

} // namespace authrealm
