#pragma once

#include <QtGlobal>

namespace authrealm {

class Clock;
class MailTransport;
class OutboxStore;
class SmtpSettingsStore;

// One pass over the outbox: every due pending mail goes to its realm's SMTP
// server; a failure is recorded (attempts, last error) and retried later with
// exponential back-off, so an outage of the mail server loses nothing.
class MailDelivery
{
public:
    MailDelivery(const OutboxStore &outbox, const SmtpSettingsStore &smtp, const Clock &clock)
        : m_outbox(outbox), m_smtp(smtp), m_clock(clock)
    {
    }

    struct Pass
    {
        int sent = 0;
        int failed = 0; // attempts that failed (the mail is retried or, after the last one, failed)
    };
    Pass deliverDue(MailTransport &transport, int limit = 50) const;

    static constexpr qint64 kLeaseMs = 120'000; // longer than one SMTP conversation may take

private:
    const OutboxStore &m_outbox;
    const SmtpSettingsStore &m_smtp;
    const Clock &m_clock;
};

} // namespace authrealm
