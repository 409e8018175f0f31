#pragma once

#include "storage/SessionStore.h"

#include <QAbstractTableModel>

namespace authrealm {

class Clock;

// The active sessions of one realm for the console, most recently used first,
// loaded a page at a time (keyset pagination over SessionStore::realmSessions),
// so a realm with a million signed-in devices opens at the cost of one page.
class SessionListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Email, App, Address, UserAgent, Created, LastUsed, ColumnCount };
    static constexpr int kPageSize = 200;

    SessionListModel(const SessionStore &sessions, const Clock &clock, QObject *parent = nullptr);

    // Starts over with the realm's active sessions (empty: no rows).
    void setRealm(const QString &realmId);
    [[nodiscard]] const QString &realmId() const { return m_realmId; }
    [[nodiscard]] const SessionStore::SessionRow &rowAt(int row) const { return m_rows.at(row); }

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

    const SessionStore &m_sessions;
    const Clock &m_clock;
    QString m_realmId;
    qint64 m_asOf = 0; // one "now" per listing, so pages agree on what is active
    QList<SessionStore::SessionRow> m_rows;
    bool m_exhausted = true;
    bool m_inserting = false;
};

} // namespace authrealm
