#include "crypto/TokenHasher.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <stdexcept>

namespace authrealm {

static_assert(crypto_auth_hmacsha256_KEYBYTES == 32);
static_assert(crypto_auth_hmacsha256_BYTES == 32);

TokenHasher::TokenHasher(QByteArray key32)
    : m_key(std::move(key32))
{
    if (m_key.size() != crypto_auth_hmacsha256_KEYBYTES)
        throw std::invalid_argument("TokenHasher: key must be 32 bytes");
    ensureSodium();
}

TokenHasher::~TokenHasher()
{
    // Only wipe when we are the last owner; other copies still need the bytes.
    if (m_key.isDetached())
        sodium_memzero(m_key.data(), static_cast<size_t>(m_key.size()));
}

QByteArray TokenHasher::hash(QByteArrayView token) const
{
    QByteArray out(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256(reinterpret_cast<unsigned char *>(out.data()),
                           reinterpret_cast<const unsigned char *>(token.data()),
                           static_cast<unsigned long long>(token.size()),
                           reinterpret_cast<const unsigned char *>(m_key.constData()));
    return out;
}

QString TokenHasher::hashHex(QByteArrayView token) const
{
    return QString::fromLatin1(hash(token).toHex());
}

} // namespace authrealm
