#pragma once

#include "auth/Principal.h"
#include "storage/MfaStore.h"

#include <QStringList>

namespace authrealm {

class AuditLog;
class Clock;
class Database;
class RealmStore;
class RevocationList;
class SecretBox;
class SessionStore;
class SignInThrottle;
class TokenHasher;
class UserStore;
struct ClientInfo;
struct User;

// TOTP (RFC 6238) as a second factor: enrolment that stays pending until a
// code proves the authenticator app has the secret, single-use backup codes,
// the check of a typed code (each time step at most once, throttled like a
// password), and the short-lived challenges of two-step sign-ins.
class MfaService
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const SessionStore &sessions;
        const MfaStore &store;
        const SecretBox &keyEncryptionKey;
        const TokenHasher &tokenHasher;
        const SignInThrottle &throttle;
        RevocationList &revocations;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit MfaService(Deps deps) : d(deps) {}

    static constexpr int kBackupCodeCount = 10;
    static constexpr qint64 kChallengeLifetimeSeconds = 300;
    static constexpr int kChallengeMaxAttempts = 5;

    struct Enrolment
    {
        QString secret; // base32
        QString uri;    // otpauth://totp/…
    };
    // Starts (or restarts) a pending enrolment. Conflict when TOTP is already on.
    [[nodiscard]] Enrolment enroll(const Principal &caller, const ClientInfo &client) const;
    // Proves the pending secret with a code; returns the backup codes (shown once).
    // Ends the user's other sessions.
    [[nodiscard]] QStringList confirm(const Principal &caller, const QString &code, const ClientInfo &client) const;
    // The same for a user named by the caller (AdminService: an admin sets up
    // TOTP for someone at their desk and audits it with the actor). confirmUser
    // ends every session but keepSessionId; `throttled` charges the sign-in
    // throttle like a typed secret (not for an admin, who has seen the secret).
    [[nodiscard]] Enrolment enrollUser(const User &user, const ClientInfo &client) const;
    [[nodiscard]] QStringList confirmUser(const User &user, const QString &code, const ClientInfo &client, const QString &keepSessionId,
                                          bool throttled) const;
    // Needs a TOTP or backup code. Ends the user's other sessions.
    void disable(const Principal &caller, const QString &code, const ClientInfo &client) const;
    [[nodiscard]] bool enabled(const QString &userId) const;

    enum class Proof { Totp, BackupCode };
    // Checks a typed TOTP or backup code of a user with TOTP on, charging the
    // sign-in throttle. Throws InvalidOtp (wrong, replayed, malformed),
    // TooManyAttempts (locked) or MfaNotEnabled.
    [[nodiscard]] Proof verify(const User &user, const QString &code, const ClientInfo &client, const QString &purpose) const;

    // Two-step sign-in: a random challenge id (stored hashed) for a user whose
    // first factor(s) `amr` passed.
    [[nodiscard]] QString startChallenge(const User &user, const QString &appId, const QStringList &amr) const;
    // Completes one with a code: returns the challenge (user, app, amr) or throws
    // InvalidMfaChallenge (unknown, expired, used, 5 wrong codes) / InvalidOtp / TooManyAttempts.
    [[nodiscard]] MfaStore::Challenge completeChallenge(const QString &realmId, const QString &challengeId, const QString &code,
                                                        const ClientInfo &client) const;

    // Admin reset: removes TOTP and backup codes. Returns whether TOTP was on.
    [[nodiscard]] bool reset(const QString &userId) const;

private:
    [[nodiscard]] QByteArray secretOf(const MfaStore::TotpCredential &credential) const;
    // The step in [now-1, now+1] whose code matches, or -1 (constant-time comparisons).
    [[nodiscard]] qint64 matchingStep(const QByteArray &secret, const QString &code) const;
    void audit(const QString &realmId, const QString &kind, const QString &userId, const ClientInfo &client, const QString &outcome,
               const QString &summary) const;
    [[nodiscard]] User requireUser(const Principal &caller) const;
    Deps d;
};

} // namespace authrealm
