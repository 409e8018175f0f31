#include "AuditView.h"

#include "AuditChart.h"
#include "AuditEventDetails.h"
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "LazyTable.h"
#include "core/DomainError.h"
#include "items/AuditEventModel.h"
#include "storage/RealmStore.h"

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QVBoxLayout>

#include <limits>

namespace authrealm {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
// The chart's GROUP BY runs in this many pieces, newest first: the chart
// fills in as they come and a changed filter stops the old one between pieces.
constexpr int kChartPieces = 12;

// The kinds the services write, for the kind filter's list (any text works).
const char *const kKnownKinds[] = {
    "login.success", "login.failure", "refresh.success", "refresh.failure", "refresh.reuse_detected", "logout.all",
    "pat.created", "pat.rotated", "pat.revoked", "pat.denied", "admin.denied", "admin.user.created", "admin.user.status_changed",
    "admin.user.password_reset", "admin.session.revoked", "admin.session.revoked_all", "admin.membership.set",
    "admin.membership.removed", "admin.role.saved", "admin.realm.settings_changed", "admin.key.rotated", "audit.pruned",
};

} // namespace

AuditView::AuditView(AuthRealmCore &core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new AuditEventModel(core.audit(), this))
{
    // Two workers: the list's page and the chart run side by side; an export
    // or a chain check queues behind them. Idle threads end (and close their
    // connections) after a while.
    m_pool.setMaxThreadCount(3);
    m_pool.setExpiryTimeout(30000);
    m_model->setThreadPool(&m_pool);
    buildControls();

    connect(m_model, &AuditEventModel::loadingChanged, this, &AuditView::updateStatus);
    connect(m_model, &AuditEventModel::pageLoaded, this, [this] {
        if (!m_columnsSized && m_model->rowCount() > 0) {
            m_columnsSized = true;
            m_table->resizeColumnsToContents();
            m_table->horizontalHeader()->setStretchLastSection(true);
        }
        updateStatus();
    });
    connect(m_model, &AuditEventModel::loadFailed, this,
            [this](const QString &message) { showActionError(this, tr("Cannot read the audit log"), message); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AuditView::showSelected);
    connect(m_table, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex &index) {
        const AuditEvent &e = m_model->eventAt(index.row());
        if (e.targetType == QLatin1String("user") && !e.targetId.isEmpty())
            emit userActivated(e.realmId, e.targetId);
    });
    connect(m_chart, &AuditChart::rangeSelected, this, &AuditView::setTimeRange);
}

AuditView::~AuditView()
{
    m_chartGeneration->fetch_add(1);
    m_exportCancel->store(true);
    // Stops a running scan at its next slice, and keeps the table (hidden
    // while the widget dies) from asking for a page on the dying pool.
    m_model->stop();
    m_pool.waitForDone();
}

void AuditView::buildControls()
{
    m_product = new QComboBox(this);
    m_product->setAccessibleName(tr("Product"));
    m_product->setObjectName(QStringLiteral("product"));

    m_preset = new QComboBox(this);
    m_preset->setAccessibleName(tr("Time range"));
    m_preset->setObjectName(QStringLiteral("timePreset"));
    m_preset->addItem(tr("Last hour"), int(TimePreset::LastHour));
    m_preset->addItem(tr("Last 24 hours"), int(TimePreset::Last24Hours));
    m_preset->addItem(tr("Last 7 days"), int(TimePreset::Last7Days));
    m_preset->addItem(tr("Last 30 days"), int(TimePreset::Last30Days));
    m_preset->addItem(tr("All time"), int(TimePreset::AllTime));
    m_preset->addItem(tr("Custom range"), int(TimePreset::Custom));
    m_preset->setCurrentIndex(m_preset->findData(int(TimePreset::AllTime)));

    const auto dateEdit = [this](const QString &name, const QString &accessible) {
        auto *edit = new QDateTimeEdit(this);
        edit->setObjectName(name);
        edit->setAccessibleName(accessible);
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setTimeSpec(Qt::LocalTime);
        return edit;
    };
    m_from = dateEdit(QStringLiteral("from"), tr("From (local time)"));
    m_to = dateEdit(QStringLiteral("to"), tr("To (local time)"));

    m_kind = new QComboBox(this);
    m_kind->setEditable(true);
    m_kind->setObjectName(QStringLiteral("kind"));
    m_kind->setAccessibleName(tr("Event kinds"));
    m_kind->addItem(QString());
    for (const char *kind : kKnownKinds)
        m_kind->addItem(QLatin1String(kind));
    m_kind->lineEdit()->setPlaceholderText(tr("Any kind (comma-separated)"));
    m_kind->lineEdit()->setClearButtonEnabled(true);
    m_kind->setMinimumContentsLength(18);

    const auto lineEdit = [this](const QString &name, const QString &placeholder, const QString &accessible) {
        auto *edit = new QLineEdit(this);
        edit->setObjectName(name);
        edit->setPlaceholderText(placeholder);
        edit->setAccessibleName(accessible);
        edit->setClearButtonEnabled(true);
        return edit;
    };
    m_actor = lineEdit(QStringLiteral("actor"), tr("Actor, e.g. user:<id>"), tr("Actor"));
    m_target = lineEdit(QStringLiteral("target"), tr("Target id"), tr("Target"));
    m_text = lineEdit(QStringLiteral("text"), tr("Search summary, kind, actor, target…"), tr("Free text"));

    m_outcome = new QComboBox(this);
    m_outcome->setObjectName(QStringLiteral("outcome"));
    m_outcome->setAccessibleName(tr("Outcome"));
    m_outcome->addItem(tr("Any outcome"), QString());
    m_outcome->addItem(tr("Success"), QStringLiteral("success"));
    m_outcome->addItem(tr("Failure"), QStringLiteral("failure"));
    m_outcome->addItem(tr("Denied"), QStringLiteral("denied"));

    m_export = new QPushButton(tr("&Export…"), this);
    m_export->setAccessibleName(tr("Export the filtered events"));
    auto *exportMenu = new QMenu(m_export);
    exportMenu->addAction(tr("CSV (spreadsheets)…"), this, [this] { chooseExport(AuditExportFormat::Csv); });
    exportMenu->addAction(tr("JSON array…"), this, [this] { chooseExport(AuditExportFormat::JsonArray); });
    exportMenu->addAction(tr("JSON Lines…"), this, [this] { chooseExport(AuditExportFormat::JsonLines); });
    m_export->setMenu(exportMenu);
    m_verify = new QPushButton(tr("&Verify chain"), this);
    m_verify->setAccessibleName(tr("Verify the audit hash chain"));

    m_chart = new AuditChart(this);
    m_table = new LazyTable(m_model, AuditEventModel::Summary, tr("Audit events"), this);
    m_details = new AuditEventDetails(this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_chain = new QLabel(this);
    m_chain->setObjectName(QStringLiteral("chain"));
    m_chain->setWordWrap(true);
    m_chain->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *row1 = new QHBoxLayout;
    row1->addWidget(new QLabel(tr("Product:"), this));
    row1->addWidget(m_product, 1);
    row1->addSpacing(8);
    row1->addWidget(new QLabel(tr("Time:"), this));
    row1->addWidget(m_preset);
    row1->addWidget(m_from);
    row1->addWidget(new QLabel(QStringLiteral("–"), this));
    row1->addWidget(m_to);
    row1->addStretch(0);
    row1->addWidget(m_export);
    row1->addWidget(m_verify);
    auto *row2 = new QHBoxLayout;
    row2->addWidget(m_kind, 2);
    row2->addWidget(m_actor, 2);
    row2->addWidget(m_target, 2);
    row2->addWidget(m_outcome, 1);
    row2->addWidget(m_text, 3);

    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(m_table);
    lower->addWidget(m_details);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 1);
    lower->setSizes({900, 360});
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chart);
    split->addWidget(lower);
    // The list matters most: in a small window the chart gives way first.
    lower->setMinimumHeight(160);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setSizes({190, 610});
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row1);
    layout->addLayout(row2);
    layout->addWidget(split, 1);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_chain, 2);
    layout->addLayout(bottom);

    setTabOrder(m_product, m_preset);
    setTabOrder(m_preset, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, m_export);
    setTabOrder(m_export, m_verify);
    setTabOrder(m_verify, m_kind);
    setTabOrder(m_kind, m_actor);
    setTabOrder(m_actor, m_target);
    setTabOrder(m_target, m_outcome);
    setTabOrder(m_outcome, m_text);
    setTabOrder(m_text, m_table);
    setTabOrder(m_table, m_details);

    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_text, [this] { m_text->setFocus(Qt::ShortcutFocusReason); });
    addAction(find);

    m_textDebounce.setSingleShot(true);
    m_textDebounce.setInterval(350);
    connect(&m_textDebounce, &QTimer::timeout, this, &AuditView::applyFilter);
    connect(m_text, &QLineEdit::textEdited, &m_textDebounce, qOverload<>(&QTimer::start));
    connect(m_text, &QLineEdit::returnPressed, this, &AuditView::applyFilter);
    connect(m_product, &QComboBox::currentIndexChanged, this, &AuditView::applyFilter);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &AuditView::presetChanged);
    connect(m_from, &QDateTimeEdit::editingFinished, this, [this] { setTimeRange(m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch()); });
    connect(m_to, &QDateTimeEdit::editingFinished, this, [this] { setTimeRange(m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch()); });
    connect(m_kind->lineEdit(), &QLineEdit::editingFinished, this, &AuditView::applyFilter);
    connect(m_kind, &QComboBox::activated, this, &AuditView::applyFilter);
    connect(m_actor, &QLineEdit::editingFinished, this, &AuditView::applyFilter);
    connect(m_target, &QLineEdit::editingFinished, this, &AuditView::applyFilter);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &AuditView::applyFilter);
    connect(m_verify, &QPushButton::clicked, this, &AuditView::verifyChain);
    presetChanged();
}

qint64 AuditView::now() const
{
    return m_core.clock().nowMs();
}

void AuditView::setScope(const QString &realmId, const QString &appId)
{
    m_realmId = realmId;
    m_appScope = appId;
    m_chain->clear();
    refillProducts();
    if (isVisible() || m_loaded)
        applyFilter();
}

void AuditView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loaded) {
        refillProducts();
        applyFilter();
    }
}

void AuditView::reload()
{
    refillProducts();
    applyFilter();
}

void AuditView::refillProducts()
{
    const QSignalBlocker block(m_product);
    const QString current = m_appScope.isEmpty() ? m_product->currentData().toString() : m_appScope;
    m_product->clear();
    m_product->addItem(tr("All products"), QString());
    if (!m_realmId.isEmpty()) {
        runConsoleAction(this, tr("Cannot read the products"), [&] {
            for (const App &app : m_core.realms().apps(m_realmId))
                m_product->addItem(app.displayName.isEmpty() ? app.id : QStringLiteral("%1 (%2)").arg(app.displayName, app.id), app.id);
        });
    }
    const int index = m_product->findData(current);
    m_product->setCurrentIndex(index >= 0 ? index : 0);
}

void AuditView::presetChanged()
{
    const auto preset = TimePreset(m_preset->currentData().toInt());
    const bool custom = preset == TimePreset::Custom;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    if (!custom) {
        const auto [since, until] = timeBounds();
        if (since > 0) {
            m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(since));
            m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(until));
        }
    }
    if (m_loaded)
        applyFilter();
}

void AuditView::setTimePreset(TimePreset preset)
{
    m_preset->setCurrentIndex(m_preset->findData(int(preset)));
}

void AuditView::setTimeRange(qint64 from, qint64 to)
{
    if (to <= from)
        std::swap(from, to);
    {
        const QSignalBlocker block(m_preset);
        m_preset->setCurrentIndex(m_preset->findData(int(TimePreset::Custom)));
    }
    m_from->setEnabled(true);
    m_to->setEnabled(true);
    // The edits show minutes: keep the exact bounds in their properties so a
    // chart selection is applied to the millisecond.
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(from));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(to));
    m_from->setProperty("exactMs", from);
    m_to->setProperty("exactMs", to);
    applyFilter();
}

std::pair<qint64, qint64> AuditView::timeBounds() const
{
    const qint64 t = now();
    switch (TimePreset(m_preset->currentData().toInt())) {
    case TimePreset::LastHour: return {t - kHourMs, t + 1};
    case TimePreset::Last24Hours: return {t - kDayMs, t + 1};
    case TimePreset::Last7Days: return {t - 7 * kDayMs, t + 1};
    case TimePreset::Last30Days: return {t - 30 * kDayMs, t + 1};
    case TimePreset::AllTime: return {0, 0};
    case TimePreset::Custom: break;
    }
    const auto exact = [](const QDateTimeEdit *edit) {
        const QVariant ms = edit->property("exactMs");
        // Use the exact bound only while the edit still shows it.
        if (ms.isValid() && edit->dateTime() == QDateTime::fromMSecsSinceEpoch(ms.toLongLong()))
            return ms.toLongLong();
        return edit->dateTime().toMSecsSinceEpoch();
    };
    const qint64 from = exact(m_from);
    const qint64 to = exact(m_to);
    return {std::max<qint64>(std::min(from, to), 1), std::max(from, to)};
}

AuditQuery AuditView::currentQuery() const
{
    AuditQuery query;
    if (!m_realmId.isEmpty())
        query.realmIds = {m_realmId};
    query.appId = m_product->currentData().toString();
    for (const QString &kind : m_kind->currentText().split(u',', Qt::SkipEmptyParts)) {
        if (!kind.trimmed().isEmpty())
            query.kinds.append(kind.trimmed());
    }
    query.actor = m_actor->text().trimmed();
    query.targetId = m_target->text().trimmed();
    query.outcome = m_outcome->currentData().toString();
    query.text = m_text->text().trimmed();
    const auto [since, until] = timeBounds();
    query.since = since;
    query.until = until;
    return query;
}

void AuditView::applyFilter()
{
    m_loaded = true;
    m_textDebounce.stop();
    const AuditQuery query = currentQuery();
    m_columnsSized = m_columnsSized && m_model->rowCount() > 0;
    // A column that would repeat the navigation's scope in every row goes.
    m_table->setColumnHidden(AuditEventModel::Realm, !m_realmId.isEmpty());
    m_table->setColumnHidden(AuditEventModel::App, !query.appId.isEmpty());
    m_model->setQuery(query);
    m_details->showNothing();
    m_model->fetchMore({});
    refreshChart();
    updateStatus();
}

void AuditView::updateStatus()
{
    const int rows = m_model->rowCount();
    QString text;
    if (m_model->isLoading()) {
        const qint64 back = m_model->scannedBackTo();
        if (!m_model->query().text.isEmpty() && back > 0)
            text = tr("Searching… %n found so far, back to %1", nullptr, rows)
                       .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(back), QLocale::ShortFormat));
        else
            text = rows == 0 ? tr("Searching…") : tr("Loading more… %n events shown", nullptr, rows);
    } else if (m_model->isExhausted()) {
        text = rows == 0 ? tr("No event matches the filter.") : tr("%n matching events.", nullptr, rows);
    } else {
        text = tr("%n events shown; scroll for older ones.", nullptr, rows);
    }
    m_status->setText(text);
}

void AuditView::refreshChart()
{
    const quint64 generation = m_chartGeneration->fetch_add(1) + 1;
    const auto generations = m_chartGeneration;
    const AuditLog &audit = m_core.audit();
    const AuditQuery query = currentQuery();
    const qint64 nowMs = now();
    m_chartBusy = true;
    m_chart->setBusy(true);
    // Posts to the view while it exists: the destructor waits for the pool,
    // and a stale generation is dropped on arrival.
    const auto post = [this, generation, generations](auto &&apply) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, generations, apply = std::forward<decltype(apply)>(apply)] {
                if (generations->load() == generation)
                    apply(this);
            },
            Qt::QueuedConnection);
    };
    m_pool.start([=, &audit] {
        const auto stale = [&] { return generations->load() != generation; };
        try {
            qint64 from = query.since;
            qint64 to = query.until;
            if (from <= 0 || to <= 0) {
                // All time: the span the indexed filters allow (MIN/MAX over an index).
                AuditQuery indexed = query;
                indexed.text.clear();
                const auto [oldest, newest] = audit.timeSpan(indexed);
                from = from > 0 ? from : (oldest > 0 ? oldest : nowMs - kDayMs);
                to = to > 0 ? to : std::max(newest + 1, from + kHourMs);
            }
            const qint64 bucket = AuditChart::bucketFor(to - from);
            const qint64 origin = from - from % bucket;
            post([origin, to, bucket, from](AuditView *view) {
                view->m_chart->setRange(origin, to, bucket);
                view->showSpanInDateEdits(from, to);
            });
            const qint64 buckets = (to - origin + bucket - 1) / bucket;
            const qint64 perPiece = std::max<qint64>(1, (buckets + kChartPieces - 1) / kChartPieces);
            // Newest piece first: that is where the list starts too.
            for (qint64 end = to; end > origin && !stale();) {
                const qint64 pieceStart = std::max(origin, origin + ((end - origin - 1) / bucket / perPiece) * perPiece * bucket);
                AuditQuery piece = query;
                piece.since = std::max(pieceStart, query.since);
                piece.until = end;
                const QList<AuditBucket> counted = audit.histogram(piece, origin, bucket);
                post([counted](AuditView *view) { view->m_chart->addBuckets(counted); });
                end = pieceStart;
            }
            post([](AuditView *view) {
                view->m_chartBusy = false;
                view->m_chart->setBusy(false);
                emit view->chartReady();
            });
        } catch (const DomainError &e) {
            const QString message = e.message();
            post([message](AuditView *view) {
                view->m_chart->setBusy(false);
                showActionError(view, tr("Cannot count the audit events"), message);
            });
        }
    });
}

void AuditView::showSpanInDateEdits(qint64 from, qint64 to)
{
    // "All time" has no bounds of its own: show the span of the events.
    if (TimePreset(m_preset->currentData().toInt()) != TimePreset::AllTime)
        return;
    const QSignalBlocker blockFrom(m_from);
    const QSignalBlocker blockTo(m_to);
    m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(from));
    m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(to));
}

void AuditView::showSelected()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        m_details->showNothing();
        return;
    }
    m_details->display(m_model->eventAt(current.row()));
}

void AuditView::chooseExport(AuditExportFormat format)
{
    const QString filter = format == AuditExportFormat::Csv ? tr("CSV files (*.csv)")
                         : format == AuditExportFormat::JsonArray ? tr("JSON files (*.json)") : tr("JSON Lines files (*.jsonl)");
    const QString suffix = format == AuditExportFormat::Csv ? QStringLiteral(".csv")
                         : format == AuditExportFormat::JsonArray ? QStringLiteral(".json") : QStringLiteral(".jsonl");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export audit events"), QStringLiteral("audit-events") + suffix, filter);
    if (!path.isEmpty())
        exportTo(path, format);
}

void AuditView::exportTo(const QString &path, AuditExportFormat format)
{
    const AuditQuery query = currentQuery();
    const auto [since, until] = timeBounds();
    const qint64 top = until > 0 ? until : now();
    auto *progress = new QProgressDialog(tr("Exporting audit events…"), tr("Cancel"), 0, 1000, this);
    progress->setWindowTitle(tr("Export audit events"));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(300);
    progress->setValue(0);
    m_export->setEnabled(false);
    m_exportCancel = std::make_shared<std::atomic<bool>>(false);
    const auto cancel = m_exportCancel;
    connect(progress, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
    const QPointer<QProgressDialog> dialog(progress);
    const AuditLog &audit = m_core.audit();
    m_pool.start([this, &audit, query, format, path, cancel, dialog, since, top] {
        qint64 events = 0;
        bool cancelled = false;
        QString error;
        // QSaveFile: a cancelled or failed export never leaves a half file behind.
        QSaveFile file(path);
        try {
            if (!file.open(QIODevice::WriteOnly))
                throw DomainError(ErrorCode::StorageUnavailable, tr("Cannot open %1: %2").arg(path, file.errorString()));
            const AuditExportResult result = exportAuditEvents(audit, query, format, file, [&](qint64 written, qint64 lastTime) {
                // Progress by time: the export walks newest to oldest.
                const qint64 oldest = since > 0 ? since : 0;
                const int permille = lastTime <= 0 || top <= oldest ? 1000 : int(std::clamp<qint64>((top - lastTime) * 1000 / (top - oldest), 0, 999));
                QMetaObject::invokeMethod(this, [dialog, permille, written] {
                    if (dialog) {
                        dialog->setValue(permille);
                        dialog->setLabelText(tr("Exporting audit events… %n written", nullptr, int(std::min<qint64>(written, std::numeric_limits<int>::max()))));
                    }
                }, Qt::QueuedConnection);
                return !cancel->load();
            });
            events = result.events;
            cancelled = result.cancelled;
            if (cancelled)
                file.cancelWriting();
            else if (!file.commit())
                throw DomainError(ErrorCode::StorageUnavailable, tr("Cannot write %1: %2").arg(path, file.errorString()));
        } catch (const DomainError &e) {
            file.cancelWriting();
            error = e.message();
        }
        QMetaObject::invokeMethod(this, [this, dialog, events, cancelled, error] {
            if (dialog)
                dialog->close();
            m_export->setEnabled(true);
            if (!error.isEmpty())
                showActionError(this, tr("Export failed"), error);
            else
                m_status->setText(cancelled ? tr("Export cancelled; no file was written.") : tr("Exported %n events.", nullptr, int(std::min<qint64>(events, std::numeric_limits<int>::max()))));
            emit exportFinished(events, cancelled, error);
        }, Qt::QueuedConnection);
    });
}

void AuditView::verifyChain()
{
    QStringList realms;
    if (!m_realmId.isEmpty()) {
        realms = {m_realmId};
    } else {
        runConsoleAction(this, tr("Cannot read the realms"), [&] {
            for (const Realm &realm : m_core.realms().realms())
                realms.append(realm.id);
        });
    }
    m_verify->setEnabled(false);
    m_chain->setText(tr("Verifying the chain…"));
    const AuditLog &audit = m_core.audit();
    m_pool.start([this, &audit, realms] {
        QString message;
        bool intact = true;
        std::optional<AuditEvent> broken;
        try {
            qint64 checked = 0;
            for (const QString &realm : realms) {
                const ChainCheck check = audit.verify(realm);
                if (!check.intact) {
                    intact = false;
                    message = tr("Chain of realm \"%1\" is BROKEN at seq %2: %3").arg(realm).arg(check.brokenSeq).arg(check.reason);
                    if (check.brokenEventId > 0)
                        broken = audit.event(check.brokenEventId);
                    break;
                }
                checked += check.eventsChecked;
            }
            if (intact)
                message = realms.size() == 1 ? tr("Chain of realm \"%1\" is intact, %n events.", nullptr, int(checked)).arg(realms.constFirst())
                                             : tr("Chains of %1 realms are intact, %n events.", nullptr, int(checked)).arg(realms.size());
        } catch (const DomainError &e) {
            intact = false;
            message = tr("Cannot verify the chain: %1").arg(e.message());
        }
        QMetaObject::invokeMethod(this, [this, intact, message, broken] {
            m_verify->setEnabled(true);
            m_chain->setText(message);
            if (broken) {
                // Select the event in the list when it is loaded, else show it on its own.
                const int row = m_model->rowOfEvent(broken->id);
                if (row >= 0) {
                    m_table->selectRow(row);
                    m_table->scrollTo(m_model->index(row, 0));
                }
                m_details->display(*broken);
            }
            emit chainVerified(intact, message);
        }, Qt::QueuedConnection);
    });
}

} // namespace authrealm
