#include "UserSecuritySection.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"
#include "TotpEnrolmentDialog.h"
#include "admin/AdminService.h"
#include "auth/MfaService.h"
#include "auth/SignInThrottle.h"
#include "core/Clock.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace authrealm {

UserSecuritySection::UserSecuritySection(AuthRealmCore &core, QWidget *parent) : QWidget(parent), m_core(core)
{
    m_totp = new QLabel(this);
    m_totp->setAccessibleName(tr("Two-step sign-in state"));
    m_totp->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lock = new QLabel(this);
    m_lock->setAccessibleName(tr("Sign-in lockout state"));
    m_lock->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lock->setWordWrap(true);

    m_setUp = new QPushButton(tr("Set &up two-step sign-in…"), this);
    m_setUp->setToolTip(tr("Show a QR code for the user's authenticator app and turn TOTP on with a code from it"));
    m_reset = new QPushButton(tr("&Reset two-step sign-in…"), this);
    m_reset->setToolTip(tr("Remove the user's authenticator and backup codes (lost phone); ends their sessions"));
    m_unlock = new QPushButton(tr("Un&lock sign-in"), this);
    m_unlock->setToolTip(tr("Forget failed sign-in attempts and lift the lockout"));
    connect(m_setUp, &QPushButton::clicked, this, &UserSecuritySection::setUpTotp);
    connect(m_reset, &QPushButton::clicked, this, &UserSecuritySection::resetTotp);
    connect(m_unlock, &QPushButton::clicked, this, &UserSecuritySection::unlockSignIn);

    auto *form = new QFormLayout;
    form->addRow(tr("Two-step sign-in (TOTP):"), m_totp);
    form->addRow(tr("Brute-force protection:"), m_lock);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_setUp);
    buttons->addWidget(m_reset);
    buttons->addWidget(m_unlock);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addStretch(1);
    showUser({}, {});
}

QString UserSecuritySection::who() const
{
    return m_user.displayName.isEmpty() ? m_user.email : QStringLiteral("%1 <%2>").arg(m_user.displayName, m_user.email);
}

void UserSecuritySection::showUser(const QString &realmId, const QString &userId)
{
    m_realmId = realmId;
    m_userId = userId;
    refresh();
}

void UserSecuritySection::refresh()
{
    m_totpOn = false;
    m_lockedUntil = 0;
    m_failures = 0;
    const bool ok = !m_userId.isEmpty() && runConsoleAction(this, tr("Sign-in security not shown"), [&] {
        m_user = m_core.admin().user(consoleActor(), m_realmId, m_userId);
        m_totpOn = m_core.mfa().enabled(m_userId);
        // The same lookup as the admin API's signInLockedUntil, by every login the user has.
        QStringList logins{m_user.email};
        if (!m_user.username.isEmpty())
            logins.append(m_user.username);
        for (const QString &login : logins) {
            const SignInThrottle::State state = m_core.throttle().accountState(m_realmId, login);
            m_lockedUntil = std::max(m_lockedUntil, state.lockedUntil);
            m_failures = std::max(m_failures, state.failures);
        }
    });
    if (!ok) {
        m_userId.clear();
        m_totp->setText(tr("—"));
        m_lock->setText(tr("—"));
        m_setUp->setEnabled(false);
        m_reset->setEnabled(false);
        m_unlock->setEnabled(false);
        return;
    }
    const bool locked = m_lockedUntil > m_core.clock().nowMs();
    if (!locked)
        m_lockedUntil = 0;
    m_totp->setText(m_totpOn ? tr("On (authenticator app and backup codes)") : tr("Off"));
    if (locked)
        m_lock->setText(tr("Locked until %1 UTC after %n failed attempt(s)", nullptr, m_failures).arg(consoleTime(m_lockedUntil)));
    else if (m_failures > 0)
        m_lock->setText(tr("Not locked (%n recent failed attempt(s))", nullptr, m_failures));
    else
        m_lock->setText(tr("Not locked"));
    m_setUp->setEnabled(!m_totpOn);
    m_reset->setEnabled(m_totpOn);
    m_unlock->setEnabled(locked || m_failures > 0);
}

void UserSecuritySection::resetTotp()
{
    if (m_userId.isEmpty()
        || !confirmDestructive(this, tr("Reset two-step sign-in"),
                               tr("Remove the authenticator and backup codes of %1 and end all their sessions? "
                                  "They sign in with the password alone until they set up two-step sign-in again.")
                                   .arg(who())))
        return;
    runConsoleAction(this, tr("Two-step sign-in not reset"),
                     [&] { (void)m_core.admin().resetTotp(consoleActor(), m_realmId, m_userId); });
    refresh();
    emit changed();
}

void UserSecuritySection::unlockSignIn()
{
    if (m_userId.isEmpty())
        return;
    runConsoleAction(this, tr("Sign-in not unlocked"), [&] { (void)m_core.admin().unlockUser(consoleActor(), m_realmId, m_userId); });
    refresh();
}

void UserSecuritySection::setUpTotp()
{
    if (m_userId.isEmpty())
        return;
    TotpEnrolmentDialog dialog(m_core, m_realmId, m_userId, who(), this);
    if (dialog.begin())
        dialog.exec();
    refresh();
    if (dialog.confirmed())
        emit changed();
}

} // namespace authrealm
