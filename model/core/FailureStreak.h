#pragma once

#include "core/Clock.h"

namespace authrealm {

// Decides when a job that retries every tick should say that it keeps
// failing: at the first failure, then at most once per interval while the
// failures go on (with how many went unreported), and once when it recovers.
// A database outage must leave a trace without writing a line a second.
class FailureStreak
{
public:
    enum class Report { Nothing, FirstFailure, StillFailing, Recovered };

    explicit FailureStreak(const Clock &clock, qint64 intervalMs = 60'000) : m_clock(clock), m_intervalMs(intervalMs) {}

    [[nodiscard]] Report failed()
    {
        const qint64 now = m_clock.nowMs();
        ++m_failures;
        if (m_failures == 1) {
            m_lastReportMs = now;
            m_unreported = 0;
            return Report::FirstFailure;
        }
        if (now - m_lastReportMs >= m_intervalMs) {
            m_lastReportMs = now;
            m_reportedUnreported = m_unreported;
            m_unreported = 0;
            return Report::StillFailing;
        }
        ++m_unreported;
        return Report::Nothing;
    }

    [[nodiscard]] Report succeeded()
    {
        const bool wasFailing = m_failures > 0;
        m_failures = 0;
        m_unreported = 0;
        return wasFailing ? Report::Recovered : Report::Nothing;
    }

    // Failures in a row so far (the one just reported included).
    [[nodiscard]] qint64 failures() const { return m_failures; }
    // For StillFailing: how many failures went unreported before it.
    [[nodiscard]] qint64 unreportedBefore() const { return m_reportedUnreported; }

private:
    const Clock &m_clock;
    qint64 m_intervalMs;
    qint64 m_failures = 0;
    qint64 m_unreported = 0;
    qint64 m_reportedUnreported = 0;
    qint64 m_lastReportMs = 0;
};

} // namespace authrealm
