#pragma once

#include "core/FailureStreak.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <memory>

namespace authrealm {

class AuthRealmCore;
class Maintenance;
class MailTransport;
class OutboxWorker;

// The jobs a serving process runs beside answering requests, apart from the
// sockets: the revocation sync (every second, so this process refuses tokens
// of sessions other processes ended), its row in the ServerRegistry with a
// heartbeat, the SMTP sender for the outbox, and, unless the host already
// runs it (the console does), the database Maintenance. ApiServer starts and
// stops them with the listener; they live on the thread that created them.
class BackgroundJobs : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString instanceKind;    // how other consoles see this server
        int mailIntervalMs = 0;  // 0: no sender thread
        bool maintenance = true; // false when the host runs Maintenance itself
    };

    BackgroundJobs(AuthRealmCore &core, Options options, QObject *parent = nullptr);
    ~BackgroundJobs() override;

    // `listen` is what the registry shows ("host:port").
    void start(const QString &listen);
    void stop();
    [[nodiscard]] bool isRunning() const { return m_running; }
    // This server's row in the ServerRegistry while it runs.
    [[nodiscard]] const QString &instanceId() const { return m_instanceId; }

    // One revocation sync now (the timer's tick); logs failures rate-limited.
    void syncRevocations();

private:
    void announce(const QString &listen);

    AuthRealmCore &m_core;
    Options m_options;
    bool m_running = false;
    QTimer m_revocationSync;
    FailureStreak m_revocationFailures;
    QTimer m_heartbeat;
    QString m_instanceId;
    std::unique_ptr<Maintenance> m_maintenance;
    std::unique_ptr<MailTransport> m_mailTransport;
    std::unique_ptr<OutboxWorker> m_outboxWorker;
};

} // namespace authrealm
