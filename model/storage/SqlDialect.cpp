#include "storage/SqlDialect.h"

#include "storage/Sql.h"

namespace authrealm {

const SqlDialect &SqlDialect::of(Dialect dialect)
{
    static const SqlDialect sqlite(Dialect::SQLite);
    static const SqlDialect postgres(Dialect::PostgreSQL);
    return dialect == Dialect::PostgreSQL ? postgres : sqlite;
}

QString SqlDialect::driverName() const
{
    return isPostgres() ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE");
}

QString SqlDialect::beginWrite() const
{
    return isPostgres() ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN IMMEDIATE");
}

QString SqlDialect::forUpdate() const
{
    return isPostgres() ? QStringLiteral(" FOR UPDATE") : QString();
}

QString SqlDialect::returningId() const
{
    return isPostgres() ? QStringLiteral(" RETURNING id") : QString();
}

qint64 SqlDialect::insertedId(SqlQuery &query) const
{
    if (isPostgres())
        return query.next() ? query.value(0).toLongLong() : 0;
    return query.raw().lastInsertId().toLongLong();
}

QString SqlDialect::caseInsensitiveLike() const
{
    return isPostgres() ? QStringLiteral("ILIKE") : QStringLiteral("LIKE");
}

QString SqlDialect::serialPrimaryKey() const
{
    return isPostgres() ? QStringLiteral("BIGSERIAL PRIMARY KEY") : QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT");
}

QString SqlDialect::migrationLock() const
{
    return isPostgres() ? QStringLiteral("SELECT pg_advisory_xact_lock(7450021)") : QString();
}

QString SqlDialect::analyzeAfterMigration() const
{
    // New indexes have no statistics; without them SQLite may pick an index
    // that needs a full sort over millions of audit rows.
    return isSQLite() ? QStringLiteral("ANALYZE") : QString();
}

QString SqlDialect::optimize() const
{
    return isSQLite() ? QStringLiteral("PRAGMA optimize") : QString();
}

} // namespace authrealm
