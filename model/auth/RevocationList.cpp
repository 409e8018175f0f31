#include "auth/RevocationList.h"

#include "core/Clock.h"
#include "storage/SessionStore.h"

namespace authrealm {

RevocationList::RevocationList(const SessionStore &sessions, const Clock &clock) : m_sessions(sessions), m_clock(clock)
{
    m_watermark = m_clock.nowMs() - kRetentionMs;
}

void RevocationList::markRevoked(const QString &sessionId)
{
    QWriteLocker lock(&m_lock);
    m_revoked.insert(sessionId, m_clock.nowMs());
}

bool RevocationList::isRevoked(const QString &sessionId) const
{
    QReadLocker lock(&m_lock);
    return m_revoked.contains(sessionId);
}

qsizetype RevocationList::size() const
{
    QReadLocker lock(&m_lock);
    return m_revoked.size();
}

void RevocationList::sync()
{
    const qint64 now = m_clock.nowMs();
    qint64 since;
    {
        QReadLocker lock(&m_lock);
        // Overlap a little: clocks of several server processes are not identical.
        since = m_watermark - 5000;
    }
    const auto rows = m_sessions.revokedSince(since);
    QWriteLocker lock(&m_lock);
    for (const auto &row : rows) {
        m_revoked.insert(row.sessionId, std::max(row.revokedAt, now - kRetentionMs + 1));
        m_watermark = std::max(m_watermark, row.revokedAt);
    }
    for (auto it = m_revoked.begin(); it != m_revoked.end();) {
        if (it.value() < now - kRetentionMs)
            it = m_revoked.erase(it);
        else
            ++it;
    }
}

} // namespace authrealm
