#include "PostgresDialog.h"

#include "PasswordKeychain.h"
#include "storage/DataLocation.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace authrealm {

PostgresDialog::PostgresDialog(const ConsoleConnection &previous, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Connect to PostgreSQL"));
    const bool wasPostgres = previous.kind == ConsoleConnection::Kind::PostgreSQL;
    m_host = new QLineEdit(wasPostgres ? previous.host : QStringLiteral("localhost"), this);
    m_host->setAccessibleName(tr("Host"));
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(wasPostgres ? previous.port : 5432);
    m_port->setAccessibleName(tr("Port"));
    m_database = new QLineEdit(wasPostgres ? previous.databaseName : QStringLiteral("authrealm"), this);
    m_database->setAccessibleName(tr("Database"));
    m_user = new QLineEdit(wasPostgres ? previous.user : QStringLiteral("authrealm"), this);
    m_user->setAccessibleName(tr("User"));
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_remember = new QCheckBox(tr("Remember the password in the system &keychain"), this);
    m_remember->setEnabled(PasswordKeychain::available());
    m_remember->setChecked(PasswordKeychain::available());
    if (!PasswordKeychain::available())
        m_remember->setToolTip(tr("This build has no keychain support: the password is asked for each time."));
    m_keyFile = new QLineEdit(wasPostgres && !previous.keyFile.isEmpty() ? previous.keyFile
                                                                         : QDir(defaultDataDir()).filePath(QStringLiteral("master.key")),
                              this);
    m_keyFile->setAccessibleName(tr("Key file"));
    auto *browse = new QPushButton(tr("&Browse…"), this);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyFile, 1);
    keyRow->addWidget(browse);
    auto *note = new QLabel(tr("The key file holds the key that encrypts the realms' signing keys. Use the same file as the "
                               "authrealmd servers on this database (their --key-file or AUTHREALM_MASTER_KEY)."),
                            this);
    note->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), m_host);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("&Database:"), m_database);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_remember);
    form->addRow(tr("&Key file:"), keyRow);
    form->addRow(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Key file"), m_keyFile->text());
        if (!file.isEmpty())
            m_keyFile->setText(file);
    });
    resize(520, sizeHint().height());
}

ConsoleConnection PostgresDialog::connection() const
{
    ConsoleConnection c;
    c.kind = ConsoleConnection::Kind::PostgreSQL;
    c.host = m_host->text().trimmed();
    c.port = m_port->value();
    c.databaseName = m_database->text().trimmed();
    c.user = m_user->text().trimmed();
    c.password = m_password->text();
    c.keyFile = m_keyFile->text().trimmed();
    return c;
}

bool PostgresDialog::rememberPassword() const
{
    return m_remember->isChecked();
}

} // namespace authrealm
