#pragma once

#include <QString>

namespace authrealm {

class AdminDirectory;
class AuditLog;
class Clock;
class Database;
class KeyManager;
class PasswordHashing;
class RealmStore;
class TokenHasher;
class UserStore;

// First boot: the master realm, its administration app and the "admin"
// account. No default password ever exists: the password comes from the
// operator, or a one-time setup code printed by the server finishes it.
class Bootstrap
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const KeyManager &keys;
        const AdminDirectory &admins;
        const PasswordHashing &hasher;
        const TokenHasher &tokenHasher;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit Bootstrap(Deps deps) : d(deps) {}

    static inline const QString kMasterRealm = QStringLiteral("master");
    static inline const QString kAdminApp = QStringLiteral("admin-console");
    static inline const QString kAdminRole = QStringLiteral("MasterAdmin");
    static inline const QString kAdminUsername = QStringLiteral("admin");

    // Creates what is missing; safe to call on every start.
    void ensureMasterRealm() const;
    [[nodiscard]] bool adminNeedsPassword() const;
    // Sets the admin password only while none is set (never overwrites one).
    // Returns false if a password was already set (another console, the
    // setup code or --admin-password-file got there first): the caller must
    // not report success then, as the password it holds is not the one that stands.
    [[nodiscard]] bool setInitialAdminPassword(const QString &password) const;
    // The DomainError(SetupNotPending) for a caller whose password was not set.
    [[noreturn]] static void throwAlreadySetUp();
    // A fresh single-use code, stored only as a keyed hash; replaces any older one.
    [[nodiscard]] QString issueSetupCode() const;
    // Throws SetupNotPending, InvalidSetupCode or WeakPassword.
    void completeSetup(const QString &code, const QString &password, const QString &ip) const;

private:
    Deps d;
};

} // namespace authrealm
