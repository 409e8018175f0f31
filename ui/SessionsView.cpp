#include "SessionsView.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "LazyTable.h"
#include "items/SessionListModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSet>

#include <algorithm>
#include <QToolButton>
#include <QVBoxLayout>

namespace authrealm {

SessionsView::SessionsView(AuthRealmCore &core, QWidget *parent)
    : ScopedView(core, parent), m_model(new SessionListModel(core.sessions(), core.clock(), this))
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText);
    QFont heading = m_title->font();
    heading.setBold(true);
    m_title->setFont(heading);

    m_table = new LazyTable(m_model, SessionListModel::UserAgent, tr("Active sessions"), this);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);

    m_revoke = new QAction(tr("&Revoke"), this);
    m_revoke->setToolTip(tr("Sign the selected sessions out"));
    m_revoke->setShortcut(QKeySequence::Delete);
    m_revoke->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_revokeUser = new QAction(tr("Revoke all for this &user"), this);
    m_revokeUser->setToolTip(tr("Sign the selected session's user out everywhere"));
    addAction(m_revoke);
    addAction(m_revokeUser);
    connect(m_revoke, &QAction::triggered, this, &SessionsView::revokeSelected);
    connect(m_revokeUser, &QAction::triggered, this, &SessionsView::revokeAllOfSelectedUser);

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    for (QAction *action : {m_revoke, m_revokeUser}) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAccessibleName(action->text().remove(u'&'));
        top->addWidget(button);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SessionsView::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SessionsView::updateActions);
    // Queued: fetchMore runs inside the table's layout code, no place for a modal box.
    connect(m_model, &SessionListModel::loadFailed, this,
            [this](const QString &message) { showActionError(this, tr("Cannot read the sessions"), message); }, Qt::QueuedConnection);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            emit userActivated(realmId(), m_model->rowAt(index.row()).session.userId);
    });
    updateActions();
}

void SessionsView::load()
{
    m_title->setText(realmId().isEmpty() ? tr("No realm selected") : tr("Active sessions in realm %1").arg(realmId()));
    m_model->setRealm(realmId());
    m_table->showFirstPage();
}

QWidget *SessionsView::focusTarget() const
{
    return m_table;
}

QList<int> SessionsView::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void SessionsView::updateActions()
{
    const qsizetype selected = m_table->selectionModel()->selectedRows().size();
    m_revoke->setEnabled(selected > 0);
    m_revokeUser->setEnabled(selected == 1);
}

void SessionsView::revokeSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    QList<Session> sessions;
    QStringList who;
    for (int row : rows) {
        sessions.append(m_model->rowAt(row).session);
        who.append(m_model->rowAt(row).email);
    }
    who.removeDuplicates();
    const QString text = sessions.size() == 1
            ? tr("Sign %1 out of the session from %2 (%3)? Its refresh token stops working and its access tokens are refused at once.")
                  .arg(who.constFirst(), sessions.constFirst().ip, sessions.constFirst().userAgent)
            : tr("Sign out %n session(s) of %1? Their refresh tokens stop working and their access tokens are refused at once.",
                 nullptr, int(sessions.size())).arg(who.join(u", "));
    if (!confirmDestructive(this, tr("Revoke sessions"), text))
        return;
    for (const Session &s : std::as_const(sessions)) {
        if (!runConsoleAction(this, tr("Revoke session"), [&] { core().admin().revokeSession(consoleActor(), realmId(), s.userId, s.id); }))
            break;
    }
    reload(); // keeps focus in this view: the Revoke buttons it disables had it
}

void SessionsView::revokeAllOfSelectedUser()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1)
        return;
    const SessionStore::SessionRow row = m_model->rowAt(rows.constFirst());
    if (!confirmDestructive(this, tr("Revoke all sessions"),
                            tr("Sign %1 out on every device? All of their sessions in realm %2 end at once.").arg(row.email, realmId())))
        return;
    runConsoleAction(this, tr("Revoke all sessions"),
                     [&] { (void)core().admin().revokeAllSessions(consoleActor(), realmId(), row.session.userId); });
    reload(); // keeps focus in this view: the Revoke buttons it disables had it
}

} // namespace authrealm
