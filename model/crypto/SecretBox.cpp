#include "crypto/SecretBox.h"

#include "crypto/Sodium.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <sodium.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

namespace authrealm {

namespace {

constexpr char kFormatVersion = 0x01;
constexpr qsizetype kKeySize = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr qsizetype kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr qsizetype kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr qsizetype kHeaderSize = 1 + kNonceSize;

static_assert(kKeySize == 32 && crypto_kdf_KEYBYTES == 32 && crypto_kdf_CONTEXTBYTES == 8);

// The version byte is authenticated too, so a future format cannot be
// confused with this one by flipping the first byte.
QByteArray aeadAssociatedData(QByteArrayView associatedData)
{
    QByteArray ad;
    ad.reserve(1 + associatedData.size());
    ad.append(kFormatVersion);
    ad.append(associatedData);
    return ad;
}

const unsigned char *bytes(const char *p)
{
    return reinterpret_cast<const unsigned char *>(p);
}

void wipe(QByteArray &b)
{
    if (!b.isEmpty())
        sodium_memzero(b.data(), static_cast<size_t>(b.size()));
}

std::string utf8(const QString &s)
{
    return s.toStdString();
}

} // namespace

struct SecretBox::KeyHolder
{
    std::array<unsigned char, kKeySize> key{};

    explicit KeyHolder(QByteArrayView raw)
    {
        std::memcpy(key.data(), raw.data(), key.size());
        // Best effort: keep the key out of swap/core dumps. Failure (RLIMIT_MEMLOCK)
        // is not fatal because the key must still be usable.
        (void)sodium_mlock(key.data(), key.size());
    }
    ~KeyHolder()
    {
        // sodium_munlock zeroes before unlocking; memzero covers the case where
        // mlock failed.
        sodium_memzero(key.data(), key.size());
        (void)sodium_munlock(key.data(), key.size());
    }
    KeyHolder(const KeyHolder &) = delete;
    KeyHolder &operator=(const KeyHolder &) = delete;
};

SecretBox::SecretBox(std::shared_ptr<const KeyHolder> key)
    : m_key(std::move(key))
{
}

SecretBox SecretBox::fromKey(const QByteArray &key32)
{
    if (key32.size() != kKeySize)
        throw std::invalid_argument("SecretBox: key must be exactly 32 bytes");
    ensureSodium();
    return SecretBox(std::make_shared<const KeyHolder>(QByteArrayView(key32)));
}

SecretBox SecretBox::loadOrCreateKeyFile(const QString &path)
{
    ensureSodium();
    QFile file(path);
    if (!file.exists()) {
        const QString dir = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(dir))
            throw std::runtime_error("SecretBox: cannot create directory " + utf8(dir));

        QByteArray key(kKeySize, Qt::Uninitialized);
        randombytes_buf(key.data(), static_cast<size_t>(key.size()));
        const auto ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
        // NewOnly: never clobber a key another process created meanwhile.
        // Passing permissions to open() avoids a window where the file is
        // group/world readable.
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly)) {
            const bool ok = file.setPermissions(ownerOnly) && file.write(key) == kKeySize
                && file.flush();
            file.close();
            if (!ok) {
                wipe(key);
                QFile::remove(path);
                throw std::runtime_error("SecretBox: cannot write key file " + utf8(path) + ": "
                                         + utf8(file.errorString()));
            }
            SecretBox box = fromKey(key);
            wipe(key);
            return box;
        }
        wipe(key);
        if (!file.exists())
            throw std::runtime_error("SecretBox: cannot create key file " + utf8(path) + ": "
                                     + utf8(file.errorString()));
        // Lost a creation race: fall through and read the winner's key.
    }

    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("SecretBox: cannot read key file " + utf8(path) + ": "
                                 + utf8(file.errorString()));
    QByteArray key = file.read(kKeySize + 1);
    file.close();
    if (key.size() != kKeySize) {
        const auto found = key.size();
        wipe(key);
        throw std::runtime_error("SecretBox: key file " + utf8(path)
                                 + " must contain exactly 32 raw bytes (found "
                                 + (found > kKeySize ? std::string("more") : std::to_string(found))
                                 + "); refusing to replace it");
    }
    SecretBox box = fromKey(key);
    wipe(key);
    return box;
}

SecretBox SecretBox::fromBase64(const QString &b64)
{
    const QString trimmed = b64.trimmed();
    for (const QChar c : trimmed) {
        if (c.unicode() > 0x7f)
            throw std::invalid_argument("SecretBox: master key is not valid base64");
    }
    QByteArray latin = trimmed.toLatin1();
    auto decoded = QByteArray::fromBase64Encoding(latin, QByteArray::AbortOnBase64DecodingErrors);
    wipe(latin);
    if (!decoded || decoded.decoded.size() != kKeySize) {
        wipe(decoded.decoded);
        throw std::invalid_argument("SecretBox: master key must be base64 of exactly 32 bytes");
    }
    SecretBox box = fromKey(decoded.decoded);
    wipe(decoded.decoded);
    return box;
}

QByteArray SecretBox::seal(const QByteArray &plaintext, QByteArrayView associatedData) const
{
    const QByteArray ad = aeadAssociatedData(associatedData);
    QByteArray out(kHeaderSize + plaintext.size() + kTagSize, Qt::Uninitialized);
    out[0] = kFormatVersion;
    auto *nonce = reinterpret_cast<unsigned char *>(out.data() + 1);
    randombytes_buf(nonce, kNonceSize);

    unsigned long long cipherLen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char *>(out.data() + kHeaderSize), &cipherLen,
        bytes(plaintext.constData()), static_cast<unsigned long long>(plaintext.size()),
        bytes(ad.constData()), static_cast<unsigned long long>(ad.size()), nullptr, nonce,
        m_key->key.data());
    Q_ASSERT(cipherLen == static_cast<unsigned long long>(plaintext.size() + kTagSize));
    return out;
}

std::optional<QByteArray> SecretBox::open(const QByteArray &sealed,
                                          QByteArrayView associatedData) const
{
    if (sealed.size() < kHeaderSize + kTagSize || sealed.at(0) != kFormatVersion)
        return std::nullopt;
    const QByteArray ad = aeadAssociatedData(associatedData);
    const qsizetype cipherLen = sealed.size() - kHeaderSize;
    QByteArray plain(cipherLen - kTagSize, Qt::Uninitialized);
    unsigned long long plainLen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char *>(plain.data()), &plainLen, nullptr,
            bytes(sealed.constData() + kHeaderSize), static_cast<unsigned long long>(cipherLen),
            bytes(ad.constData()), static_cast<unsigned long long>(ad.size()),
            bytes(sealed.constData() + 1), m_key->key.data())
        != 0) {
        return std::nullopt;
    }
    plain.resize(static_cast<qsizetype>(plainLen));
    return plain;
}

QByteArray SecretBox::deriveKey(quint64 subkeyId, const char context[8]) const
{
    QByteArray out(32, Qt::Uninitialized);
    if (crypto_kdf_derive_from_key(reinterpret_cast<unsigned char *>(out.data()),
                                   static_cast<size_t>(out.size()), subkeyId, context,
                                   m_key->key.data())
        != 0) {
        throw std::runtime_error("SecretBox: key derivation failed");
    }
    return out;
}

} // namespace authrealm
