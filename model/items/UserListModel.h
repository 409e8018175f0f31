#pragma once

#include "storage/UserStore.h"

#include <QAbstractTableModel>

namespace authrealm {

// The users of one realm for list views: loads pages of 200 on demand
// (fetchMore) through keyset pagination, so a realm of a million users opens
// at the cost of its first page.
class UserListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Email, DisplayName, Status, Created, ColumnCount };
    static constexpr int kPageSize = 200;

    explicit UserListModel(const UserStore &users, QObject *parent = nullptr);

    // Starts over with the realm's users whose email (or name) starts with
    // `prefix` (case-insensitive) and, if given, of one status.
    void setFilter(const QString &realmId, const QString &prefix = {}, const QString &status = {},
                   UserStore::Browse::Field field = UserStore::Browse::Field::Email);
    [[nodiscard]] const User &userAt(int row) const { return m_rows.at(row).user; }
    // Email, Name and Created sort on the database side (keyset order), so a
    // sorted million-row list still loads a page at a time; Status does not sort.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    // Never throws: Qt's views call it from layout and scrolling code, where an
    // exception would end the console. A storage error stops the paging (until
    // the next reset) and is reported through loadFailed.
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadFailed(const QString &message);

private:
    void failLoading(const QString &message);

    const UserStore &m_users;
    UserStore::Browse m_query;
    QList<UserStore::BrowseRow> m_rows;
    bool m_exhausted = true;
    bool m_inserting = false;
};

} // namespace authrealm
