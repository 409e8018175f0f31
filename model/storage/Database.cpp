#include "storage/Database.h"

#include "core/DomainError.h"
#include "storage/Migrations.h"
#include "storage/Sql.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadStorage>

Q_LOGGING_CATEGORY(lcStorage, "authrealm.storage")

namespace authrealm {

namespace {

std::atomic<quint64> g_nextDatabaseId{1};

// Removes the connections a thread opened when that thread finishes.
struct ThreadConnections
{
    QSet<QString> names;
    ~ThreadConnections()
    {
        for (const QString &name : std::as_const(names)) {
            { QSqlDatabase::database(name, false).close(); }
            QSqlDatabase::removeDatabase(name);
        }
    }
};

QThreadStorage<ThreadConnections *> g_threadConnections;

ThreadConnections &threadConnections()
{
    if (!g_threadConnections.hasLocalData())
        g_threadConnections.setLocalData(new ThreadConnections);
    return *g_threadConnections.localData();
}

} // namespace

Database::Database(DatabaseConfig config) : m_config(std::move(config)), m_id(g_nextDatabaseId++)
{
    if (m_config.dialect == Dialect::SQLite) {
        const QFileInfo info(m_config.sqlitePath);
        if (!QDir().mkpath(info.absolutePath()))
            throw DomainError(ErrorCode::StorageUnavailable, QStringLiteral("Cannot create the data folder %1").arg(info.absolutePath()));
    }
}

Database::~Database()
{
    // Only this thread's connection can be removed from here; other threads
    // drop theirs when they end.
    const QString name = connectionName();
    if (g_threadConnections.hasLocalData() && g_threadConnections.localData()->names.remove(name)) {
        { QSqlDatabase::database(name, false).close(); }
        QSqlDatabase::removeDatabase(name);
    }
}

QString Database::connectionName() const
{
    return QStringLiteral("authrealm-%1-%2").arg(m_id).arg(quintptr(QThread::currentThreadId()));
}

QSqlDatabase Database::connection() const
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen())
            return db;
        if (db.open()) {
            configure(db);
            return db;
        }
        qCWarning(lcStorage) << "reconnect failed:" << db.lastError().text();
        throw DomainError(ErrorCode::StorageUnavailable, QStringLiteral("The database is not reachable"));
    }

    QSqlDatabase db;
    if (m_config.dialect == Dialect::SQLite) {
        db = QSqlDatabase::addDatabase(sql().driverName(), name);
        db.setDatabaseName(m_config.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        db = QSqlDatabase::addDatabase(sql().driverName(), name);
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setDatabaseName(m_config.databaseName);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
    }
    threadConnections().names.insert(name);
    if (!db.open()) {
        qCWarning(lcStorage) << "cannot open" << m_config.displayName() << ":" << db.lastError().text();
        throw DomainError(ErrorCode::StorageUnavailable,
                          QStringLiteral("Cannot open the database %1: %2").arg(m_config.displayName(), db.lastError().databaseText()));
    }
    configure(db);
    return db;
}

void Database::configure(QSqlDatabase &db) const
{
    QSqlQuery q(db);
    if (m_config.dialect == Dialect::SQLite) {
        // WAL lets readers proceed during a write; NORMAL sync is durable in WAL
        // mode except for the last transactions on power loss.
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL",
                                   "PRAGMA busy_timeout=10000"}) {
            if (!q.exec(QLatin1String(pragma)))
                qCWarning(lcStorage) << pragma << "failed:" << q.lastError().text();
        }
    } else {
        q.exec(QStringLiteral("SET TIME ZONE 'UTC'"));
        q.exec(QStringLiteral("SET client_min_messages TO WARNING"));
    }
}

void Database::migrate() const
{
    Migrations::apply(*this);
}

void Database::optimize() const
{
    const QString statement = sql().optimize();
    if (statement.isEmpty())
        return;
    QSqlQuery q(connection());
    if (!q.exec(statement))
        qCWarning(lcStorage) << statement << "failed:" << q.lastError().text();
}

void Database::ping() const
{
    SqlQuery(*this, QStringLiteral("SELECT 1")).exec();
}

int Database::schemaVersion() const
{
    return Migrations::currentVersion(*this);
}

} // namespace authrealm
