#include "UsersView.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "LazyTable.h"
#include "NewUserDialog.h"
#include "items/UserListModel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace authrealm {

UsersView::UsersView(AuthRealmCore &core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new UserListModel(core.users(), this))
{
    m_field = new QComboBox(this);
    m_field->setAccessibleName(tr("Search in"));
    m_field->addItem(tr("Email"), int(UserStore::Browse::Field::Email));
    m_field->addItem(tr("Name"), int(UserStore::Browse::Field::Name));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Starts with…"));
    m_search->setAccessibleName(tr("Search users"));
    m_search->setClearButtonEnabled(true);
    m_status = new QComboBox(this);
    m_status->setAccessibleName(tr("Status filter"));
    m_status->addItem(tr("Any status"), QString());
    m_status->addItem(tr("Active"), userStatusName(UserStatus::Active));
    m_status->addItem(tr("Suspended"), userStatusName(UserStatus::Suspended));
    m_status->addItem(tr("Deactivated"), userStatusName(UserStatus::Deactivated));
    m_newUser = new QPushButton(tr("&New user…"), this);
    m_newUser->setAccessibleName(tr("Create a user"));
    m_table = new LazyTable(m_model, UserListModel::Email, tr("Users"), this);
    m_table->horizontalHeader()->setSortIndicator(UserListModel::Email, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_field);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_status);
    filters->addWidget(m_newUser);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    setTabOrder(m_field, m_search);
    setTabOrder(m_search, m_status);
    setTabOrder(m_status, m_newUser);
    setTabOrder(m_newUser, m_table);

    // Queued: fetchMore runs inside the table's layout code, no place for a modal box.
    connect(m_model, &UserListModel::loadFailed, this,
            [this](const QString &message) { showActionError(this, tr("Cannot read the users"), message); }, Qt::QueuedConnection);
    connect(m_search, &QLineEdit::textChanged, this, &UsersView::applyFilter);
    connect(m_field, &QComboBox::currentIndexChanged, this, &UsersView::applyFilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, &UsersView::applyFilter);
    connect(m_newUser, &QPushButton::clicked, this, [this] { createUserInteractively(); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            emit userActivated(m_realmId, m_model->userAt(index.row()).id);
    });
}

void UsersView::setScope(const QString &realmId, const QString &appId)
{
    if (realmId == m_realmId && appId == m_appId)
        return;
    m_realmId = realmId;
    m_appId = appId;
    applyFilter();
}

void UsersView::reload()
{
    applyFilter();
}

void UsersView::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

QString UsersView::createUserInteractively()
{
    if (m_realmId.isEmpty())
        return {};
    NewUserDialog dialog(m_core, m_realmId, m_appId, this);
    if (dialog.exec() != QDialog::Accepted)
        return {};
    reload();
    return dialog.createdUserId();
}

void UsersView::applyFilter()
{
    m_newUser->setEnabled(!m_realmId.isEmpty());
    runConsoleAction(this, tr("Cannot read the database"), [&] {
        m_model->setFilter(m_realmId, m_search->text().trimmed(), m_status->currentData().toString(),
                           UserStore::Browse::Field(m_field->currentData().toInt()));
        m_table->showFirstPage();
    });
}

} // namespace authrealm
