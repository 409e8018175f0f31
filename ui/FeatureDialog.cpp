#include "FeatureDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace authrealm {

FeatureDialog::FeatureDialog(const Feature &feature, QWidget *parent) : QDialog(parent), m_feature(feature)
{
    const bool isNew = feature.key.isEmpty();
    setWindowTitle(isNew ? tr("New feature") : tr("Edit feature %1").arg(feature.key));
    m_key = new QLineEdit(feature.key, this);
    m_key->setObjectName(QStringLiteral("key"));
    m_key->setAccessibleName(tr("Feature key"));
    m_key->setPlaceholderText(tr("for example: reports"));
    m_key->setReadOnly(!isNew);
    m_scopes = new QLineEdit(feature.scopes.join(u' '), this);
    m_scopes->setObjectName(QStringLiteral("scopes"));
    m_scopes->setAccessibleName(tr("Scopes"));
    m_scopes->setPlaceholderText(tr("space-separated, for example: reports:read reports:write"));
    m_enabled = new QCheckBox(tr("On"), this);
    m_enabled->setObjectName(QStringLiteral("enabled"));
    m_enabled->setChecked(isNew || feature.enabled);
    auto *hint = new QLabel(tr("While a feature is off, the scopes it unlocks are removed from every token of the product."), this);
    hint->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Key:"), m_key);
    form->addRow(tr("&Scopes:"), m_scopes);
    form->addRow(QString(), m_enabled);
    form->addRow(hint);
    form->addRow(buttons);
    setMinimumWidth(460);
}

Feature FeatureDialog::feature() const
{
    Feature f = m_feature;
    f.key = m_key->text().trimmed();
    f.scopes = m_scopes->text().split(u' ', Qt::SkipEmptyParts);
    f.enabled = m_enabled->isChecked();
    return f;
}

} // namespace authrealm
