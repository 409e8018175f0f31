#pragma once

#include <QMainWindow>
#include <QTimer>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace authrealm {

class AuthRealmCore;
class ApiServer;

// The console's main window: the realms and products in the open database,
// and the identity server hosted in this process (same ApiServer as
// authrealmd, on its own threads, so the UI never blocks on a request).
class ConsoleWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit ConsoleWindow(AuthRealmCore &core, QWidget *parent = nullptr);
    ~ConsoleWindow() override;

    void startServer();
    void stopServer();
    [[nodiscard]] bool serverRunning() const;
    void reloadRealms();

private:
    void updateStatus();
    void setAdminPasswordIfNeeded();

    AuthRealmCore &m_core;
    std::unique_ptr<ApiServer> m_server;
    QTreeWidget *m_realms = nullptr;
    QLineEdit *m_listen = nullptr;
    QPushButton *m_startStop = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_adminHint = nullptr;
    QAction *m_setPassword = nullptr;
    QLineEdit *m_url = nullptr;
    QTimer m_rateTimer;
    quint64 m_lastRequests = 0;
};

} // namespace authrealm
