#pragma once

#include "oidc/OAuthClient.h"

#include <QHash>
#include <QList>
#include <QReadWriteLock>
#include <QString>
#include <optional>

namespace authrealm {

class Clock;

// What client authentication reads on every token request, kept in memory
// for a moment: the client (or the fact that there is none) and its secrets'
// hashes, and the apps' access-token lifetimes. The token endpoint would
// otherwise run four statements per client_credentials token. Changes made
// through this process's ClientRegistry forget the entry at once; changes
// made by another server process on the same PostgreSQL (or a realm's
// lifetime settings) are seen within kTtlMs.
class ClientCache
{
public:
    explicit ClientCache(const Clock &clock) : m_clock(clock) {}

    static constexpr qint64 kTtlMs = 2000;
    static constexpr int kMaxEntries = 20000; // beyond it the cache starts over (a flood of unknown ids)

    struct Secret
    {
        QString hash;
        qint64 expiresAt = 0; // ms; 0: the current secret
    };
    struct Client
    {
        std::optional<OAuthClient> client;
        QList<Secret> secrets;
    };
    [[nodiscard]] std::optional<Client> client(const QString &realmId, const QString &clientId) const;
    void putClient(const QString &realmId, const QString &clientId, const Client &entry) const;
    void forgetClient(const QString &clientId) const;

    [[nodiscard]] std::optional<qint64> accessLifetime(const QString &realmId, const QString &appId) const;
    void putAccessLifetime(const QString &realmId, const QString &appId, qint64 seconds) const;

private:
    template<typename T>
    struct Timed
    {
        T value;
        qint64 loadedAt = 0;
    };
    const Clock &m_clock;
    mutable QReadWriteLock m_lock;
    mutable QHash<QString, Timed<Client>> m_clients;   // realm + '/' + client id
    mutable QHash<QString, Timed<qint64>> m_lifetimes; // realm + '/' + app id
};

} // namespace authrealm
