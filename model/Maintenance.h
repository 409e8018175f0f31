#pragma once

#include "storage/AuditTextIndexer.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace authrealm {

class AuthRealmCore;

// The upkeep a database needs whoever has it open: the realms' audit
// retention, pruning of stale sign-in failure counters and the planner
// statistics (first a minute after start, then hourly), and the SQLite audit
// text index (every second). Run by the server's BackgroundJobs and by the
// console whenever it has a database open, hosted server or not, so a
// database only opened in the console is kept too. Lives on the thread that
// created it; never lets an exception out of a timer.
class Maintenance : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFirstRunMs = 60'000;
    static constexpr int kIntervalMs = 3'600'000;

    explicit Maintenance(AuthRealmCore &core, QObject *parent = nullptr);
    ~Maintenance() override;

    void start();
    void stop();
    [[nodiscard]] bool isRunning() const { return m_indexer != nullptr; }

    // One hourly run now: retention, pruning, optimize. Logs, never throws.
    void runHourly();

private:
    AuthRealmCore &m_core;
    QTimer m_hourly;
    std::unique_ptr<AuditTextIndexer> m_indexer;
};

} // namespace authrealm
