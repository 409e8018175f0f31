#include "SetPasswordDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace authrealm {

SetPasswordDialog::SetPasswordDialog(const QString &who, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Set password"));
    auto *intro = new QLabel(tr("Set a new password for %1. All of their sessions end, so they sign in again everywhere.").arg(who), this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("New password"));
    m_repeat = new QLineEdit(this);
    m_repeat->setObjectName(QStringLiteral("repeat"));
    m_repeat->setEchoMode(QLineEdit::Password);
    m_repeat->setAccessibleName(tr("Repeat the new password"));
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Set password"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_password, &QLineEdit::textChanged, this, &SetPasswordDialog::check);
    connect(m_repeat, &QLineEdit::textChanged, this, &SetPasswordDialog::check);

    auto *form = new QFormLayout(this);
    form->addRow(intro);
    form->addRow(tr("&New password:"), m_password);
    form->addRow(tr("&Repeat:"), m_repeat);
    form->addRow(m_problem);
    form->addRow(buttons);
    setMinimumWidth(420);
    check();
}

QString SetPasswordDialog::password() const
{
    return m_password->text();
}

void SetPasswordDialog::check()
{
    const bool empty = m_password->text().isEmpty();
    const bool same = m_password->text() == m_repeat->text();
    m_problem->setText(!empty && !m_repeat->text().isEmpty() && !same ? tr("The two passwords differ.") : QString());
    m_ok->setEnabled(!empty && same);
}

} // namespace authrealm
