#include "ConsoleConnection.h"

#include "storage/DataLocation.h"

#include <QDir>
#include <QSettings>

namespace authrealm {

namespace {
const QString kGroup = QStringLiteral("connection");
}

ConsoleConnection ConsoleConnection::dataFolder(const QString &folder)
{
    ConsoleConnection c;
    c.kind = Kind::DataFolder;
    c.folder = QDir::cleanPath(QDir(folder).absolutePath());
    return c;
}

QString ConsoleConnection::displayName() const
{
    if (kind == Kind::DataFolder)
        return QDir::toNativeSeparators(folder);
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
}

QString ConsoleConnection::keychainKey() const
{
    return QStringLiteral("%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
}

CoreOptions ConsoleConnection::coreOptions() const
{
    CoreOptions options;
    if (kind == Kind::DataFolder) {
        QDir().mkpath(folder);
        options.database = DatabaseConfig::sqliteInFolder(folder);
        options.keyEncryptionKey = loadKeyEncryptionKey(QDir(folder).filePath(QStringLiteral("master.key")));
    } else {
        DatabaseConfig db;
        db.dialect = Dialect::PostgreSQL;
        db.host = host;
        db.port = port;
        db.databaseName = databaseName;
        db.user = user;
        db.password = password;
        options.database = db;
        options.keyEncryptionKey = loadKeyEncryptionKey(keyFile);
    }
    return options;
}

void ConsoleConnection::save() const
{
    QSettings settings;
    settings.remove(kGroup);
    settings.beginGroup(kGroup);
    settings.setValue(QStringLiteral("kind"), kind == Kind::DataFolder ? QStringLiteral("folder") : QStringLiteral("postgres"));
    if (kind == Kind::DataFolder) {
        settings.setValue(QStringLiteral("folder"), folder);
    } else {
        settings.setValue(QStringLiteral("host"), host);
        settings.setValue(QStringLiteral("port"), port);
        settings.setValue(QStringLiteral("database"), databaseName);
        settings.setValue(QStringLiteral("user"), user);
        settings.setValue(QStringLiteral("keyFile"), keyFile);
    }
    settings.endGroup();
}

std::optional<ConsoleConnection> ConsoleConnection::last()
{
    QSettings settings;
    settings.beginGroup(kGroup);
    const QString kind = settings.value(QStringLiteral("kind")).toString();
    if (kind == QStringLiteral("folder")) {
        const QString folder = settings.value(QStringLiteral("folder")).toString();
        if (folder.isEmpty())
            return std::nullopt;
        return dataFolder(folder);
    }
    if (kind == QStringLiteral("postgres")) {
        ConsoleConnection c;
        c.kind = Kind::PostgreSQL;
        c.host = settings.value(QStringLiteral("host")).toString();
        c.port = settings.value(QStringLiteral("port"), 5432).toInt();
        c.databaseName = settings.value(QStringLiteral("database")).toString();
        c.user = settings.value(QStringLiteral("user")).toString();
        c.keyFile = settings.value(QStringLiteral("keyFile")).toString();
        return c;
    }
    return std::nullopt;
}

} // namespace authrealm
