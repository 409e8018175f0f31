#pragma once

#include "ConsoleConnection.h"

#include <QMainWindow>
#include <QTimer>
#include <functional>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QSystemTrayIcon;
class QTabWidget;
class QTreeWidget;

namespace authrealm {

class AuthRealmCore;
class ApiServer;
class AuditView;
class UserDetailView;
class UsersView;

// The console's main window: a navigation tree of realms and products on the
// left, the views of the selected realm on the right, and the identity server
// hosted in this process (the same ApiServer as authrealmd, on its own
// threads, so the UI never blocks on a request).
class ConsoleWindow : public QMainWindow
{
    Q_OBJECT
public:
    ConsoleWindow(AuthRealmCore &core, ConsoleConnection connection, QWidget *parent = nullptr);
    ~ConsoleWindow() override;

    // Starts on the listen field's address; false (and a message) on failure.
    bool startServer();
    void stopServer();
    // Start/Stop server and Ctrl+R: starts at once; stopping a serving server
    // asks first, since applications then cannot sign anyone in.
    void toggleServer();
    [[nodiscard]] QPushButton *serverToggle() const { return m_startStop; }
    [[nodiscard]] bool serverRunning() const;
    [[nodiscard]] ApiServer *server() const { return m_server.get(); }
    void setListenAddress(const QString &hostPort);
    void reloadAll();
    // Selects a realm (and product) in the navigation; false if it is not there.
    bool selectScope(const QString &realmId, const QString &appId = {});
    [[nodiscard]] QString currentRealm() const { return m_realmId; }
    // By name: users, sessions, products, keys, settings, audit, user; false for another name.
    bool showView(const QString &name);
    [[nodiscard]] QStringList viewNames() const;
    // Shows the user's detail view; false when no such user is in the realm.
    bool openUserByEmail(const QString &realmId, const QString &email);
    void openUser(const QString &realmId, const QString &userId);
    [[nodiscard]] QWidget *view(const QString &name) const;
    // The "another server serves this database" notice, empty when none.
    [[nodiscard]] QString otherServersNotice() const;
    void checkOtherServers();

signals:
    void openDataFolderRequested();
    void connectPostgresRequested();
    void preferencesRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    template<typename View>
    void addView(const QString &name, const QString &title, View *view);
    void buildServerBar(QWidget *parent);
    void buildMenus();
    void buildTray();
    void updateStatus();
    void setAdminPasswordIfNeeded();
    void reloadNavigation();
    void scopeChanged();
    void newRealm();
    void deleteRealm();
    void newProduct();

    struct ViewEntry
    {
        QString name;
        QWidget *widget;
        std::function<void(const QString &, const QString &)> setScope;
        std::function<void()> reload;
    };

    AuthRealmCore &m_core;
    ConsoleConnection m_connection;
    std::unique_ptr<ApiServer> m_server;
    QList<ViewEntry> m_views;
    QString m_realmId;
    QString m_appId;
    QSplitter *m_splitter = nullptr;
    QTreeWidget *m_navigation = nullptr;
    QTabWidget *m_tabs = nullptr;
    UsersView *m_users = nullptr;
    UserDetailView *m_userDetail = nullptr;
    AuditView *m_audit = nullptr;
    QLineEdit *m_listen = nullptr;
    QPushButton *m_startStop = nullptr;
    QLabel *m_indicator = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_adminHint = nullptr;
    QLabel *m_otherServers = nullptr;
    QAction *m_setPassword = nullptr;
    QAction *m_startAction = nullptr;
    QLineEdit *m_url = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QTimer m_rateTimer;
    QTimer m_otherServersTimer;
    quint64 m_lastRequests = 0;
    bool m_quitting = false;
};

} // namespace authrealm
