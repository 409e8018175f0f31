#pragma once

#include "ScopedView.h"
#include "domain/RealmSettings.h"

#include <QHash>
#include <QVariant>

class QLabel;
class QPushButton;
class QTableWidget;

namespace authrealm {

// The realm's settings table (RealmSettings::definitions()): each setting with
// an editor fit for its type and range, its default, unit and description.
// Values that differ from the default are bold; edits wait for Apply, which
// saves them all in one audited AdminService::updateSettings call.
class RealmSettingsView : public ScopedView
{
    Q_OBJECT
public:
    enum Column { Name, Value, Default, Unit, Reset, Description, ColumnCount };

    explicit RealmSettingsView(AuthRealmCore &core, QWidget *parent = nullptr);

    [[nodiscard]] QTableWidget *table() const { return m_table; }
    // The editor of one setting (QSpinBox, QCheckBox or QComboBox), for tests.
    [[nodiscard]] QWidget *editorFor(const QString &name) const;
    // The value the editor shows now (what Apply would save).
    [[nodiscard]] QVariant editedValue(const QString &name) const;
    // The edits Apply would save.
    [[nodiscard]] QJsonObject pendingChanges() const;

public slots:
    void apply();
    void discard();
    void resetToDefault(const QString &name);

protected:
    void load() override;
    [[nodiscard]] QWidget *focusTarget() const override;

private:
    void setEditorValue(const QString &name, const QVariant &value);
    void refreshMarks();

    QLabel *m_title;
    QTableWidget *m_table;
    QPushButton *m_apply;
    QPushButton *m_discard;
    RealmSettings m_saved;
    QHash<QString, int> m_rowOf;
    QHash<QString, QWidget *> m_editors; // setting name -> its QSpinBox, QCheckBox or QComboBox
};

} // namespace authrealm
