#include "NewUserDialog.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "storage/Sql.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace authrealm {

NewUserDialog::NewUserDialog(AuthRealmCore &core, const QString &realmId, const QString &appId, QWidget *parent)
    : QDialog(parent), m_core(core), m_realmId(realmId)
{
    setWindowTitle(tr("New user in realm %1").arg(realmId));
    m_email = new QLineEdit(this);
    m_email->setAccessibleName(tr("Email"));
    m_name = new QLineEdit(this);
    m_name->setAccessibleName(tr("Display name"));
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Password"));
    m_repeat = new QLineEdit(this);
    m_repeat->setEchoMode(QLineEdit::Password);
    m_repeat->setAccessibleName(tr("Repeat password"));
    m_product = new QComboBox(this);
    m_product->setAccessibleName(tr("Product"));
    m_product->addItem(tr("No product"), QString());
    m_role = new QComboBox(this);
    m_role->setAccessibleName(tr("Role"));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::BrightText);
    m_problem->hide();

    runConsoleAction(this, tr("Cannot read the database"), [&] {
        for (const App &app : core.realms().apps(realmId))
            m_product->addItem(app.displayName.isEmpty() ? app.id : QStringLiteral("%1 (%2)").arg(app.displayName, app.id), app.id);
    });
    const int preselected = appId.isEmpty() ? -1 : m_product->findData(appId);
    m_product->setCurrentIndex(preselected >= 0 ? preselected : (m_product->count() == 2 ? 1 : 0));

    auto *form = new QFormLayout;
    form->addRow(tr("&Email:"), m_email);
    form->addRow(tr("&Display name:"), m_name);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(tr("&Repeat password:"), m_repeat);
    form->addRow(tr("Pr&oduct:"), m_product);
    form->addRow(tr("Ro&le:"), m_role);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create user"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewUserDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewUserDialog::reject);
    connect(m_product, &QComboBox::currentIndexChanged, this, &NewUserDialog::fillRoles);
    fillRoles();
    resize(440, sizeHint().height());
}

void NewUserDialog::fillRoles()
{
    m_role->clear();
    const QString appId = m_product->currentData().toString();
    m_role->setEnabled(!appId.isEmpty());
    if (appId.isEmpty())
        return;
    runConsoleAction(this, tr("Cannot read the database"), [&] {
        for (const Role &role : m_core.realms().roles(m_realmId, appId))
            m_role->addItem(role.name, role.name);
    });
    const int member = m_role->findData(QStringLiteral("member"));
    if (member >= 0)
        m_role->setCurrentIndex(member);
}

void NewUserDialog::accept()
{
    if (m_password->text() != m_repeat->text()) {
        m_problem->setText(tr("The two passwords differ."));
        m_problem->show();
        return;
    }
    const QString appId = m_product->currentData().toString();
    QString problem;
    const bool created = runConsoleAction(this, tr("User not created"), [&] {
        const AdminActor actor = consoleActor();
        // One transaction: a user never exists without the membership asked for.
        Transaction tx(m_core.database());
        const User user = m_core.admin().createUser(actor, m_realmId, m_email->text().trimmed(), m_password->text(),
                                                    m_name->text().trimmed());
        if (!appId.isEmpty())
            m_core.admin().setMembership(actor, m_realmId, user.id, Membership{appId, {m_role->currentData().toString()}});
        tx.commit();
        m_createdUserId = user.id;
    });
    if (created)
        QDialog::accept();
}

} // namespace authrealm
