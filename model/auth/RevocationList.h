#pragma once

#include <QHash>
#include <QReadWriteLock>
#include <QString>

namespace authrealm {

class SessionStore;
class Clock;

// Ended sessions, in memory, so every protected request can refuse an access
// token of an ended session without a database round trip. This process adds
// its own revocations at once; sync() picks up the ones other server processes
// wrote (the server calls it every second).
class RevocationList
{
public:
    RevocationList(const SessionStore &sessions, const Clock &clock);

    void markRevoked(const QString &sessionId);
    [[nodiscard]] bool isRevoked(const QString &sessionId) const;
    void sync();
    [[nodiscard]] qsizetype size() const;

    // An access token lives at most this long, so older revocations can be forgotten.
    static constexpr qint64 kRetentionMs = 86400LL * 1000 + 60'000;

private:
    const SessionStore &m_sessions;
    const Clock &m_clock;
    mutable QReadWriteLock m_lock;
    QHash<QString, qint64> m_revoked; // session id -> when this process learnt of it
    qint64 m_watermark = 0;
};

} // namespace authrealm
