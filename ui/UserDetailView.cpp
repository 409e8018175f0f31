#include "UserDetailView.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"
#include "MembershipDialog.h"
#include "SetPasswordDialog.h"
#include "UserSecuritySection.h"

#include <QAction>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace authrealm {

namespace {

const QList<UserStatus> kStatuses = {UserStatus::Active, UserStatus::Suspended, UserStatus::Deactivated};

QString statusLabel(UserStatus status)
{
    switch (status) {
    case UserStatus::Active: return UserDetailView::tr("Active");
    case UserStatus::Suspended: return UserDetailView::tr("Suspended");
    case UserStatus::Deactivated: return UserDetailView::tr("Deactivated");
    }
    return {};
}

QTableWidget *makeTable(const QStringList &headers, int stretch, const QString &accessibleName, QWidget *parent)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(stretch, QHeaderView::Stretch);
    table->setAccessibleName(accessibleName);
    return table;
}

void setRow(QTableWidget *table, int row, const QStringList &cells)
{
    for (int column = 0; column < cells.size(); ++column) {
        auto *item = new QTableWidgetItem(cells.at(column));
        item->setToolTip(cells.at(column));
        table->setItem(row, column, item);
    }
}

QLabel *valueLabel(QWidget *parent, const QString &accessibleName)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setAccessibleName(accessibleName);
    return label;
}

QHBoxLayout *buttonRow(QWidget *parent, const QList<QAction *> &actions)
{
    auto *row = new QHBoxLayout;
    for (QAction *action : actions) {
        auto *button = new QToolButton(parent);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAccessibleName(action->text().remove(u'&').remove(QStringLiteral("…")));
        row->addWidget(button);
    }
    row->addStretch(1);
    return row;
}

// A "Revoke" button inside a table row; its object name carries the id so
// tests and accessibility tools can find the right one.
QPushButton *revokeButton(QTableWidget *table, const QString &objectName, const QString &accessibleName)
{
    auto *button = new QPushButton(UserDetailView::tr("Revoke"), table);
    button->setObjectName(objectName);
    button->setAccessibleName(accessibleName);
    button->setToolTip(accessibleName);
    return button;
}

} // namespace

UserDetailView::UserDetailView(AuthRealmCore &core, QWidget *parent) : ScopedView(core, parent)
{
    m_setPassword = new QAction(tr("Set &password…"), this);
    m_setPassword->setToolTip(tr("Give the user a new password; their sessions end"));
    m_revokeAll = new QAction(tr("Revoke &all sessions"), this);
    m_revokeAll->setToolTip(tr("Sign the user out on every device"));
    m_addMembership = new QAction(tr("Add &membership…"), this);
    m_editMembership = new QAction(tr("&Edit roles…"), this);
    m_removeMembership = new QAction(tr("&Remove membership"), this);
    for (QAction *action : {m_setPassword, m_revokeAll, m_addMembership, m_editMembership, m_removeMembership})
        addAction(action);
    connect(m_setPassword, &QAction::triggered, this, &UserDetailView::setPassword);
    connect(m_revokeAll, &QAction::triggered, this, &UserDetailView::revokeAllSessions);
    connect(m_addMembership, &QAction::triggered, this, &UserDetailView::addMembership);
    connect(m_editMembership, &QAction::triggered, this, &UserDetailView::editMembership);
    connect(m_removeMembership, &QAction::triggered, this, &UserDetailView::removeMembership);

    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    heading.setPointSizeF(heading.pointSizeF() * 1.25);
    m_title->setFont(heading);
    auto *passwordButton = new QToolButton(this);
    passwordButton->setDefaultAction(m_setPassword);
    passwordButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    passwordButton->setAccessibleName(tr("Set password"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(passwordButton);

    auto *profile = new QGroupBox(tr("Profile"), this);
    m_email = valueLabel(profile, tr("Email"));
    m_displayName = valueLabel(profile, tr("Display name"));
    m_username = valueLabel(profile, tr("Username"));
    m_created = valueLabel(profile, tr("Created"));
    m_updated = valueLabel(profile, tr("Updated"));
    m_status = new QComboBox(profile);
    m_status->setAccessibleName(tr("Status"));
    for (UserStatus s : kStatuses)
        m_status->addItem(statusLabel(s), userStatusName(s));
    connect(m_status, &QComboBox::activated, this, &UserDetailView::changeStatus);
    auto *grid = new QGridLayout(profile);
    const auto addField = [&](int row, int column, const QString &label, QWidget *value) {
        auto *caption = new QLabel(label, profile);
        caption->setBuddy(value);
        grid->addWidget(caption, row, column * 2);
        // Left-aligned at their natural size: a status combo as wide as half the window reads badly.
        grid->addWidget(value, row, column * 2 + 1, Qt::AlignLeft | Qt::AlignVCenter);
    };
    addField(0, 0, tr("Email:"), m_email);
    addField(1, 0, tr("Display name:"), m_displayName);
    addField(2, 0, tr("Username:"), m_username);
    addField(0, 1, tr("&Status:"), m_status);
    addField(1, 1, tr("Created (UTC):"), m_created);
    addField(2, 1, tr("Updated (UTC):"), m_updated);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setHorizontalSpacing(16);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(buildMembershipTab(), tr("Products and roles"));
    m_tabs->addTab(buildSessionTab(), tr("Sessions"));
    m_tabs->addTab(buildTokenTab(), tr("Access tokens"));
    auto *security = new UserSecuritySection(core, m_tabs);
    addSection(security, tr("Two-step sign-in"));
    connect(this, &UserDetailView::userShown, security, &UserSecuritySection::showUser);
    // A TOTP reset or enrolment ends the user's sessions: show that.
    connect(security, &UserSecuritySection::changed, this, &UserDetailView::reload);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(profile);
    layout->addWidget(m_tabs, 1);
    showNoUser();
}

QWidget *UserDetailView::buildMembershipTab()
{
    auto *page = new QWidget(this);
    m_memberships = makeTable({tr("Product"), tr("Roles"), tr("Scopes granted")}, 2, tr("Memberships"), page);
    connect(m_memberships, &QTableWidget::itemSelectionChanged, this, &UserDetailView::updateActions);
    connect(m_memberships, &QTableWidget::cellActivated, this, [this] { editMembership(); });
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(buttonRow(page, {m_addMembership, m_editMembership, m_removeMembership}));
    layout->addWidget(m_memberships, 1);
    return page;
}

QWidget *UserDetailView::buildSessionTab()
{
    auto *page = new QWidget(this);
    m_sessions = makeTable({tr("Product"), tr("Device / user agent"), tr("IP address"), tr("Signed in (UTC)"), tr("Last used (UTC)"), QString()},
                           1, tr("Sessions"), page);
    auto *layout = new QVBoxLayout(page);
    layout->addLayout(buttonRow(page, {m_revokeAll}));
    layout->addWidget(m_sessions, 1);
    return page;
}

QWidget *UserDetailView::buildTokenTab()
{
    auto *page = new QWidget(this);
    m_tokens = makeTable({tr("Name"), tr("Product"), tr("Scopes"), tr("Created (UTC)"), tr("Expires (UTC)"), tr("Last used (UTC)"), QString()},
                         2, tr("Personal access tokens"), page);
    auto *hint = new QLabel(tr("Personal access tokens are minted by the user for scripts. Revoking one stops it at once."), page);
    hint->setWordWrap(true);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(hint);
    layout->addWidget(m_tokens, 1);
    return page;
}

void UserDetailView::setUser(const QString &realmId, const QString &userId)
{
    m_userId = userId;
    m_userRealm = realmId;
    if (realmId == this->realmId() && appId().isEmpty())
        reload();
    else
        setScope(realmId, {});
}

void UserDetailView::addSection(QWidget *page, const QString &title)
{
    m_tabs->addTab(page, title);
}

QString UserDetailView::who() const
{
    return m_user.displayName.isEmpty() ? m_user.email : QStringLiteral("%1 <%2>").arg(m_user.displayName, m_user.email);
}

void UserDetailView::showNoUser()
{
    m_loaded = false;
    m_title->setText(tr("No user selected"));
    for (QLabel *label : {m_email, m_displayName, m_username, m_created, m_updated})
        label->clear();
    m_memberships->setRowCount(0);
    m_sessions->setRowCount(0);
    m_tokens->setRowCount(0);
    m_status->setEnabled(false);
    m_tabs->setEnabled(false);
    updateActions();
}

void UserDetailView::load()
{
    showNoUser();
    // The navigation moved to another realm: this user is not part of it.
    if (m_userId.isEmpty() || realmId().isEmpty() || realmId() != m_userRealm) {
        emit userShown(realmId(), {});
        return;
    }
    const AdminActor by = consoleActor();
    m_user = core().admin().user(by, realmId(), m_userId);
    m_loaded = true;
    m_title->setText(who());
    m_email->setText(m_user.email);
    m_displayName->setText(m_user.displayName.isEmpty() ? tr("—") : m_user.displayName);
    m_username->setText(m_user.username.isEmpty() ? tr("—") : m_user.username);
    m_created->setText(consoleTime(m_user.createdAt));
    m_updated->setText(consoleTime(m_user.updatedAt));
    m_status->setCurrentIndex(int(kStatuses.indexOf(m_user.status)));
    m_status->setEnabled(true);
    m_tabs->setEnabled(true);
    m_apps = core().admin().apps(by, realmId());
    fillMemberships();
    fillSessions();
    fillTokens();
    updateActions();
    emit userShown(realmId(), m_userId);
}

void UserDetailView::fillMemberships()
{
    const AdminActor by = consoleActor();
    m_membershipList = core().admin().memberships(by, realmId(), m_userId);
    m_memberships->setRowCount(int(m_membershipList.size()));
    for (int row = 0; row < m_membershipList.size(); ++row) {
        const Membership &m = m_membershipList.at(row);
        QString product = m.appId;
        for (const App &app : std::as_const(m_apps)) {
            if (app.id == m.appId)
                product = QStringLiteral("%1 (%2)").arg(app.displayName, app.id);
        }
        QStringList scopes;
        for (const Role &role : core().admin().roles(by, realmId(), m.appId)) {
            if (m.roles.contains(role.name))
                scopes += role.scopes;
        }
        scopes.removeDuplicates();
        setRow(m_memberships, row, {product, m.roles.join(u", "), scopes.join(u"  ")});
    }
    m_memberships->resizeColumnsToContents();
    m_memberships->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
}

void UserDetailView::fillSessions()
{
    m_sessionList = core().admin().sessions(consoleActor(), realmId(), m_userId);
    // Most recently used first, like the realm's session list.
    std::sort(m_sessionList.begin(), m_sessionList.end(), [](const Session &a, const Session &b) { return a.lastUsedAt > b.lastUsedAt; });
    m_sessions->setRowCount(int(m_sessionList.size()));
    for (int row = 0; row < m_sessionList.size(); ++row) {
        const Session &s = m_sessionList.at(row);
        setRow(m_sessions, row, {s.appId, s.userAgent, s.ip, consoleTime(s.createdAt), consoleTime(s.lastUsedAt)});
        QPushButton *revoke = revokeButton(m_sessions, QStringLiteral("revoke-session-") + s.id,
                                           tr("Revoke the session from %1 (%2)").arg(s.ip, s.userAgent));
        connect(revoke, &QPushButton::clicked, this, [this, id = s.id] { revokeSession(id); });
        m_sessions->setCellWidget(row, 5, revoke);
    }
    m_sessions->resizeColumnsToContents();
    m_sessions->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_tabs->setTabText(1, tr("Sessions (%1)").arg(m_sessionList.size()));
}

void UserDetailView::fillTokens()
{
    m_tokenList = core().admin().personalAccessTokens(consoleActor(), realmId(), m_userId);
    m_tokens->setRowCount(int(m_tokenList.size()));
    for (int row = 0; row < m_tokenList.size(); ++row) {
        const PersonalAccessToken &t = m_tokenList.at(row);
        const bool expired = t.expiresAt <= core().clock().nowMs();
        setRow(m_tokens, row, {t.name, t.appId, t.scopes.join(u' '), consoleTime(t.createdAt),
                               expired ? tr("%1 (expired)").arg(consoleTime(t.expiresAt)) : consoleTime(t.expiresAt),
                               t.lastUsedAt > 0 ? consoleTime(t.lastUsedAt) : tr("never")});
        QPushButton *revoke = revokeButton(m_tokens, QStringLiteral("revoke-token-") + t.id, tr("Revoke the token %1").arg(t.name));
        connect(revoke, &QPushButton::clicked, this, [this, id = t.id] { revokeToken(id); });
        m_tokens->setCellWidget(row, 6, revoke);
    }
    m_tokens->resizeColumnsToContents();
    m_tokens->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_tabs->setTabText(2, tr("Access tokens (%1)").arg(m_tokenList.size()));
}

void UserDetailView::updateActions()
{
    const bool selected = m_loaded && m_memberships->currentRow() >= 0 && !m_memberships->selectedItems().isEmpty();
    m_setPassword->setEnabled(m_loaded);
    m_revokeAll->setEnabled(m_loaded && !m_sessionList.isEmpty());
    m_addMembership->setEnabled(m_loaded && m_membershipList.size() < m_apps.size());
    m_editMembership->setEnabled(selected);
    m_removeMembership->setEnabled(selected);
}

void UserDetailView::changeStatus(int index)
{
    if (!m_loaded || index < 0 || index >= kStatuses.size())
        return;
    const UserStatus status = kStatuses.at(index);
    if (status == m_user.status)
        return;
    if (status != UserStatus::Active) {
        const QString text = status == UserStatus::Suspended
                ? tr("Suspend %1? They cannot sign in until reactivated, and their %n active session(s) end at once.", nullptr,
                     int(m_sessionList.size())).arg(who())
                : tr("Deactivate %1? They cannot sign in any more, and their %n active session(s) end at once.", nullptr,
                     int(m_sessionList.size())).arg(who());
        if (!confirmDestructive(this, tr("Change status"), text)) {
            m_status->setCurrentIndex(int(kStatuses.indexOf(m_user.status)));
            return;
        }
    }
    runConsoleAction(this, tr("Change status"), [&] { core().admin().setStatus(consoleActor(), realmId(), m_userId, status); });
    reload();
}

void UserDetailView::setPassword()
{
    if (!m_loaded)
        return;
    SetPasswordDialog dialog(who(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString password = dialog.password();
    runConsoleAction(this, tr("Set password"), [&] { core().admin().resetPassword(consoleActor(), realmId(), m_userId, password); });
    reload();
}

void UserDetailView::revokeSession(const QString &sessionId)
{
    const auto it = std::find_if(m_sessionList.cbegin(), m_sessionList.cend(), [&](const Session &s) { return s.id == sessionId; });
    if (it == m_sessionList.cend())
        return;
    if (!confirmDestructive(this, tr("Revoke session"),
                            tr("Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are "
                               "refused at once.").arg(who(), it->ip, it->userAgent)))
        return;
    runConsoleAction(this, tr("Revoke session"), [&] { core().admin().revokeSession(consoleActor(), realmId(), m_userId, sessionId); });
    reload();
}

void UserDetailView::revokeAllSessions()
{
    if (!m_loaded)
        return;
    if (!confirmDestructive(this, tr("Revoke all sessions"),
                            tr("Sign %1 out on every device? %n active session(s) end at once.", nullptr, int(m_sessionList.size())).arg(who())))
        return;
    runConsoleAction(this, tr("Revoke all sessions"), [&] { (void)core().admin().revokeAllSessions(consoleActor(), realmId(), m_userId); });
    reload();
}

void UserDetailView::revokeToken(const QString &tokenId)
{
    const auto it = std::find_if(m_tokenList.cbegin(), m_tokenList.cend(), [&](const PersonalAccessToken &t) { return t.id == tokenId; });
    if (it == m_tokenList.cend())
        return;
    if (!confirmDestructive(this, tr("Revoke access token"),
                            tr("Revoke the personal access token \"%1\" of %2? Scripts using it stop working at once.").arg(it->name, who())))
        return;
    runConsoleAction(this, tr("Revoke access token"),
                     [&] { core().admin().revokePersonalAccessToken(consoleActor(), realmId(), m_userId, tokenId); });
    reload();
}

void UserDetailView::addMembership()
{
    if (!m_loaded)
        return;
    QList<App> choices;
    for (const App &app : std::as_const(m_apps)) {
        const bool member = std::any_of(m_membershipList.cbegin(), m_membershipList.cend(), [&](const Membership &m) { return m.appId == app.id; });
        if (!member)
            choices.append(app);
    }
    if (choices.isEmpty())
        return;
    MembershipDialog dialog(core(), realmId(), choices, {}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Membership membership = dialog.membership();
    runConsoleAction(this, tr("Add membership"), [&] { core().admin().setMembership(consoleActor(), realmId(), m_userId, membership); });
    reload();
}

void UserDetailView::editMembership()
{
    const int row = m_memberships->currentRow();
    if (!m_loaded || row < 0 || row >= m_membershipList.size())
        return;
    const Membership current = m_membershipList.at(row);
    QList<App> product;
    for (const App &app : std::as_const(m_apps)) {
        if (app.id == current.appId)
            product.append(app);
    }
    if (product.isEmpty())
        product.append(App{realmId(), current.appId, current.appId, 0});
    MembershipDialog dialog(core(), realmId(), product, current.roles, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Membership membership = dialog.membership();
    runConsoleAction(this, tr("Edit roles"), [&] { core().admin().setMembership(consoleActor(), realmId(), m_userId, membership); });
    reload();
}

void UserDetailView::removeMembership()
{
    const int row = m_memberships->currentRow();
    if (!m_loaded || row < 0 || row >= m_membershipList.size())
        return;
    const QString appId = m_membershipList.at(row).appId;
    if (!confirmDestructive(this, tr("Remove membership"),
                            tr("Remove %1 from product %2? They lose every role they hold in it.").arg(who(), appId)))
        return;
    runConsoleAction(this, tr("Remove membership"), [&] { core().admin().removeMembership(consoleActor(), realmId(), m_userId, appId); });
    reload();
}

} // namespace authrealm
