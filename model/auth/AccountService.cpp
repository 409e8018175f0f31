#include "auth/AccountService.h"

#include "auth/PasswordPolicy.h"
#include "auth/PatService.h"
#include "auth/RevocationList.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "crypto/PasswordHasher.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "mail/MailTemplates.h"
#include "mail/Mailer.h"
#include "storage/AccountTokenStore.h"
#include "storage/AuditLog.h"
#include "storage/RateCounters.h"
#include "storage/RealmStore.h"
#include "storage/SessionStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QUuid>

namespace authrealm {

namespace {
constexpr int kLinkTokenBytes = 32;
constexpr qint64 kHourMs = 3'600'000;

[[noreturn]] void invalidAccountToken()
{
    throw DomainError(ErrorCode::InvalidAccountToken, QStringLiteral("The link or code is invalid, expired or already used"));
}

[[noreturn]] void invalidCode()
{
    throw DomainError(ErrorCode::InvalidCredentials, QStringLiteral("Invalid email or code"));
}

QString minutes(qint64 seconds)
{
    return QString::number((seconds + 59) / 60);
}

// Uniform over 000000-999999: rejection sampling avoids the modulo bias.
QString sixDigitCode()
{
    for (;;) {
        const QByteArray bytes = randomBytes(4);
        quint32 value = 0;
        for (char b : bytes)
            value = (value << 8) | quint8(b);
        constexpr quint32 limit = 4'294'000'000u; // a multiple of 1,000,000
        if (value < limit)
            return QStringLiteral("%1").arg(value % 1'000'000u, 6, 10, QLatin1Char('0'));
    }
}

bool isSixDigits(const QString &code)
{
    if (code.size() != 6)
        return false;
    for (const QChar c : code) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}
} // namespace

bool AccountService::looksLikeLinkToken(const QString &token)
{
    if (token.size() != 43)
        return false;
    for (const QChar ch : token) {
        const char16_t c = ch.unicode();
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' || c == u'_';
        if (!ok)
            return false;
    }
    return true;
}

QString AccountService::normalizedEmail(const QString &email) const
{
    const QString trimmed = email.trimmed();
    if (!Validate::email(trimmed))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"email\" must be an email address"));
    return trimmed;
}

QString AccountService::codeHash(const QString &userId, const QString &code) const
{
    // Bound to the user: a six-digit code is guessable, its hash for another
    // user tells nothing, and the key (outside the DB) stops offline guessing.
    return d.tokenHasher.hashHex(QStringLiteral("email-code\n%1\n%2").arg(userId, code).toUtf8());
}

void AccountService::audit(const QString &realmId, const QString &kind, const QString &userId, const ClientInfo &client,
                           const QString &outcome, const QString &summary) const
{
    const QString actor = userId.isEmpty() ? QStringLiteral("anonymous") : QStringLiteral("user:") + userId;
    d.audit.record(AuditEvent::of(realmId, kind, actor, outcome).target(QStringLiteral("user"), userId).from(client.ip, client.userAgent)
                       .says(summary));
}

void AccountService::endEverything(const QString &realmId, const QString &userId, const QString &reason, qint64 now,
                                   QStringList &endedSessions, int &revokedPats) const
{
    endedSessions = d.sessions.revokeUserSessions(realmId, userId, reason, now);
    revokedPats = d.pats.revokeAllOfUser(realmId, userId, now);
}

// ---- email verification -------------------------------------------------

bool AccountService::requestEmailVerification(const Principal &caller, const ClientInfo &client) const
{
    caller.requireInteractiveSession();
    const std::optional<User> user = d.users.user(caller.realmId, caller.userId);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    if (user->emailVerified)
        return false;
    const RealmSettings settings = d.realms.settings(caller.realmId);
    const qint64 now = d.clock.nowMs();
    const AccountTokenStore::Sent sent = d.tokens.sentSince(user->id, AccountTokenStore::kVerifyEmail, now - kHourMs);
    if (sent.count >= settings.passwordResetLimitPerAccount()) {
        audit(caller.realmId, QStringLiteral("email_verification.rate_limited"), user->id, client, QStringLiteral("denied"),
              QStringLiteral("%1 verification mails in the last hour; none sent").arg(sent.count));
        return true;
    }
    const QString token = randomToken(kLinkTokenBytes);
    Transaction tx(d.db);
    d.tokens.issue(caller.realmId, user->id, AccountTokenStore::kVerifyEmail, d.tokenHasher.hashHex(token.toUtf8()), now,
                   now + settings.emailVerificationLifetime() * 1000);
    const qint64 mailId = d.mailer.send(caller.realmId, *user, MailTemplates::kVerifyEmail,
                                        {{QStringLiteral("link"), d.mailer.link(caller.realmId, QStringLiteral("verifyEmail"), token)},
                                         {QStringLiteral("token"), token},
                                         {QStringLiteral("validMinutes"), minutes(settings.emailVerificationLifetime())}});
    audit(caller.realmId, QStringLiteral("email_verification.requested"), user->id, client, QStringLiteral("success"),
          QStringLiteral("verification mail %1 queued; earlier links invalidated").arg(mailId));
    tx.commit();
    return true;
}

void AccountService::confirmEmail(const QString &realmId, const QString &token, const ClientInfo &client) const
{
    if (!looksLikeLinkToken(token))
        invalidAccountToken();
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    const std::optional<QString> userId = d.tokens.consume(realmId, AccountTokenStore::kVerifyEmail, d.tokenHasher.hashHex(token.toUtf8()), now);
    if (!userId) {
        audit(realmId, QStringLiteral("email_verification.failure"), {}, client, QStringLiteral("failure"),
              QStringLiteral("unknown, used or expired verification token"));
        tx.commit();
        invalidAccountToken();
    }
    d.users.setEmailVerified(*userId, true, now);
    audit(realmId, QStringLiteral("email_verification.confirmed"), *userId, client, QStringLiteral("success"),
          QStringLiteral("email address verified"));
    tx.commit();
}

// ---- forgotten password -------------------------------------------------

void AccountService::forgotPassword(const QString &realmId, const QString &email, const ClientInfo &client) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    if (!settings.forgotPasswordEnabled())
        throw DomainError(ErrorCode::FeatureDisabled, QStringLiteral("Password reset by email is switched off in this realm"));
    const QString address = normalizedEmail(email);
    const qint64 now = d.clock.nowMs();
    // The same work whatever the email: a lookup, a fresh token and its
    // hash, two counter writes, the mail rendering reads and one audit event.
    const std::optional<User> user = d.users.findByLogin(realmId, address);
    const QString token = randomToken(kLinkTokenBytes);
    const QString tokenHash = d.tokenHasher.hashHex(token.toUtf8());
    const QString link = d.mailer.link(realmId, QStringLiteral("resetPassword"), token);
    const QString accountBucket = QStringLiteral("reset:account:") + d.tokenHasher.hashHex((QStringLiteral("email\n") + Validate::emailKey(address)).toUtf8());
    const QString addressBucket = QStringLiteral("reset:ip:") + client.ip;

    Transaction tx(d.db);
    const bool accountOk = d.rates.hit(realmId, accountBucket, now, kHourMs, settings.passwordResetLimitPerAccount());
    const bool addressOk = d.rates.hit(realmId, addressBucket, now, kHourMs, settings.passwordResetLimitPerAddress());
    const QString userId = user ? user->id : QString();
    if (!accountOk || !addressOk) {
        audit(realmId, QStringLiteral("password_reset.rate_limited"), userId, client, QStringLiteral("denied"),
              QStringLiteral("over the %1 limit; no mail sent for %2")
                  .arg(accountOk ? QStringLiteral("per-address") : QStringLiteral("per-account"), address.left(254)));
    } else if (!user || user->status != UserStatus::Active) {
        d.tokens.rehearseIssue(AccountTokenStore::kResetPassword, now);
        d.mailer.rehearse(realmId, address, MailTemplates::kResetPassword,
                          {{QStringLiteral("link"), link}, {QStringLiteral("token"), token},
                           {QStringLiteral("validMinutes"), minutes(settings.passwordResetLifetime())}});
        audit(realmId, QStringLiteral("password_reset.unknown_account"), userId, client, QStringLiteral("failure"),
              QStringLiteral("no active account for %1; no mail sent").arg(address.left(254)));
    } else {
        d.tokens.issue(realmId, user->id, AccountTokenStore::kResetPassword, tokenHash, now, now + settings.passwordResetLifetime() * 1000);
        const qint64 mailId = d.mailer.send(realmId, *user, MailTemplates::kResetPassword,
                                            {{QStringLiteral("link"), link},
                                             {QStringLiteral("token"), token},
                                             {QStringLiteral("validMinutes"), minutes(settings.passwordResetLifetime())}});
        audit(realmId, QStringLiteral("password_reset.requested"), user->id, client, QStringLiteral("success"),
              QStringLiteral("reset mail %1 queued; earlier reset links invalidated").arg(mailId));
    }
    tx.commit();
}

void AccountService::resetPassword(const QString &realmId, const QString &token, const QString &newPassword, const ClientInfo &client) const
{
    if (!looksLikeLinkToken(token))
        invalidAccountToken();
    const RealmSettings settings = d.realms.settings(realmId);
    // The policy is checked before the token is spent, so a refused password
    // does not burn the link.
    PasswordPolicy::forRealm(settings).check(newPassword);
    const QString hash = d.hasher.hash(newPassword); // argon2id outside the write lock
    const qint64 now = d.clock.nowMs();
    QStringList ended;
    int pats = 0;
    {
        Transaction tx(d.db);
        const std::optional<QString> userId = d.tokens.consume(realmId, AccountTokenStore::kResetPassword,
                                                               d.tokenHasher.hashHex(token.toUtf8()), now);
        const std::optional<User> user = userId ? d.users.user(realmId, *userId) : std::nullopt;
        if (!user) {
            audit(realmId, QStringLiteral("password_reset.failure"), {}, client, QStringLiteral("failure"),
                  QStringLiteral("unknown, used or expired reset token"));
            tx.commit();
            invalidAccountToken();
        }
        d.users.setPasswordHash(user->id, hash, now);
        // Opening the link proved the mailbox.
        d.users.setEmailVerified(user->id, true, now);
        endEverything(realmId, user->id, QStringLiteral("password_reset"), now, ended, pats);
        d.mailer.send(realmId, *user, MailTemplates::kPasswordChanged,
                      {{QStringLiteral("time"), d.clock.now().toString(QStringLiteral("yyyy-MM-dd HH:mm"))}});
        audit(realmId, QStringLiteral("password_reset.completed"), user->id, client, QStringLiteral("success"),
              QStringLiteral("password set by reset link; %1 session(s) and %2 personal access token(s) ended").arg(ended.size()).arg(pats));
        tx.commit();
    }
    for (const QString &sid : std::as_const(ended))
        d.revocations.markRevoked(sid);
}

// ---- email one-time codes -------------------------------------------------

void AccountService::requestEmailCode(const QString &realmId, const QString &email, const ClientInfo &client) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    if (!settings.emailCodeLoginEnabled())
        throw DomainError(ErrorCode::FeatureDisabled, QStringLiteral("Sign-in with an emailed code is switched off in this realm"));
    const QString address = normalizedEmail(email);
    const qint64 now = d.clock.nowMs();
    std::optional<User> user = d.users.findByLogin(realmId, address);
    const QString code = sixDigitCode();
    Transaction tx(d.db);
    if (!user && settings.registrationEnabled()) {
        // Passwordless sign-up: an unknown email in a realm open to
        // registration gets an account, which the code then proves.
        user = createSelfRegistered(realmId, address, {}, {}, {}, settings, now);
        audit(realmId, QStringLiteral("registration.created"), user->id, client, QStringLiteral("success"),
              QStringLiteral("registered by asking for a sign-in code; signing in with it verifies the email"));
    }
    const QString hash = codeHash(user ? user->id : QString(), code);
    const bool active = user && user->status == UserStatus::Active;
    const QString userId = user ? user->id : QString();
    // Every path does the same work: one lookup of recent codes, one code
    // hash, a token write, a rendered and sealed mail written to the outbox,
    // one audit event. Where nothing may be sent (no active account, or the
    // account asked too often) the token and mail writes are rehearsed and
    // leave nothing behind, so neither timing nor the database work tells
    // which emails have accounts (tst_equalwork counts the statements).
    const AccountTokenStore::Sent sent = d.tokens.sentSince(active ? userId : QString(), AccountTokenStore::kEmailCode, now - kHourMs);
    const bool tooSoon = active && sent.count > 0 && now - sent.newest < settings.emailCodeResendInterval() * 1000;
    const bool overLimit = active && sent.count >= settings.emailCodeLimitPerHour();
    const QHash<QString, QString> values{{QStringLiteral("code"), code}, {QStringLiteral("validMinutes"), minutes(settings.emailCodeLifetime())}};
    if (!active || tooSoon || overLimit) {
        d.tokens.rehearseIssue(AccountTokenStore::kEmailCode, now);
        d.mailer.rehearse(realmId, address, MailTemplates::kEmailCode, values);
        if (!active)
            audit(realmId, QStringLiteral("email_code.unknown_account"), userId, client, QStringLiteral("failure"),
                  QStringLiteral("no active account for %1; no code sent").arg(address.left(254)));
        else
            audit(realmId, QStringLiteral("email_code.rate_limited"), userId, client, QStringLiteral("denied"),
                  tooSoon ? QStringLiteral("asked again within %1 s; no code sent").arg(settings.emailCodeResendInterval())
                          : QStringLiteral("%1 codes in the last hour; no code sent").arg(sent.count));
        tx.commit();
        return;
    }
    d.tokens.issue(realmId, userId, AccountTokenStore::kEmailCode, hash, now, now + settings.emailCodeLifetime() * 1000);
    const qint64 mailId = d.mailer.send(realmId, *user, MailTemplates::kEmailCode, values);
    audit(realmId, QStringLiteral("email_code.requested"), userId, client, QStringLiteral("success"),
          QStringLiteral("sign-in code mail %1 queued; earlier codes invalidated").arg(mailId));
    tx.commit();
}

SignInResult AccountService::emailCodeLogin(const QString &realmId, const QString &email, const QString &code, const QString &appId,
                                         const ClientInfo &client) const
{
    const User signedIn = verifyEmailCode(realmId, email, code, client);
    // The emailed code is the first factor ("email", not "otp"): a user with
    // TOTP on still gets the second-factor challenge from the one MFA gate.
    const Membership membership = d.auth.chooseMembership(realmId, signedIn, appId, client);
    return d.auth.finishSignIn(realmId, signedIn, membership, {QStringLiteral("email")}, QStringLiteral("email code"), client);
}

User AccountService::verifyEmailCode(const QString &realmId, const QString &email, const QString &code, const ClientInfo &client) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    if (!settings.emailCodeLoginEnabled())
        throw DomainError(ErrorCode::FeatureDisabled, QStringLiteral("Sign-in with an emailed code is switched off in this realm"));
    const QString address = normalizedEmail(email);
    const qint64 now = d.clock.nowMs();
    const std::optional<User> user = d.users.findByLogin(realmId, address);
    const QString presented = codeHash(user ? user->id : QString(), code);
    if (!user || user->status != UserStatus::Active) {
        audit(realmId, QStringLiteral("login.failure"), user ? user->id : QString(), client, QStringLiteral("failure"),
              QStringLiteral("email code for an unknown or inactive account: %1").arg(address.left(254)));
        invalidCode();
    }
    const std::optional<AccountTokenStore::Code> live = d.tokens.liveCode(user->id, now, kCodeMaxAttempts);
    const bool matches = live && isSixDigits(code) && constantTimeEquals(live->tokenHash.toLatin1(), presented.toLatin1());
    if (!matches) {
        if (live) {
            d.tokens.recordFailedAttempt(live->id);
            const int left = kCodeMaxAttempts - live->failedAttempts - 1;
            audit(realmId, QStringLiteral("login.failure"), user->id, client, QStringLiteral("failure"),
                  left > 0 ? QStringLiteral("wrong email code; %1 attempt(s) left").arg(left)
                           : QStringLiteral("wrong email code; the code is now void"));
        } else {
            audit(realmId, QStringLiteral("login.failure"), user->id, client, QStringLiteral("failure"),
                  QStringLiteral("no live email code (none sent, expired, used or void)"));
        }
        invalidCode();
    }
    if (!d.tokens.consumeCode(live->id, now))
        invalidCode(); // a concurrent request used it first
    User signedIn = *user;
    if (!signedIn.emailVerified) {
        // Reading the code proved the mailbox.
        d.users.setEmailVerified(signedIn.id, true, now);
        signedIn.emailVerified = true;
    }
    return signedIn;
}

// ---- registration -------------------------------------------------------

void AccountService::registerUser(const QString &realmId, const QString &email, const QString &password, const QString &displayName,
                                  const QString &locale, const ClientInfo &client) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    if (!settings.registrationEnabled())
        throw DomainError(ErrorCode::RegistrationDisabled, QStringLiteral("This realm does not allow self-registration; ask an administrator for an account"));
    const QString address = normalizedEmail(email);
    if (displayName.size() > 200 || displayName.contains(u'\r') || displayName.contains(u'\n'))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"displayName\" must be one line of at most 200 characters"));
    if (!locale.isEmpty() && !MailTemplates::languages().contains(locale))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"locale\" must be one of: %1").arg(MailTemplates::languages().join(u", ")));
    PasswordPolicy::forRealm(settings).check(password, {address, displayName});
    // argon2id for every request, existing email or not: the timing stays alike.
    const QString hash = d.hasher.hash(password);
    const qint64 now = d.clock.nowMs();
    const QString token = randomToken(kLinkTokenBytes);

    Transaction tx(d.db);
    const std::optional<User> existing = d.users.findByLogin(realmId, address);
    if (existing) {
        // The work a new account costs (token, verification mail), rehearsed
        // without effect, so timing does not tell the two cases apart.
        d.tokens.rehearseIssue(AccountTokenStore::kVerifyEmail, now);
        d.mailer.rehearse(realmId, address, MailTemplates::kVerifyEmail,
                          {{QStringLiteral("link"), d.mailer.link(realmId, QStringLiteral("verifyEmail"), token)},
                           {QStringLiteral("token"), token},
                           {QStringLiteral("validMinutes"), minutes(settings.emailVerificationLifetime())}});
        const qint64 mailId = d.mailer.send(realmId, *existing, MailTemplates::kAccountExists,
                                            {{QStringLiteral("link"), d.mailer.link(realmId, QStringLiteral("forgotPassword"), QString())
                                                                          .section(u'?', 0, 0)}});
        audit(realmId, QStringLiteral("registration.existing_account"), existing->id, client, QStringLiteral("denied"),
              QStringLiteral("registration with an existing email; notice mail %1 queued to its owner").arg(mailId));
        tx.commit();
        return;
    }
    const User user = createSelfRegistered(realmId, address, displayName, locale, hash, settings, now);
    d.tokens.issue(realmId, user.id, AccountTokenStore::kVerifyEmail, d.tokenHasher.hashHex(token.toUtf8()), now,
                   now + settings.emailVerificationLifetime() * 1000);
    const qint64 mailId = d.mailer.send(realmId, user, MailTemplates::kVerifyEmail,
                                        {{QStringLiteral("link"), d.mailer.link(realmId, QStringLiteral("verifyEmail"), token)},
                                         {QStringLiteral("token"), token},
                                         {QStringLiteral("validMinutes"), minutes(settings.emailVerificationLifetime())}});
    audit(realmId, QStringLiteral("registration.created"), user.id, client, QStringLiteral("success"),
          QStringLiteral("self-registered; verification mail %1 queued").arg(mailId));
    tx.commit();
}

User AccountService::createSelfRegistered(const QString &realmId, const QString &address, const QString &displayName,
                                          const QString &locale, const QString &passwordHash, const RealmSettings &settings,
                                          qint64 now) const
{
    User user;
    user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    user.realmId = realmId;
    user.email = address;
    user.displayName = displayName.trimmed();
    user.locale = locale;
    user.passwordHash = passwordHash; // empty: signs in by emailed code only (password login refuses it)
    user.createdAt = user.updatedAt = now;
    d.users.createUser(user);
    const QString defaultApp = settings.registrationDefaultApp();
    if (!defaultApp.isEmpty() && d.realms.app(realmId, defaultApp))
        d.users.setMembership(realmId, user.id, Membership{defaultApp, {RealmStore::kMemberRole}}, now);
    return user;
}

// ---- change password ----------------------------------------------------

int AccountService::changePassword(const Principal &caller, const QString &currentPassword, const QString &newPassword,
                                   const ClientInfo &client) const
{
    caller.requireInteractiveSession();
    const std::optional<User> user = d.users.user(caller.realmId, caller.userId);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    const bool currentOk = user->passwordHash.isEmpty() ? (d.hasher.verifyDummy(currentPassword), false)
                                                        : d.hasher.verify(user->passwordHash, currentPassword);
    if (!currentOk) {
        audit(caller.realmId, QStringLiteral("password.change_failed"), user->id, client, QStringLiteral("failure"),
              QStringLiteral("wrong current password"));
        throw DomainError(ErrorCode::WrongCurrentPassword, QStringLiteral("The current password is not correct"));
    }
    const RealmSettings settings = d.realms.settings(caller.realmId);
    PasswordPolicy::forRealm(settings).check(newPassword, {user->email, user->displayName});
    const QString hash = d.hasher.hash(newPassword);
    const qint64 now = d.clock.nowMs();
    QStringList ended;
    {
        Transaction tx(d.db);
        d.users.setPasswordHash(user->id, hash, now);
        const bool keep = settings.keepSessionOnPasswordChange();
        for (const Session &s : d.sessions.activeSessions(user->id, now)) {
            if (keep && s.id == caller.sessionId)
                continue;
            if (d.sessions.revokeSession(s.id, QStringLiteral("password_changed"), now))
                ended.append(s.id);
        }
        d.mailer.send(caller.realmId, *user, MailTemplates::kPasswordChanged,
                      {{QStringLiteral("time"), d.clock.now().toString(QStringLiteral("yyyy-MM-dd HH:mm"))}});
        audit(caller.realmId, QStringLiteral("password.changed"), user->id, client, QStringLiteral("success"),
              QStringLiteral("password changed by its owner; %1 other session(s) ended%2")
                  .arg(ended.size()).arg(keep ? QString() : QStringLiteral(" (including this one)")));
        tx.commit();
    }
    for (const QString &sid : std::as_const(ended))
        d.revocations.markRevoked(sid);
    return int(ended.size());
}

} // namespace authrealm
