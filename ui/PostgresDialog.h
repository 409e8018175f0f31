#pragma once

#include "ConsoleConnection.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace authrealm {

// File → Connect to PostgreSQL…: where the server is, who to be, and the
// key-encryption key file the AuthRealm servers on that database use. The
// password can be remembered in the OS keychain, never in the settings file.
class PostgresDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PostgresDialog(const ConsoleConnection &previous, QWidget *parent = nullptr);
    [[nodiscard]] ConsoleConnection connection() const;
    [[nodiscard]] bool rememberPassword() const;

private:
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_database;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLineEdit *m_keyFile;
};

} // namespace authrealm
