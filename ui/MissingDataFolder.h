#pragma once

#include "ConsoleConnection.h"

#include <QCoreApplication>
#include <optional>

class QWidget;

namespace authrealm {

// A remembered data folder whose database is gone (moved, deleted, a disk not
// mounted) must not quietly become a new, empty database with the server
// started on it: the person at the console decides.
class MissingDataFolder
{
    Q_DECLARE_TR_FUNCTIONS(authrealm::MissingDataFolder)
public:
    // The answers, in the order the question offers them.
    enum Answer { Locate, CreateNew, Quit };

    // A data folder without its database (authrealm.db); never a PostgreSQL connection.
    [[nodiscard]] static bool isMissing(const ConsoleConnection &connection);

    // Asks (through the console's prompts) until there is an answer: the
    // located folder (which must hold a database), the remembered folder to
    // create a new database in, or nullopt to quit. Creates nothing itself.
    [[nodiscard]] static std::optional<ConsoleConnection> resolve(const ConsoleConnection &remembered, QWidget *parent = nullptr);
};

} // namespace authrealm
