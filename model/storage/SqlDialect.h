#pragma once

#include "storage/DatabaseConfig.h"

#include <QString>

namespace authrealm {

class SqlQuery;

// Everything that differs between SQLite and PostgreSQL, in one place: the
// SQL fragments the stores splice in and the few behaviours that differ. The
// stores ask db.sql() instead of testing the backend themselves, so adding a
// difference (or a backend) means changing this class, not hunting for
// `if (postgres)` across the model.
class SqlDialect
{
public:
    [[nodiscard]] static const SqlDialect &of(Dialect dialect);

    [[nodiscard]] Dialect id() const { return m_id; }
    [[nodiscard]] bool isSQLite() const { return m_id == Dialect::SQLite; }
    [[nodiscard]] bool isPostgres() const { return m_id == Dialect::PostgreSQL; }

    // The Qt SQL driver ("QSQLITE", "QPSQL").
    [[nodiscard]] QString driverName() const;

    // A write transaction. SQLite takes the write lock up front (IMMEDIATE) so
    // two writers never deadlock upgrading read locks.
    [[nodiscard]] QString beginWrite() const;
    // SQLite has one writer at a time: this process queues its writers on a
    // mutex (Database::sqliteWriteLock) instead of in SQLite's busy handler.
    [[nodiscard]] bool serializesWritersInProcess() const { return isSQLite(); }

    // Appended to a SELECT that reads a row it is about to update. SQLite has
    // no row locks (and no FOR UPDATE): BEGIN IMMEDIATE already made the
    // connection the only writer.
    [[nodiscard]] QString forUpdate() const;

    // Appended to an INSERT into a table with a serial id; read the id back
    // with insertedId() after exec().
    [[nodiscard]] QString returningId() const;
    [[nodiscard]] qint64 insertedId(SqlQuery &query) const;

    // Case-insensitive LIKE. SQLite's LIKE already ignores ASCII case (LOWER
    // would fold no more there, at three times the cost).
    [[nodiscard]] QString caseInsensitiveLike() const;

    // DDL: an auto-incrementing 64-bit primary key.
    [[nodiscard]] QString serialPrimaryKey() const;
    // Serializes schema migrations of several processes starting together
    // (empty: the write transaction already does).
    [[nodiscard]] QString migrationLock() const;
    // Refreshes planner statistics after a migration / hourly (empty: the
    // backend keeps them itself, as PostgreSQL's autovacuum does).
    [[nodiscard]] QString analyzeAfterMigration() const;
    [[nodiscard]] QString optimize() const;

    // The audit free-text index: SQLite keeps an FTS5 table that a background
    // job (AuditTextIndexer) catches up with the appends; PostgreSQL indexes
    // an expression with pg_trgm, kept current by the database itself.
    enum class TextIndex { Fts5Table, TrigramExpression };
    [[nodiscard]] TextIndex textIndex() const { return isSQLite() ? TextIndex::Fts5Table : TextIndex::TrigramExpression; }
    [[nodiscard]] bool textIndexNeedsCatchUp() const { return textIndex() == TextIndex::Fts5Table; }

private:
    explicit constexpr SqlDialect(Dialect id) : m_id(id) {}
    Dialect m_id;
};

} // namespace authrealm
