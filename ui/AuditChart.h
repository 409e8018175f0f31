#pragma once

#include "storage/AuditLog.h"

#include <QChartView>
#include <QPoint>

class QRubberBand;

namespace authrealm {

// Events over time for the audit browser's filter, as stacked areas: other
// events, failed sign-ins and denied requests, each in its own colour taken
// from the palette so light and dark themes both read. Dragging across the
// plot selects a time range (rangeSelected), which the view turns into its
// time filter; the chart itself never zooms.
class AuditChart : public QChartView
{
    Q_OBJECT
public:
    explicit AuditChart(QWidget *parent = nullptr);

    // Shows these buckets over [from, to). Buckets may arrive in pieces:
    // setBuckets replaces, addBuckets merges (a bucket already shown is added to).
    void setRange(qint64 from, qint64 to, qint64 bucketMs);
    void setBuckets(const QList<AuditBucket> &buckets);
    void addBuckets(const QList<AuditBucket> &buckets);
    void setBusy(bool busy);

    // Sums over the shown buckets (what the tests compare with the list).
    [[nodiscard]] qint64 totalEvents() const;
    [[nodiscard]] qint64 totalFailedSignIns() const;
    [[nodiscard]] qint64 totalDenied() const;
    [[nodiscard]] qint64 bucketMs() const { return m_bucketMs; }
    // The time under a viewport x coordinate (ms since the epoch, clamped to the range).
    [[nodiscard]] qint64 timeAt(int viewportX) const;
    // The viewport x coordinate of a time (inverse of timeAt).
    [[nodiscard]] int xOf(qint64 ms) const;

    // A readable bucket width for a range: minutes for an hour, hours for
    // days, days for months, at most about maxBuckets buckets.
    [[nodiscard]] static qint64 bucketFor(qint64 rangeMs, int maxBuckets = 180);

signals:
    void rangeSelected(qint64 from, qint64 to);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void applyPalette();

    QMap<qint64, AuditBucket> m_buckets;
    qint64 m_from = 0;
    qint64 m_to = 0;
    qint64 m_bucketMs = 3600 * 1000;
    bool m_busy = false;
    QRubberBand *m_band = nullptr;
    QPoint m_pressAt;
    bool m_dragging = false;
};

} // namespace authrealm
