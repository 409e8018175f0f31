#pragma once

#include "storage/DatabaseConfig.h"
#include "storage/SqlDialect.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QString>
#include <atomic>

namespace authrealm {

// Hands each thread its own connection (QSql connections belong to the thread
// that opened them). Connections are opened lazily and closed when their
// thread ends or when this object is destroyed on the thread that owns them.
class Database
{
public:
    explicit Database(DatabaseConfig config);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    [[nodiscard]] const DatabaseConfig &config() const { return m_config; }
    [[nodiscard]] Dialect dialect() const { return m_config.dialect; }
    // The SQL fragments and behaviours that differ between the backends.
    [[nodiscard]] const SqlDialect &sql() const { return SqlDialect::of(m_config.dialect); }

    // The calling thread's open connection. Throws DomainError(StorageUnavailable).
    [[nodiscard]] QSqlDatabase connection() const;

    // Creates or upgrades the schema; refuses a database newer than this build.
    void migrate() const;
    [[nodiscard]] int schemaVersion() const;
    // Readiness: a round trip on the calling thread's connection. Throws
    // DomainError(StorageUnavailable) when the database cannot be reached.
    void ping() const;
    // Refreshes the query planner's statistics where they went stale
    // (SQLite's "PRAGMA optimize"; PostgreSQL's autovacuum does this itself).
    void optimize() const;

    // SQLite has one writer at a time. Writers of this process queue here
    // instead of in SQLite's busy handler, whose sleep back-off (up to 100 ms
    // a step) would otherwise put a long tail on every write under load.
    // Other processes still meet the busy timeout.
    [[nodiscard]] QMutex &sqliteWriteLock() const { return m_sqliteWriteLock; }

private:
    [[nodiscard]] QString connectionName() const;
    void configure(QSqlDatabase &db) const;

    DatabaseConfig m_config;
    quint64 m_id;
    mutable QMutex m_sqliteWriteLock;
};

} // namespace authrealm
