#pragma once

#include <QMainWindow>
#include <QTimer>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTreeWidget;

namespace authrealm {

class AuthRealmCore;
class ApiServer;
class AuditView;
class UsersView;

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
    // "realms", "users" or "audit"; false for another name.
    bool showView(const QString &name);

private:
    void updateStatus();
    void setAdminPasswordIfNeeded();

    AuthRealmCore &m_core;
    std::unique_ptr<ApiServer> m_server;
    QTreeWidget *m_realms = nullptr;
    QTabWidget *m_tabs = nullptr;
    UsersView *m_users = nullptr;
    AuditView *m_audit = nullptr;
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
