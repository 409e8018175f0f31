#include "auth/Bootstrap.h"

#include "admin/AdminDirectory.h"
#include "auth/KeyManager.h"
#include "auth/PasswordPolicy.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "crypto/PasswordHasher.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QUuid>

namespace authrealm {

namespace {
const QString kSetupCodeSetting = QStringLiteral("setup_code_hash");
}

void Bootstrap::ensureMasterRealm() const
{
    const qint64 now = d.clock.nowMs();
    {
        Transaction tx(d.db);
        if (!d.realms.realmExists(kMasterRealm)) {
            d.realms.createRealm(Realm{kMasterRealm, QStringLiteral("AuthRealm administration"), now});
            d.realms.createApp(App{kMasterRealm, kAdminApp, QStringLiteral("AuthRealm administration console"), now});
            d.realms.saveRole(Role{kMasterRealm, kAdminApp, kAdminRole, {QStringLiteral("admin")}});
            User admin;
            admin.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
            admin.realmId = kMasterRealm;
            admin.username = kAdminUsername;
            admin.email = QStringLiteral("admin@localhost");
            admin.displayName = QStringLiteral("Administrator");
            admin.createdAt = now;
            admin.updatedAt = now;
            d.users.createUser(admin);
            d.users.setMembership(kMasterRealm, admin.id, Membership{kAdminApp, {kAdminRole}}, now);
            d.admins.insertGrant(admin.id, AdminGrant{AdminGrant::Layer::Master, {}, {}});
            d.audit.record(AuditEvent::of(kMasterRealm, QStringLiteral("realm.created"), QStringLiteral("system"), QStringLiteral("success"))
                               .target(QStringLiteral("realm"), kMasterRealm)
                               .says(QStringLiteral("master realm and admin account created on first boot")));
        }
        tx.commit();
    }
    const auto algorithm = algorithmFromName(d.realms.settings(kMasterRealm).signingAlgorithm()).value_or(SigningAlgorithm::ES256);
    if (d.keys.keys(kMasterRealm).isEmpty())
        d.keys.ensureKey(kMasterRealm, algorithm);
}

bool Bootstrap::adminNeedsPassword() const
{
    const auto admin = d.users.findByLogin(kMasterRealm, kAdminUsername);
    return admin && admin->passwordHash.isEmpty();
}

bool Bootstrap::setInitialAdminPassword(const QString &password) const
{
    PasswordPolicy{}.check(password);
    const QString hash = d.hasher.hash(password); // outside the write lock: it takes ~20 ms
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    SqlQuery q(d.db, QStringLiteral("UPDATE users SET password_hash = :h, updated_at = :t "
                                    "WHERE realm_id = :r AND username_key = :u AND password_hash IS NULL"));
    q.bind(QStringLiteral(":h"), hash)
        .bind(QStringLiteral(":t"), now)
        .bind(QStringLiteral(":r"), kMasterRealm)
        .bind(QStringLiteral(":u"), kAdminUsername)
        .exec();
    if (q.rowsAffected() != 1)
        return false;
    SqlQuery(d.db, QStringLiteral("DELETE FROM deployment_settings WHERE name = :n")).bind(QStringLiteral(":n"), kSetupCodeSetting).exec();
    d.audit.record(AuditEvent::of(kMasterRealm, QStringLiteral("admin.password_set"), QStringLiteral("system"), QStringLiteral("success"))
                       .target(QStringLiteral("user"), kAdminUsername)
                       .says(QStringLiteral("initial administrator password set")));
    tx.commit();
    return true;
}

QString Bootstrap::issueSetupCode() const
{
    const QString code = randomToken(18);
    Transaction tx(d.db);
    SqlQuery(d.db, QStringLiteral("DELETE FROM deployment_settings WHERE name = :n")).bind(QStringLiteral(":n"), kSetupCodeSetting).exec();
    SqlQuery(d.db, QStringLiteral("INSERT INTO deployment_settings (name, value) VALUES (:n, :v)"))
        .bind(QStringLiteral(":n"), kSetupCodeSetting)
        .bind(QStringLiteral(":v"), d.tokenHasher.hashHex(code.toUtf8()))
        .exec();
    tx.commit();
    return code;
}

void Bootstrap::completeSetup(const QString &code, const QString &password, const QString &ip) const
{
    if (!adminNeedsPassword())
        throw DomainError(ErrorCode::SetupNotPending, QStringLiteral("The administrator account is already set up"));
    SqlQuery q(d.db, QStringLiteral("SELECT value FROM deployment_settings WHERE name = :n"));
    q.bind(QStringLiteral(":n"), kSetupCodeSetting).exec();
    const QByteArray stored = q.next() ? q.value(0).toString().toLatin1() : QByteArray();
    const QByteArray presented = d.tokenHasher.hashHex(code.toUtf8()).toLatin1();
    if (stored.isEmpty() || !constantTimeEquals(stored, presented)) {
        d.audit.record(AuditEvent::of(kMasterRealm, QStringLiteral("admin.setup_failed"), QStringLiteral("anonymous"), QStringLiteral("failure"))
                           .target(QStringLiteral("user"), kAdminUsername)
                           .from(ip, {})
                           .says(QStringLiteral("wrong setup code")));
        throw DomainError(ErrorCode::InvalidSetupCode, QStringLiteral("The setup code is wrong or was already used"));
    }
    if (!setInitialAdminPassword(password))
        throwAlreadySetUp();
}

void Bootstrap::throwAlreadySetUp()
{
    throw DomainError(ErrorCode::SetupNotPending,
                      QStringLiteral("The administrator account already has a password; this one was not saved"));
}

} // namespace authrealm
