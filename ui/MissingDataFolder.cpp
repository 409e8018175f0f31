#include "MissingDataFolder.h"

#include "ConsoleActor.h"
#include "storage/DatabaseConfig.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace authrealm {

namespace {

// Where the folder picker starts: the nearest parent that still exists.
QString nearestExisting(QString folder)
{
    while (!folder.isEmpty() && !QFileInfo(folder).isDir()) {
        const QString parent = QFileInfo(folder).path();
        if (parent == folder)
            break;
        folder = parent;
    }
    return folder;
}

} // namespace

bool MissingDataFolder::isMissing(const ConsoleConnection &connection)
{
    return connection.kind == ConsoleConnection::Kind::DataFolder
            && !QFileInfo(DatabaseConfig::sqliteInFolder(connection.folder).sqlitePath).isFile();
}

std::optional<ConsoleConnection> MissingDataFolder::resolve(const ConsoleConnection &remembered, QWidget *parent)
{
    const QString where = QDir::toNativeSeparators(remembered.folder);
    const QString question = tr("The data folder %1, which the console opened last time, has no AuthRealm database "
                                "(it may have been moved or deleted, or its disk is not mounted).\n\n"
                                "Locate the folder, create a new empty database there, or quit?").arg(where);
    const QStringList answers = {tr("&Locate…"), tr("&Create a new database"), tr("&Quit")};
    for (;;) {
        switch (askChoice(parent, tr("Data folder not found"), question, answers)) {
        case Locate: {
            const QString folder = chooseFolder(parent, tr("Locate the data folder"), nearestExisting(remembered.folder));
            if (folder.isEmpty())
                continue; // cancelled: ask again
            ConsoleConnection located = ConsoleConnection::dataFolder(folder);
            if (!isMissing(located))
                return located;
            showActionError(parent, tr("Not a data folder"),
                            tr("%1 has no AuthRealm database (authrealm.db). Choose the folder that holds it.")
                                .arg(QDir::toNativeSeparators(located.folder)));
            continue;
        }
        case CreateNew:
            return remembered;
        default: // Quit, or the box was closed
            return std::nullopt;
        }
    }
}

} // namespace authrealm
