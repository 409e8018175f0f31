#pragma once

#include "storage/AuditExport.h"
#include "storage/AuditLog.h"

#include <QThreadPool>
#include <QTimer>
#include <QWidget>

#include <atomic>
#include <memory>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;

namespace authrealm {

class AuditChart;
class AuditEventDetails;
class AuditEventModel;
class AuthRealmCore;
class LazyTable;

// The audit browser: the events of the navigation's realm (and product),
// filtered by time range, kind, actor, target, outcome and free text, newest
// first, a page at a time; a chart of events over time for the same filter
// (drag across it to narrow the time range); every field of the selected
// event; export of everything the filter matches to CSV or JSON; and the
// hash-chain check. Every query runs on the view's thread pool, so neither a
// free-text scan over millions of rows nor the chart blocks the window.
class AuditView : public QWidget
{
    Q_OBJECT
public:
    enum class TimePreset { LastHour, Last24Hours, Last7Days, Last30Days, AllTime, Custom };
    Q_ENUM(TimePreset)

    explicit AuditView(AuthRealmCore &core, QWidget *parent = nullptr);
    ~AuditView() override;

    // realmId empty: every realm; appId empty: every product of the realm.
    void setScope(const QString &realmId, const QString &appId);
    void reload();

    // The filter the controls describe, as the list, chart and export use it.
    [[nodiscard]] AuditQuery currentQuery() const;
    void setTimePreset(TimePreset preset);
    // A custom range [from, to) in ms since the epoch (what a chart drag sets).
    void setTimeRange(qint64 from, qint64 to);
    // Writes every event the filter matches; see exportFinished.
    void exportTo(const QString &path, AuditExportFormat format);
    void verifyChain();

    [[nodiscard]] AuditEventModel *model() const { return m_model; }
    [[nodiscard]] AuditChart *chart() const { return m_chart; }
    [[nodiscard]] AuditEventDetails *details() const { return m_details; }
    [[nodiscard]] LazyTable *table() const { return m_table; }

signals:
    void userActivated(const QString &realmId, const QString &userId);
    // The chart holds every bucket of the current filter.
    void chartReady();
    void exportFinished(qint64 events, bool cancelled, const QString &error);
    void chainVerified(bool intact, const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildControls();
    void refillProducts();
    void presetChanged();
    void applyFilter();
    void updateStatus();
    void refreshChart();
    void showSelected();
    void showSpanInDateEdits(qint64 from, qint64 to);
    void chooseExport(AuditExportFormat format);
    [[nodiscard]] qint64 now() const;
    // [since, until) of the preset or the date edits; {0, 0} for all time.
    [[nodiscard]] std::pair<qint64, qint64> timeBounds() const;

    AuthRealmCore &m_core;
    QThreadPool m_pool;
    AuditEventModel *m_model;
    QString m_realmId;
    QString m_appScope;
    bool m_loaded = false;
    bool m_columnsSized = false;

    QComboBox *m_product = nullptr;
    QComboBox *m_preset = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QComboBox *m_kind = nullptr;
    QLineEdit *m_actor = nullptr;
    QLineEdit *m_target = nullptr;
    QComboBox *m_outcome = nullptr;
    QLineEdit *m_text = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_verify = nullptr;
    AuditChart *m_chart = nullptr;
    LazyTable *m_table = nullptr;
    AuditEventDetails *m_details = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_chain = nullptr;
    QTimer m_textDebounce;

    // Bumped for every new chart; a worker of an older one stops.
    std::shared_ptr<std::atomic<quint64>> m_chartGeneration = std::make_shared<std::atomic<quint64>>(0);
    std::shared_ptr<std::atomic<bool>> m_exportCancel = std::make_shared<std::atomic<bool>>(false);
    bool m_chartBusy = false;
};

} // namespace authrealm
