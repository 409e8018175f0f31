#pragma once

#include "admin/AdminDirectory.h"
#include "admin/AdminService.h"
#include "auth/AccessTokens.h"
#include "auth/AuthService.h"
#include "auth/Authenticator.h"
#include "auth/PatService.h"
#include "auth/Permissions.h"
#include "auth/Bootstrap.h"
#include "auth/KeyManager.h"
#include "auth/RealmTransfer.h"
#include "auth/MfaService.h"
#include "auth/RevocationList.h"
#include "auth/SessionService.h"
#include "auth/SignInThrottle.h"
#include "auth/TokenLifetimes.h"
#include "core/Clock.h"
#include "crypto/PasswordHasher.h"
#include "crypto/SecretBox.h"
#include "crypto/TokenHasher.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/MfaStore.h"
#include "storage/RealmStore.h"
#include "storage/SessionStore.h"
#include "storage/UserStore.h"

#include <memory>

namespace authrealm {

struct CoreOptions
{
    DatabaseConfig database;
    std::optional<SecretBox> keyEncryptionKey; // required
    Argon2Params argon2;
    QString publicBaseUrl = QStringLiteral("http://127.0.0.1:8080");
    QString defaultRealm = QStringLiteral("master");
    const Clock *clock = nullptr; // defaults to the system clock
    LifetimeBounds lifetimeBounds;  // the deployment's ceiling; realms and apps only shorten
};

// Everything the server, the console and the CLI share, wired once. Opening
// it migrates the schema and makes sure the master realm exists.
class AuthRealmCore
{
public:
    explicit AuthRealmCore(CoreOptions options);
    ~AuthRealmCore();
    AuthRealmCore(const AuthRealmCore &) = delete;
    AuthRealmCore &operator=(const AuthRealmCore &) = delete;

    [[nodiscard]] const QString &defaultRealm() const { return m_defaultRealm; }
    [[nodiscard]] const Clock &clock() const { return *m_clock; }
    [[nodiscard]] const Database &database() const { return m_db; }
    [[nodiscard]] const RealmStore &realms() const { return m_realms; }
    [[nodiscard]] const UserStore &users() const { return m_users; }
    [[nodiscard]] const SessionStore &sessions() const { return m_sessions; }
    [[nodiscard]] const AuditLog &audit() const { return m_audit; }
    [[nodiscard]] const PasswordHasher &hasher() const { return m_hasher; }
    [[nodiscard]] const KeyManager &keys() const { return m_keys; }
    [[nodiscard]] RevocationList &revocations() { return m_revocations; }
    [[nodiscard]] const AccessTokens &accessTokens() const { return m_accessTokens; }
    [[nodiscard]] const AuthService &auth() const { return m_auth; }
    [[nodiscard]] const MfaService &mfa() const { return m_mfa; }
    [[nodiscard]] const SignInThrottle &throttle() const { return m_throttle; }
    [[nodiscard]] const SessionService &mySessions() const { return m_sessionService; }
    [[nodiscard]] const Permissions &permissions() const { return m_permissions; }
    [[nodiscard]] const PatService &pats() const { return m_pats; }
    [[nodiscard]] const Authenticator &authenticator() const { return m_authenticator; }
    [[nodiscard]] const AdminDirectory &adminDirectory() const { return m_adminDirectory; }
    [[nodiscard]] const AdminService &admin() const { return m_admin; }
    [[nodiscard]] const Bootstrap &bootstrap() const { return m_bootstrap; }
    [[nodiscard]] const RealmTransfer &transfer() const { return m_transfer; }

private:
    SystemClock m_systemClock;
    const Clock *m_clock;
    QString m_defaultRealm;
    Database m_db;
    RealmStore m_realms;
    UserStore m_users;
    SessionStore m_sessions;
    AuditLog m_audit;
    PasswordHasher m_hasher;
    SecretBox m_keyEncryptionKey;
    TokenHasher m_tokenHasher;
    MfaStore m_mfaStore;
    KeyManager m_keys;
    RevocationList m_revocations;
    AccessTokens m_accessTokens;
    Permissions m_permissions;
    SignInThrottle m_throttle;
    MfaService m_mfa;
    SessionService m_sessionService;
    AuthService m_auth;
    PatService m_pats;
    Authenticator m_authenticator;
    AdminDirectory m_adminDirectory;
    AdminService m_admin;
    Bootstrap m_bootstrap;
    RealmTransfer m_transfer;
};

} // namespace authrealm
