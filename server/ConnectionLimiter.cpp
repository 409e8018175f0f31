#include "ConnectionLimiter.h"

#include <QMutexLocker>

namespace authrealm {

bool ConnectionLimiter::tryAcquire(const QHostAddress &peer)
{
    const bool perSource = countsPerSource(peer);
    QMutexLocker lock(&m_mutex);
    if (m_total >= m_maxTotal)
        return false;
    if (perSource) {
        int &count = m_perSource[peer];
        if (count >= m_maxPerSource)
            return false;
        ++count;
    }
    ++m_total;
    return true;
}

void ConnectionLimiter::release(const QHostAddress &peer)
{
    const bool perSource = countsPerSource(peer);
    QMutexLocker lock(&m_mutex);
    --m_total;
    if (perSource) {
        const auto it = m_perSource.find(peer);
        if (it != m_perSource.end() && --it.value() <= 0)
            m_perSource.erase(it);
    }
}

int ConnectionLimiter::open() const
{
    QMutexLocker lock(&m_mutex);
    return m_total;
}

} // namespace authrealm
