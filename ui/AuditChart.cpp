#include "AuditChart.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLineSeries>
#include <QMouseEvent>
#include <QRubberBand>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace authrealm {

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

enum Layer { Other, Failed, Denied, LayerCount };

QAreaSeries *areaAt(QChart *chart, int layer)
{
    return qobject_cast<QAreaSeries *>(chart->series().value(layer));
}

} // namespace

AuditChart::AuditChart(QWidget *parent) : QChartView(parent), m_band(new QRubberBand(QRubberBand::Rectangle, viewport()))
{
    auto *chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setBackgroundRoundness(0);
    const QString names[LayerCount] = {tr("Other events"), tr("Failed sign-ins"), tr("Denied requests")};
    auto *x = new QDateTimeAxis;
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (int layer = 0; layer < LayerCount; ++layer) {
        auto *area = new QAreaSeries(new QLineSeries(chart), new QLineSeries(chart));
        area->setName(names[layer]);
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(120);
    setAccessibleName(tr("Events over time"));
    setToolTip(tr("Drag across the chart to show only that time range"));
    applyPalette();
    rebuild();
}

qint64 AuditChart::bucketFor(qint64 rangeMs, int maxBuckets)
{
    static constexpr qint64 steps[] = {kMinute,   5 * kMinute, 15 * kMinute, 30 * kMinute, kHour,    3 * kHour,
                                       6 * kHour, 12 * kHour,  kDay,         7 * kDay,     30 * kDay, 365 * kDay};
    for (const qint64 step : steps) {
        if (rangeMs / step <= maxBuckets)
            return step;
    }
    return std::max<qint64>(365 * kDay, rangeMs / maxBuckets + 1);
}

void AuditChart::setRange(qint64 from, qint64 to, qint64 bucketMs)
{
    m_from = from;
    m_to = std::max(to, from + 1);
    m_bucketMs = std::max<qint64>(bucketMs, 1);
    m_buckets.clear();
    rebuild();
}

void AuditChart::setBuckets(const QList<AuditBucket> &buckets)
{
    m_buckets.clear();
    addBuckets(buckets);
}

void AuditChart::addBuckets(const QList<AuditBucket> &buckets)
{
    for (const AuditBucket &b : buckets) {
        AuditBucket &into = m_buckets[b.start];
        into.start = b.start;
        into += b;
    }
    rebuild();
}

void AuditChart::setBusy(bool busy)
{
    m_busy = busy;
    rebuild();
}

qint64 AuditChart::totalEvents() const
{
    qint64 sum = 0;
    for (const AuditBucket &b : m_buckets)
        sum += b.total;
    return sum;
}

qint64 AuditChart::totalFailedSignIns() const
{
    qint64 sum = 0;
    for (const AuditBucket &b : m_buckets)
        sum += b.failedSignIns;
    return sum;
}

qint64 AuditChart::totalDenied() const
{
    qint64 sum = 0;
    for (const AuditBucket &b : m_buckets)
        sum += b.denied;
    return sum;
}

void AuditChart::rebuild()
{
    QChart *c = chart();
    QList<QPointF> lines[LayerCount + 1]; // boundaries: 0, other, other+failed, total
    qint64 peak = 0;
    // Every bucket of the range, empty ones as zero, drawn as steps.
    const qint64 count = (m_to - m_from + m_bucketMs - 1) / m_bucketMs;
    if (count <= 5000) {
        for (qint64 i = 0; i < count; ++i) {
            const qint64 start = m_from + i * m_bucketMs;
            const qint64 end = std::min(start + m_bucketMs, m_to);
            const AuditBucket b = m_buckets.value(start);
            const qint64 bounds[LayerCount + 1] = {0, b.total - b.failedSignIns - b.denied, b.total - b.denied, b.total};
            for (int layer = 0; layer <= LayerCount; ++layer) {
                lines[layer].append(QPointF(double(start), double(bounds[layer])));
                lines[layer].append(QPointF(double(end), double(bounds[layer])));
            }
            peak = std::max(peak, b.total);
        }
    }
    for (int layer = 0; layer < LayerCount; ++layer) {
        QAreaSeries *area = areaAt(c, layer);
        area->lowerSeries()->replace(lines[layer]);
        area->upperSeries()->replace(lines[layer + 1]);
    }
    auto *x = qobject_cast<QDateTimeAxis *>(c->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(c->axes(Qt::Vertical).value(0));
    x->setRange(QDateTime::fromMSecsSinceEpoch(m_from), QDateTime::fromMSecsSinceEpoch(m_to));
    x->setFormat(m_to - m_from <= 2 * kDay ? QStringLiteral("MMM d HH:mm") : QStringLiteral("MMM d"));
    x->setTickCount(std::clamp(width() / 110, 2, 10));
    // As many labels as fit: a short chart in a small window still reads.
    y->setTickCount(std::clamp(height() / 45, 2, 6));
    y->setRange(0, std::max<qint64>(peak, 1) * 1.1);
    y->applyNiceNumbers();

    QString unit;
    if (m_bucketMs % kDay == 0)
        unit = m_bucketMs == kDay ? tr("per day") : tr("per %n days", nullptr, int(m_bucketMs / kDay));
    else if (m_bucketMs % kHour == 0)
        unit = m_bucketMs == kHour ? tr("per hour") : tr("per %n hours", nullptr, int(m_bucketMs / kHour));
    else
        unit = m_bucketMs == kMinute ? tr("per minute") : tr("per %n minutes", nullptr, int(m_bucketMs / kMinute));
    c->setTitle(m_busy ? tr("Events %1 — counting…").arg(unit) : tr("Events %1").arg(unit));
}

void AuditChart::applyPalette()
{
    QChart *c = chart();
    const QPalette pal = palette();
    c->setBackgroundBrush(pal.brush(QPalette::Base));
    c->setTitleBrush(pal.brush(QPalette::Text));
    c->legend()->setLabelColor(pal.color(QPalette::Text));
    for (QAbstractAxis *axis : c->axes()) {
        axis->setLabelsColor(pal.color(QPalette::Text));
        axis->setLinePenColor(pal.color(QPalette::Mid));
        axis->setGridLineColor(pal.color(QPalette::Midlight));
    }
    // Hues fixed by meaning (red: failed sign-ins, amber: denied), lightness
    // and saturation from the palette's highlight so they sit in the theme.
    const QColor highlight = pal.color(QPalette::Highlight);
    const int lightness = std::clamp(highlight.lightness(), 90, 170);
    const QColor colours[LayerCount] = {highlight, QColor::fromHsl(0, 170, lightness), QColor::fromHsl(38, 200, lightness)};
    for (int layer = 0; layer < LayerCount; ++layer) {
        QAreaSeries *area = areaAt(c, layer);
        area->setColor(colours[layer]);
        // No outline: an empty layer would still draw its border across the top.
        area->setPen(Qt::NoPen);
    }
}

void AuditChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    rebuild();
}

void AuditChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

qint64 AuditChart::timeAt(int viewportX) const
{
    const QRectF plot = chart()->plotArea();
    const double chartX = chart()->mapFromScene(mapToScene(QPoint(viewportX, 0))).x();
    const double share = plot.width() > 0 ? std::clamp((chartX - plot.left()) / plot.width(), 0.0, 1.0) : 0.0;
    return m_from + qint64(std::llround(share * double(m_to - m_from)));
}

int AuditChart::xOf(qint64 ms) const
{
    const QRectF plot = chart()->plotArea();
    const double share = double(ms - m_from) / double(m_to - m_from);
    const QPointF scene = chart()->mapToScene(QPointF(plot.left() + share * plot.width(), plot.center().y()));
    return mapFromScene(scene).x();
}

void AuditChart::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !chart()->plotArea().contains(chart()->mapFromScene(mapToScene(event->position().toPoint())))) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_dragging = true;
    m_pressAt = event->position().toPoint();
    m_band->setGeometry(QRect(m_pressAt, QSize(1, viewport()->height())));
    m_band->show();
    event->accept();
}

void AuditChart::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging) {
        QChartView::mouseMoveEvent(event);
        return;
    }
    const QRectF plot = chart()->plotArea();
    const QPointF top = mapFromScene(chart()->mapToScene(plot.topLeft()));
    const int x = event->position().toPoint().x();
    m_band->setGeometry(QRect(QPoint(std::min(x, m_pressAt.x()), int(top.y())), QSize(std::abs(x - m_pressAt.x()) + 1, int(plot.height()))));
    event->accept();
}

void AuditChart::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragging || event->button() != Qt::LeftButton) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    m_dragging = false;
    m_band->hide();
    const int x = event->position().toPoint().x();
    event->accept();
    if (std::abs(x - m_pressAt.x()) < 4)
        return; // a click, not a drag
    // Whole buckets: the selection covers every bucket the band touched.
    qint64 from = timeAt(std::min(x, m_pressAt.x()));
    qint64 to = timeAt(std::max(x, m_pressAt.x()));
    from = m_from + (from - m_from) / m_bucketMs * m_bucketMs;
    to = std::min(m_to, m_from + (to - m_from + m_bucketMs - 1) / m_bucketMs * m_bucketMs);
    if (to > from)
        emit rangeSelected(from, to);
}

} // namespace authrealm
