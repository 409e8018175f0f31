#pragma once

#include "AuthRealmCore.h"

#include <QString>
#include <optional>

namespace authrealm {

// What the console has open: a local data folder (SQLite + master.key, the
// same default as authrealmd) or a PostgreSQL server plus the key file that
// the servers share. Remembered in QSettings without the password, which
// lives in the OS keychain (PasswordKeychain) or is asked for each time.
struct ConsoleConnection
{
    enum class Kind { DataFolder, PostgreSQL };
    Kind kind = Kind::DataFolder;
    QString folder;          // DataFolder
    QString host;            // PostgreSQL
    int port = 5432;
    QString databaseName;
    QString user;
    QString password;        // never saved in settings
    QString keyFile;         // PostgreSQL: the key-encryption key file the servers use

    [[nodiscard]] static ConsoleConnection dataFolder(const QString &folder);
    [[nodiscard]] QString displayName() const;
    // The keychain entry of the PostgreSQL password: "user@host:port/db".
    [[nodiscard]] QString keychainKey() const;
    // Throws DomainError when the key file cannot be read or created.
    [[nodiscard]] CoreOptions coreOptions() const;

    void save() const;
    [[nodiscard]] static std::optional<ConsoleConnection> last();
};

} // namespace authrealm
