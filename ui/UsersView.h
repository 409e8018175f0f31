#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;

namespace authrealm {

class AuthRealmCore;
class LazyTable;
class UserListModel;

// Users of the selected realm, searchable by email prefix and status; rows
// load lazily as the view scrolls (UserListModel pages through the database).
class UsersView : public QWidget
{
    Q_OBJECT
public:
    explicit UsersView(AuthRealmCore &core, QWidget *parent = nullptr);
    void setScope(const QString &realmId, const QString &appId);
    void reload();
    // Opens the "New user" dialog; returns the new user's id or empty.
    QString createUserInteractively();
    void focusSearch();

signals:
    void userActivated(const QString &realmId, const QString &userId);

private:
    void applyFilter();

    AuthRealmCore &m_core;
    UserListModel *m_model;
    QString m_realmId;
    QString m_appId;
    QComboBox *m_field;
    QLineEdit *m_search;
    QComboBox *m_status;
    QPushButton *m_newUser;
    LazyTable *m_table;
};

} // namespace authrealm
