#include "items/AuditEventModel.h"

#include "items/LoadGuard.h"
#include "core/DomainError.h"

#include <QDateTime>
#include <QMutex>
#include <QThreadPool>

namespace authrealm {

namespace {

// One page: an indexed filter in one query; free text in slices that stop
// when `stop` says so or the budget is spent.
AuditSearchPage readPage(const AuditLog &audit, const AuditQuery &q, const std::function<bool()> &stop, qint64 budgetMs)
{
    if (!q.text.trimmed().isEmpty())
        return audit.search(q, stop, budgetMs);
    AuditSearchPage page;
    page.events = audit.query(q);
    page.exhausted = page.events.size() < q.limit;
    if (!page.events.isEmpty()) {
        page.nextBeforeTime = page.events.constLast().occurredAt;
        page.nextBeforeId = page.events.constLast().id;
    }
    return page;
}

} // namespace

// Lets a worker post its page only while the model exists: the model clears
// `model` under the mutex before it dies, and an event posted to it before
// that is discarded with it.
struct AuditEventModelRelay
{
    QMutex mutex;
    AuditEventModel *model = nullptr;
};

AuditEventModel::AuditEventModel(const AuditLog &audit, QObject *parent)
    : QAbstractTableModel(parent), m_audit(audit), m_relay(std::make_shared<AuditEventModelRelay>())
{
    m_relay->model = this;
}

AuditEventModel::~AuditEventModel()
{
    m_generation->fetch_add(1); // stop running scans at their next slice
    const QMutexLocker lock(&m_relay->mutex);
    m_relay->model = nullptr;
}

void AuditEventModel::setQuery(const AuditQuery &query)
{
    m_generation->fetch_add(1);
    beginResetModel();
    m_query = query;
    m_query.beforeTime = 0;
    m_query.beforeId = 0;
    m_query.limit = kPageSize;
    m_cursorTime = 0;
    m_cursorId = 0;
    m_rows.clear();
    m_exhausted = true; // see UserListModel::setFilter
    endResetModel();
    m_exhausted = false;
    if (m_loading) {
        m_loading = false;
        emit loadingChanged(false);
    }
}

void AuditEventModel::stop()
{
    m_generation->fetch_add(1);
    m_exhausted = true;
    m_loading = false;
}

int AuditEventModel::rowOfEvent(qint64 id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return int(i);
    }
    return -1;
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
    case Time: return QDateTime::fromMSecsSinceEpoch(e.occurredAt, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
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
    return !parent.isValid() && !m_exhausted && !m_inserting && !m_loading;
}

AuditQuery AuditEventModel::nextPageQuery() const
{
    AuditQuery page = m_query;
    page.beforeTime = m_cursorTime;
    page.beforeId = m_cursorId;
    page.limit = kPageSize;
    return page;
}

void AuditEventModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    if (m_pool) {
        startAsyncFetch();
        return;
    }
    // Synchronous (no pool): a storage error must not escape into the view
    // that asked; stop loading and report it, as the asynchronous path does.
    AuditSearchPage page;
    if (const QString error = readPageOrError([&] { page = readPage(m_audit, nextPageQuery(), {}, 0); }); !error.isEmpty()) {
        m_exhausted = true;
        emit loadFailed(error);
        return;
    }
    appendPage(page);
}

void AuditEventModel::startAsyncFetch()
{
    m_loading = true;
    emit loadingChanged(true);
    const quint64 generation = m_generation->load();
    const auto generations = m_generation;
    const AuditLog &audit = m_audit;
    const AuditQuery query = nextPageQuery();
    const auto relay = m_relay;
    m_pool->start([generation, generations, &audit, query, relay] {
        AuditSearchPage page;
        QString error;
        try {
            page = readPage(audit, query, [&] { return generations->load() != generation; }, kSearchSliceMs);
        } catch (const DomainError &e) {
            error = e.message();
        }
        const QMutexLocker lock(&relay->mutex);
        if (!relay->model)
            return;
        AuditEventModel *model = relay->model;
        QMetaObject::invokeMethod(
            model,
            [model, generation, page = std::move(page), error] {
                if (model->m_generation->load() != generation)
                    return; // the filter changed meanwhile
                model->m_loading = false;
                if (!error.isEmpty()) {
                    emit model->loadingChanged(false);
                    emit model->loadFailed(error);
                    return;
                }
                model->appendPage(page);
                // A scan stopped after its slice budget: keep going until a
                // page is full or nothing older is left.
                if (!page.exhausted && page.events.size() < kPageSize) {
                    model->startAsyncFetch();
                    return;
                }
                emit model->loadingChanged(false);
            },
            Qt::QueuedConnection);
    });
}

void AuditEventModel::appendPage(const AuditSearchPage &page)
{
    m_exhausted = page.exhausted;
    m_cursorTime = page.nextBeforeTime;
    m_cursorId = page.nextBeforeId;
    if (!page.events.isEmpty()) {
        m_inserting = true;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.events.size() - 1));
        m_rows.append(page.events);
        endInsertRows();
        m_inserting = false;
    }
    emit pageLoaded(int(page.events.size()));
}

} // namespace authrealm
