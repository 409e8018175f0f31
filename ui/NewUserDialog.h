#pragma once

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace authrealm {

class AuthRealmCore;

// Creates a user in a realm with a password and, optionally, a membership
// in one product with one role, as the console actor (audited like
// POST /admin/realms/{realm}/users).
class NewUserDialog : public QDialog
{
    Q_OBJECT
public:
    NewUserDialog(AuthRealmCore &core, const QString &realmId, const QString &appId, QWidget *parent = nullptr);
    [[nodiscard]] const QString &createdUserId() const { return m_createdUserId; }

    // Exposed for widget tests, which fill the form without a person.
    QLineEdit *emailField() const { return m_email; }
    QLineEdit *nameField() const { return m_name; }
    QLineEdit *passwordField() const { return m_password; }
    QLineEdit *repeatField() const { return m_repeat; }
    QComboBox *productField() const { return m_product; }
    QComboBox *roleField() const { return m_role; }

    void accept() override;

private:
    void fillRoles();

    AuthRealmCore &m_core;
    QString m_realmId;
    QString m_createdUserId;
    QLineEdit *m_email;
    QLineEdit *m_name;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QComboBox *m_product;
    QComboBox *m_role;
    QLabel *m_problem;
};

} // namespace authrealm
