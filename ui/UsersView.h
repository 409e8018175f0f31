#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace authrealm {

class AuthRealmCore;
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
    QTableView *m_table;
};

} // namespace authrealm
