#include "UsersView.h"

#include "AuthRealmCore.h"
#include "core/DomainError.h"
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
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(UserListModel::Email, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setAccessibleName(tr("Users"));

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
    const QString current = m_realm->currentText();
    const QSignalBlocker block(m_realm);
    m_realm->clear();
    try {
        for (const Realm &realm : m_core.realms().realms())
            m_realm->addItem(realm.id);
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Cannot read the database"), e.message());
    }
    const int index = m_realm->findText(current);
    m_realm->setCurrentIndex(index >= 0 ? index : 0);
    applyFilter();
}

void UsersView::applyFilter()
{
    try {
        m_model->setFilter(m_realm->currentText(), m_search->text().trimmed(), m_status->currentData().toString());
        if (m_model->canFetchMore({}))
            m_model->fetchMore({});
        // Size columns to the first page once; later pages keep them (measuring
        // every loaded row on each layout would grow with the scroll).
        m_table->resizeColumnsToContents();
        m_table->horizontalHeader()->setStretchLastSection(true);
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Cannot read the database"), e.message());
    }
}

} // namespace authrealm
