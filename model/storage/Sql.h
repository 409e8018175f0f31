#pragma once

#include "storage/Database.h"

#include <QMutexLocker>
#include <QSqlQuery>
#include <optional>
#include <QVariant>

namespace authrealm {

// A prepared statement that throws DomainError instead of returning false, so
// no caller can forget to check, and that logs the SQL but never the values
// (they may be hashes, emails or other personal data).
//
// On SQLite a SELECT whose rows were not all read keeps its connection in a
// read transaction. A write transaction begun on top of it cannot wait for
// the write lock: SQLite answers SQLITE_BUSY ("database is locked") at once,
// busy timeout or not, whenever another connection wrote since the read
// began. So Transaction ends this thread's open reads on its database before
// BEGIN IMMEDIATE (read what you need first); a query ended that way refuses
// next() loudly instead of silently returning fewer rows.
class SqlQuery
{
public:
    SqlQuery(const Database &db, const QString &sql);
    ~SqlQuery();
    SqlQuery(const SqlQuery &) = delete;
    SqlQuery &operator=(const SqlQuery &) = delete;
    // A null QString binds as '' (columns are NOT NULL unless said otherwise).
    SqlQuery &bind(const QString &placeholder, const QVariant &value);
    // Binds SQL NULL for an empty string.
    SqlQuery &bindNullable(const QString &placeholder, const QString &value);
    SqlQuery &exec();

    [[nodiscard]] bool next();
    [[nodiscard]] QVariant value(int index) const { return m_query.value(index); }
    [[nodiscard]] QVariant value(const QString &name) const { return m_query.value(name); }
    [[nodiscard]] int rowsAffected() const { return m_query.numRowsAffected(); }
    [[nodiscard]] QSqlQuery &raw() { return m_query; }

    // Statements this thread has run through SqlQuery, and how many of them
    // were not SELECTs: lets a test assert that two paths (a known and an
    // unknown email, say) do the same database work, without timing them.
    struct Tally
    {
        quint64 statements = 0;
        quint64 writes = 0;
    };
    [[nodiscard]] static Tally tallyOnThisThread();

    // Ends the statement (and on SQLite its read transaction); called by
    // Transaction for this thread's open reads before it begins.
    void endRead();

private:
    void prepareOnce();
    void untrack();
    const Database &m_db;
    QSqlQuery m_query;
    QString m_sql;
    bool m_prepared = false;
    bool m_tracked = false;
    bool m_endedByTransaction = false;
};

// RAII write transaction. SQLite takes the write lock up front (BEGIN
// IMMEDIATE) so two writers never deadlock upgrading read locks; PostgreSQL
// uses an ordinary transaction. Rolls back unless commit() was called.
// A transaction opened while the thread already has one on the same database
// joins it: its commit() does nothing and the outermost one decides, so a
// service (the audit log, say) can be called both alone and inside a larger
// unit of work.
class Transaction
{
public:
    explicit Transaction(const Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    void commit();
    [[nodiscard]] static bool active(const Database &db);

private:
    const Database &m_db;
    std::optional<QMutexLocker<QMutex>> m_writeLock;
    bool m_open = false;
    bool m_joined = false;
};


} // namespace authrealm
