#pragma once

#include "ConsoleConnection.h"

#include <QObject>
#include <memory>
#include <optional>

namespace authrealm {

class AuthRealmCore;
class ConsoleWindow;
class Maintenance;

// Owns what the console has open — one AuthRealmCore and its window — and
// switches between databases (File → Open data folder…, Connect to
// PostgreSQL…). A new database is opened completely before the old one is
// closed, so a failed switch leaves the console as it was.
class ConsoleApp : public QObject
{
    Q_OBJECT
public:
    struct StartOptions
    {
        std::optional<ConsoleConnection> connection; // from the command line
        bool startServer = false;
        QString listen;                               // HOST:PORT, empty: the remembered one
    };

    ConsoleApp();
    ~ConsoleApp() override;

    // Opens the given connection, else the last one, else runs the first-run
    // wizard. Returns false when nothing could be opened (or the user cancelled).
    bool start(const StartOptions &options);
    // Opens `connection` (using `core` when already open) and replaces the window.
    bool open(ConsoleConnection connection, std::unique_ptr<AuthRealmCore> core = nullptr);

    [[nodiscard]] ConsoleWindow *window() const { return m_window.get(); }
    [[nodiscard]] AuthRealmCore *core() const { return m_core.get(); }

    // Loads the console's translation for the preferred or system language,
    // and Qt's own for standard dialogs.
    static void installTranslations();

private:
    void openDataFolder();
    void connectPostgres();
    void showPreferences();
    // Fills in a PostgreSQL password from the keychain or by asking.
    [[nodiscard]] bool completePassword(ConsoleConnection &connection, bool askEvenIfStored);

    std::unique_ptr<AuthRealmCore> m_core;
    std::unique_ptr<Maintenance> m_maintenance;
    std::unique_ptr<ConsoleWindow> m_window;
};

} // namespace authrealm
