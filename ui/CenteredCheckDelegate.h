#pragma once

#include <QStyledItemDelegate>

namespace authrealm {

// Draws a checkable item that has no text as a check box centred in its cell
// (and takes clicks there), so a matrix of check boxes lines up under its
// column headers. Keyboard toggling (Space) is the base delegate's.
class CenteredCheckDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option, const QModelIndex &index) override;

private:
    [[nodiscard]] static QRect checkRect(const QStyleOptionViewItem &option);
};

} // namespace authrealm
