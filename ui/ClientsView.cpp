#include "ClientsView.h"

#include "AuthRealmCore.h"
#include "ClientDialog.h"
#include "ConsoleActor.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace authrealm {

namespace {

QAction *makeAction(QWidget *owner, const QString &text, const QString &tip)
{
    auto *action = new QAction(text, owner);
    action->setToolTip(tip);
    owner->addAction(action);
    return action;
}

QTableWidgetItem *readOnly(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

} // namespace

ClientsView::ClientsView(AuthRealmCore &core, QWidget *parent) : ScopedView(core, parent)
{
    m_newClient = makeAction(this, tr("&New client…"), tr("Register an OAuth client of this product"));
    m_editClient = makeAction(this, tr("&Edit redirect URIs…"), tr("Change the selected client's name, redirect URIs and consent setting"));
    m_rotateSecret = makeAction(this, tr("&Rotate secret…"), tr("Give the selected client a new secret"));
    m_deleteClient = makeAction(this, tr("&Delete client"), tr("Delete the selected client; the sign-ins it started end"));
    connect(m_newClient, &QAction::triggered, this, &ClientsView::newClient);
    connect(m_editClient, &QAction::triggered, this, &ClientsView::editClient);
    connect(m_rotateSecret, &QAction::triggered, this, &ClientsView::rotateSecret);
    connect(m_deleteClient, &QAction::triggered, this, &ClientsView::deleteClient);

    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    m_title->setFont(heading);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Client ID"), tr("Kind"), tr("Redirect URIs"), tr("First-party")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("OAuth clients"));
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ClientsView::updateActions);
    connect(m_table, &QTableWidget::cellActivated, this, [this](int, int) { editClient(); });

    auto *buttons = new QVBoxLayout;
    for (QAction *action : {m_newClient, m_editClient, m_rotateSecret, m_deleteClient}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        button->setAccessibleName(action->text().remove(u'&').remove(QStringLiteral("…")));
        buttons->addWidget(button);
    }
    buttons->addStretch(1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_table, 1);
    row->addLayout(buttons);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(row, 1);
    updateActions();
}

QWidget *ClientsView::focusTarget() const
{
    return m_table;
}

void ClientsView::load()
{
    m_table->setRowCount(0);
    m_clients.clear();
    if (realmId().isEmpty() || appId().isEmpty()) {
        m_title->setText(tr("Choose a product to see its OAuth clients"));
        updateActions();
        return;
    }
    m_title->setText(tr("OAuth clients of product %1").arg(appId()));
    runConsoleAction(this, tr("Load clients"), [&] { m_clients = core().clients().list(consoleActor(), realmId(), appId()); });
    m_table->setRowCount(int(m_clients.size()));
    for (int row = 0; row < m_clients.size(); ++row) {
        const OAuthClient &c = m_clients.at(row);
        m_table->setItem(row, ColumnName, readOnly(c.name));
        m_table->setItem(row, ColumnId, readOnly(c.id));
        m_table->setItem(row, ColumnKind, readOnly(c.confidential ? tr("confidential") : tr("public")));
        m_table->setItem(row, ColumnRedirects, readOnly(c.redirectUris.join(QStringLiteral(", "))));
        m_table->setItem(row, ColumnFirstParty, readOnly(c.firstParty ? tr("yes") : tr("no (asks for consent)")));
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(ColumnRedirects, QHeaderView::Stretch);
    updateActions();
}

const OAuthClient *ClientsView::currentClient() const
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_clients.size() || !m_table->selectionModel()->hasSelection())
        return nullptr;
    return &m_clients.at(row);
}

void ClientsView::updateActions()
{
    const bool product = !realmId().isEmpty() && !appId().isEmpty();
    const OAuthClient *current = currentClient();
    m_newClient->setEnabled(product);
    m_editClient->setEnabled(current);
    const bool hasSecret = current && (current->tokenEndpointAuthMethod == ClientRegistry::kMethodBasic
                                       || current->tokenEndpointAuthMethod == ClientRegistry::kMethodPost);
    m_rotateSecret->setEnabled(hasSecret);
    m_deleteClient->setEnabled(current);
}

void ClientsView::showSecret(const QString &clientId, const QString &secret)
{
    ClientSecretDialog dialog(clientId, secret, this);
    dialog.exec();
}

void ClientsView::newClient()
{
    ClientDialog dialog(appId(), nullptr, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    ClientRegistry::Created created;
    const bool ok = runConsoleAction(this, tr("New client"), [&] { created = core().clients().create(consoleActor(), realmId(), dialog.draft()); });
    reload();
    if (ok && !created.secret.isEmpty())
        showSecret(created.client.id, created.secret);
}

void ClientsView::editClient()
{
    const OAuthClient *current = currentClient();
    if (!current)
        return;
    const OAuthClient client = *current;
    ClientDialog dialog(appId(), &client, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    runConsoleAction(this, tr("Edit client"), [&] { (void)core().clients().update(consoleActor(), realmId(), client.id, dialog.draft()); });
    reload();
}

void ClientsView::rotateSecret()
{
    const OAuthClient *current = currentClient();
    if (!current)
        return;
    const OAuthClient client = *current;
    const int choice = askChoice(this, tr("Rotate secret"),
                                 tr("Give \"%1\" a new secret. How long may the current secret keep working, so the application "
                                    "can switch over?").arg(client.name),
                                 {tr("One hour"), tr("One day"), tr("End it now")});
    if (choice < 0)
        return;
    const qint64 overlap = choice == 0 ? 3600 : choice == 1 ? 86400 : 0;
    QString secret;
    const bool ok = runConsoleAction(this, tr("Rotate secret"),
                                     [&] { secret = core().clients().rotateSecret(consoleActor(), realmId(), client.id, overlap); });
    reload();
    if (ok)
        showSecret(client.id, secret);
}

void ClientsView::deleteClient()
{
    const OAuthClient *current = currentClient();
    if (!current)
        return;
    const OAuthClient client = *current;
    if (!confirmDestructive(this, tr("Delete client"),
                            tr("Delete the client \"%1\" (%2)? Applications using it can no longer sign anyone in, "
                               "and the sign-ins it started end.").arg(client.name, client.id)))
        return;
    runConsoleAction(this, tr("Delete client"), [&] { core().clients().remove(consoleActor(), realmId(), client.id); });
    reload();
}

} // namespace authrealm
