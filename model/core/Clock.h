#pragma once

#include <QDateTime>
#include <QMutex>

namespace authrealm {

// Every service asks this for "now", so expiry, lockout and rotation can be
// tested by moving a ManualClock instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual qint64 nowMs() const = 0;
    [[nodiscard]] qint64 nowSeconds() const { return nowMs() / 1000; }
    [[nodiscard]] QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }
};

class SystemClock final : public Clock
{
public:
    [[nodiscard]] qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

// Thread-safe because server tests advance it while request threads read it.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1'767'225'600'000) : m_now(startMs) {}
    [[nodiscard]] qint64 nowMs() const override
    {
        QMutexLocker lock(&m_mutex);
        return m_now;
    }
    void advanceSeconds(qint64 seconds)
    {
        QMutexLocker lock(&m_mutex);
        m_now += seconds * 1000;
    }
    void setMs(qint64 ms)
    {
        QMutexLocker lock(&m_mutex);
        m_now = ms;
    }

private:
    mutable QMutex m_mutex;
    qint64 m_now;
};

} // namespace authrealm
