#include "mail/MailDelivery.h"

#include "core/Clock.h"
#include "core/DomainError.h"
#include "mail/MailTransport.h"
#include "mail/MimeMessage.h"
#include "mail/OutboxStore.h"

#include <QLoggingCategory>

namespace authrealm {

namespace {
Q_LOGGING_CATEGORY(lcMail, "authrealm.mail")
}

MailDelivery::Pass MailDelivery::deliverDue(MailTransport &transport, int limit) const
{
    Pass pass;
    const QList<OutboxMail> due = m_outbox.claimDue(m_clock.nowMs(), kLeaseMs, limit);
    for (const OutboxMail &mail : due) {
        const int attempts = mail.attempts + 1;
        try {
            const std::optional<SmtpSettings> smtp = m_smtp.settings(mail.realmId);
            if (!smtp)
                throw MailTransportError(QStringLiteral("the realm has no SMTP server configured any more"));
            MimeMessage message;
            message.fromAddress = smtp->fromAddress;
            message.fromName = smtp->fromName;
            message.to = mail.recipient;
            message.subject = mail.subject;
            message.body = mail.body;
            message.dateMs = m_clock.nowMs();
            message.messageId = MimeMessage::newMessageId(smtp->fromAddress.section(u'@', 1));
            transport.send(*smtp, mail.recipient, message.toBytes());
            m_outbox.markSent(mail.id, m_clock.nowMs());
            ++pass.sent;
            qCInfo(lcMail).noquote() << "sent outbox mail" << mail.id << "of realm" << mail.realmId << "(" << mail.kind << ")";
        } catch (const MailTransportError &e) {
            ++pass.failed;
            const QString error = QString::fromStdString(e.what());
            m_outbox.markAttemptFailed(mail.id, attempts, error, m_clock.nowMs() + OutboxStore::retryDelayMs(attempts));
            qCWarning(lcMail).noquote() << "outbox mail" << mail.id << "of realm" << mail.realmId << "not sent (attempt" << attempts
                                        << "):" << error;
        } catch (const DomainError &e) {
            ++pass.failed;
            m_outbox.markAttemptFailed(mail.id, attempts, e.message(), m_clock.nowMs() + OutboxStore::retryDelayMs(attempts));
        }
    }
    return pass;
}

} // namespace authrealm
