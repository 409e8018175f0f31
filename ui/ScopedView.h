#pragma once

#include <QWidget>

namespace authrealm {

class AuthRealmCore;

// What every management view shares: the navigation scope (a realm, and a
// product or none) and lazy loading. A view reads the database only while it
// is visible: a scope change or reload() on a hidden view just marks it stale,
// and the next showEvent loads it.
class ScopedView : public QWidget
{
    Q_OBJECT
public:
    explicit ScopedView(AuthRealmCore &core, QWidget *parent = nullptr);

    // appId empty: the whole realm.
    void setScope(const QString &realmId, const QString &appId);
    [[nodiscard]] const QString &realmId() const { return m_realmId; }
    [[nodiscard]] const QString &appId() const { return m_appId; }

public slots:
    // Re-reads from the database (File → Reload, F5).
    void reload();

signals:
    // Double-click on something that stands for a user: the window opens its detail.
    void userActivated(const QString &realmId, const QString &userId);

protected:
    // Fills the view from the database for the current scope. Runs only while visible.
    virtual void load() = 0;
    void showEvent(QShowEvent *event) override;
    AuthRealmCore &core() const { return m_core; }
    // Where keyboard focus belongs after an action here (the view's list or
    // table); by default the first widget of the view that Tab reaches.
    [[nodiscard]] virtual QWidget *focusTarget() const;
    // Call when an action ends: a focused button the action disabled hands
    // focus on along the tab chain, which wraps out of the view to the server
    // bar's Start/Stop, where one Space would stop the server. This brings it
    // back to focusTarget() unless it is still on an enabled widget here.
    // reload() does this by itself when focus was in the view.
    void keepFocusInView();

private:
    void loadIfVisible();

    AuthRealmCore &m_core;
    QString m_realmId;
    QString m_appId;
    bool m_stale = true;
};

} // namespace authrealm
