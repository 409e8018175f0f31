// The AuthRealm console: opens a data folder or PostgreSQL database (or runs
// the first-run wizard) and hosts the identity server. All logic lives in ui/.
#include "ConsoleApp.h"
#include "ConsoleWindow.h"
#include "core/DomainError.h"
#include "storage/DataLocation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>

namespace {

using namespace authrealm;

// --data / --database / --key-file as a connection; nullopt when none was given.
std::optional<ConsoleConnection> connectionFromArguments(const QCommandLineParser &parser)
{
    const QString dataDir = parser.isSet(QStringLiteral("data")) ? parser.value(QStringLiteral("data")) : defaultDataDir();
    if (!parser.isSet(QStringLiteral("database")))
        return parser.isSet(QStringLiteral("data")) ? std::optional(ConsoleConnection::dataFolder(dataDir)) : std::nullopt;
    const DatabaseConfig db = DatabaseConfig::parse(parser.value(QStringLiteral("database")));
    if (db.dialect == Dialect::SQLite) {
        const QFileInfo file(db.sqlitePath);
        if (file.fileName() != QStringLiteral("authrealm.db"))
            throw DomainError(ErrorCode::InvalidRequest,
                              QObject::tr("The console opens data folders: give --data %1 (with authrealm.db and master.key in it).")
                                  .arg(file.absolutePath()));
        return ConsoleConnection::dataFolder(file.absolutePath());
    }
    ConsoleConnection c;
    c.kind = ConsoleConnection::Kind::PostgreSQL;
    c.host = db.host;
    c.port = db.port;
    c.databaseName = db.databaseName;
    c.user = db.user;
    c.password = db.password;
    c.keyFile = parser.isSet(QStringLiteral("key-file")) ? parser.value(QStringLiteral("key-file"))
                                                         : QDir(dataDir).filePath(QStringLiteral("master.key"));
    return c;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AuthRealm"));
    QApplication::setApplicationName(QStringLiteral("authrealm"));
    QApplication::setApplicationDisplayName(QStringLiteral("AuthRealm"));
    QApplication::setApplicationVersion(QStringLiteral(AUTHREALM_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/authrealm.svg")));
    QApplication::setQuitOnLastWindowClosed(false); // the tray may keep the server running
    ConsoleApp::installTranslations();

    QCommandLineParser parser;
    parser.setApplicationDescription(QObject::tr("AuthRealm console: manage realms and users, browse the audit log, and host the identity server."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("data"), QObject::tr("Open the data folder DIR (default: the last one, else %1).").arg(defaultDataDir()),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("database"), QObject::tr("Open postgres://user[:password]@host:port/db."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("key-file"), QObject::tr("Key-encryption key file for a PostgreSQL database."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("start-server"), QObject::tr("Start the hosted server right away.")});
    parser.addOption({QStringLiteral("listen"), QObject::tr("Hosted server address (default 127.0.0.1:8080)."), QStringLiteral("HOST:PORT")});
    // For documentation and visual checks (tools/, offscreen platform).
    parser.addOption({QStringLiteral("view"), QObject::tr("Open on VIEW (users, sessions, products, keys, settings, audit)."), QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("realm"), QObject::tr("Select REALM in the navigation."), QStringLiteral("REALM")});
    parser.addOption({QStringLiteral("app"), QObject::tr("With --realm: select the product APP."), QStringLiteral("APP")});
    parser.addOption({QStringLiteral("user"), QObject::tr("With --realm: open the user with this EMAIL."), QStringLiteral("EMAIL")});
    parser.addOption({QStringLiteral("screenshot"), QObject::tr("Save a PNG of the window to FILE and quit."), QStringLiteral("FILE")});
    parser.process(app);

    using namespace authrealm;
    try {
        ConsoleApp console;
        ConsoleApp::StartOptions options;
        options.connection = connectionFromArguments(parser);
        options.startServer = parser.isSet(QStringLiteral("start-server"));
        options.listen = parser.value(QStringLiteral("listen"));
        if (!console.start(options))
            return 1;
        ConsoleWindow *window = console.window();
        if (parser.isSet(QStringLiteral("realm")))
            window->selectScope(parser.value(QStringLiteral("realm")), parser.value(QStringLiteral("app")));
        if (parser.isSet(QStringLiteral("user")) && !window->openUserByEmail(parser.value(QStringLiteral("realm")), parser.value(QStringLiteral("user"))))
            qWarning("no user %s in realm %s", qPrintable(parser.value(QStringLiteral("user"))), qPrintable(parser.value(QStringLiteral("realm"))));
        if (parser.isSet(QStringLiteral("view")) && !window->showView(parser.value(QStringLiteral("view"))))
            qWarning("unknown view %s (%s)", qPrintable(parser.value(QStringLiteral("view"))), qPrintable(window->viewNames().join(u", ")));
        if (parser.isSet(QStringLiteral("screenshot"))) {
            QTimer::singleShot(1500, window, [window, file = parser.value(QStringLiteral("screenshot"))] {
                window->grab().save(file);
                QApplication::quit();
            });
        }
        return QApplication::exec();
    } catch (const DomainError &e) {
        QMessageBox::critical(nullptr, QObject::tr("AuthRealm"), e.message());
    } catch (const std::exception &e) {
        QMessageBox::critical(nullptr, QObject::tr("AuthRealm"), QString::fromLocal8Bit(e.what()));
    }
    return 1;
}
