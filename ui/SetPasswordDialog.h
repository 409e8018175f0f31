#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace authrealm {

// Asks for a new password twice. The password policy itself is the model's
// (AdminService::resetPassword); this only makes sure both fields agree.
class SetPasswordDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SetPasswordDialog(const QString &who, QWidget *parent = nullptr);
    [[nodiscard]] QString password() const;

private:
    void check();

    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QLabel *m_problem;
    QPushButton *m_ok;
};

} // namespace authrealm
