#include "AuthRealmCore.h"
#include "ConsoleWindow.h"
#include "DataLocation.h"
#include "core/DomainError.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QMessageBox>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AuthRealm"));
    QApplication::setApplicationName(QStringLiteral("authrealm"));
    QApplication::setApplicationVersion(QStringLiteral(AUTHREALM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("AuthRealm console: browse realms and host the identity server."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("data"), QStringLiteral("Open the data folder DIR (default: %1).").arg(authrealm::defaultDataDir()),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("database"), QStringLiteral("Open sqlite:PATH or postgres://user@host:port/db."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("start-server"), QStringLiteral("Start the hosted server right away.")});
    // For documentation and visual checks (tools/, offscreen platform).
    parser.addOption({QStringLiteral("view"), QStringLiteral("Open on VIEW: realms, users or audit."), QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window to FILE and quit."), QStringLiteral("FILE")});
    parser.process(app);

    using namespace authrealm;
    try {
        const QString dataDir = parser.isSet(QStringLiteral("data")) ? parser.value(QStringLiteral("data")) : defaultDataDir();
        CoreOptions options;
        options.database = parser.isSet(QStringLiteral("database")) ? DatabaseConfig::parse(parser.value(QStringLiteral("database")))
                                                                    : DatabaseConfig::sqliteInFolder(dataDir);
        options.keyEncryptionKey = loadKeyEncryptionKey(QDir(dataDir).filePath(QStringLiteral("master.key")));
        AuthRealmCore core(options);
        ConsoleWindow window(core);
        window.resize(820, 560);
        window.show();
        if (parser.isSet(QStringLiteral("view")) && !window.showView(parser.value(QStringLiteral("view"))))
            qWarning("unknown view %s (realms, users, audit)", qPrintable(parser.value(QStringLiteral("view"))));
        if (parser.isSet(QStringLiteral("start-server")))
            window.startServer();
        if (parser.isSet(QStringLiteral("screenshot"))) {
            QTimer::singleShot(1500, &window, [&window, file = parser.value(QStringLiteral("screenshot"))] {
                window.grab().save(file);
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
