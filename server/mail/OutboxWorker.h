#pragma once

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

namespace authrealm {

class MailDelivery;
class MailTransport;

// The server's mail sender: a thread that delivers due outbox mails every
// interval (and at once after wake()), until stop(). It holds its own
// database connection, so slow SMTP servers never block request threads.
class OutboxWorker : public QThread
{
public:
    OutboxWorker(const MailDelivery &delivery, MailTransport &transport, int intervalMs);
    ~OutboxWorker() override;

    void wake();
    void stop();

protected:
    void run() override;

private:
    const MailDelivery &m_delivery;
    MailTransport &m_transport;
    int m_intervalMs;
    QMutex m_mutex;
    QWaitCondition m_condition;
    bool m_stopping = false;
    bool m_woken = false;
};

} // namespace authrealm
