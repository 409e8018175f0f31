#pragma once

namespace authrealm {

class Database;

// Versioned schema steps shared by SQLite and PostgreSQL. Every step hard-codes
// its own table and column names so an old upgrade path never changes meaning.
namespace Migrations {

[[nodiscard]] int latestVersion();
// 0 for an empty database.
[[nodiscard]] int currentVersion(const Database &db);
// Applies every missing step inside one transaction. Throws DomainError with a
// clear message if the database was written by a newer AuthRealm.
void apply(const Database &db);

} // namespace Migrations
} // namespace authrealm
