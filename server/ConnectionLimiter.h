#pragma once

#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <functional>

namespace authrealm {

// Counts the open connections of all I/O threads, per source address and in
// total, so a few thousand idle or slow clients cannot exhaust the process.
// Trusted proxies carry many clients over their own address: they count only
// towards the total.
class ConnectionLimiter
{
public:
    using Exempt = std::function<bool(const QHostAddress &)>;
    ConnectionLimiter(int maxPerSource, int maxTotal, Exempt exempt = {})
        : m_maxPerSource(maxPerSource), m_maxTotal(maxTotal), m_exempt(std::move(exempt))
    {
    }

    // Takes a slot for a new connection from `peer`; false when a cap is reached.
    [[nodiscard]] bool tryAcquire(const QHostAddress &peer);
    // Gives back the slot of a connection that tryAcquire admitted.
    void release(const QHostAddress &peer);
    [[nodiscard]] int open() const;

private:
    [[nodiscard]] bool countsPerSource(const QHostAddress &peer) const { return !m_exempt || !m_exempt(peer); }

    const int m_maxPerSource;
    const int m_maxTotal;
    const Exempt m_exempt;
    mutable QMutex m_mutex;
    QHash<QHostAddress, int> m_perSource;
    int m_total = 0;
};

} // namespace authrealm
