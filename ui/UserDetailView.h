#pragma once

#include "ScopedView.h"
#include "domain/Entities.h"

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace authrealm {

// One user: profile, status (suspending or deactivating ends their sessions,
// after a confirmation), memberships and roles per product, active sessions
// and personal access tokens with revocation, and "Set password…". Every
// change is an audited AdminService call made as the console actor.
class UserDetailView : public ScopedView
{
    Q_OBJECT
public:
    explicit UserDetailView(AuthRealmCore &core, QWidget *parent = nullptr);

    // Shows this user (also sets the scope to their realm).
    void setUser(const QString &realmId, const QString &userId);
    [[nodiscard]] const QString &userId() const { return m_userId; }

    // Adds a section (tab) owned by someone else, e.g. two-step sign-in once
    // the model has it; it follows userShown() to know whose data to show.
    void addSection(QWidget *page, const QString &title);

    [[nodiscard]] QComboBox *statusBox() const { return m_status; }
    [[nodiscard]] QTableWidget *membershipTable() const { return m_memberships; }
    [[nodiscard]] QTableWidget *sessionTable() const { return m_sessions; }
    [[nodiscard]] QTableWidget *tokenTable() const { return m_tokens; }
    [[nodiscard]] QAction *setPasswordAction() const { return m_setPassword; }
    [[nodiscard]] QAction *revokeAllAction() const { return m_revokeAll; }
    [[nodiscard]] QAction *addMembershipAction() const { return m_addMembership; }
    [[nodiscard]] QAction *editMembershipAction() const { return m_editMembership; }
    [[nodiscard]] QAction *removeMembershipAction() const { return m_removeMembership; }

public slots:
    void changeStatus(int index);
    void setPassword();
    void revokeSession(const QString &sessionId);
    void revokeAllSessions();
    void revokeToken(const QString &tokenId);
    void addMembership();
    void editMembership();
    void removeMembership();

signals:
    // A user was (re)loaded into the view; empty userId: none is shown.
    void userShown(const QString &realmId, const QString &userId);

protected:
    void load() override;

private:
    QWidget *buildMembershipTab();
    QWidget *buildSessionTab();
    QWidget *buildTokenTab();
    void showNoUser();
    void fillMemberships();
    void fillSessions();
    void fillTokens();
    void updateActions();
    [[nodiscard]] QString who() const;

    QString m_userId;
    QString m_userRealm;
    User m_user;
    bool m_loaded = false;
    QList<Membership> m_membershipList;
    QList<App> m_apps;
    QList<Session> m_sessionList;
    QList<PersonalAccessToken> m_tokenList;

    QLabel *m_title;
    QLabel *m_email;
    QLabel *m_displayName;
    QLabel *m_username;
    QLabel *m_created;
    QLabel *m_updated;
    QComboBox *m_status;
    QTabWidget *m_tabs;
    QTableWidget *m_memberships;
    QTableWidget *m_sessions;
    QTableWidget *m_tokens;
    QAction *m_setPassword;
    QAction *m_revokeAll;
    QAction *m_addMembership;
    QAction *m_editMembership;
    QAction *m_removeMembership;
};

} // namespace authrealm
