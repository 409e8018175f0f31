#pragma once

#include "admin/AdminActor.h"
#include "auth/KeyManager.h"
#include "domain/Entities.h"
#include "domain/RealmSettings.h"
#include "storage/UserStore.h"

#include <QJsonObject>
#include <QList>

namespace authrealm {

class AuditLog;
class Clock;
class Database;
class KeyManager;
class MfaService;
class PasswordHashing;
class SignInThrottle;
class PatService;
class RealmStore;
class RevocationList;
class SessionStore;
class UserStore;

// A pending TOTP enrolment as an admin sees it (MfaService::Enrolment).
struct MfaEnrolment
{
    QString secret; // base32, for manual entry
    QString uri;    // otpauth://totp/…, for the QR code
};

// Every administrative change, shared by the admin API and the console: each
// call checks the actor's layer first, validates, changes, and writes one
// audit event with the actor. Reads of other tenants answer Forbidden, the
// same whether the object exists or not.
class AdminService
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const SessionStore &sessions;
        const KeyManager &keys;
        const PasswordHashing &hasher;
        RevocationList &revocations;
        const AuditLog &audit;
        const Clock &clock;
        const MfaService &mfa;
        const SignInThrottle &throttle;
    };
    explicit AdminService(Deps deps) : d(deps) {}

    // Realms
    [[nodiscard]] QList<Realm> visibleRealms(const AdminActor &by) const;
    Realm createRealm(const AdminActor &by, const QString &id, const QString &displayName, const QJsonObject &settings) const;
    void deleteRealm(const AdminActor &by, const QString &realmId) const;
    [[nodiscard]] RealmSettings settings(const AdminActor &by, const QString &realmId) const;
    RealmSettings updateSettings(const AdminActor &by, const QString &realmId, const QJsonObject &changes) const;

    // Apps, features, roles
    [[nodiscard]] QList<App> apps(const AdminActor &by, const QString &realmId) const;
    App createApp(const AdminActor &by, const QString &realmId, const QString &appId, const QString &displayName) const;
    [[nodiscard]] App app(const AdminActor &by, const QString &realmId, const QString &appId) const;
    void saveFeature(const AdminActor &by, const Feature &feature) const;
    void setFeatureEnabled(const AdminActor &by, const QString &realmId, const QString &appId, const QString &key, bool enabled) const;
    void deleteFeature(const AdminActor &by, const QString &realmId, const QString &appId, const QString &key) const;
    [[nodiscard]] QList<Feature> features(const AdminActor &by, const QString &realmId, const QString &appId) const;
    [[nodiscard]] QList<Role> roles(const AdminActor &by, const QString &realmId, const QString &appId) const;
    void saveRole(const AdminActor &by, const Role &role) const;
    void renameRole(const AdminActor &by, const QString &realmId, const QString &appId, const QString &from, const QString &to) const;
    void deleteRole(const AdminActor &by, const QString &realmId, const QString &appId, const QString &name) const;

    // Users: realm admins manage users; app admins manage memberships of their app.
    User createUser(const AdminActor &by, const QString &realmId, const QString &email, const QString &password,
                    const QString &displayName) const;
    [[nodiscard]] User user(const AdminActor &by, const QString &realmId, const QString &userId) const;
    void setStatus(const AdminActor &by, const QString &realmId, const QString &userId, UserStatus status) const;
    void resetPassword(const AdminActor &by, const QString &realmId, const QString &userId, const QString &password) const;
    void setMembership(const AdminActor &by, const QString &realmId, const QString &userId, const Membership &membership) const;
    void removeMembership(const AdminActor &by, const QString &realmId, const QString &userId, const QString &appId) const;
    // The admin API's user list: users of a realm whose email starts with
    // `emailPrefix`, optionally of one status ("active", "suspended",
    // "deactivated"; anything else is invalid_request), by email after
    // `afterKey`. Realm administrators and above only.
    [[nodiscard]] QList<UserStore::MemberRow> searchUsers(const AdminActor &by, const QString &realmId, const QString &emailPrefix,
                                                         const QString &status, const QString &afterKey, int limit) const;
    // Memberships the actor may see (an app admin sees only their app's).
    [[nodiscard]] QList<Membership> memberships(const AdminActor &by, const QString &realmId, const QString &userId) const;

    // Sessions and keys
    [[nodiscard]] QList<Session> sessions(const AdminActor &by, const QString &realmId, const QString &userId) const;
    void revokeSession(const AdminActor &by, const QString &realmId, const QString &userId, const QString &sessionId) const;
    [[nodiscard]] int revokeAllSessions(const AdminActor &by, const QString &realmId, const QString &userId) const;
    [[nodiscard]] QList<KeyManager::KeyInfo> signingKeys(const AdminActor &by, const QString &realmId) const;
    QString rotateSigningKey(const AdminActor &by, const QString &realmId) const;

    // Personal access tokens of a user that are not revoked (expired ones included:
    // they still show what the user minted). The secret is never readable.
    [[nodiscard]] QList<PersonalAccessToken> personalAccessTokens(const AdminActor &by, const QString &realmId, const QString &userId) const;
    void revokePersonalAccessToken(const AdminActor &by, const QString &realmId, const QString &userId, const QString &tokenId) const;

    // Sign-in security
    // Removes the user's TOTP and backup codes (lost phone) and ends all their
    // sessions. NotFound for an unknown user; returns whether TOTP was on.
    [[nodiscard]] bool resetTotp(const AdminActor &by, const QString &realmId, const QString &userId) const;
    // Sets up TOTP for a user at the admin's desk (the console shows the QR
    // code): starts a pending enrolment (Conflict when TOTP is already on) and
    // returns the secret and otpauth:// URI; confirming with a current code
    // turns TOTP on, ends all the user's sessions and returns the backup codes
    // (shown once). Both audited with the actor.
    [[nodiscard]] MfaEnrolment beginTotpEnrolment(const AdminActor &by, const QString &realmId, const QString &userId) const;
    [[nodiscard]] QStringList confirmTotpEnrolment(const AdminActor &by, const QString &realmId, const QString &userId,
                                                   const QString &code) const;
    // Lifts a brute-force lockout of the user's account (by email and username).
    // Returns whether there was anything to lift.
    [[nodiscard]] bool unlockUser(const AdminActor &by, const QString &realmId, const QString &userId) const;
    // Per-app token lifetimes (0 = inherit the realm's); each within the realm setting's range.
    void setAppLifetimes(const AdminActor &by, const QString &realmId, const QString &appId, const AppLifetimes &lifetimes) const;

    void record(const AdminActor &by, const QString &realmId, const QString &appId, const QString &kind, const QString &targetType,
                const QString &targetId, const QString &summary) const;

    // RealmNotFound for a realm the actor may administer but that does not exist.
    void requireRealmExists(const QString &realmId) const;

private:
    [[nodiscard]] User existingUser(const QString &realmId, const QString &userId) const;
    Deps d;
};

} // namespace authrealm
