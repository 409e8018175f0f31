#include "AuthRealmCore.h"

#include <stdexcept>

namespace authrealm {

namespace {
// Subkey ids of the key-encryption key; never reuse a number for another purpose.
constexpr quint64 kTokenHashSubkey = 1;

const SecretBox &requireKey(const CoreOptions &options)
{
    if (!options.keyEncryptionKey)
        throw std::invalid_argument("AuthRealmCore needs a key-encryption key");
    return *options.keyEncryptionKey;
}
}

AuthRealmCore::AuthRealmCore(CoreOptions options)
    : m_clock(options.clock ? options.clock : &m_systemClock),
      m_kek(requireKey(options)),
      m_defaultRealm(options.defaultRealm),
      m_db(options.database),
      m_realms(m_db),
      m_users(m_db),
      m_sessions(m_db),
      m_audit(m_db, *m_clock),
      m_servers(m_db, *m_clock),
      m_hasher(options.argon2),
      m_hashing(options.passwordHashing ? *options.passwordHashing : m_hasher),
      m_keyEncryptionKey(requireKey(options)),
      m_tokenHasher(requireKey(options).deriveKey(kTokenHashSubkey, "tokhash1")),
      m_mfaStore(m_db),
      m_keys(m_db, *m_clock, requireKey(options)),
      m_revocations(m_sessions, *m_clock),
      m_accessTokens(m_keys, m_revocations, *m_clock, options.publicBaseUrl),
      m_permissions(m_realms),
      m_throttle(SignInThrottle::Deps{m_db, m_realms, m_tokenHasher, m_audit, *m_clock}),
      m_mfa(MfaService::Deps{m_db, m_realms, m_users, m_sessions, m_mfaStore, m_keyEncryptionKey, m_tokenHasher, m_throttle, m_revocations,
                             m_audit, *m_clock}),
      m_sessionService(SessionService::Deps{m_sessions, m_revocations, m_audit, *m_clock}),
      m_auth(AuthService::Deps{m_realms, m_users, m_sessions, m_permissions, m_hashing, m_tokenHasher, m_accessTokens, m_revocations,
                               m_audit, *m_clock, m_mfa, m_throttle, options.lifetimeBounds}),
      m_pats(PatService::Deps{m_db, m_users, m_permissions, m_tokenHasher, m_audit, *m_clock}),
      m_authenticator(m_accessTokens, m_pats, m_permissions, m_users),
      m_adminDirectory(AdminDirectory::Deps{m_db, m_users, m_tokenHasher, m_audit, *m_clock}),
      m_adminGate(AdminGate::Deps{m_adminDirectory, m_pats, m_accessTokens, m_realms, m_authenticator, m_audit}),
      m_admin(AdminService::Deps{m_db, m_realms, m_users, m_sessions, m_keys, m_hashing, m_revocations, m_audit, *m_clock, m_mfa, m_throttle}),
      m_adminOverview(AdminOverview::Deps{m_db, m_realms, m_users, m_admin, m_audit, *m_clock}),
      m_bootstrap(Bootstrap::Deps{m_db, m_realms, m_users, m_keys, m_adminDirectory, m_hashing, m_tokenHasher, m_audit, *m_clock}),
      m_transfer(RealmTransfer::Deps{m_db, m_realms, m_users, m_keys, m_adminDirectory, m_hashing, m_audit, *m_clock}),
      m_smtp(m_db, m_kek),
      m_mailTemplates(m_db),
      m_outbox(m_db, m_kek),
      m_mailer(Mailer::Deps{m_realms, m_mailTemplates, m_smtp, m_outbox, *m_clock, options.publicBaseUrl}),
      m_mailDelivery(m_outbox, m_smtp, *m_clock),
      m_mailAdmin(MailAdmin::Deps{m_db, m_admin, m_smtp, m_mailTemplates, m_outbox, *m_clock}),
      m_accountTokens(m_db),
      m_rates(m_db),
      m_account(AccountService::Deps{m_db, m_realms, m_users, m_sessions, m_hashing, m_tokenHasher, m_revocations, m_pats, m_auth,
                                     m_accountTokens, m_rates, m_mailer, m_audit, *m_clock}),
      m_clients(ClientRegistry::Deps{m_db, m_realms, m_tokenHasher, m_audit, *m_clock, options.lifetimeBounds}),
      m_oidcStore(m_db),
      m_idTokens(m_keys, m_accessTokens, *m_clock),
      m_oidc(OidcProvider::Deps{m_db, m_realms, m_users, m_clients, m_oidcStore, m_auth, m_account, m_mfa, m_tokenHasher, m_idTokens,
                                m_accessTokens, m_audit, *m_clock}),
      m_oidcTokens(OidcTokens::Deps{m_db, m_realms, m_users, m_sessions, m_clients, m_oidcStore, m_auth, m_permissions, m_tokenHasher,
                                    m_idTokens, m_accessTokens, m_revocations, m_audit, *m_clock})
{
    m_db.migrate();
    m_bootstrap.ensureMasterRealm();
    m_revocations.sync();
}

AuthRealmCore::~AuthRealmCore() = default;

} // namespace authrealm
