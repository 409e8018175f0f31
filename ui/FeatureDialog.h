#pragma once

#include "domain/Entities.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;

namespace authrealm {

// Asks for a product feature: its key (fixed when editing), the scopes it
// unlocks, and whether it is on.
class FeatureDialog : public QDialog
{
    Q_OBJECT
public:
    // `feature.key` empty: a new feature.
    FeatureDialog(const Feature &feature, QWidget *parent = nullptr);
    [[nodiscard]] Feature feature() const;

private:
    Feature m_feature;
    QLineEdit *m_key;
    QLineEdit *m_scopes;
    QCheckBox *m_enabled;
};

} // namespace authrealm
