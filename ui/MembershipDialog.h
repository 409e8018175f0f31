#pragma once

#include "domain/Entities.h"

#include <QDialog>

class QComboBox;
class QListWidget;

namespace authrealm {

class AuthRealmCore;

// Picks a product and the roles a user holds in it, from the product's own
// role catalog. With a fixed product it edits an existing membership.
class MembershipDialog : public QDialog
{
    Q_OBJECT
public:
    // `products`: the products to choose from (one, when editing); `current`:
    // the roles held now.
    MembershipDialog(AuthRealmCore &core, const QString &realmId, const QList<App> &products, const QStringList &current,
                     QWidget *parent = nullptr);
    [[nodiscard]] Membership membership() const;

private:
    void fillRoles();

    AuthRealmCore &m_core;
    QString m_realmId;
    QStringList m_current;
    QComboBox *m_product;
    QListWidget *m_roles;
};

} // namespace authrealm
