#include "items/AuditEventModel.h"

#include <QDateTime>

namespace authrealm {

AuditEventModel::AuditEventModel(const AuditLog &audit, QObject *parent) : QAbstractTableModel(parent), m_audit(audit) {}

void AuditEventModel::setQuery(const AuditQuery &query)
{
    beginResetModel();
    m_query = query;
    m_query.beforeTime = 0;
    m_query.beforeId = 0;
    m_query.limit = kPageSize;
    m_rows.clear();
    m_exhausted = true; // see UserListModel::setFilter
    endResetModel();
    m_exhausted = false;
}

int AuditEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AuditEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditEventModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const AuditEvent &e = m_rows.at(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time: return QDateTime::fromMSecsSinceEpoch(e.occurredAt, Qt::UTC).toString(Qt::ISODateWithMs);
    case Realm: return e.realmId;
    case App: return e.appId;
    case Kind: return e.kind;
    case Actor: return e.actor;
    case Target: return e.targetType.isEmpty() ? e.targetId : e.targetType + u':' + e.targetId;
    case Outcome: return e.outcome;
    case Summary: return e.summary;
    case Address: return e.ip;
    default: return {};
    }
}

QVariant AuditEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time (UTC)");
    case Realm: return tr("Realm");
    case App: return tr("Product");
    case Kind: return tr("Kind");
    case Actor: return tr("Actor");
    case Target: return tr("Target");
    case Outcome: return tr("Outcome");
    case Summary: return tr("Summary");
    case Address: return tr("Source IP");
    default: return {};
    }
}

bool AuditEventModel::canFetchMore(const QModelIndex &parent) const
{
    // Not while a page is being inserted: listeners of rowsInserted may ask.
    return !parent.isValid() && !m_exhausted && !m_inserting;
}

void AuditEventModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    AuditQuery page = m_query;
    if (!m_rows.isEmpty()) {
        page.beforeTime = m_rows.constLast().occurredAt;
        page.beforeId = m_rows.constLast().id;
    }
    const QList<AuditEvent> events = m_audit.query(page);
    m_exhausted = events.size() < kPageSize;
    if (events.isEmpty())
        return;
    m_inserting = true;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + events.size() - 1));
    m_rows.append(events);
    endInsertRows();
    m_inserting = false;
}

} // namespace authrealm
