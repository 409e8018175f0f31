#pragma once

#include "domain/Entities.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace authrealm {

class AuthRealmCore;

// The "Two-step sign-in" section of the user detail: whether TOTP is on,
// whether brute-force protection has locked the account and until when, and
// the admin actions on them (reset TOTP after a lost phone, lift a lockout,
// set up TOTP at the desk with a QR code). Follows UserDetailView::userShown.
class UserSecuritySection : public QWidget
{
    Q_OBJECT
public:
    explicit UserSecuritySection(AuthRealmCore &core, QWidget *parent = nullptr);

    [[nodiscard]] QLabel *totpLabel() const { return m_totp; }
    [[nodiscard]] QLabel *lockLabel() const { return m_lock; }
    [[nodiscard]] QPushButton *resetButton() const { return m_reset; }
    [[nodiscard]] QPushButton *unlockButton() const { return m_unlock; }
    [[nodiscard]] QPushButton *setUpButton() const { return m_setUp; }
    [[nodiscard]] bool totpOn() const { return m_totpOn; }
    [[nodiscard]] qint64 lockedUntil() const { return m_lockedUntil; }

public slots:
    // Empty userId: no user (everything disabled).
    void showUser(const QString &realmId, const QString &userId);
    // Re-reads TOTP and lock state from the database.
    void refresh();
    void resetTotp();
    void unlockSignIn();
    void setUpTotp();

signals:
    // Something changed the user's sessions (reset or enrolment ends them).
    void changed();

private:
    [[nodiscard]] QString who() const;

    AuthRealmCore &m_core;
    QString m_realmId;
    QString m_userId;
    User m_user;
    bool m_totpOn = false;
    qint64 m_lockedUntil = 0;
    int m_failures = 0;
    QLabel *m_totp;
    QLabel *m_lock;
    QPushButton *m_reset;
    QPushButton *m_unlock;
    QPushButton *m_setUp;
};

} // namespace authrealm
