#include "mail/OutboxWorker.h"

#include "core/DomainError.h"
#include "mail/MailDelivery.h"

#include <QLoggingCategory>

namespace authrealm {

namespace {
Q_LOGGING_CATEGORY(lcOutbox, "authrealm.mail.outbox")
constexpr int kBatch = 50;
}

OutboxWorker::OutboxWorker(const MailDelivery &delivery, MailTransport &transport, int intervalMs)
    : m_delivery(delivery), m_transport(transport), m_intervalMs(std::max(10, intervalMs))
{
    setObjectName(QStringLiteral("authrealm-mail"));
}

OutboxWorker::~OutboxWorker()
{
    stop();
}

void OutboxWorker::wake()
{
    QMutexLocker lock(&m_mutex);
    m_woken = true;
    m_condition.wakeAll();
}

void OutboxWorker::stop()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_condition.wakeAll();
    }
    wait();
}

void OutboxWorker::run()
{
    for (;;) {
        {
            QMutexLocker lock(&m_mutex);
            if (m_stopping)
                return;
        }
        try {
            // Drain: a full batch means more may be due right now.
            for (;;) {
                const MailDelivery::Pass pass = m_delivery.deliverDue(m_transport, kBatch);
                QMutexLocker lock(&m_mutex);
                if (m_stopping)
                    return;
                if (pass.sent + pass.failed < kBatch)
                    break;
            }
        } catch (const DomainError &e) {
            qCWarning(lcOutbox).noquote() << "outbox pass failed:" << e.message();
        } catch (const std::exception &e) {
            qCWarning(lcOutbox) << "outbox pass failed:" << e.what();
        }
        QMutexLocker lock(&m_mutex);
        if (!m_stopping && !m_woken)
            m_condition.wait(&m_mutex, QDeadlineTimer(m_intervalMs));
        m_woken = false;
        if (m_stopping)
            return;
    }
}

} // namespace authrealm
