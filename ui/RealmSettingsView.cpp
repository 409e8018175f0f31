#include "RealmSettingsView.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace authrealm {

namespace {

bool isEnumeration(const SettingDefinition &def)
{
    return def.type == QMetaType::QString && !def.allowed.isEmpty();
}

QString unitName(const QString &unit)
{
    if (unit == u"s")
        return RealmSettingsView::tr("seconds");
    if (unit == u"d")
        return RealmSettingsView::tr("days");
    return unit;
}

QString valueText(const SettingDefinition &def, const QVariant &value)
{
    if (def.type == QMetaType::Bool)
        return value.toBool() ? RealmSettingsView::tr("on") : RealmSettingsView::tr("off");
    if (def.type == QMetaType::Int && def.unit == u"s")
        return QStringLiteral("%1 s (%2)").arg(value.toLongLong()).arg(humanDuration(value.toLongLong()));
    if (def.type == QMetaType::Int && !def.unit.isEmpty())
        return QStringLiteral("%1 %2").arg(value.toLongLong()).arg(def.unit);
    return value.toString();
}

// "accessTokenLifetime" -> "Access token lifetime": the key stays visible in
// the tooltip, since it is what the API, import files and the CLI use.
QString settingLabel(const QString &name)
{
    QString label;
    for (const QChar c : name) {
        if (c.isUpper() && !label.isEmpty()) {
            label += QLatin1Char(' ');
            label += c.toLower();
        } else {
            label += label.isEmpty() ? c.toUpper() : c;
        }
    }
    return label;
}

bool sameValue(const QVariant &a, const QVariant &b)
{
    return RealmSettings::toStored(a) == RealmSettings::toStored(b);
}

} // namespace

RealmSettingsView::RealmSettingsView(AuthRealmCore &core, QWidget *parent) : ScopedView(core, parent)
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    m_title->setFont(heading);
    auto *legend = new QLabel(tr("Bold settings differ from their default. Changes take effect when applied."), this);
    legend->setWordWrap(true);

    const auto &defs = RealmSettings::definitions();
    m_table = new QTableWidget(int(defs.size()), ColumnCount, this);
    m_table->setHorizontalHeaderLabels({tr("Setting"), tr("Value"), tr("Default"), tr("Unit"), QString(), tr("Description")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setWordWrap(true);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("Realm settings"));

    for (int row = 0; row < defs.size(); ++row) {
        const SettingDefinition &def = defs.at(row);
        m_rowOf.insert(def.name, row);
        auto *name = new QTableWidgetItem(settingLabel(def.name));
        name->setData(Qt::UserRole, def.name);
        name->setToolTip(QStringLiteral("%1\n%2").arg(def.name, def.description));
        m_table->setItem(row, Name, name);
        m_table->setItem(row, Default, new QTableWidgetItem(valueText(def, def.defaultValue)));
        m_table->setItem(row, Unit, new QTableWidgetItem(unitName(def.unit)));
        auto *description = new QTableWidgetItem(def.description);
        description->setToolTip(def.description);
        m_table->setItem(row, Description, description);

        QWidget *editor = nullptr;
        if (def.type == QMetaType::Bool) {
            auto *box = new QCheckBox(tr("enabled"), m_table);
            connect(box, &QCheckBox::toggled, this, &RealmSettingsView::refreshMarks);
            editor = box;
        } else if (isEnumeration(def)) {
            auto *combo = new QComboBox(m_table);
            combo->addItems(def.allowed);
            connect(combo, &QComboBox::currentIndexChanged, this, &RealmSettingsView::refreshMarks);
            editor = combo;
        } else if (def.type == QMetaType::QString) {
            auto *text = new QLineEdit(m_table);
            text->setPlaceholderText(tr("(empty)"));
            connect(text, &QLineEdit::textChanged, this, &RealmSettingsView::refreshMarks);
            editor = text;
        } else {
            auto *spin = new QSpinBox(m_table);
            spin->setRange(int(def.minimum), int(def.maximum));
            if (!def.unit.isEmpty())
                spin->setSuffix(QStringLiteral(" ") + def.unit);
            spin->setToolTip(tr("From %1 to %2 %3").arg(def.minimum).arg(def.maximum).arg(unitName(def.unit)));
            connect(spin, &QSpinBox::valueChanged, this, &RealmSettingsView::refreshMarks);
            editor = spin;
        }
        editor->setObjectName(def.name);
        editor->setAccessibleName(settingLabel(def.name));
        editor->setAccessibleDescription(def.description);
        m_editors.insert(def.name, editor);
        QWidget *cell = editor;
        if (auto *spin = qobject_cast<QSpinBox *>(editor); spin && def.unit == u"s") {
            // Seconds are exact but hard to read: say "14 d" next to 1209600 s.
            cell = new QWidget(m_table);
            auto *readable = new QLabel(cell);
            readable->setMinimumWidth(readable->fontMetrics().horizontalAdvance(QStringLiteral("= 365 d 0 h")));
            const auto describe = [readable](int seconds) { readable->setText(QStringLiteral("= ") + humanDuration(seconds)); };
            describe(spin->value());
            connect(spin, &QSpinBox::valueChanged, readable, describe);
            editor->setParent(cell);
            auto *row2 = new QHBoxLayout(cell);
            row2->setContentsMargins(2, 2, 2, 2);
            row2->addWidget(editor, 1);
            row2->addWidget(readable);
        } else {
            cell = new QWidget(m_table);
            editor->setParent(cell);
            auto *row2 = new QHBoxLayout(cell);
            row2->setContentsMargins(2, 2, 2, 2);
            row2->addWidget(editor, 1);
        }
        m_table->setCellWidget(row, Value, cell);

        auto *reset = new QToolButton(m_table);
        reset->setText(tr("Reset"));
        reset->setToolTip(tr("Set %1 back to its default").arg(def.name));
        reset->setAccessibleName(tr("Reset %1 to default").arg(def.name));
        connect(reset, &QToolButton::clicked, this, [this, setting = def.name] { resetToDefault(setting); });
        m_table->setCellWidget(row, Reset, reset);
    }
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(Value, std::max(m_table->columnWidth(Value), 280));
    m_table->horizontalHeader()->setSectionResizeMode(Description, QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *buttons = new QDialogButtonBox(this);
    m_apply = buttons->addButton(QDialogButtonBox::Apply);
    m_discard = buttons->addButton(QDialogButtonBox::Discard);
    m_apply->setAccessibleName(tr("Apply settings"));
    m_discard->setAccessibleName(tr("Discard changes"));
    connect(m_apply, &QPushButton::clicked, this, &RealmSettingsView::apply);
    connect(m_discard, &QPushButton::clicked, this, &RealmSettingsView::discard);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(legend);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    refreshMarks();
}

QWidget *RealmSettingsView::editorFor(const QString &name) const
{
    return m_editors.value(name);
}

QVariant RealmSettingsView::editedValue(const QString &name) const
{
    QWidget *editor = editorFor(name);
    if (auto *box = qobject_cast<QCheckBox *>(editor))
        return box->isChecked();
    if (auto *combo = qobject_cast<QComboBox *>(editor))
        return combo->currentText();
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        return qint64(spin->value());
    if (auto *text = qobject_cast<QLineEdit *>(editor))
        return text->text().trimmed();
    return {};
}

void RealmSettingsView::setEditorValue(const QString &name, const QVariant &value)
{
    QWidget *editor = editorFor(name);
    if (auto *box = qobject_cast<QCheckBox *>(editor))
        box->setChecked(value.toBool());
    else if (auto *combo = qobject_cast<QComboBox *>(editor))
        combo->setCurrentIndex(std::max(0, combo->findText(value.toString())));
    else if (auto *spin = qobject_cast<QSpinBox *>(editor))
        spin->setValue(int(value.toLongLong()));
    else if (auto *text = qobject_cast<QLineEdit *>(editor))
        text->setText(value.toString());
}

QJsonObject RealmSettingsView::pendingChanges() const
{
    QJsonObject changes;
    for (const SettingDefinition &def : RealmSettings::definitions()) {
        const QVariant edited = editedValue(def.name);
        if (!sameValue(edited, m_saved.value(def.name)))
            changes.insert(def.name, QJsonValue::fromVariant(edited));
    }
    return changes;
}

void RealmSettingsView::load()
{
    const bool hasRealm = !realmId().isEmpty();
    m_table->setEnabled(hasRealm);
    m_title->setText(hasRealm ? tr("Settings of realm %1").arg(realmId()) : tr("No realm selected"));
    m_saved = hasRealm ? core().admin().settings(consoleActor(), realmId()) : RealmSettings();
    for (const SettingDefinition &def : RealmSettings::definitions())
        setEditorValue(def.name, m_saved.value(def.name));
    refreshMarks();
}

void RealmSettingsView::refreshMarks()
{
    const QJsonObject pending = pendingChanges();
    for (const SettingDefinition &def : RealmSettings::definitions()) {
        const int row = m_rowOf.value(def.name);
        const QVariant edited = editedValue(def.name);
        const bool differsFromDefault = !sameValue(edited, def.defaultValue);
        const bool isPending = pending.contains(def.name);
        QTableWidgetItem *name = m_table->item(row, Name);
        QFont font = m_table->font();
        font.setBold(differsFromDefault);
        font.setItalic(isPending);
        name->setFont(font);
        name->setText(isPending ? settingLabel(def.name) + QStringLiteral(" *") : settingLabel(def.name));
        if (QWidget *editor = editorFor(def.name))
            editor->setFont(font);
        if (QWidget *reset = m_table->cellWidget(row, Reset))
            reset->setEnabled(differsFromDefault);
    }
    const bool dirty = !pending.isEmpty();
    m_apply->setEnabled(dirty && !realmId().isEmpty());
    m_discard->setEnabled(dirty);
}

QWidget *RealmSettingsView::focusTarget() const
{
    return m_table;
}

void RealmSettingsView::resetToDefault(const QString &name)
{
    if (const SettingDefinition *def = RealmSettings::find(name)) {
        setEditorValue(name, def->defaultValue);
        keepFocusInView(); // the Reset button just disabled itself
    }
}

void RealmSettingsView::discard()
{
    for (const SettingDefinition &def : RealmSettings::definitions())
        setEditorValue(def.name, m_saved.value(def.name));
    keepFocusInView();
}

void RealmSettingsView::apply()
{
    const QJsonObject changes = pendingChanges();
    if (changes.isEmpty() || realmId().isEmpty())
        return;
    if (runConsoleAction(this, tr("Apply realm settings"),
                         [&] { m_saved = core().admin().updateSettings(consoleActor(), realmId(), changes); })) {
        refreshMarks();
    }
    keepFocusInView();
}

} // namespace authrealm
