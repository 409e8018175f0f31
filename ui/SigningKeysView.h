#pragma once

#include "ScopedView.h"

class QAction;
class QLabel;
class QPushButton;
class QTableWidget;

namespace authrealm {

// The signing keys of a realm (kid, algorithm, created, active/retired) and
// rotation: a new active key signs new tokens while retired keys stay in the
// JWKS, so tokens they signed keep verifying until they expire.
class SigningKeysView : public ScopedView
{
    Q_OBJECT
public:
    explicit SigningKeysView(AuthRealmCore &core, QWidget *parent = nullptr);

    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] QAction *rotateAction() const { return m_rotate; }

public slots:
    void rotate();

protected:
    void load() override;

private:
    QLabel *m_title;
    QTableWidget *m_table;
    QAction *m_rotate;
    QPushButton *m_rotateButton;
};

} // namespace authrealm
