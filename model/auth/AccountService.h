#pragma once

#include "auth/AuthService.h"
#include "auth/Principal.h"

#include <QString>

namespace authrealm {

class AccountTokenStore;
class RealmSettings;
class AuditLog;
class Clock;
class Database;
class Mailer;
class PasswordHashing;
class PatService;
class RateCounters;
class RealmStore;
class RevocationList;
class SessionStore;
class TokenHasher;
class UserStore;

// The self-service account flows that travel by email: verification,
// forgotten password, one-time sign-in codes, registration, and changing the
// password. Every answer that an outsider sees is the same whether or not
// the email belongs to an account; the difference only shows in the audit
// log and in the user's mailbox.
class AccountService
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const SessionStore &sessions;
        const PasswordHashing &hasher;
        const TokenHasher &tokenHasher;
        RevocationList &revocations;
        const PatService &pats;
        const AuthService &auth;
        const AccountTokenStore &tokens;
        const RateCounters &rates;
        const Mailer &mailer;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit AccountService(Deps deps) : d(deps) {}

    static constexpr int kCodeMaxAttempts = 5;

    // Mails the signed-in user a verification link. False: already verified (nothing sent).
    [[nodiscard]] bool requestEmailVerification(const Principal &caller, const ClientInfo &client) const;
    void confirmEmail(const QString &realmId, const QString &token, const ClientInfo &client) const;

    // Always returns normally (same answer for every email); sends a reset
    // link only to an existing active account and within the rate limits.
    void forgotPassword(const QString &realmId, const QString &email, const ClientInfo &client) const;
    // Sets the password, ends every session, refresh token and PAT of the
    // user and mails a notice. Never signs in (a reset must not bypass a
    // second factor).
    void resetPassword(const QString &realmId, const QString &token, const QString &newPassword, const ClientInfo &client) const;

    void requestEmailCode(const QString &realmId, const QString &email, const ClientInfo &client) const;
    [[nodiscard]] SignInResult emailCodeLogin(const QString &realmId, const QString &email, const QString &code, const QString &appId,
                                           const ClientInfo &client) const;
    // The code check alone (throttled per code, audited, email marked
    // verified), for sign-ins that mint nothing here (the OpenID provider's
    // page): the user it proved. InvalidOtp-style failures as emailCodeLogin.
    [[nodiscard]] User verifyEmailCode(const QString &realmId, const QString &email, const QString &code, const ClientInfo &client) const;

    // Same answer for a new and an existing email: a new account gets a
    // verification mail, an existing owner a notice (no enumeration).
    // locale: "en", "de" or "fr" for the user's emails; empty: the realm's defaultLanguage.
    void registerUser(const QString &realmId, const QString &email, const QString &password, const QString &displayName,
                      const QString &locale, const ClientInfo &client) const;

    // Returns how many sessions ended.
    [[nodiscard]] int changePassword(const Principal &caller, const QString &currentPassword, const QString &newPassword, const ClientInfo &client) const;

    // "Link" tokens: 256 random bits, base64url (43 characters).
    [[nodiscard]] static bool looksLikeLinkToken(const QString &token);

private:
    // A self-registered user (password hash empty for code-only sign-up),
    // member of the realm's registrationDefaultApp when it names one.
    User createSelfRegistered(const QString &realmId, const QString &address, const QString &displayName, const QString &locale,
                              const QString &passwordHash, const RealmSettings &settings, qint64 now) const;
    [[nodiscard]] QString normalizedEmail(const QString &email) const;
    [[nodiscard]] QString codeHash(const QString &userId, const QString &code) const;
    void audit(const QString &realmId, const QString &kind, const QString &userId, const ClientInfo &client, const QString &outcome,
               const QString &summary) const;
    void endEverything(const QString &realmId, const QString &userId, const QString &reason, qint64 now, QStringList &endedSessions,
                       int &revokedPats) const;

    Deps d;
};

} // namespace authrealm
