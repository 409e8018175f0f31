#include "items/UserListModel.h"

#include "items/LoadGuard.h"
#include "core/DomainError.h"

#include <QDateTime>
#include <exception>

namespace authrealm {

UserListModel::UserListModel(const UserStore &users, QObject *parent) : QAbstractTableModel(parent), m_users(users) {}

void UserListModel::setFilter(const QString &realmId, const QString &prefix, const QString &status, UserStore::Browse::Field field)
{
    beginResetModel();
    m_query.realmId = realmId;
    m_query.prefix = prefix;
    m_query.status = status;
    m_query.field = field;
    m_rows.clear();
    // No fetching while the reset is being announced: views (and the model
    // tester) react to modelReset by asking for rows.
    m_exhausted = true;
    endResetModel();
    m_exhausted = m_query.realmId.isEmpty();
}

void UserListModel::sort(int column, Qt::SortOrder order)
{
    using Order = UserStore::Browse::Order;
    if (column != Email && column != DisplayName && column != Created)
        return;
    m_query.order = column == Email ? Order::Email : column == DisplayName ? Order::Name : Order::Created;
    m_query.descending = order == Qt::DescendingOrder;
    setFilter(m_query.realmId, m_query.prefix, m_query.status, m_query.field);
}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UserListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const User &user = m_rows.at(index.row()).user;
    switch (index.column()) {
    case Email: return user.email;
    case DisplayName: return user.displayName;
    case Status: return userStatusName(user.status);
    case Created: return QDateTime::fromMSecsSinceEpoch(user.createdAt, Qt::UTC).toString(Qt::ISODate);
    default: return {};
    }
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Email: return tr("Email");
    case DisplayName: return tr("Name");
    case Status: return tr("Status");
    case Created: return tr("Created (UTC)");
    default: return {};
    }
}

void UserListModel::failLoading(const QString &message)
{
    m_exhausted = true; // a view would otherwise ask again at once, and again
    emit loadFailed(message);
}

bool UserListModel::canFetchMore(const QModelIndex &parent) const
{
    // Not while a page is being inserted: listeners of rowsInserted may ask.
    return !parent.isValid() && !m_exhausted && !m_inserting;
}

void UserListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    UserStore::Browse query = m_query;
    query.limit = kPageSize;
    if (!m_rows.isEmpty()) {
        query.afterValue = m_rows.constLast().orderValue;
        query.afterId = m_rows.constLast().user.id;
    }
    QList<UserStore::BrowseRow> page;
    if (const QString error = readPageOrError([&] { page = m_users.browse(query); }); !error.isEmpty()) {
        failLoading(error);
        return;
    }
    m_exhausted = page.size() < kPageSize;
    if (page.isEmpty())
        return;
    m_inserting = true;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.size() - 1));
    m_rows.append(page);
    endInsertRows();
    m_inserting = false;
}

} // namespace authrealm
