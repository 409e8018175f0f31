#pragma once

#include <QString>

namespace authrealm {

enum class Dialect { SQLite, PostgreSQL };

// Where the data lives: "sqlite:PATH" or "postgres://user[:password]@host[:port]/db".
struct DatabaseConfig
{
    Dialect dialect = Dialect::SQLite;
    QString sqlitePath;      // SQLite only
    QString host;            // PostgreSQL only; a path starting with '/' is a socket directory
    int port = 5432;
    QString databaseName;
    QString user;
    QString password;

    // Throws DomainError(InvalidRequest) with a message naming the problem.
    [[nodiscard]] static DatabaseConfig parse(const QString &url);
    [[nodiscard]] static DatabaseConfig sqliteInFolder(const QString &dataDir);
    // Safe to print: never contains the password.
    [[nodiscard]] QString displayName() const;
};

} // namespace authrealm
