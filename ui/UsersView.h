#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;

namespace authrealm {

class AuthRealmCore;
class LazyTable;
class UserListModel;

// Users of a realm, searchable by email prefix and status; rows load lazily
// as the view scrolls (UserListModel pages through the database).
class UsersView : public QWidget
{
    Q_OBJECT
public:
    explicit UsersView(AuthRealmCore &core, QWidget *parent = nullptr);
    void reload();

private:
    void applyFilter();

    AuthRealmCore &m_core;
    UserListModel *m_model;
    QComboBox *m_realm;
    QLineEdit *m_search;
    QComboBox *m_status;
    LazyTable *m_table;
};

} // namespace authrealm
