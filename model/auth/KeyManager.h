#pragma once

#include "crypto/SecretBox.h"
#include "crypto/SigningKey.h"

#include <QHash>
#include <QJsonObject>
#include <QReadWriteLock>
#include <optional>

namespace authrealm {

class Database;
class Clock;

// Per-realm signing keys. Private keys are sealed with the key-encryption key
// (which lives outside the database) and decrypted once into a cache shared by
// every request thread.
class KeyManager
{
public:
    KeyManager(const Database &db, const Clock &clock, SecretBox kek);

    // Generates and stores a new active key, retiring the previous one (whose
    // public half stays in the JWKS so tokens it signed keep verifying).
    QString rotate(const QString &realmId, SigningAlgorithm algorithm) const;
    // Ensures the realm has an active key with this algorithm.
    void ensureKey(const QString &realmId, SigningAlgorithm algorithm) const;

    // The access-token key (the one rotate() replaces).
    [[nodiscard]] SigningKey activeKey(const QString &realmId) const;
    // The realm's ID-token key for a client's registered algorithm, made on
    // first use; published in the JWKS like every key.
    [[nodiscard]] SigningKey idTokenKey(const QString &realmId, SigningAlgorithm algorithm) const;
    // The key of this realm with that kid, or nullopt. Unknown kids reload from
    // the database at most once a second per realm, so forged kids cannot
    // turn into a database flood.
    [[nodiscard]] std::optional<SigningKey> verificationKey(const QString &realmId, const QString &kid) const;
    [[nodiscard]] QJsonObject jwks(const QString &realmId) const;

    struct KeyInfo
    {
        QString kid;
        QString algorithm;
        QString status;
        qint64 createdAt;
    };
    [[nodiscard]] QList<KeyInfo> keys(const QString &realmId) const;

    void forget(const QString &realmId) const; // after a realm is deleted

private:
    struct RealmKeys
    {
        std::optional<SigningKey> active;
        QHash<QString, SigningKey> idTokenKeys; // by algorithm name
        QHash<QString, SigningKey> all;
        qint64 loadedAt = 0;
    };
    RealmKeys load(const QString &realmId) const;
    RealmKeys cached(const QString &realmId, bool forceReload) const;

    const Database &m_db;
    const Clock &m_clock;
    SecretBox m_kek;
    mutable QReadWriteLock m_lock;
    mutable QHash<QString, RealmKeys> m_cache;
};

} // namespace authrealm
