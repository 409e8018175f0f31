#pragma once

#include "AuthRealmCore.h"
#include "core/DomainError.h"
#include "storage/DatabaseConfig.h"

#include <QTemporaryDir>
#include <functional>
#include <memory>

namespace authrealm::test {

// Global data rows for initTestCase_data(): "sqlite" always, "postgres" when
// AUTHREALM_TEST_POSTGRES names a server (scripts/test.sh starts one). With
// AUTHREALM_REQUIRE_POSTGRES=1 a missing PostgreSQL fails the suite.
void addBackendRows();
[[nodiscard]] QString currentBackend(); // QFETCH_GLOBAL-free accessor for helpers

// A fresh, empty database on the current row's backend, dropped afterwards.
class ScratchDatabase
{
public:
    ScratchDatabase();
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase &) = delete;
    ScratchDatabase &operator=(const ScratchDatabase &) = delete;
    [[nodiscard]] const DatabaseConfig &config() const { return m_config; }

private:
    DatabaseConfig m_config;
    QTemporaryDir m_dir;
    QString m_pgName;
};

// Options for a core on that database: cheap argon2id (tests are not
// benchmarks), a fixed key-encryption key and the given clock.
[[nodiscard]] CoreOptions coreOptions(const DatabaseConfig &db, const Clock *clock, Argon2Params argon2 = {1024, 1});

// The code of the DomainError `f` throws; ErrorCode::Internal when it throws
// none (no service raises Internal for the cases tested with this).
[[nodiscard]] ErrorCode errorOf(const std::function<void()> &f);

} // namespace authrealm::test
