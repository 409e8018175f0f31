#include "storage/DatabaseConfig.h"

#include "core/DomainError.h"

#include <QDir>
#include <QUrl>
#include <QUrlQuery>

namespace authrealm {

DatabaseConfig DatabaseConfig::parse(const QString &url)
{
    DatabaseConfig config;
    if (url.startsWith(u"sqlite:")) {
        config.dialect = Dialect::SQLite;
        config.sqlitePath = url.mid(7);
        if (config.sqlitePath.startsWith(u"//"))
            config.sqlitePath = config.sqlitePath.mid(2);
        if (config.sqlitePath.isEmpty())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("sqlite: needs a file path, e.g. sqlite:/var/lib/authrealm/authrealm.db"));
        return config;
    }
    if (url.startsWith(u"postgres://") || url.startsWith(u"postgresql://")) {
        const QUrl parsed(url, QUrl::StrictMode);
        if (!parsed.isValid())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Cannot parse the PostgreSQL URL: %1").arg(parsed.errorString()));
        config.dialect = Dialect::PostgreSQL;
        config.host = parsed.host();
        config.port = parsed.port(5432);
        config.user = parsed.userName();
        config.password = parsed.password();
        config.databaseName = parsed.path().mid(1);
        // libpq style "?host=/run/postgresql" selects a Unix socket directory.
        const QUrlQuery query(parsed);
        if (query.hasQueryItem(QStringLiteral("host")))
            config.host = query.queryItemValue(QStringLiteral("host"), QUrl::FullyDecoded);
        if (config.databaseName.isEmpty())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("The PostgreSQL URL needs a database name: postgres://user@host:port/database"));
        return config;
    }
    throw DomainError(ErrorCode::InvalidRequest,
                      QStringLiteral("Unknown database URL \"%1\": use sqlite:PATH or postgres://user@host:port/db").arg(url.left(40)));
}

DatabaseConfig DatabaseConfig::sqliteInFolder(const QString &dataDir)
{
    DatabaseConfig config;
    config.dialect = Dialect::SQLite;
    config.sqlitePath = QDir(dataDir).filePath(QStringLiteral("authrealm.db"));
    return config;
}

QString DatabaseConfig::displayName() const
{
    if (dialect == Dialect::SQLite)
        return QStringLiteral("sqlite:%1").arg(sqlitePath);
    return QStringLiteral("postgres://%1@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
}

} // namespace authrealm
