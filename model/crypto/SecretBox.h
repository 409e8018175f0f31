#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>

namespace authrealm {

// The key-encryption key. It lives outside the database (key file or
// environment) so that a stolen DB dump alone does not expose sealed secrets
// such as signing keys.
class SecretBox
{
public:
    // Throws std::invalid_argument unless key32 is exactly 32 bytes.
    static SecretBox fromKey(const QByteArray &key32);

    // Reads a raw 32-byte key; if the file does not exist, creates it (and its
    // parent directories) with a fresh random key, readable by the owner only.
    // Throws std::runtime_error if the file exists with a different size or
    // cannot be read/written: silently replacing a bad key would make every
    // sealed value unrecoverable.
    static SecretBox loadOrCreateKeyFile(const QString &path);

    // Standard base64 (padding optional) of exactly 32 bytes, e.g. from the
    // AUTHREALM_MASTER_KEY environment variable. Throws std::invalid_argument.
    static SecretBox fromBase64(const QString &b64);

    // XChaCha20-Poly1305: 0x01 || 24-byte random nonce || ciphertext+tag. The
    // 192-bit nonce is safe to pick at random for any realistic message count.
    // associatedData (e.g. "realm:42/signing-key") binds the ciphertext to its
    // context so it cannot be moved to another row.
    [[nodiscard]] QByteArray seal(const QByteArray &plaintext,
                                  QByteArrayView associatedData = {}) const;

    // nullopt on any tampering, wrong key, wrong associated data or unknown
    // format version; no distinction is made to avoid building an oracle.
    [[nodiscard]] std::optional<QByteArray> open(const QByteArray &sealed,
                                                 QByteArrayView associatedData = {}) const;

    // crypto_kdf_derive_from_key; context must point to exactly 8 chars
    // (e.g. "tokenhsh"). Returns 32 bytes; distinct (id, context) pairs give
    // independent keys, so the master key is never used directly for two jobs.
    [[nodiscard]] QByteArray deriveKey(quint64 subkeyId, const char context[8]) const;

private:
    struct KeyHolder;
    explicit SecretBox(std::shared_ptr<const KeyHolder> key);

    std::shared_ptr<const KeyHolder> m_key;
};

} // namespace authrealm
