#include "TestDatabases.h"

#include "crypto/Random.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

namespace authrealm::test {

namespace {
QString postgresUrl()
{
    return qEnvironmentVariable("AUTHREALM_TEST_POSTGRES");
}

// Runs one statement on the maintenance database as the test superuser.
void adminExec(const QString &sql)
{
    const DatabaseConfig admin = DatabaseConfig::parse(postgresUrl());
    const QString name = QStringLiteral("authrealm-test-admin");
    {
        QSqlDatabase db = QSqlDatabase::contains(name) ? QSqlDatabase::database(name, false)
                                                       : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(admin.host);
        db.setPort(admin.port);
        db.setDatabaseName(admin.databaseName);
        db.setUserName(admin.user);
        db.setPassword(admin.password);
        if (!db.isOpen() && !db.open())
            qFatal("cannot reach the test PostgreSQL at %s: %s", qPrintable(admin.displayName()), qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        if (!q.exec(sql))
            qFatal("%s failed: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    }
}
} // namespace

void addBackendRows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    if (!postgresUrl().isEmpty())
        QTest::newRow("postgres") << QStringLiteral("postgres");
    else if (qEnvironmentVariable("AUTHREALM_REQUIRE_POSTGRES") == u"1")
        qFatal("AUTHREALM_REQUIRE_POSTGRES=1 but AUTHREALM_TEST_POSTGRES is not set");
}

QString currentBackend()
{
    return *static_cast<QString *>(QTest::qGlobalData("backend", qMetaTypeId<QString>()));
}

ScratchDatabase::ScratchDatabase()
{
    if (currentBackend() == u"postgres") {
        m_pgName = QStringLiteral("ar_test_") + randomToken(9).toLower().replace(u'-', u'x').replace(u'_', u'y');
        adminExec(QStringLiteral("CREATE DATABASE %1").arg(m_pgName));
        m_config = DatabaseConfig::parse(postgresUrl());
        m_config.databaseName = m_pgName;
    } else {
        m_config = DatabaseConfig::sqliteInFolder(m_dir.path());
    }
}

ScratchDatabase::~ScratchDatabase()
{
    if (!m_pgName.isEmpty())
        adminExec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_pgName));
}

ErrorCode errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const DomainError &e) {
        return e.code();
    }
    return ErrorCode::Internal;
}

CoreOptions coreOptions(const DatabaseConfig &db, const Clock *clock, Argon2Params argon2)
{
    CoreOptions options;
    options.database = db;
    options.keyEncryptionKey = SecretBox::fromKey(QByteArray(32, '\x42'));
    options.argon2 = argon2;
    options.publicBaseUrl = QStringLiteral("http://authrealm.test");
    options.clock = clock;
    return options;
}

} // namespace authrealm::test
