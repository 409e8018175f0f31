#include "OutboxView.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"
#include "admin/MailAdmin.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace authrealm {

namespace {
enum Column { Id, Created, Recipient, Kind, Subject, State, Attempts, LastError, ColumnCount };

QString stateLabel(const QString &state)
{
    if (state == OutboxStore::kPending)
        return OutboxView::tr("pending");
    if (state == OutboxStore::kSent)
        return OutboxView::tr("sent");
    if (state == OutboxStore::kFailed)
        return OutboxView::tr("failed");
    if (state == OutboxStore::kStored)
        return OutboxView::tr("stored (no SMTP)");
    return state;
}
} // namespace

OutboxView::OutboxView(AuthRealmCore &core, QWidget *parent) : ScopedView(core, parent)
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    m_title->setFont(heading);
    auto *explanation = new QLabel(tr("Every account email is queued here first. A realm without an SMTP server keeps its "
                                      "mails here (\"stored\"): read verification and reset links and sign-in codes below."),
                                   this);
    explanation->setWordWrap(true);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("ID"), tr("Created (UTC)"), tr("Recipient"), tr("Kind"), tr("Subject"), tr("State"),
                                        tr("Attempts"), tr("Last error")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(Subject, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Outbox mails"));
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &OutboxView::showSelected);
    // Scrolled to the end: the next older page (keyset, so any depth costs the same).
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (value == m_table->verticalScrollBar()->maximum() && !m_exhausted && !m_mails.isEmpty())
            loadMore();
    });

    m_count = new QLabel(this);
    m_more = new QPushButton(tr("Load &older mails"), this);
    m_more->setAccessibleName(tr("Load older mails"));
    connect(m_more, &QPushButton::clicked, this, &OutboxView::loadMore);

    m_previewHeader = new QLabel(this);
    m_previewHeader->setTextFormat(Qt::PlainText);
    m_previewHeader->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_previewHeader->setText(tr("To:\nSubject:"));
    m_preview = new QPlainTextEdit(this);
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setAccessibleName(tr("Mail text"));
    m_preview->setPlaceholderText(tr("Select a mail to read its text."));

    auto *listPane = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_table, 1);
    auto *below = new QHBoxLayout;
    below->addWidget(m_count, 1);
    below->addWidget(m_more);
    listLayout->addLayout(below);
    auto *previewPane = new QWidget(this);
    auto *previewLayout = new QVBoxLayout(previewPane);
    previewLayout->setContentsMargins(0, 0, 0, 0);
    previewLayout->addWidget(m_previewHeader);
    previewLayout->addWidget(m_preview, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(listPane);
    splitter->addWidget(previewPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({400, 400});

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(explanation);
    layout->addWidget(splitter, 1);
}

void OutboxView::load()
{
    m_table->setRowCount(0);
    m_mails.clear();
    m_bodies.clear();
    m_exhausted = false;
    m_preview->clear();
    m_previewHeader->setText(tr("To:\nSubject:"));
    if (realmId().isEmpty()) {
        m_title->setText(tr("No realm selected"));
        m_exhausted = true;
        m_more->setEnabled(false);
        m_count->clear();
        return;
    }
    m_title->setText(tr("Outbox of realm %1").arg(realmId()));
    loadMore();
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(Subject, QHeaderView::Stretch);
}

void OutboxView::loadMore()
{
    if (m_exhausted || realmId().isEmpty())
        return;
    const qint64 before = m_mails.isEmpty() ? 0 : m_mails.constLast().id;
    QList<OutboxMail> page;
    if (!runConsoleAction(this, tr("Outbox not loaded"),
                          [&] { page = core().mailAdmin().outbox(consoleActor(), realmId(), kPageSize, before); }))
        m_exhausted = true;
    appendPage(page);
}

void OutboxView::appendPage(const QList<OutboxMail> &mails)
{
    if (mails.size() < kPageSize)
        m_exhausted = true;
    const QSignalBlocker block(m_table); // appending is not a selection change
    int row = m_table->rowCount();
    m_table->setRowCount(row + int(mails.size()));
    for (const OutboxMail &mail : mails) {
        const QStringList cells = {QString::number(mail.id), consoleTime(mail.createdAt), mail.recipient, mail.kind, mail.subject,
                                   stateLabel(mail.state), QString::number(mail.attempts), mail.lastError};
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(cells.at(column));
            if (column == Id || column == Attempts)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
        }
        ++row;
    }
    m_mails.append(mails);
    m_more->setEnabled(!m_exhausted);
    m_count->setText(m_exhausted ? tr("%n mail(s)", nullptr, int(m_mails.size()))
                                 : tr("%n newest mail(s) shown", nullptr, int(m_mails.size())));
}

void OutboxView::showSelected()
{
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    const int row = ranges.isEmpty() ? -1 : ranges.constFirst().topRow();
    if (row < 0 || row >= m_mails.size()) {
        m_preview->clear();
        m_previewHeader->setText(tr("To:\nSubject:"));
        return;
    }
    const OutboxMail &listed = m_mails.at(row);
    m_previewHeader->setText(tr("To: %1\nSubject: %2").arg(listed.recipient, listed.subject));
    if (!m_bodies.contains(listed.id)) {
        OutboxMail opened;
        if (!runConsoleAction(this, tr("Mail not opened"),
                              [&] { opened = core().mailAdmin().openOutboxMail(consoleActor(), realmId(), listed.id); })) {
            m_preview->clear();
            return;
        }
        m_bodies.insert(listed.id, opened.body);
    }
    m_preview->setPlainText(m_bodies.value(listed.id));
}

} // namespace authrealm
