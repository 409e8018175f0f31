#include "MembershipDialog.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QListWidget>

namespace authrealm {

MembershipDialog::MembershipDialog(AuthRealmCore &core, const QString &realmId, const QList<App> &products, const QStringList &current,
                                   QWidget *parent)
    : QDialog(parent), m_core(core), m_realmId(realmId), m_current(current)
{
    setWindowTitle(products.size() == 1 && !current.isEmpty() ? tr("Roles in %1").arg(products.constFirst().displayName)
                                                              : tr("Add membership"));
    m_product = new QComboBox(this);
    m_product->setObjectName(QStringLiteral("product"));
    m_product->setAccessibleName(tr("Product"));
    for (const App &app : products)
        m_product->addItem(QStringLiteral("%1 (%2)").arg(app.displayName, app.id), app.id);
    m_product->setEnabled(products.size() > 1);
    m_roles = new QListWidget(this);
    m_roles->setObjectName(QStringLiteral("roles"));
    m_roles->setAccessibleName(tr("Roles"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_product, &QComboBox::currentIndexChanged, this, &MembershipDialog::fillRoles);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Product:"), m_product);
    form->addRow(tr("&Roles:"), m_roles);
    form->addRow(buttons);
    setMinimumWidth(380);
    fillRoles();
}

void MembershipDialog::fillRoles()
{
    m_roles->clear();
    const QString appId = m_product->currentData().toString();
    if (appId.isEmpty())
        return;
    runConsoleAction(this, tr("Read roles"), [&] {
        for (const Role &role : m_core.admin().roles(consoleActor(), m_realmId, appId)) {
            auto *item = new QListWidgetItem(role.scopes.isEmpty() ? role.name
                                                                   : tr("%1 — %2").arg(role.name, role.scopes.join(u", ")), m_roles);
            item->setData(Qt::UserRole, role.name);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
            // A new membership starts as a plain member.
            const bool held = m_current.isEmpty() ? role.name == u"member" : m_current.contains(role.name);
            item->setCheckState(held ? Qt::Checked : Qt::Unchecked);
        }
    });
}

Membership MembershipDialog::membership() const
{
    Membership m;
    m.appId = m_product->currentData().toString();
    for (int i = 0; i < m_roles->count(); ++i) {
        if (m_roles->item(i)->checkState() == Qt::Checked)
            m.roles.append(m_roles->item(i)->data(Qt::UserRole).toString());
    }
    return m;
}

} // namespace authrealm
