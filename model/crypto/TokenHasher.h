#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace authrealm {

// Refresh tokens and API keys are long random secrets, so a keyed fast hash is
// enough: brute force is hopeless, and the key (derived from the master key,
// outside the DB) means a leaked table alone cannot even confirm a guess.
// Argon2 here would only make every authenticated request slow.
class TokenHasher
{
public:
    // Throws std::invalid_argument unless key32 is exactly 32 bytes.
    explicit TokenHasher(QByteArray key32);
    ~TokenHasher();
    TokenHasher(const TokenHasher &) = default;
    TokenHasher &operator=(const TokenHasher &) = default;

    // HMAC-SHA256, 32 raw bytes.
    [[nodiscard]] QByteArray hash(QByteArrayView token) const;
    // Lower-case hex of hash(), convenient as an indexed DB column.
    [[nodiscard]] QString hashHex(QByteArrayView token) const;

private:
    QByteArray m_key;
};

} // namespace authrealm
