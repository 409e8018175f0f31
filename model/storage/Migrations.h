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
// clear message if the database was written by a newer AuthRealm. Tests of
// upgrade paths stop at `targetVersion`.
void apply(const Database &db, int targetVersion = 0);

} // namespace Migrations
} // namespace authrealm
