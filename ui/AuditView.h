#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace authrealm {

class AuditEventModel;
class AuthRealmCore;
class LazyTable;

// The audit log of a realm, newest first, filtered by kind, actor and
// outcome, with "Verify chain". Pages load as the view scrolls.
class AuditView : public QWidget
{
    Q_OBJECT
public:
    explicit AuditView(AuthRealmCore &core, QWidget *parent = nullptr);
    void reload();

private:
    void applyFilter();
    void verifyChain();

    AuthRealmCore &m_core;
    AuditEventModel *m_model;
    QComboBox *m_realm;
    QLineEdit *m_kinds;
    QLineEdit *m_actor;
    QComboBox *m_outcome;
    LazyTable *m_table;
    QLabel *m_chain;
};

} // namespace authrealm
