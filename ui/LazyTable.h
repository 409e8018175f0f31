#pragma once

#include <QTableView>

class QComboBox;

namespace authrealm {

class RealmStore;

// What the console's list views share: a row-selecting table over a lazily
// paged model, and a realm picker.
class LazyTable : public QTableView
{
    Q_OBJECT
public:
    LazyTable(QAbstractItemModel *model, int stretchColumn, const QString &accessibleName, QWidget *parent);
    // Loads the first page after the model was reset, then sizes the columns
    // to it once; later pages keep the widths (measuring every loaded row on
    // each layout would grow with the scroll).
    void showFirstPage();
};

// Refills the combo with the realms, keeping the current one if it still
// exists. Storage errors become a message box, not a crash.
void refillRealms(QComboBox *combo, const RealmStore &realms);

} // namespace authrealm
