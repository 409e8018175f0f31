#include "storage/AuditTextIndexer.h"

#include "storage/AuditTextIndex.h"
#include "storage/Database.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAuditText, "authrealm.audit.text")

namespace authrealm {

AuditTextIndexer::AuditTextIndexer(const Database &db, QObject *parent) : QObject(parent), m_db(db)
{
    m_worker.setMaxThreadCount(1);
    // One thread for the indexer's lifetime, and with it one connection.
    m_worker.setExpiryTimeout(-1);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AuditTextIndexer::tick);
}

AuditTextIndexer::~AuditTextIndexer()
{
    m_timer.stop();
    m_worker.waitForDone();
}

void AuditTextIndexer::start()
{
    if (!m_db.sql().textIndexNeedsCatchUp())
        return;
    m_timer.start();
    tick();
}

void AuditTextIndexer::stop()
{
    m_timer.stop();
    m_worker.waitForDone();
}

void AuditTextIndexer::tick()
{
    if (m_busy.exchange(true))
        return; // the last tick is still working through a backlog
    m_worker.start([this] {
        try {
            const qint64 indexed = AuditTextIndex(m_db).catchUp(kTickBudgetMs, kBatchRows);
            if (indexed >= kBatchRows)
                qCDebug(lcAuditText) << "indexed the text of" << indexed << "audit events";
        } catch (const std::exception &e) {
            // The database is busy or briefly unreachable: the next tick retries,
            // and until then searches read the unindexed events directly.
            qCWarning(lcAuditText) << "the audit text index could not catch up:" << e.what();
        }
        m_busy = false;
    });
}

} // namespace authrealm
