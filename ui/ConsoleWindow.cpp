#include "ConsoleWindow.h"

#include "ApiServer.h"
#include "AuditView.h"
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "OutboxView.h"
#include "ProductsView.h"
#include "ClientsView.h"
#include "RealmSettingsView.h"
#include "SessionsView.h"
#include "SigningKeysView.h"
#include "UserDetailView.h"
#include "UsersView.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QAction>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace authrealm {

namespace {
constexpr int kRealmRole = Qt::UserRole;
constexpr int kAppRole = Qt::UserRole + 1;
}

ConsoleWindow::ConsoleWindow(AuthRealmCore &core, ConsoleConnection connection, QWidget *parent)
    : QMainWindow(parent), m_core(core), m_connection(std::move(connection))
{
    setWindowTitle(tr("AuthRealm Console — %1").arg(m_connection.displayName()));
    setWindowIcon(QIcon(QStringLiteral(":/icons/authrealm.svg")));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    buildServerBar(central);

    m_navigation = new QTreeWidget(central);
    m_navigation->setHeaderLabels({tr("Realms and products")});
    m_navigation->setAccessibleName(tr("Realms and products"));
    m_navigation->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_navigation->setMinimumWidth(200);
    m_tabs = new QTabWidget(central);
    m_tabs->setDocumentMode(true);
    m_splitter = new QSplitter(central);
    m_splitter->addWidget(m_navigation);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({220, 900});
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    m_users = new UsersView(m_core, m_tabs);
    addView(QStringLiteral("users"), tr("&Users"), m_users);
    connect(m_users, &UsersView::userActivated, this, &ConsoleWindow::openUser);
    m_userDetail = new UserDetailView(m_core, m_tabs);
    addView(QStringLiteral("user"), tr("User &detail"), m_userDetail);
    auto *sessions = new SessionsView(m_core, m_tabs);
    addView(QStringLiteral("sessions"), tr("&Sessions"), sessions);
    connect(sessions, &SessionsView::userActivated, this, &ConsoleWindow::openUser);
    auto *products = new ProductsView(m_core, m_tabs);
    addView(QStringLiteral("products"), tr("&Products"), products);
    connect(products, &ProductsView::productActivated, this, [this](const QString &realmId, const QString &appId) {
        selectScope(realmId, appId);
    });
    addView(QStringLiteral("clients"), tr("&Clients"), new ClientsView(m_core, m_tabs));
    addView(QStringLiteral("keys"), tr("Signing &keys"), new SigningKeysView(m_core, m_tabs));
    addView(QStringLiteral("settings"), tr("Realm se&ttings"), new RealmSettingsView(m_core, m_tabs));
    addView(QStringLiteral("outbox"), tr("&Outbox"), new OutboxView(m_core, m_tabs));
    m_audit = new AuditView(m_core, m_tabs);
    addView(QStringLiteral("audit"), tr("&Audit log"), m_audit);
    connect(m_audit, &AuditView::userActivated, this, &ConsoleWindow::openUser);

    buildMenus();
    buildTray();
    connect(m_navigation, &QTreeWidget::currentItemChanged, this, &ConsoleWindow::scopeChanged);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        QSettings().setValue(QStringLiteral("window/view"), m_views.value(m_tabs->currentIndex()).name);
    });
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &ConsoleWindow::updateStatus);
    m_rateTimer.start();
    m_otherServersTimer.setInterval(10'000);
    connect(&m_otherServersTimer, &QTimer::timeout, this, &ConsoleWindow::checkOtherServers);
    m_otherServersTimer.start();

    statusBar()->showMessage(tr("Database: %1").arg(m_core.database().config().displayName()));
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    reloadNavigation();
    if (!selectScope(settings.value(QStringLiteral("window/realm")).toString()) && m_navigation->topLevelItemCount() > 0)
        m_navigation->setCurrentItem(m_navigation->topLevelItem(m_navigation->topLevelItemCount() > 1 ? 1 : 0));
    showView(settings.value(QStringLiteral("window/view"), QStringLiteral("users")).toString());
    checkOtherServers();
    updateStatus();
}

ConsoleWindow::~ConsoleWindow()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/realm"), m_realmId);
    stopServer();
}

template<typename View>
void ConsoleWindow::addView(const QString &name, const QString &title, View *view)
{
    m_tabs->addTab(view, title);
    m_views.append({name, view, [view](const QString &realmId, const QString &appId) { view->setScope(realmId, appId); },
                    [view] { view->reload(); }});
}

void ConsoleWindow::buildServerBar(QWidget *parent)
{
    auto *bar = new QWidget(parent);
    auto *form = new QFormLayout(bar);
    form->setContentsMargins(0, 0, 0, 0);
    m_listen = new QLineEdit(QSettings().value(QStringLiteral("server/listen"), QStringLiteral("127.0.0.1:8080")).toString(), bar);
    m_listen->setAccessibleName(tr("Listen address"));
    m_listen->setToolTip(tr("HOST:PORT the hosted server listens on"));
    m_startStop = new QPushButton(bar);
    m_startStop->setAccessibleName(tr("Start or stop the server"));
    m_indicator = new QLabel(bar);
    m_indicator->setAccessibleName(tr("Server state"));
    m_status = new QLabel(bar);
    m_url = new QLineEdit(bar);
    m_url->setReadOnly(true);
    m_url->setAccessibleName(tr("Server URL"));
    m_url->setPlaceholderText(tr("not running"));
    auto *copy = new QToolButton(bar);
    copy->setText(tr("Copy"));
    copy->setAccessibleName(tr("Copy the server URL"));
    auto *row = new QHBoxLayout;
    row->addWidget(m_listen);
    row->addWidget(m_startStop);
    row->addSpacing(12);
    row->addWidget(m_indicator);
    row->addWidget(m_status, 1);
    row->addWidget(m_url, 1);
    row->addWidget(copy);
    form->addRow(tr("Listen on:"), row);
    m_adminHint = new QLabel(tr("The administrator account has no password yet: use Server → Set administrator password…"), bar);
    m_adminHint->setWordWrap(true);
    form->addRow(m_adminHint);
    m_otherServers = new QLabel(bar);
    m_otherServers->setWordWrap(true);
    m_otherServers->setAccessibleName(tr("Other servers"));
    m_otherServers->hide();
    form->addRow(m_otherServers);
    parent->layout()->addWidget(bar);
    connect(m_startStop, &QPushButton::clicked, this, &ConsoleWindow::toggleServer);
    connect(copy, &QToolButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_url->text()); });
}

void ConsoleWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open data folder…"), QKeySequence::Open, this, &ConsoleWindow::openDataFolderRequested);
    file->addAction(tr("Connect to &PostgreSQL…"), QKeySequence(tr("Ctrl+Shift+O")), this, &ConsoleWindow::connectPostgresRequested);
    file->addSeparator();
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, &ConsoleWindow::reloadAll);
    file->addAction(tr("Pr&eferences…"), QKeySequence::Preferences, this, &ConsoleWindow::preferencesRequested);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, [this] {
        m_quitting = true;
        close();
    });

    QMenu *realm = menuBar()->addMenu(tr("&Realm"));
    auto *newRealm = realm->addAction(tr("New &realm…"), this, &ConsoleWindow::newRealm);
    auto *newProduct = realm->addAction(tr("New &product…"), this, &ConsoleWindow::newProduct);
    realm->addAction(tr("New &user…"), QKeySequence::New, this, [this] {
        showView(QStringLiteral("users"));
        m_users->createUserInteractively();
    });
    realm->addAction(tr("&Find user…"), QKeySequence::Find, this, [this] {
        showView(QStringLiteral("users"));
        m_users->focusSearch();
    });
    realm->addSeparator();
    auto *deleteRealm = realm->addAction(tr("&Delete realm…"), this, &ConsoleWindow::deleteRealm);
    m_navigation->addActions({newRealm, newProduct, deleteRealm});

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    m_startAction = server->addAction(tr("&Start"), QKeySequence(tr("Ctrl+R")), this, &ConsoleWindow::toggleServer);
    server->addAction(tr("&Copy URL"), QKeySequence(tr("Ctrl+Shift+C")), this, [this] {
        QGuiApplication::clipboard()->setText(m_url->text());
    });
    server->addSeparator();
    m_setPassword = server->addAction(tr("Set &administrator password…"), this, &ConsoleWindow::setAdminPasswordIfNeeded);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    // Filled after every view exists, in tab order: Ctrl+1 … Ctrl+9.
    QTimer::singleShot(0, this, [this, view] {
        for (int i = 0; i < m_tabs->count(); ++i) {
            QAction *action = view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
            if (i < 9)
                action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        }
    });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About AuthRealm"), this, [this] {
        QMessageBox::about(this, tr("About AuthRealm"),
                           tr("<b>AuthRealm %1</b><p>Identity server and console for small teams: realms, scoped tokens, "
                              "two-step sign-in and an audit log you can verify.</p>")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void ConsoleWindow::buildTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/authrealm.svg")), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show the console"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    // Asks first, like the button and Ctrl+R: a stray click must not stop sign-ins.
    menu->addAction(tr("Stop the server"), this, [this] {
        if (serverRunning())
            toggleServer();
    });
    menu->addSeparator();
    menu->addAction(tr("Quit"), this, [this] {
        m_quitting = true;
        close();
    });
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            showNormal();
            raise();
        }
    });
    m_tray->show();
}

void ConsoleWindow::closeEvent(QCloseEvent *event)
{
    const bool keepRunning = QSettings().value(QStringLiteral("tray/keepRunning"), false).toBool();
    if (!m_quitting && keepRunning && m_tray && serverRunning()) {
        hide();
        m_tray->showMessage(tr("AuthRealm keeps running"),
                            tr("The identity server goes on serving at %1. Use the tray icon to show the console or quit.").arg(m_url->text()));
        event->ignore();
        return;
    }
    stopServer();
    event->accept();
    QApplication::quit();
}

void ConsoleWindow::setListenAddress(const QString &hostPort)
{
    m_listen->setText(hostPort);
}

bool ConsoleWindow::serverRunning() const
{
    return m_server && m_server->isRunning();
}

bool ConsoleWindow::startServer()
{
    if (serverRunning())
        return true;
    const QString text = m_listen->text().trimmed();
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : -1;
    const QHostAddress address(colon > 0 ? text.left(colon) : QString());
    if (!ok || port < 0 || port > 65535 || address.isNull()) {
        showActionError(this, tr("Invalid address"), tr("Enter the address as HOST:PORT, for example 127.0.0.1:8080."));
        return false;
    }
    ServerOptions options;
    options.address = address;
    options.port = quint16(port);
    options.instanceKind = QStringLiteral("console");
    options.maintenance = false; // ConsoleApp runs it for whatever database is open
    try {
        m_server = std::make_unique<ApiServer>(m_core, options);
        m_server->start();
        m_lastRequests = 0;
        QSettings().setValue(QStringLiteral("server/listen"), text);
    } catch (const std::exception &e) {
        m_server.reset();
        showActionError(this, tr("Cannot start the server"),
                        tr("%1\n\nIs another AuthRealm server already using this address?").arg(QString::fromLocal8Bit(e.what())));
    }
    checkOtherServers();
    updateStatus();
    return serverRunning();
}

void ConsoleWindow::toggleServer()
{
    if (!serverRunning()) {
        startServer();
        return;
    }
    if (!confirmDestructive(this, tr("Stop the server"),
                            tr("Stop the identity server at %1? Until it is started again, applications cannot sign "
                               "anyone in or refresh their tokens.").arg(m_url->text())))
        return;
    stopServer();
}

void ConsoleWindow::stopServer()
{
    if (m_server)
        m_server->stop();
    m_server.reset();
    updateStatus();
}

void ConsoleWindow::updateStatus()
{
    bool needsPassword = false;
    try {
        needsPassword = m_core.bootstrap().adminNeedsPassword();
    } catch (const std::exception &) {
        // The database is unreachable for a moment; the status bar says so below.
    }
    m_setPassword->setEnabled(needsPassword);
    m_adminHint->setVisible(needsPassword);
    const bool running = serverRunning();
    m_startStop->setText(running ? tr("Stop server") : tr("Start server"));
    m_startStop->setIcon(QIcon(running ? QStringLiteral(":/icons/stop.svg") : QStringLiteral(":/icons/start.svg")));
    m_startAction->setText(running ? tr("S&top") : tr("&Start"));
    m_indicator->setPixmap(QIcon(running ? QStringLiteral(":/icons/running.svg") : QStringLiteral(":/icons/stopped.svg")).pixmap(14, 14));
    m_listen->setEnabled(!running);
    if (m_tray)
        m_tray->setToolTip(running ? tr("AuthRealm: serving at %1").arg(m_url->text()) : tr("AuthRealm: server stopped"));
    if (!running) {
        m_status->setText(tr("Stopped"));
        m_url->clear();
        return;
    }
    const quint64 total = m_server->requestsServed();
    const quint64 perSecond = total - m_lastRequests;
    m_lastRequests = total;
    m_status->setText(tr("Running — %1 requests/s, %2 in total").arg(perSecond).arg(total));
    m_url->setText(QStringLiteral("http://%1:%2").arg(m_server->options().address.toString()).arg(m_server->port()));
}

void ConsoleWindow::checkOtherServers()
{
    QStringList lines;
    try {
        const QString self = m_server ? m_server->instanceId() : QString();
        for (const ServerInstance &other : m_core.servers().live(self)) {
            lines << tr("Another AuthRealm server (%1, process %2 on %3, listening on %4) is serving this database.")
                         .arg(other.kind)
                         .arg(other.pid)
                         .arg(other.host, other.listen);
        }
    } catch (const std::exception &) {
        return; // keep the last notice while the database is unreachable
    }
    m_otherServers->setText(lines.join(u'\n'));
    m_otherServers->setVisible(!lines.isEmpty());
}

QString ConsoleWindow::otherServersNotice() const
{
    return m_otherServers->text();
}

void ConsoleWindow::reloadNavigation()
{
    const QString realmId = m_realmId;
    const QString appId = m_appId;
    {
        const QSignalBlocker block(m_navigation);
        m_navigation->clear();
        runConsoleAction(this, tr("Cannot read the database"), [&] {
            for (const Realm &realm : m_core.realms().realms()) {
                auto *item = new QTreeWidgetItem(m_navigation, {realm.displayName.isEmpty() || realm.displayName == realm.id
                                                                    ? realm.id
                                                                    : QStringLiteral("%1 (%2)").arg(realm.displayName, realm.id)});
                item->setData(0, kRealmRole, realm.id);
                item->setIcon(0, QIcon(QStringLiteral(":/icons/realm.svg")));
                for (const App &app : m_core.realms().apps(realm.id)) {
                    auto *child = new QTreeWidgetItem(item, {app.displayName.isEmpty() ? app.id : app.displayName});
                    child->setData(0, kRealmRole, realm.id);
                    child->setData(0, kAppRole, app.id);
                    child->setIcon(0, QIcon(QStringLiteral(":/icons/product.svg")));
                    child->setToolTip(0, app.id);
                }
                item->setExpanded(true);
            }
        });
    }
    m_realmId.clear();
    m_appId.clear();
    if (!selectScope(realmId, appId) && m_navigation->topLevelItemCount() > 0)
        m_navigation->setCurrentItem(m_navigation->topLevelItem(0));
}

bool ConsoleWindow::selectScope(const QString &realmId, const QString &appId)
{
    for (int i = 0; i < m_navigation->topLevelItemCount(); ++i) {
        QTreeWidgetItem *realm = m_navigation->topLevelItem(i);
        if (realm->data(0, kRealmRole).toString() != realmId)
            continue;
        QTreeWidgetItem *target = realm;
        for (int j = 0; j < realm->childCount() && !appId.isEmpty(); ++j) {
            if (realm->child(j)->data(0, kAppRole).toString() == appId)
                target = realm->child(j);
        }
        m_navigation->setCurrentItem(target);
        scopeChanged();
        return true;
    }
    return false;
}

void ConsoleWindow::scopeChanged()
{
    const QTreeWidgetItem *item = m_navigation->currentItem();
    const QString realmId = item ? item->data(0, kRealmRole).toString() : QString();
    const QString appId = item ? item->data(0, kAppRole).toString() : QString();
    if (realmId == m_realmId && appId == m_appId)
        return;
    m_realmId = realmId;
    m_appId = appId;
    for (const ViewEntry &view : std::as_const(m_views)) {
        if (view.setScope)
            view.setScope(realmId, appId);
    }
}

void ConsoleWindow::reloadAll()
{
    reloadNavigation();
    for (const ViewEntry &view : std::as_const(m_views))
        view.reload();
    checkOtherServers();
}

bool ConsoleWindow::showView(const QString &name)
{
    for (int i = 0; i < m_views.size(); ++i) {
        if (m_views[i].name == name) {
            m_tabs->setCurrentWidget(m_views[i].widget);
            return true;
        }
    }
    return false;
}

QStringList ConsoleWindow::viewNames() const
{
    QStringList names;
    for (const ViewEntry &view : m_views)
        names << view.name;
    return names;
}

QWidget *ConsoleWindow::view(const QString &name) const
{
    for (const ViewEntry &view : m_views) {
        if (view.name == name)
            return view.widget;
    }
    return nullptr;
}

void ConsoleWindow::openUser(const QString &realmId, const QString &userId)
{
    if (realmId != m_realmId)
        selectScope(realmId);
    m_userDetail->setUser(realmId, userId);
    showView(QStringLiteral("user"));
}

bool ConsoleWindow::openUserByEmail(const QString &realmId, const QString &email)
{
    std::optional<User> user;
    runConsoleAction(this, tr("Cannot read the database"), [&] { user = m_core.users().findByLogin(realmId, email); });
    if (!user)
        return false;
    openUser(realmId, user->id);
    return true;
}

void ConsoleWindow::newRealm()
{
    bool ok = false;
    const QString id = QInputDialog::getText(this, tr("New realm"),
                                             tr("Realm id (lower-case letters, digits and dashes; it appears in URLs):"),
                                             QLineEdit::Normal, QString(), &ok).trimmed();
    if (!ok || id.isEmpty())
        return;
    const QString name = QInputDialog::getText(this, tr("New realm"), tr("Display name:"), QLineEdit::Normal, id, &ok).trimmed();
    if (!ok)
        return;
    if (runConsoleAction(this, tr("Realm not created"), [&] { m_core.admin().createRealm(consoleActor(), id, name, {}); })) {
        reloadNavigation();
        selectScope(id);
    }
}

void ConsoleWindow::newProduct()
{
    if (m_realmId.isEmpty())
        return;
    bool ok = false;
    const QString id = QInputDialog::getText(this, tr("New product in %1").arg(m_realmId),
                                             tr("Product id (lower-case letters, digits and dashes; clients send it as tenantId):"),
                                             QLineEdit::Normal, QString(), &ok).trimmed();
    if (!ok || id.isEmpty())
        return;
    const QString name = QInputDialog::getText(this, tr("New product in %1").arg(m_realmId), tr("Display name:"), QLineEdit::Normal, id, &ok).trimmed();
    if (!ok)
        return;
    const QString realmId = m_realmId;
    if (runConsoleAction(this, tr("Product not created"), [&] { m_core.admin().createApp(consoleActor(), realmId, id, name); })) {
        reloadNavigation();
        selectScope(realmId, id);
    }
}

void ConsoleWindow::deleteRealm()
{
    const QString realmId = m_realmId;
    if (realmId.isEmpty())
        return;
    if (!confirmDestructive(this, tr("Delete realm"),
                            tr("Delete the realm \"%1\" with all its users, products, roles, sessions, tokens and signing keys? "
                               "Signed-in users are signed out. This cannot be undone.").arg(realmId)))
        return;
    if (runConsoleAction(this, tr("Realm not deleted"), [&] { m_core.admin().deleteRealm(consoleActor(), realmId); }))
        reloadNavigation();
}

void ConsoleWindow::setAdminPasswordIfNeeded()
{
    if (!m_core.bootstrap().adminNeedsPassword())
        return;
    bool ok = false;
    const QString password = QInputDialog::getText(this, tr("Administrator password"),
                                                   tr("The administrator account (\"admin\" in realm \"master\") has no password yet.\n"
                                                      "Choose one (at least 8 characters):"),
                                                   QLineEdit::Password, QString(), &ok);
    if (!ok || password.isEmpty())
        return;
    runConsoleAction(this, tr("Password not set"), [&] {
        if (!m_core.bootstrap().setInitialAdminPassword(password))
            Bootstrap::throwAlreadySetUp();
    });
    updateStatus();
}

} // namespace authrealm
