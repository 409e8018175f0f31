#include "ScopedView.h"

#include "ConsoleActor.h"

namespace authrealm {

ScopedView::ScopedView(AuthRealmCore &core, QWidget *parent) : QWidget(parent), m_core(core) {}

void ScopedView::setScope(const QString &realmId, const QString &appId)
{
    if (realmId == m_realmId && appId == m_appId && !m_stale)
        return;
    m_realmId = realmId;
    m_appId = appId;
    m_stale = true;
    loadIfVisible();
}

void ScopedView::reload()
{
    m_stale = true;
    loadIfVisible();
}

void ScopedView::keepFocusInView()
{
    QWidget *target = focusTarget();
    if (!target || !target->isEnabled() || !target->isVisible())
        return;
    // The window's focus widget, also while a closing message box still has the activation.
    const QWidget *focus = window()->focusWidget();
    if (focus && isAncestorOf(focus) && focus->isEnabled() && focus->isVisible())
        return;
    target->setFocus(Qt::OtherFocusReason);
}

void ScopedView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    loadIfVisible();
}

void ScopedView::loadIfVisible()
{
    if (!m_stale || !isVisible())
        return;
    m_stale = false;
    // Reloading after an action disables the buttons that no longer apply;
    // if one of them had focus, it stays in this view (see keepFocusInView).
    const QWidget *focus = window()->focusWidget();
    const bool focusWasHere = focus && isAncestorOf(focus);
    // A database that went away becomes a message, not a crash.
    runConsoleAction(this, tr("Cannot read the database"), [this] { load(); });
    if (focusWasHere)
        keepFocusInView();
}

QWidget *ScopedView::focusTarget() const
{
    // The first widget of this view that Tab would reach.
    for (QWidget *w = nextInFocusChain(); w && w != this && isAncestorOf(w); w = w->nextInFocusChain()) {
        if ((w->focusPolicy() & Qt::TabFocus) && w->isEnabled() && w->isVisible())
            return w;
    }
    return nullptr;
}

} // namespace authrealm
