#include "UsersView.h"

#include "AuthRealmCore.h"
#include "core/DomainError.h"
#include "LazyTable.h"
#include "items/UserListModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableView>
#include <QVBoxLayout>

namespace authrealm {

UsersView::UsersView(AuthRealmCore &core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new UserListModel(core.users(), this))
{
    m_realm = new QComboBox(this);
    m_realm->setAccessibleName(tr("Realm"));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Email starts with…"));
    m_search->setAccessibleName(tr("Search by email"));
    m_search->setClearButtonEnabled(true);
    m_status = new QComboBox(this);
    m_status->setAccessibleName(tr("Status filter"));
    m_status->addItem(tr("Any status"), QString());
    for (const UserStatus s : {UserStatus::Active, UserStatus::Suspended, UserStatus::Deactivated})
        m_status->addItem(userStatusName(s), userStatusName(s));
    m_table = new LazyTable(m_model, UserListModel::Email, tr("Users"), this);

    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Realm:"), this));
    filters->addWidget(m_realm);
    filters->addWidget(m_search, 1);
    filters->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);

    connect(m_realm, &QComboBox::currentIndexChanged, this, &UsersView::applyFilter);
    connect(m_search, &QLineEdit::textChanged, this, &UsersView::applyFilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, &UsersView::applyFilter);
    reload();
}

void UsersView::reload()
{
    refillRealms(m_realm, m_core.realms());
    applyFilter();
}

void UsersView::applyFilter()
{
    try {
        m_model->setFilter(m_realm->currentText(), m_search->text().trimmed(), m_status->currentData().toString());
        m_table->showFirstPage();
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Cannot read the database"), e.message());
    }
}

} // namespace authrealm
