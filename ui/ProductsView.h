#pragma once

#include "ScopedView.h"
#include "domain/Entities.h"

class QAction;
class QLabel;
class QStackedWidget;
class QTableWidget;
class QTableWidgetItem;

namespace authrealm {

// Products of a realm. At realm scope: the list of products and "New
// product…". At product scope: its features (key, scopes, an on/off switch)
// and its roles as a role × scope matrix of checkboxes, with create, rename
// and delete; the system roles owner and member cannot be renamed or deleted.
// Every change is one audited AdminService call.
class ProductsView : public ScopedView
{
    Q_OBJECT
public:
    explicit ProductsView(AuthRealmCore &core, QWidget *parent = nullptr);

    // Columns of the features table; the role matrix has the role in column 0
    // and one column per scope after it (scopeColumns()).
    enum FeatureColumn { FeatureOn, FeatureKey, FeatureScopes, FeatureColumnCount };

    [[nodiscard]] QTableWidget *productTable() const { return m_products; }
    [[nodiscard]] QTableWidget *featureTable() const { return m_features; }
    [[nodiscard]] QTableWidget *roleMatrix() const { return m_roles; }
    [[nodiscard]] const QStringList &scopeColumns() const { return m_scopes; }
    [[nodiscard]] QAction *newProductAction() const { return m_newProduct; }
    [[nodiscard]] QAction *addFeatureAction() const { return m_addFeature; }
    [[nodiscard]] QAction *editFeatureAction() const { return m_editFeature; }
    [[nodiscard]] QAction *deleteFeatureAction() const { return m_deleteFeature; }
    [[nodiscard]] QAction *newRoleAction() const { return m_newRole; }
    [[nodiscard]] QAction *renameRoleAction() const { return m_renameRole; }
    [[nodiscard]] QAction *deleteRoleAction() const { return m_deleteRole; }
    [[nodiscard]] QAction *addScopeAction() const { return m_addScope; }

public slots:
    void newProduct();
    void addFeature();
    void editFeature();
    void deleteFeature();
    void newRole();
    void renameRole();
    void deleteRole();
    void addScopeColumn();

signals:
    // Double-click on a product in the realm's list.
    void productActivated(const QString &realmId, const QString &appId);

protected:
    void load() override;

private:
    QWidget *buildRealmPage();
    QWidget *buildProductPage();
    void loadRealm();
    void loadProduct();
    void fillRoleMatrix();
    void featureItemChanged(QTableWidgetItem *item);
    void roleItemChanged(QTableWidgetItem *item);
    void updateActions();
    [[nodiscard]] const Feature *currentFeature() const;
    [[nodiscard]] const Role *currentRole() const;

    QLabel *m_title;
    QStackedWidget *m_pages;
    QTableWidget *m_products;
    QTableWidget *m_features;
    QTableWidget *m_roles;
    QAction *m_newProduct;
    QAction *m_addFeature;
    QAction *m_editFeature;
    QAction *m_deleteFeature;
    QAction *m_newRole;
    QAction *m_renameRole;
    QAction *m_deleteRole;
    QAction *m_addScope;
    QList<App> m_appList;
    QList<Feature> m_featureList;
    QList<Role> m_roleList;
    QStringList m_scopes;      // the matrix columns
    QStringList m_extraScopes; // added by hand, not yet granted by any role
    QString m_loadedProduct;   // "realm/app" the extra scopes belong to
};

} // namespace authrealm
