#pragma once

#include "ScopedView.h"

class QAction;
class QLabel;

namespace authrealm {

class LazyTable;
class SessionListModel;

// Every active sign-in session of a realm, most recently used first, paged
// lazily. Revoking ends the session's refresh-token family and puts it on the
// revocation list, so its access tokens are refused at once.
class SessionsView : public ScopedView
{
    Q_OBJECT
public:
    explicit SessionsView(AuthRealmCore &core, QWidget *parent = nullptr);

    [[nodiscard]] LazyTable *table() const { return m_table; }
    [[nodiscard]] SessionListModel *model() const { return m_model; }
    [[nodiscard]] QAction *revokeAction() const { return m_revoke; }
    [[nodiscard]] QAction *revokeUserAction() const { return m_revokeUser; }

public slots:
    void revokeSelected();
    void revokeAllOfSelectedUser();

protected:
    void load() override;
    [[nodiscard]] QWidget *focusTarget() const override;

private:
    [[nodiscard]] QList<int> selectedRows() const;
    void updateActions();

    SessionListModel *m_model;
    QLabel *m_title;
    LazyTable *m_table;
    QAction *m_revoke;
    QAction *m_revokeUser;
};

} // namespace authrealm
