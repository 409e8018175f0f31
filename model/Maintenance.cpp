#include "Maintenance.h"

#include "AuthRealmCore.h"
#include "core/DomainError.h"

#include <QLoggingCategory>

namespace authrealm {

namespace {
Q_LOGGING_CATEGORY(lcRetention, "authrealm.audit.retention")
}

Maintenance::Maintenance(AuthRealmCore &core, QObject *parent) : QObject(parent), m_core(core)
{
    connect(&m_hourly, &QTimer::timeout, this, [this] {
        m_hourly.setInterval(kIntervalMs);
        runHourly();
    });
}

Maintenance::~Maintenance()
{
    stop();
}

void Maintenance::start()
{
    if (isRunning())
        return;
    m_hourly.start(kFirstRunMs);
    m_indexer = std::make_unique<AuditTextIndexer>(m_core.database());
    m_indexer->start();
}

void Maintenance::stop()
{
    m_hourly.stop();
    m_indexer.reset(); // waits for a running batch
}

// The realms' auditRetentionDays, applied by the model (the console's audit
// view calls the same AuditLog::applyRetention).
void Maintenance::runHourly()
{
    try {
        for (const RetentionRun &run : m_core.audit().applyRetention(m_core.realms())) {
            if (!run.error.isEmpty())
                qCWarning(lcRetention).noquote() << "audit retention of realm" << run.realmId << "failed:" << run.error;
            else if (run.eventsRemoved > 0)
                qCInfo(lcRetention).noquote() << "audit retention removed" << run.eventsRemoved << "events older than" << run.retentionDays
                                              << "days from realm" << run.realmId;
        }
    } catch (const DomainError &e) {
        // The database is briefly unreachable; the next run retries.
        qCWarning(lcRetention).noquote() << "audit retention could not run:" << e.message();
    } catch (const std::exception &e) {
        qCWarning(lcRetention) << "audit retention could not run:" << e.what();
    }
    // Counters of attempts that no longer matter (lock over, failures forgotten)
    // would otherwise pile up, one per login anyone ever typed.
    try {
        const int pruned = m_core.throttle().pruneStale();
        if (pruned > 0)
            qCInfo(lcRetention) << "removed" << pruned << "stale sign-in failure counters";
    } catch (const std::exception &) {
        // Next hour.
    }
    // Authorization requests, codes and browser sessions past their end. Codes
    // stay a day after expiry so a late replay still finds (and revokes) what
    // its first redemption issued.
    try {
        m_core.oidcStore().prune(m_core.clock().nowMs() - 24LL * 3600 * 1000);
    } catch (const std::exception &) {
        // Next hour.
    }
    // The same hourly beat keeps SQLite's planner statistics current as tables grow.
    try {
        m_core.database().optimize();
    } catch (const std::exception &) {
        // Next hour.
    }
}

} // namespace authrealm
