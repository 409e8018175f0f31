#include "SigningKeysView.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace authrealm {

namespace {
enum Column { Kid, Algorithm, Created, Status, ColumnCount };
}

SigningKeysView::SigningKeysView(AuthRealmCore &core, QWidget *parent) : ScopedView(core, parent)
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    m_title->setFont(heading);
    auto *explanation = new QLabel(tr("Access tokens are signed with the active key. Rotating creates a new active key; "
                                      "retired keys stay published so tokens they signed keep verifying until they expire."),
                                   this);
    explanation->setWordWrap(true);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Key ID (kid)"), tr("Algorithm"), tr("Created (UTC)"), tr("Status")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(Kid, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Signing keys"));

    m_rotate = new QAction(tr("&Rotate signing key…"), this);
    m_rotate->setToolTip(tr("Create a new active signing key for this realm"));
    connect(m_rotate, &QAction::triggered, this, &SigningKeysView::rotate);
    addAction(m_rotate);
    m_rotateButton = new QPushButton(m_rotate->text(), this);
    m_rotateButton->setAccessibleName(tr("Rotate signing key"));
    connect(m_rotateButton, &QPushButton::clicked, m_rotate, &QAction::trigger);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_rotateButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(explanation);
    layout->addWidget(m_table, 1);
}

void SigningKeysView::load()
{
    m_table->setRowCount(0);
    m_rotate->setEnabled(!realmId().isEmpty());
    m_rotateButton->setEnabled(!realmId().isEmpty());
    if (realmId().isEmpty()) {
        m_title->setText(tr("No realm selected"));
        return;
    }
    m_title->setText(tr("Signing keys of realm %1").arg(realmId()));
    const auto keys = core().admin().signingKeys(consoleActor(), realmId());
    m_table->setRowCount(int(keys.size()));
    QFont bold = m_table->font();
    bold.setBold(true);
    for (int row = 0; row < keys.size(); ++row) {
        const KeyManager::KeyInfo &key = keys.at(row);
        const bool active = key.status == u"active";
        const QStringList cells = {key.kid, key.algorithm, consoleTime(key.createdAt), active ? tr("active") : tr("retired")};
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            if (active)
                item->setFont(bold);
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(Kid, QHeaderView::Stretch);
}

void SigningKeysView::rotate()
{
    if (realmId().isEmpty())
        return;
    if (!confirmDestructive(this, tr("Rotate signing key"),
                            tr("Rotate the signing key of realm \"%1\"? New access tokens will be signed with a new key. "
                               "Products that cache the realm's public keys must fetch them again.").arg(realmId())))
        return;
    runConsoleAction(this, tr("Rotate signing key"), [this] { (void)core().admin().rotateSigningKey(consoleActor(), realmId()); });
    reload();
}

} // namespace authrealm
