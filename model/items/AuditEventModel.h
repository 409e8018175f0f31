#pragma once

#include "storage/AuditLog.h"

#include <QAbstractTableModel>

namespace authrealm {

// Audit events for list views, newest first, loaded a page at a time through
// the same keyset query as GET /admin/events, so ten million events stay
// responsive.
class AuditEventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Realm, App, Kind, Actor, Target, Outcome, Summary, Address, ColumnCount };
    static constexpr int kPageSize = 500;

    explicit AuditEventModel(const AuditLog &audit, QObject *parent = nullptr);

    // Starts over with these filters (limit and cursor fields are ignored).
    void setQuery(const AuditQuery &query);
    [[nodiscard]] const AuditEvent &eventAt(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

private:
    const AuditLog &m_audit;
    AuditQuery m_query;
    QList<AuditEvent> m_rows;
    bool m_exhausted = true;
    bool m_inserting = false;
};

} // namespace authrealm
