#include "items/SessionListModel.h"

#include "items/LoadGuard.h"
#include "core/Clock.h"
#include "core/DomainError.h"

#include <QDateTime>
#include <exception>

namespace authrealm {

namespace {
QString utc(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
}
} // namespace

SessionListModel::SessionListModel(const SessionStore &sessions, const Clock &clock, QObject *parent)
    : QAbstractTableModel(parent), m_sessions(sessions), m_clock(clock)
{
}

void SessionListModel::setRealm(const QString &realmId)
{
    beginResetModel();
    m_realmId = realmId;
    m_asOf = m_clock.nowMs();
    m_rows.clear();
    // No fetching while the reset is being announced (views ask on modelReset).
    m_exhausted = true;
    endResetModel();
    m_exhausted = realmId.isEmpty();
}

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SessionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const SessionStore::SessionRow &row = m_rows.at(index.row());
    switch (index.column()) {
    case Email: return row.email;
    case App: return row.session.appId;
    case Address: return row.session.ip;
    case UserAgent: return row.session.userAgent;
    case Created: return utc(row.session.createdAt);
    case LastUsed: return utc(row.session.lastUsedAt);
    default: return {};
    }
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Email: return tr("User");
    case App: return tr("Product");
    case Address: return tr("IP address");
    case UserAgent: return tr("Device / user agent");
    case Created: return tr("Signed in (UTC)");
    case LastUsed: return tr("Last used (UTC)");
    default: return {};
    }
}

void SessionListModel::failLoading(const QString &message)
{
    m_exhausted = true; // a view would otherwise ask again at once, and again
    emit loadFailed(message);
}

bool SessionListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_exhausted && !m_inserting;
}

void SessionListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    SessionStore::SessionCursor after;
    if (!m_rows.isEmpty())
        after = {m_rows.constLast().session.lastUsedAt, m_rows.constLast().session.id};
    QList<SessionStore::SessionRow> page;
    if (const QString error = readPageOrError([&] { page = m_sessions.realmSessions(m_realmId, m_asOf, after, kPageSize); }); !error.isEmpty()) {
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
