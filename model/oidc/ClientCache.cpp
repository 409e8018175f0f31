#include "oidc/ClientCache.h"

#include "core/Clock.h"

namespace authrealm {

namespace {
QString keyOf(const QString &realmId, const QString &id) { return realmId + u'/' + id; }
} // namespace

std::optional<ClientCache::Client> ClientCache::client(const QString &realmId, const QString &clientId) const
{
    const qint64 now = m_clock.nowMs();
    QReadLocker read(&m_lock);
    const auto it = m_clients.constFind(keyOf(realmId, clientId));
    // A clock set back (tests, NTP) must not keep an entry alive either.
    if (it == m_clients.constEnd() || now - it->loadedAt >= kTtlMs || now < it->loadedAt)
        return std::nullopt;
    return it->value;
}

void ClientCache::putClient(const QString &realmId, const QString &clientId, const Client &entry) const
{
    QWriteLocker write(&m_lock);
    if (m_clients.size() >= kMaxEntries)
        m_clients.clear();
    m_clients.insert(keyOf(realmId, clientId), Timed<Client>{entry, m_clock.nowMs()});
}

void ClientCache::forgetClient(const QString &clientId) const
{
    QWriteLocker write(&m_lock);
    // Client ids are unique across realms; the key's realm part is not known here.
    m_clients.removeIf([&](const QHash<QString, Timed<Client>>::iterator &it) { return it.key().endsWith(u'/' + clientId); });
}

std::optional<qint64> ClientCache::accessLifetime(const QString &realmId, const QString &appId) const
{
    const qint64 now = m_clock.nowMs();
    QReadLocker read(&m_lock);
    const auto it = m_lifetimes.constFind(keyOf(realmId, appId));
    if (it == m_lifetimes.constEnd() || now - it->loadedAt >= kTtlMs || now < it->loadedAt)
        return std::nullopt;
    return it->value;
}

void ClientCache::putAccessLifetime(const QString &realmId, const QString &appId, qint64 seconds) const
{
    QWriteLocker write(&m_lock);
    if (m_lifetimes.size() >= kMaxEntries)
        m_lifetimes.clear();
    m_lifetimes.insert(keyOf(realmId, appId), Timed<qint64>{seconds, m_clock.nowMs()});
}

} // namespace authrealm
