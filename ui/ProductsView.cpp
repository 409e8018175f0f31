#include "ProductsView.h"

#include "AuthRealmCore.h"
#include "CenteredCheckDelegate.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"
#include "FeatureDialog.h"

#include <QAction>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace authrealm {

namespace {

QAction *makeAction(QWidget *owner, const QString &text, const QString &tip)
{
    auto *action = new QAction(text, owner);
    action->setToolTip(tip);
    owner->addAction(action);
    return action;
}

// A column of buttons for actions, next to the table they act on.
QVBoxLayout *buttonColumn(QWidget *parent, const QList<QAction *> &actions)
{
    auto *column = new QVBoxLayout;
    for (QAction *action : actions) {
        auto *button = new QToolButton(parent);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        button->setAccessibleName(action->text().remove(u'&').remove(QStringLiteral("…")));
        column->addWidget(button);
    }
    column->addStretch(1);
    return column;
}

QTableWidget *makeTable(int columns, const QStringList &headers, const QString &accessibleName, QWidget *parent)
{
    auto *table = new QTableWidget(0, columns, parent);
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->setAccessibleName(accessibleName);
    return table;
}

QTableWidgetItem *readOnly(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

QTableWidgetItem *checkItem(bool checked, const QString &accessibleText)
{
    auto *item = new QTableWidgetItem;
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    item->setData(Qt::AccessibleTextRole, accessibleText);
    item->setToolTip(accessibleText);
    return item;
}

} // namespace

ProductsView::ProductsView(AuthRealmCore &core, QWidget *parent) : ScopedView(core, parent)
{
    m_newProduct = makeAction(this, tr("&New product…"), tr("Create a product (app) in this realm"));
    m_addFeature = makeAction(this, tr("&Add feature…"), tr("Add a feature to this product"));
    m_editFeature = makeAction(this, tr("&Edit feature…"), tr("Change the selected feature's scopes"));
    m_deleteFeature = makeAction(this, tr("&Delete feature"), tr("Delete the selected feature"));
    m_newRole = makeAction(this, tr("New &role…"), tr("Create a role in this product"));
    m_renameRole = makeAction(this, tr("Re&name role…"), tr("Rename the selected role everywhere it is held"));
    m_deleteRole = makeAction(this, tr("Delete ro&le"), tr("Delete the selected role (refused while anyone holds it)"));
    m_addScope = makeAction(this, tr("Add &scope column…"), tr("Add a scope to the matrix to grant it to roles"));
    connect(m_newProduct, &QAction::triggered, this, &ProductsView::newProduct);
    connect(m_addFeature, &QAction::triggered, this, &ProductsView::addFeature);
    connect(m_editFeature, &QAction::triggered, this, &ProductsView::editFeature);
    connect(m_deleteFeature, &QAction::triggered, this, &ProductsView::deleteFeature);
    connect(m_newRole, &QAction::triggered, this, &ProductsView::newRole);
    connect(m_renameRole, &QAction::triggered, this, &ProductsView::renameRole);
    connect(m_deleteRole, &QAction::triggered, this, &ProductsView::deleteRole);
    connect(m_addScope, &QAction::triggered, this, &ProductsView::addScopeColumn);

    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    m_title->setFont(heading);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildRealmPage());
    m_pages->addWidget(buildProductPage());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_pages, 1);
    updateActions();
}

QWidget *ProductsView::buildRealmPage()
{
    auto *page = new QWidget(this);
    m_products = makeTable(5, {tr("Product ID"), tr("Name"), tr("Created (UTC)"), tr("Features"), tr("Roles")}, tr("Products"), page);
    m_products->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    connect(m_products, &QTableWidget::cellActivated, this, [this](int row, int) {
        if (row >= 0 && row < m_appList.size())
            emit productActivated(realmId(), m_appList.at(row).id);
    });
    auto *layout = new QHBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_products, 1);
    layout->addLayout(buttonColumn(page, {m_newProduct}));
    return page;
}

QWidget *ProductsView::buildProductPage()
{
    auto *splitter = new QSplitter(Qt::Vertical, this);

    auto *featureBox = new QGroupBox(tr("Features"), splitter);
    m_features = makeTable(FeatureColumnCount, {tr("On"), tr("Key"), tr("Scopes it unlocks")}, tr("Features"), featureBox);
    m_features->horizontalHeader()->setSectionResizeMode(FeatureScopes, QHeaderView::Stretch);
    m_features->setItemDelegateForColumn(FeatureOn, new CenteredCheckDelegate(m_features));
    connect(m_features, &QTableWidget::itemChanged, this, &ProductsView::featureItemChanged);
    connect(m_features, &QTableWidget::itemSelectionChanged, this, &ProductsView::updateActions);
    connect(m_features, &QTableWidget::cellDoubleClicked, this, [this](int, int column) {
        if (column != FeatureOn)
            editFeature();
    });
    auto *featureLayout = new QHBoxLayout(featureBox);
    featureLayout->addWidget(m_features, 1);
    featureLayout->addLayout(buttonColumn(featureBox, {m_addFeature, m_editFeature, m_deleteFeature}));

    auto *roleBox = new QGroupBox(tr("Roles and the scopes they grant"), splitter);
    m_roles = makeTable(1, {tr("Role")}, tr("Roles and scopes"), roleBox);
    m_roles->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_roles->setItemDelegate(new CenteredCheckDelegate(m_roles));
    connect(m_roles, &QTableWidget::itemChanged, this, &ProductsView::roleItemChanged);
    connect(m_roles, &QTableWidget::currentCellChanged, this, &ProductsView::updateActions);
    auto *hint = new QLabel(tr("Tick a box to grant the scope to the role. Scopes in italics belong only to features that are "
                               "off: they reach no token until a feature that unlocks them is on."), roleBox);
    hint->setWordWrap(true);
    auto *matrixColumn = new QVBoxLayout;
    matrixColumn->addWidget(m_roles, 1);
    matrixColumn->addWidget(hint);
    auto *roleLayout = new QHBoxLayout(roleBox);
    roleLayout->addLayout(matrixColumn, 1);
    roleLayout->addLayout(buttonColumn(roleBox, {m_newRole, m_renameRole, m_deleteRole, m_addScope}));

    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    return splitter;
}

void ProductsView::load()
{
    if (appId().isEmpty())
        loadRealm();
    else
        loadProduct();
    updateActions();
}

void ProductsView::loadRealm()
{
    m_pages->setCurrentIndex(0);
    m_products->setRowCount(0);
    m_appList.clear();
    if (realmId().isEmpty()) {
        m_title->setText(tr("No realm selected"));
        return;
    }
    m_title->setText(tr("Products of realm %1").arg(realmId()));
    const AdminActor by = consoleActor();
    m_appList = core().admin().apps(by, realmId());
    m_products->setRowCount(int(m_appList.size()));
    for (int row = 0; row < m_appList.size(); ++row) {
        const App &app = m_appList.at(row);
        m_products->setItem(row, 0, readOnly(app.id));
        m_products->setItem(row, 1, readOnly(app.displayName));
        m_products->setItem(row, 2, readOnly(consoleTime(app.createdAt)));
        m_products->setItem(row, 3, readOnly(QString::number(core().admin().features(by, realmId(), app.id).size())));
        m_products->setItem(row, 4, readOnly(QString::number(core().admin().roles(by, realmId(), app.id).size())));
    }
    m_products->resizeColumnsToContents();
    m_products->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
}

void ProductsView::loadProduct()
{
    m_pages->setCurrentIndex(1);
    if (m_loadedProduct != realmId() + u'/' + appId()) {
        m_extraScopes.clear(); // hand-added columns belong to the product they were added for
        m_loadedProduct = realmId() + u'/' + appId();
    }
    const AdminActor by = consoleActor();
    const App app = core().admin().app(by, realmId(), appId());
    m_title->setText(tr("Product %1 (%2) in realm %3").arg(app.displayName, app.id, realmId()));
    m_featureList = core().admin().features(by, realmId(), appId());
    m_roleList = core().admin().roles(by, realmId(), appId());

    const QSignalBlocker block(m_features);
    m_features->setRowCount(int(m_featureList.size()));
    for (int row = 0; row < m_featureList.size(); ++row) {
        const Feature &f = m_featureList.at(row);
        m_features->setItem(row, FeatureOn, checkItem(f.enabled, tr("%1 is on").arg(f.key)));
        m_features->setItem(row, FeatureKey, readOnly(f.key));
        m_features->setItem(row, FeatureScopes, readOnly(f.scopes.join(QStringLiteral("  "))));
    }
    m_features->resizeColumnsToContents();
    m_features->horizontalHeader()->setSectionResizeMode(FeatureScopes, QHeaderView::Stretch);
    fillRoleMatrix();
}

void ProductsView::fillRoleMatrix()
{
    QStringList scopes = m_extraScopes;
    for (const Feature &f : std::as_const(m_featureList))
        scopes += f.scopes;
    for (const Role &r : std::as_const(m_roleList))
        scopes += r.scopes;
    scopes.removeDuplicates();
    scopes.sort();
    m_scopes = scopes;

    const QSignalBlocker block(m_roles);
    const int currentRow = m_roles->currentRow();
    m_roles->clear();
    m_roles->setColumnCount(int(1 + m_scopes.size()));
    m_roles->setRowCount(int(m_roleList.size()));
    m_roles->setHorizontalHeaderLabels(QStringList{tr("Role")} + m_scopes);
    QFont italic = m_roles->font();
    italic.setItalic(true);
    for (int row = 0; row < m_roleList.size(); ++row) {
        const Role &role = m_roleList.at(row);
        auto *name = readOnly(role.system ? tr("%1 (system)").arg(role.name) : role.name);
        if (role.system) {
            name->setFont(italic);
            name->setToolTip(tr("System role: cannot be renamed or deleted"));
        }
        m_roles->setItem(row, 0, name);
        for (int i = 0; i < m_scopes.size(); ++i)
            m_roles->setItem(row, 1 + i, checkItem(role.scopes.contains(m_scopes.at(i)), tr("%1 grants %2").arg(role.name, m_scopes.at(i))));
    }
    // Scopes no enabled feature unlocks never reach a token: say so in the header.
    for (int i = 0; i < m_scopes.size(); ++i) {
        QStringList from;
        bool on = false;
        for (const Feature &f : std::as_const(m_featureList)) {
            if (f.scopes.contains(m_scopes.at(i))) {
                from.append(f.enabled ? f.key : tr("%1 (off)").arg(f.key));
                on = on || f.enabled;
            }
        }
        QTableWidgetItem *header = m_roles->horizontalHeaderItem(1 + i);
        header->setToolTip(from.isEmpty() ? tr("Not part of any feature") : tr("Unlocked by feature: %1").arg(from.join(u", ")));
        if (!from.isEmpty() && !on)
            header->setFont(italic);
    }
    m_roles->resizeColumnsToContents();
    if (currentRow >= 0 && currentRow < m_roles->rowCount())
        m_roles->setCurrentCell(currentRow, 0);
}

const Feature *ProductsView::currentFeature() const
{
    const int row = m_features->currentRow();
    return row >= 0 && row < m_featureList.size() && !m_features->selectedItems().isEmpty() ? &m_featureList.at(row) : nullptr;
}

const Role *ProductsView::currentRole() const
{
    const int row = m_roles->currentRow();
    return row >= 0 && row < m_roleList.size() ? &m_roleList.at(row) : nullptr;
}

void ProductsView::updateActions()
{
    const bool realmScope = appId().isEmpty() && !realmId().isEmpty();
    const bool productScope = !appId().isEmpty();
    m_newProduct->setEnabled(realmScope);
    m_addFeature->setEnabled(productScope);
    m_editFeature->setEnabled(productScope && currentFeature());
    m_deleteFeature->setEnabled(productScope && currentFeature());
    const Role *role = currentRole();
    m_newRole->setEnabled(productScope);
    m_renameRole->setEnabled(productScope && role && !role->system);
    m_deleteRole->setEnabled(productScope && role && !role->system);
    m_addScope->setEnabled(productScope);
}

void ProductsView::featureItemChanged(QTableWidgetItem *item)
{
    if (item->column() != FeatureOn || item->row() >= m_featureList.size())
        return;
    const Feature feature = m_featureList.at(item->row());
    const bool on = item->checkState() == Qt::Checked;
    if (on == feature.enabled)
        return;
    if (!on && !confirmDestructive(this, tr("Turn feature off"),
                                   tr("Turn off feature \"%1\" of %2? The scopes it unlocks (%3) are removed from every token of the product.")
                                       .arg(feature.key, appId(), feature.scopes.join(u", ")))) {
        const QSignalBlocker block(m_features);
        item->setCheckState(Qt::Checked);
        return;
    }
    // Updated in place: rebuilding the table inside its own itemChanged would delete the item being reported.
    if (runConsoleAction(this, tr("Switch feature"),
                         [&] { core().admin().setFeatureEnabled(consoleActor(), realmId(), appId(), feature.key, on); })) {
        m_featureList[item->row()].enabled = on;
    } else {
        const QSignalBlocker block(m_features);
        item->setCheckState(feature.enabled ? Qt::Checked : Qt::Unchecked);
    }
}

void ProductsView::roleItemChanged(QTableWidgetItem *item)
{
    const int scopeIndex = item->column() - 1;
    if (scopeIndex < 0 || scopeIndex >= m_scopes.size() || item->row() >= m_roleList.size())
        return;
    Role role = m_roleList.at(item->row());
    const QString scope = m_scopes.at(scopeIndex);
    if (item->checkState() == Qt::Checked)
        role.scopes.append(scope);
    else
        role.scopes.removeAll(scope);
    if (runConsoleAction(this, tr("Change role"), [&] { core().admin().saveRole(consoleActor(), role); })) {
        m_roleList[item->row()].scopes = role.scopes;
    } else {
        const QSignalBlocker block(m_roles);
        item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    }
}

void ProductsView::newProduct()
{
    if (realmId().isEmpty())
        return;
    bool ok = false;
    const QString id = QInputDialog::getText(this, tr("New product"),
                                             tr("Product ID (what clients send as tenantId; letters, digits, '.', '_' or '-'):"),
                                             QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok)
        return;
    const QString name = QInputDialog::getText(this, tr("New product"), tr("Display name:"), QLineEdit::Normal, id, &ok).trimmed();
    if (!ok)
        return;
    runConsoleAction(this, tr("New product"), [&] { (void)core().admin().createApp(consoleActor(), realmId(), id, name); });
    reload();
}

void ProductsView::addFeature()
{
    FeatureDialog dialog(Feature{realmId(), appId(), {}, true, {}}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Feature feature = dialog.feature();
    for (const Feature &f : std::as_const(m_featureList)) {
        if (f.key == feature.key) {
            showActionError(this, tr("Add feature"), tr("The product already has a feature \"%1\".").arg(feature.key));
            return;
        }
    }
    runConsoleAction(this, tr("Add feature"), [&] { core().admin().saveFeature(consoleActor(), feature); });
    reload();
}

void ProductsView::editFeature()
{
    const Feature *current = currentFeature();
    if (!current)
        return;
    FeatureDialog dialog(*current, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Feature feature = dialog.feature();
    // Switching off through the dialog is as destructive as through the check box.
    if (current->enabled && !feature.enabled
        && !confirmDestructive(this, tr("Turn feature off"),
                               tr("Turn off feature \"%1\" of %2? The scopes it unlocks (%3) are removed from every token of the product.")
                                   .arg(feature.key, appId(), feature.scopes.join(u", "))))
        return;
    runConsoleAction(this, tr("Edit feature"), [&] { core().admin().saveFeature(consoleActor(), feature); });
    reload();
}

void ProductsView::deleteFeature()
{
    const Feature *current = currentFeature();
    if (!current)
        return;
    const Feature feature = *current;
    if (!confirmDestructive(this, tr("Delete feature"),
                            tr("Delete feature \"%1\" of %2? Its scopes (%3) are no longer gated by it.")
                                .arg(feature.key, appId(), feature.scopes.join(u", "))))
        return;
    runConsoleAction(this, tr("Delete feature"), [&] { core().admin().deleteFeature(consoleActor(), realmId(), appId(), feature.key); });
    reload();
}

void ProductsView::newRole()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New role"), tr("Role name:"), QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok)
        return;
    for (const Role &r : std::as_const(m_roleList)) {
        if (r.name == name) {
            showActionError(this, tr("New role"), tr("A role named \"%1\" already exists.").arg(name));
            return;
        }
    }
    runConsoleAction(this, tr("New role"), [&] { core().admin().saveRole(consoleActor(), Role{realmId(), appId(), name, {}, false}); });
    reload();
}

void ProductsView::renameRole()
{
    const Role *current = currentRole();
    if (!current || current->system)
        return;
    const QString from = current->name;
    bool ok = false;
    const QString to = QInputDialog::getText(this, tr("Rename role"), tr("New name for \"%1\":").arg(from), QLineEdit::Normal, from, &ok).trimmed();
    if (!ok || to == from)
        return;
    runConsoleAction(this, tr("Rename role"), [&] { core().admin().renameRole(consoleActor(), realmId(), appId(), from, to); });
    reload();
}

void ProductsView::deleteRole()
{
    const Role *current = currentRole();
    if (!current || current->system)
        return;
    const QString name = current->name;
    if (!confirmDestructive(this, tr("Delete role"), tr("Delete role \"%1\" of %2?").arg(name, appId())))
        return;
    runConsoleAction(this, tr("Delete role"), [&] { core().admin().deleteRole(consoleActor(), realmId(), appId(), name); });
    reload();
}

void ProductsView::addScopeColumn()
{
    bool ok = false;
    const QString scope = QInputDialog::getText(this, tr("Add scope"), tr("Scope (for example reports:read):"), QLineEdit::Normal, {}, &ok).trimmed();
    if (!ok || scope.isEmpty())
        return;
    if (!Validate::scope(scope)) {
        showActionError(this, tr("Add scope"), tr("\"%1\" is not a valid scope.").arg(scope));
        return;
    }
    if (!m_extraScopes.contains(scope))
        m_extraScopes.append(scope);
    fillRoleMatrix();
}

} // namespace authrealm
