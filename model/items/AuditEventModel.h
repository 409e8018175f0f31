#pragma once

#include "storage/AuditLog.h"

#include <QAbstractTableModel>

#include <atomic>
#include <memory>

class QThreadPool;

namespace authrealm {

struct AuditEventModelRelay;

// Audit events for list views, newest first, loaded a page at a time through
// the same keyset query as GET /admin/events, so ten million events stay
// responsive.
//
// With a thread pool (setThreadPool) pages load off the caller's thread: the
// view stays live while a free-text filter scans. Such a scan runs in time
// slices (AuditLog::search) and hands over what it found every
// kSearchSliceMs, so the first matches show while older ones are still being
// searched; a new setQuery() drops the results of the old one and stops its
// scan at the next slice.
class AuditEventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Realm, App, Kind, Actor, Target, Outcome, Summary, Address, ColumnCount };
    static constexpr int kPageSize = 500;
    static constexpr qint64 kSearchSliceMs = 250;

    explicit AuditEventModel(const AuditLog &audit, QObject *parent = nullptr);
    ~AuditEventModel() override;

    // nullptr (the default): fetchMore() queries on the calling thread.
    void setThreadPool(QThreadPool *pool) { m_pool = pool; }
    // Loads nothing more (until the next setQuery) and drops pages in flight:
    // for an owner about to destroy the thread pool.
    void stop();

    // Starts over with these filters (limit and cursor fields are ignored).
    void setQuery(const AuditQuery &query);
    [[nodiscard]] const AuditQuery &query() const { return m_query; }
    [[nodiscard]] const AuditEvent &eventAt(int row) const { return m_rows.at(row); }
    // The row holding the event with this id among those loaded, or -1.
    [[nodiscard]] int rowOfEvent(qint64 id) const;
    // A page is being read (only with a thread pool).
    [[nodiscard]] bool isLoading() const { return m_loading; }
    // Nothing older than what is loaded matches.
    [[nodiscard]] bool isExhausted() const { return m_exhausted; }
    // How far back a running scan got (ms), 0 when not scanning.
    [[nodiscard]] qint64 scannedBackTo() const { return m_loading ? m_cursorTime : 0; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    // Loading started or stopped (a page arrived, the filter was exhausted, or an error).
    void loadingChanged(bool loading);
    // A page (possibly partial, from a stopped scan) was appended.
    void pageLoaded(int rowsAdded);
    void loadFailed(const QString &message);

private:
    void startAsyncFetch();
    void appendPage(const AuditSearchPage &page);
    [[nodiscard]] AuditQuery nextPageQuery() const;

    const AuditLog &m_audit;
    QThreadPool *m_pool = nullptr;
    AuditQuery m_query;
    QList<AuditEvent> m_rows;
    qint64 m_cursorTime = 0;
    qint64 m_cursorId = 0;
    bool m_exhausted = true;
    bool m_inserting = false;
    bool m_loading = false;
    // Bumped by setQuery: a worker of an older generation stops and its page is dropped.
    std::shared_ptr<AuditEventModelRelay> m_relay;
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);
};

} // namespace authrealm
