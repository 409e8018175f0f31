#include "ConsoleApp.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleWindow.h"
#include "FirstRunWizard.h"
#include "MissingDataFolder.h"
#include "PasswordKeychain.h"
#include "PostgresDialog.h"
#include "PreferencesDialog.h"
#include "Maintenance.h"
#include "storage/DataLocation.h"

#include <QApplication>
#include <QFileDialog>
#include <QInputDialog>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace authrealm {

ConsoleApp::ConsoleApp() = default;

ConsoleApp::~ConsoleApp()
{
    m_window.reset(); // the window (and its hosted server) before the core it uses
    m_maintenance.reset();
    m_core.reset();
}

void ConsoleApp::installTranslations()
{
    const QString preferred = PreferencesDialog::language();
    const QLocale locale = preferred.isEmpty() ? QLocale::system() : QLocale(preferred);
    auto *console = new QTranslator(qApp);
    if (console->load(locale, QStringLiteral("authrealm"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(console);
    auto *qt = new QTranslator(qApp);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    QLocale::setDefault(locale);
}

bool ConsoleApp::start(const StartOptions &options)
{
    bool startServer = options.startServer || QSettings().value(QStringLiteral("server/autoStart"), false).toBool();
    QString listen = options.listen;
    std::optional<ConsoleConnection> connection = options.connection ? options.connection : ConsoleConnection::last();
    // A folder named on the command line is created when missing (like
    // authrealmd); a remembered one that vanished is not, unless asked to.
    if (!options.connection && connection && MissingDataFolder::isMissing(*connection)) {
        const std::optional<ConsoleConnection> resolved = MissingDataFolder::resolve(*connection);
        if (!resolved)
            return false;
        if (MissingDataFolder::isMissing(*resolved))
            startServer = options.startServer; // a new, empty database is not served before anyone looked at it
        connection = resolved;
    }
    if (!connection) {
        FirstRunWizard wizard(defaultDataDir());
        if (wizard.exec() != QDialog::Accepted)
            return false;
        std::unique_ptr<AuthRealmCore> core = wizard.takeCore();
        if (!core)
            return false;
        startServer = startServer || wizard.startServer();
        if (listen.isEmpty())
            listen = wizard.listenAddress();
        QSettings().setValue(QStringLiteral("server/autoStart"), wizard.startServer());
        if (!open(wizard.connection(), std::move(core)))
            return false;
    } else {
        if (connection->kind == ConsoleConnection::Kind::PostgreSQL && connection->password.isEmpty()
            && !completePassword(*connection, false))
            return false;
        if (!open(*connection))
            return false;
    }
    if (!listen.isEmpty())
        m_window->setListenAddress(listen);
    if (startServer)
        m_window->startServer();
    return true;
}

bool ConsoleApp::open(ConsoleConnection connection, std::unique_ptr<AuthRealmCore> core)
{
    if (!core) {
        const bool opened = runConsoleAction(m_window.get(), tr("Cannot open %1").arg(connection.displayName()), [&] {
            core = std::make_unique<AuthRealmCore>(connection.coreOptions());
        });
        if (!opened)
            return false;
    }
    const bool wasRunning = m_window && m_window->serverRunning();
    m_window.reset();
    m_maintenance.reset();
    m_core = std::move(core);
    // The database's upkeep (audit retention, pruning, the audit text index
    // that keeps free-text search fast) runs whenever the console has it open,
    // with or without a hosted server; the hosted server leaves it to us.
    m_maintenance = std::make_unique<Maintenance>(*m_core);
    m_maintenance->start();
    connection.save();
    m_window = std::make_unique<ConsoleWindow>(*m_core, connection);
    connect(m_window.get(), &ConsoleWindow::openDataFolderRequested, this, &ConsoleApp::openDataFolder, Qt::QueuedConnection);
    connect(m_window.get(), &ConsoleWindow::connectPostgresRequested, this, &ConsoleApp::connectPostgres, Qt::QueuedConnection);
    connect(m_window.get(), &ConsoleWindow::preferencesRequested, this, &ConsoleApp::showPreferences);
    m_window->resize(1200, 760);
    m_window->show();
    if (wasRunning)
        m_window->startServer();
    return true;
}

void ConsoleApp::openDataFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(m_window.get(), tr("Open data folder"), defaultDataDir());
    if (folder.isEmpty())
        return;
    open(ConsoleConnection::dataFolder(folder));
}

void ConsoleApp::connectPostgres()
{
    PostgresDialog dialog(ConsoleConnection::last().value_or(ConsoleConnection{}), m_window.get());
    if (dialog.exec() != QDialog::Accepted)
        return;
    ConsoleConnection connection = dialog.connection();
    if (!open(connection))
        return;
    if (dialog.rememberPassword() && !connection.password.isEmpty()
        && !PasswordKeychain::write(connection.keychainKey(), connection.password)) {
        showActionError(m_window.get(), tr("Password not remembered"),
                        tr("The system keychain did not accept the password, so the console will ask for it next time. "
                           "It is never written to the settings file."));
    }
}

bool ConsoleApp::completePassword(ConsoleConnection &connection, bool askEvenIfStored)
{
    if (!askEvenIfStored) {
        if (const std::optional<QString> stored = PasswordKeychain::read(connection.keychainKey())) {
            connection.password = *stored;
            return true;
        }
    }
    bool ok = false;
    connection.password = QInputDialog::getText(nullptr, tr("PostgreSQL password"),
                                                tr("Password for %1:").arg(connection.displayName()), QLineEdit::Password, QString(), &ok);
    return ok;
}

void ConsoleApp::showPreferences()
{
    PreferencesDialog dialog(m_window.get());
    dialog.exec();
}

} // namespace authrealm
