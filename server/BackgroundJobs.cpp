#include "BackgroundJobs.h"

#include "AuthRealmCore.h"
#include "core/DomainError.h"
#include "Maintenance.h"
#include "crypto/Random.h"
#include "mail/CurlSmtpTransport.h"
#include "mail/OutboxWorker.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSysInfo>

namespace authrealm {

namespace {
Q_LOGGING_CATEGORY(lcJobs, "authrealm.server.jobs")

constexpr int kRevocationSyncMs = 1000;
} // namespace

BackgroundJobs::BackgroundJobs(AuthRealmCore &core, Options options, QObject *parent)
    : QObject(parent), m_core(core), m_options(std::move(options)), m_revocationFailures(core.clock())
{
    m_revocationSync.setInterval(kRevocationSyncMs);
    connect(&m_revocationSync, &QTimer::timeout, this, &BackgroundJobs::syncRevocations);
    m_heartbeat.setInterval(int(ServerRegistry::kHeartbeatMs));
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        try {
            m_core.servers().heartbeat(m_instanceId);
        } catch (const std::exception &) {
            // Only the console's "who else serves this" notice depends on it.
        }
    });
}

BackgroundJobs::~BackgroundJobs()
{
    stop();
}

void BackgroundJobs::syncRevocations()
{
    QString error;
    try {
        m_core.revocations().sync();
    } catch (const DomainError &e) {
        error = e.message();
    } catch (const std::exception &e) {
        error = QString::fromLocal8Bit(e.what());
    }
    // The database is briefly unreachable and the next tick retries; say so
    // at the first failure, then once a minute, and when it works again.
    if (error.isEmpty()) {
        if (m_revocationFailures.succeeded() == FailureStreak::Report::Recovered)
            qCInfo(lcJobs) << "revocation sync works again";
        return;
    }
    switch (m_revocationFailures.failed()) {
    case FailureStreak::Report::FirstFailure:
        qCWarning(lcJobs).noquote() << "revocation sync failed; retrying every second:" << error;
        break;
    case FailureStreak::Report::StillFailing:
        qCWarning(lcJobs).noquote() << "revocation sync still failing after" << m_revocationFailures.failures() << "attempts:" << error;
        break;
    default:
        break;
    }
}

void BackgroundJobs::announce(const QString &listen)
{
    m_instanceId = randomToken(12);
    ServerInstance self;
    self.id = m_instanceId;
    self.host = QSysInfo::machineHostName();
    self.pid = QCoreApplication::applicationPid();
    self.listen = listen;
    self.kind = m_options.instanceKind;
    try {
        m_core.servers().announce(self);
        m_heartbeat.start();
    } catch (const std::exception &e) {
        qCWarning(lcJobs) << "cannot register this server in the database:" << e.what();
    }
}

void BackgroundJobs::start(const QString &listen)
{
    if (m_running)
        return;
    m_running = true;
    m_revocationSync.start();
    if (m_options.maintenance) {
        m_maintenance = std::make_unique<Maintenance>(m_core);
        m_maintenance->start();
    }
    announce(listen);
    if (m_options.mailIntervalMs > 0) {
        m_mailTransport = std::make_unique<CurlSmtpTransport>();
        m_outboxWorker = std::make_unique<OutboxWorker>(m_core.mailDelivery(), *m_mailTransport, m_options.mailIntervalMs);
        m_outboxWorker->start();
    }
}

void BackgroundJobs::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_revocationSync.stop();
    m_heartbeat.stop();
    m_maintenance.reset();
    try {
        m_core.servers().withdraw(m_instanceId);
    } catch (const std::exception &) {
        // The row goes stale by itself after three missed heartbeats.
    }
    if (m_outboxWorker) {
        m_outboxWorker->stop();
        m_outboxWorker.reset();
    }
    m_mailTransport.reset();
}

} // namespace authrealm
