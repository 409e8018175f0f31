#pragma once

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>

namespace authrealm {

class Database;

// Keeps the SQLite audit text index (AuditTextIndex) caught up with the
// appends, from a thread of its own so a long backlog (the first run after
// upgrading a big log) never stalls the thread that owns it. Each tick works
// for at most kTickBudgetMs in short batches, so writers wait for the lock
// only briefly. Does nothing on PostgreSQL.
class AuditTextIndexer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;
    static constexpr qint64 kTickBudgetMs = 250;
    static constexpr int kBatchRows = 1000;

    explicit AuditTextIndexer(const Database &db, QObject *parent = nullptr);
    ~AuditTextIndexer() override; // waits for a running batch

    void start();
    void stop();

private:
    void tick();

    const Database &m_db;
    QTimer m_timer;
    QThreadPool m_worker;
    std::atomic_bool m_busy = false;
};

} // namespace authrealm
