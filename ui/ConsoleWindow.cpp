#include "ConsoleWindow.h"

#include "ApiServer.h"
#include "AuditView.h"
#include "UsersView.h"
#include "AuthRealmCore.h"
#include "core/DomainError.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QAction>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace authrealm {

ConsoleWindow::ConsoleWindow(AuthRealmCore &core, QWidget *parent) : QMainWindow(parent), m_core(core)
{
    setWindowTitle(tr("AuthRealm Console"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);

    auto *serverBox = new QWidget(central);
    auto *form = new QFormLayout(serverBox);
    m_listen = new QLineEdit(QSettings().value(QStringLiteral("server/listen"), QStringLiteral("127.0.0.1:8080")).toString(), serverBox);
    m_listen->setAccessibleName(tr("Listen address"));
    m_startStop = new QPushButton(tr("Start server"), serverBox);
    auto *listenRow = new QHBoxLayout;
    listenRow->addWidget(m_listen, 1);
    listenRow->addWidget(m_startStop);
    form->addRow(tr("Listen on:"), listenRow);
    m_status = new QLabel(serverBox);
    form->addRow(tr("Status:"), m_status);
    m_adminHint = new QLabel(tr("The administrator account has no password yet: use Server → Set administrator password…"), serverBox);
    m_adminHint->setWordWrap(true);
    form->addRow(QString(), m_adminHint);
    m_url = new QLineEdit(serverBox);
    m_url->setReadOnly(true);
    m_url->setAccessibleName(tr("Server URL"));
    auto *copy = new QToolButton(serverBox);
    copy->setText(tr("Copy"));
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(copy);
    form->addRow(tr("URL:"), urlRow);
    layout->addWidget(serverBox);

    m_realms = new QTreeWidget(central);
    m_realms->setHeaderLabels({tr("Realm / product"), tr("Display name"), tr("Users")});
    m_realms->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_realms->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_realms->setAccessibleName(tr("Realms and products"));
    m_users = new UsersView(m_core, central);
    m_audit = new AuditView(m_core, central);
    m_tabs = new QTabWidget(central);
    m_tabs->addTab(m_realms, tr("&Realms"));
    m_tabs->addTab(m_users, tr("&Users"));
    m_tabs->addTab(m_audit, tr("&Audit log"));
    m_tabs->setCurrentIndex(QSettings().value(QStringLiteral("window/tab"), 0).toInt());
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, &ConsoleWindow::reloadRealms);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    QMenu *server = menuBar()->addMenu(tr("&Server"));
    server->addAction(tr("&Start"), this, &ConsoleWindow::startServer);
    server->addAction(tr("S&top"), this, &ConsoleWindow::stopServer);
    server->addSeparator();
    m_setPassword = server->addAction(tr("Set &administrator password…"), this, &ConsoleWindow::setAdminPasswordIfNeeded);

    connect(m_startStop, &QPushButton::clicked, this, [this] { serverRunning() ? stopServer() : startServer(); });
    connect(copy, &QToolButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_url->text()); });
    m_rateTimer.setInterval(1000);
    connect(&m_rateTimer, &QTimer::timeout, this, &ConsoleWindow::updateStatus);
    m_rateTimer.start();

    statusBar()->showMessage(tr("Database: %1").arg(m_core.database().config().displayName()));
    restoreGeometry(QSettings().value(QStringLiteral("window/geometry")).toByteArray());
    reloadRealms();
    updateStatus();
}

ConsoleWindow::~ConsoleWindow()
{
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    QSettings().setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    stopServer();
}

bool ConsoleWindow::serverRunning() const
{
    return m_server && m_server->isRunning();
}

void ConsoleWindow::startServer()
{
    if (serverRunning())
        return;
    const QString text = m_listen->text().trimmed();
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const int port = colon > 0 ? text.mid(colon + 1).toInt(&ok) : 0;
    const QHostAddress address(colon > 0 ? text.left(colon) : QString());
    if (!ok || port <= 0 || port > 65535 || address.isNull()) {
        QMessageBox::warning(this, tr("Invalid address"), tr("Enter the address as HOST:PORT, for example 127.0.0.1:8080."));
        return;
    }
    ServerOptions options;
    options.address = address;
    options.port = quint16(port);
    try {
        m_server = std::make_unique<ApiServer>(m_core, options);
        m_server->start();
        m_lastRequests = 0;
        QSettings().setValue(QStringLiteral("server/listen"), text);
    } catch (const std::exception &e) {
        m_server.reset();
        QMessageBox::warning(this, tr("Cannot start the server"),
                             tr("%1\n\nIs another AuthRealm server already using this address?").arg(QString::fromLocal8Bit(e.what())));
    }
    updateStatus();
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
    const bool needsPassword = m_core.bootstrap().adminNeedsPassword();
    m_setPassword->setEnabled(needsPassword);
    m_adminHint->setVisible(needsPassword);
    const bool running = serverRunning();
    m_startStop->setText(running ? tr("Stop server") : tr("Start server"));
    m_listen->setEnabled(!running);
    if (!running) {
        m_status->setText(tr("Stopped"));
        m_url->clear();
        return;
    }
    const quint64 total = m_server->requestsServed();
    const quint64 perSecond = total - m_lastRequests;
    m_lastRequests = total;
    m_status->setText(tr("Running — %1 requests/s, %2 requests in total").arg(perSecond).arg(total));
    m_url->setText(QStringLiteral("http://%1:%2").arg(m_server->options().address.toString()).arg(m_server->port()));
}

void ConsoleWindow::reloadRealms()
{
    m_realms->clear();
    if (m_users)
        m_users->reload();
    if (m_audit)
        m_audit->reload();
    try {
        for (const Realm &realm : m_core.realms().realms()) {
            auto *item = new QTreeWidgetItem(m_realms, {realm.id, realm.displayName,
                                                        QString::number(m_core.users().users(realm.id).size())});
            for (const App &app : m_core.realms().apps(realm.id))
                new QTreeWidgetItem(item, {app.id, app.displayName, QString()});
            item->setExpanded(true);
        }
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Cannot read the database"), e.message());
    }
}

bool ConsoleWindow::showView(const QString &name)
{
    const QStringList views = {QStringLiteral("realms"), QStringLiteral("users"), QStringLiteral("audit")};
    const int index = int(views.indexOf(name));
    if (index < 0)
        return false;
    m_tabs->setCurrentIndex(index);
    return true;
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
    try {
        m_core.bootstrap().setInitialAdminPassword(password);
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Password not set"), e.message());
    }
    updateStatus();
}

} // namespace authrealm
