#pragma once

#include <QString>

namespace authrealm {

class AuditLog;
class Clock;
class Database;
class RealmStore;
class TokenHasher;
struct ClientInfo;

// Brute-force protection for every secret a person types at sign-in
// (passwords, TOTP and backup codes). Counters live in the database, so
// several server processes share them.
//
// Two counters per attempt:
//  - the account: keyed by the lower-cased login (a keyed hash of it), whether
//    an account exists or not, so a lockout answers the same for unknown users;
//    after lockoutThreshold failures the account locks for lockoutBaseSeconds,
//    doubling with every further failure up to lockoutMaxSeconds;
//  - the client address: sourceFailureLimit failures per sourceWindowSeconds,
//    high enough that one office behind one address is not locked out by one
//    person; locking one account never blocks other accounts from that address.
//
// An attempt is charged *before* the secret is checked, inside one
// transaction that holds the counter rows (SELECT … FOR UPDATE on PostgreSQL,
// the write lock on SQLite). Parallel attempts therefore cannot race past the
// threshold: the one that reaches it locks the account for everyone else
// while its own secret is still being checked, and a success undoes its
// charge (and the lock it set).
class SignInThrottle
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const TokenHasher &tokenHasher;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit SignInThrottle(Deps deps) : d(deps) {}

    struct Attempt
    {
        QString realmId;
        QString accountSubject;
        QString source;
        bool lockedAccount = false; // this attempt reached the threshold and set the lock
        qint64 accountLockSeconds = 0;
        int accountFailures = 0;
        bool lockedSource = false;
    };

    // Charges one attempt; throws DomainError(TooManyAttempts, retryAfter) when
    // the account or the address is locked, without charging anything.
    [[nodiscard]] Attempt admit(const QString &realmId, const QString &login, const QString &sourceAddress) const;
    // The secret was right: the account starts afresh and the address gets its charge back.
    void succeeded(const Attempt &attempt) const;
    // The secret was right but the sign-in is not complete (a second factor is
    // due): the attempt is taken back without forgetting earlier failures, so
    // re-entering a known password cannot reset the count of wrong codes.
    void refund(const Attempt &attempt) const;
    // The secret was wrong: the charge stands; audits a lockout this attempt set.
    void failed(const Attempt &attempt, const ClientInfo &client, const QString &userId) const;

    // Admin unlock: forgets the account's failures. Returns whether there were any.
    [[nodiscard]] bool unlock(const QString &realmId, const QString &login) const;

    // Deletes counters that no longer affect anything: no lock in force and
    // the last failure older than the realm's reset time (accounts) or the
    // window over (addresses). Returns how many went. Safe to run any time.
    int pruneStale() const;

    struct State
    {
        int failures = 0;
        qint64 lockedUntil = 0; // ms; 0 or past when not locked
    };
    [[nodiscard]] State accountState(const QString &realmId, const QString &login) const;
    [[nodiscard]] State sourceState(const QString &realmId, const QString &sourceAddress) const;

private:
    [[nodiscard]] QString accountSubject(const QString &login) const;
    [[nodiscard]] State state(const QString &realmId, const char *kind, const QString &subject) const;
    Deps d;
};

} // namespace authrealm
