#include "LazyTable.h"

#include "core/DomainError.h"
#include "storage/RealmStore.h"

#include <QComboBox>
#include <QHeaderView>
#include <QMessageBox>

namespace authrealm {

LazyTable::LazyTable(QAbstractItemModel *model, int stretchColumn, const QString &accessibleName, QWidget *parent)
    : QTableView(parent)
{
    setModel(model);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    horizontalHeader()->setSectionResizeMode(stretchColumn, QHeaderView::Stretch);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setAccessibleName(accessibleName);
}

void LazyTable::showFirstPage()
{
    if (model()->canFetchMore({}))
        model()->fetchMore({});
    resizeColumnsToContents();
    horizontalHeader()->setStretchLastSection(true);
}

void refillRealms(QComboBox *combo, const RealmStore &realms)
{
    const QString current = combo->currentText();
    {
        const QSignalBlocker block(combo);
        combo->clear();
        try {
            for (const Realm &realm : realms.realms())
                combo->addItem(realm.id);
        } catch (const DomainError &e) {
            QMessageBox::warning(combo->window(), QObject::tr("Cannot read the database"), e.message());
        }
        const int index = combo->findText(current);
        combo->setCurrentIndex(index >= 0 ? index : 0);
    }
}

} // namespace authrealm
