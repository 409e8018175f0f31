#pragma once

#include "admin/AdminDirectory.h"
#include "admin/AdminGate.h"
#include "admin/AdminOverview.h"
#include "admin/AdminService.h"
#include "admin/MailAdmin.h"
#include "auth/AccountService.h"
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
#include "mail/MailDelivery.h"
#include "mail/MailTemplates.h"
#include "mail/Mailer.h"
#include "mail/OutboxStore.h"
#include "mail/SmtpSettings.h"
#include "oidc/ClientRegistry.h"
#include "oidc/IdTokens.h"
#include "oidc/OidcProvider.h"
#include "oidc/OidcStore.h"
#include "oidc/OidcTokens.h"
#include "storage/AccountTokenStore.h"
#include "storage/RateCounters.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/MfaStore.h"
#include "storage/RealmStore.h"
#include "storage/ServerRegistry.h"
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
    // What the services hash and verify passwords with; null: the core's own
    // Argon2id hasher (from argon2). Tests put a counting decorator here.
    const PasswordHashing *passwordHashing = nullptr;
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
    [[nodiscard]] const ServerRegistry &servers() const { return m_servers; }
    [[nodiscard]] const PasswordHasher &hasher() const { return m_hasher; }
    // The hasher the services use: hasher() unless CoreOptions injected another.
    [[nodiscard]] const PasswordHashing &passwordHashing() const { return m_hashing; }
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
    [[nodiscard]] const AdminGate &adminGate() const { return m_adminGate; }
    [[nodiscard]] const AdminService &admin() const { return m_admin; }
    [[nodiscard]] const AdminOverview &adminOverview() const { return m_adminOverview; }
    [[nodiscard]] const Bootstrap &bootstrap() const { return m_bootstrap; }
    [[nodiscard]] const RealmTransfer &transfer() const { return m_transfer; }
    [[nodiscard]] const SmtpSettingsStore &smtp() const { return m_smtp; }
    [[nodiscard]] const MailTemplates &mailTemplates() const { return m_mailTemplates; }
    [[nodiscard]] const OutboxStore &outbox() const { return m_outbox; }
    [[nodiscard]] const Mailer &mailer() const { return m_mailer; }
    [[nodiscard]] const MailDelivery &mailDelivery() const { return m_mailDelivery; }
    [[nodiscard]] const MailAdmin &mailAdmin() const { return m_mailAdmin; }
    [[nodiscard]] const AccountService &account() const { return m_account; }
    [[nodiscard]] const RateCounters &rateCounters() const { return m_rates; }
    [[nodiscard]] const ClientRegistry &clients() const { return m_clients; }
    [[nodiscard]] const OidcStore &oidcStore() const { return m_oidcStore; }
    [[nodiscard]] const IdTokens &idTokens() const { return m_idTokens; }
    [[nodiscard]] const OidcProvider &oidc() const { return m_oidc; }
    [[nodiscard]] const OidcTokens &oidcTokens() const { return m_oidcTokens; }

private:
    SystemClock m_systemClock;
    const Clock *m_clock;
    SecretBox m_kek;
    QString m_defaultRealm;
    Database m_db;
    RealmStore m_realms;
    UserStore m_users;
    SessionStore m_sessions;
    AuditLog m_audit;
    ServerRegistry m_servers;
    PasswordHasher m_hasher;
    const PasswordHashing &m_hashing;
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
    AdminGate m_adminGate;
    AdminService m_admin;
    AdminOverview m_adminOverview;
    Bootstrap m_bootstrap;
    RealmTransfer m_transfer;
    SmtpSettingsStore m_smtp;
    MailTemplates m_mailTemplates;
    OutboxStore m_outbox;
    Mailer m_mailer;
    MailDelivery m_mailDelivery;
    MailAdmin m_mailAdmin;
    AccountTokenStore m_accountTokens;
    RateCounters m_rates;
    AccountService m_account;
    ClientRegistry m_clients;
    OidcStore m_oidcStore;
    IdTokens m_idTokens;
    OidcProvider m_oidc;
    OidcTokens m_oidcTokens;
};

} // namespace authrealm
