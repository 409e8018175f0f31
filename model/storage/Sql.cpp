#include "storage/Sql.h"

#include "core/DomainError.h"

#include <QHash>
#include <QLoggingCategory>
#include <QSqlError>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace authrealm {

namespace {

[[noreturn]] void throwFor(const QSqlError &error, const QString &sql)
{
    qCWarning(lcStorage).noquote() << "SQL failed:" << error.text() << "in:" << sql.simplified().left(200);
    const QString native = error.nativeErrorCode();
    // Unique/foreign-key violations are the caller's input, not an outage.
    if (native == u"23505" || native == u"2067" || native == u"1555" || native == u"19")
        throw DomainError(ErrorCode::Conflict, QStringLiteral("That already exists"));
    if (native == u"23503" || native == u"787")
        throw DomainError(ErrorCode::Conflict, QStringLiteral("A referenced record does not exist"));
    throw DomainError(ErrorCode::StorageUnavailable, QStringLiteral("The database could not complete the request"));
}

// SQLite only: this thread's queries with a live result set, per database.
thread_local QHash<const Database *, QList<SqlQuery *>> t_openReads;

} // namespace

SqlQuery::SqlQuery(const Database &db, const QString &sql) : m_db(db), m_query(db.connection()), m_sql(sql)
{
    m_query.setForwardOnly(true);
}

SqlQuery::~SqlQuery()
{
    untrack();
}

void SqlQuery::untrack()
{
    if (!m_tracked)
        return;
    m_tracked = false;
    auto it = t_openReads.find(&m_db);
    if (it != t_openReads.end()) {
        it->removeOne(this);
        if (it->isEmpty())
            t_openReads.erase(it);
    }
}

bool SqlQuery::next()
{
    if (m_endedByTransaction)
        throw DomainError(ErrorCode::Internal,
                          QStringLiteral("A query was still being read when a write transaction began on its connection"));
    const bool more = m_query.next();
    if (!more)
        untrack(); // stepped to the end: SQLite reset the statement, the read is over
    return more;
}

void SqlQuery::endRead()
{
    m_query.finish();
    m_endedByTransaction = true;
    untrack();
}

void SqlQuery::prepareOnce()
{
    if (m_prepared)
        return;
    if (!m_query.prepare(m_sql))
        throwFor(m_query.lastError(), m_sql);
    m_prepared = true;
}

SqlQuery &SqlQuery::bind(const QString &placeholder, const QVariant &value)
{
    prepareOnce();
    if (value.typeId() == QMetaType::QString && value.toString().isNull())
        m_query.bindValue(placeholder, QString(QLatin1String("")));
    else
        m_query.bindValue(placeholder, value);
    return *this;
}

SqlQuery &SqlQuery::bindNullable(const QString &placeholder, const QString &value)
{
    prepareOnce();
    if (value.isEmpty())
        m_query.bindValue(placeholder, QVariant(QMetaType(QMetaType::QString)));
    else
        m_query.bindValue(placeholder, value);
    return *this;
}

namespace {
thread_local SqlQuery::Tally t_tally;
} // namespace

SqlQuery::Tally SqlQuery::tallyOnThisThread()
{
    return t_tally;
}

SqlQuery &SqlQuery::exec()
{
    ++t_tally.statements;
    if (!m_sql.trimmed().startsWith(QLatin1String("SELECT"), Qt::CaseInsensitive))
        ++t_tally.writes;
    // Statements without parameters run unprepared: PostgreSQL cannot PREPARE DDL.
    untrack();
    m_endedByTransaction = false;
    const bool ok = m_prepared ? m_query.exec() : m_query.exec(m_sql);
    if (!ok)
        throwFor(m_query.lastError(), m_sql);
    if (m_db.dialect() == Dialect::SQLite && m_query.isSelect() && m_query.isActive()) {
        t_openReads[&m_db].append(this);
        m_tracked = true;
    }
    return *this;
}

namespace {
// Open transaction depth per database on this thread.
thread_local QHash<const Database *, int> t_depth;
} // namespace

bool Transaction::active(const Database &db)
{
    return t_depth.value(&db) > 0;
}

Transaction::Transaction(const Database &db) : m_db(db)
{
    if (t_depth.value(&db) > 0) {
        m_joined = true;
        ++t_depth[&db];
        return;
    }
    QSqlDatabase conn = db.connection();
    if (db.sql().serializesWritersInProcess())
        m_writeLock.emplace(&db.sqliteWriteLock());
    if (db.dialect() == Dialect::SQLite) {
        // An open read would turn BEGIN IMMEDIATE into an upgrade that fails
        // at once instead of waiting (see SqlQuery).
        const QList<SqlQuery *> open = t_openReads.value(&db);
        for (SqlQuery *read : open)
            read->endRead();
    }
    QSqlQuery q(conn);
    const QString begin = db.sql().beginWrite();
    if (!q.exec(begin))
        throwFor(q.lastError(), begin);
    m_open = true;
    ++t_depth[&db];
}

Transaction::~Transaction()
{
    if (m_joined) {
        --t_depth[&m_db];
        return;
    }
    if (!m_open)
        return;
    t_depth.remove(&m_db);
    try {
        QSqlQuery q(m_db.connection());
        q.exec(QStringLiteral("ROLLBACK"));
    } catch (const DomainError &) {
        // The connection is gone; the server rolled the transaction back with it.
    }
}

void Transaction::commit()
{
    if (m_joined)
        return;
    m_open = false;
    t_depth.remove(&m_db);
    QSqlQuery q(m_db.connection());
    if (!q.exec(QStringLiteral("COMMIT"))) {
        const QSqlError error = q.lastError();
        q.exec(QStringLiteral("ROLLBACK"));
        m_writeLock.reset();
        throwFor(error, QStringLiteral("COMMIT"));
    }
    m_writeLock.reset();
}

} // namespace authrealm
