#include "admin/AdminService.h"

#include "auth/AuthService.h"
#include "auth/KeyManager.h"
#include "auth/MfaService.h"
#include "auth/SignInThrottle.h"
#include "auth/PasswordPolicy.h"
#include "auth/RevocationList.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/PasswordHasher.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/SessionStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QUuid>

namespace authrealm {

void AdminService::record(const AdminActor &by, const QString &realmId, const QString &appId, const QString &kind,
                          const QString &targetType, const QString &targetId, const QString &summary) const
{
    d.audit.record(AuditEvent::of(realmId, kind, by.actor, QStringLiteral("success"))
                       .inApp(appId).target(targetType, targetId).from(by.ip, by.userAgent).says(summary));
}

void AdminService::requireRealmExists(const QString &realmId) const
{
    if (!d.realms.realmExists(realmId))
        throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("Realm not found"));
}

User AdminService::existingUser(const QString &realmId, const QString &userId) const
{
    const std::optional<User> user = d.users.user(realmId, userId);
    if (!user)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such user"));
    return *user;
}

// ---- realms -------------------------------------------------------------

QList<Realm> AdminService::visibleRealms(const AdminActor &by) const
{
    QList<Realm> out;
    for (const Realm &realm : d.realms.realms()) {
        if (by.canSeeRealm(realm.id))
            out.append(realm);
    }
    return out;
}

Realm AdminService::createRealm(const AdminActor &by, const QString &id, const QString &displayName, const QJsonObject &settingsJson) const
{
    by.requireMaster();
    by.requireWrite();
    RealmSettings settings;
    for (auto it = settingsJson.begin(); it != settingsJson.end(); ++it)
        settings.set(it.key(), it.value().toVariant());
    const Realm realm{id, displayName.isEmpty() ? id : displayName, d.clock.nowMs()};
    {
        Transaction tx(d.db);
        d.realms.createRealm(realm);
        d.realms.saveSettings(realm.id, settings);
        record(by, realm.id, {}, QStringLiteral("admin.realm.created"), QStringLiteral("realm"), realm.id, realm.displayName);
        tx.commit();
    }
    d.keys.ensureKey(realm.id, algorithmFromName(settings.signingAlgorithm()).value_or(SigningAlgorithm::ES256));
    return realm;
}

void AdminService::deleteRealm(const AdminActor &by, const QString &realmId) const
{
    by.requireMaster();
    by.requireWrite();
    Transaction tx(d.db);
    d.realms.deleteRealm(realmId);
    // Grants and API keys on the realm go with it, so a realm created later
    // under the same name does not inherit the old administrators.
    SqlQuery(d.db, QStringLiteral("DELETE FROM admin_grants WHERE realm_id = :r AND layer <> 'master'"))
        .bind(QStringLiteral(":r"), realmId).exec();
    // (Deleted, not revoked: restoring the realm's export brings its keys back.)
    SqlQuery(d.db, QStringLiteral("DELETE FROM api_keys WHERE realm_id = :r AND layer <> 'master'")).bind(QStringLiteral(":r"), realmId).exec();
    // The realm's own chain goes with it; the deletion is recorded in master's.
    record(by, QStringLiteral("master"), {}, QStringLiteral("admin.realm.deleted"), QStringLiteral("realm"), realmId, realmId);
    tx.commit();
    d.keys.forget(realmId);
}

RealmSettings AdminService::settings(const AdminActor &by, const QString &realmId) const
{
    by.requireRealm(realmId);
    requireRealmExists(realmId);
    return d.realms.settings(realmId);
}

RealmSettings AdminService::updateSettings(const AdminActor &by, const QString &realmId, const QJsonObject &changes) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    requireRealmExists(realmId);
    Transaction tx(d.db);
    RealmSettings settings = d.realms.settings(realmId);
    const QString algorithmBefore = settings.signingAlgorithm();
    QStringList changed;
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        settings.set(it.key(), it.value().toVariant());
        changed.append(it.key());
    }
    d.realms.saveSettings(realmId, settings);
    record(by, realmId, {}, QStringLiteral("admin.realm.settings_changed"), QStringLiteral("realm"), realmId, changed.join(u", "));
    tx.commit();
    if (settings.signingAlgorithm() != algorithmBefore)
        d.keys.ensureKey(realmId, algorithmFromName(settings.signingAlgorithm()).value_or(SigningAlgorithm::ES256));
    return settings;
}

// ---- apps, features, roles ---------------------------------------------

QList<App> AdminService::apps(const AdminActor &by, const QString &realmId) const
{
    if (!by.canSeeRealm(realmId))
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("You do not administer this realm"));
    requireRealmExists(realmId);
    QList<App> out;
    for (const App &app : d.realms.apps(realmId)) {
        if (by.canAdminApp(realmId, app.id))
            out.append(app);
    }
    return out;
}

App AdminService::createApp(const AdminActor &by, const QString &realmId, const QString &appId, const QString &displayName) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    requireRealmExists(realmId);
    const App app{realmId, appId, displayName.isEmpty() ? appId : displayName, d.clock.nowMs()};
    Transaction tx(d.db);
    d.realms.createApp(app);
    record(by, realmId, appId, QStringLiteral("admin.app.created"), QStringLiteral("app"), appId, app.displayName);
    tx.commit();
    return app;
}

App AdminService::app(const AdminActor &by, const QString &realmId, const QString &appId) const
{
    by.requireApp(realmId, appId);
    const auto found = d.realms.app(realmId, appId);
    if (!found)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such app"));
    return *found;
}

void AdminService::saveFeature(const AdminActor &by, const Feature &feature) const
{
    by.requireWrite();
    (void)app(by, feature.realmId, feature.appId);
    Transaction tx(d.db);
    d.realms.saveFeature(feature);
    record(by, feature.realmId, feature.appId, QStringLiteral("admin.feature.saved"), QStringLiteral("feature"), feature.key,
           QStringLiteral("%1, scopes [%2]").arg(feature.enabled ? QStringLiteral("on") : QStringLiteral("off"), feature.scopes.join(u' ')));
    tx.commit();
}

void AdminService::setFeatureEnabled(const AdminActor &by, const QString &realmId, const QString &appId, const QString &key, bool enabled) const
{
    by.requireWrite();
    (void)app(by, realmId, appId);
    Transaction tx(d.db);
    d.realms.setFeatureEnabled(realmId, appId, key, enabled);
    record(by, realmId, appId, enabled ? QStringLiteral("admin.feature.enabled") : QStringLiteral("admin.feature.disabled"),
           QStringLiteral("feature"), key, {});
    tx.commit();
}

void AdminService::deleteFeature(const AdminActor &by, const QString &realmId, const QString &appId, const QString &key) const
{
    by.requireWrite();
    (void)app(by, realmId, appId);
    Transaction tx(d.db);
    d.realms.deleteFeature(realmId, appId, key);
    record(by, realmId, appId, QStringLiteral("admin.feature.deleted"), QStringLiteral("feature"), key, {});
    tx.commit();
}

QList<Feature> AdminService::features(const AdminActor &by, const QString &realmId, const QString &appId) const
{
    (void)app(by, realmId, appId);
    return d.realms.features(realmId, appId);
}

QList<Role> AdminService::roles(const AdminActor &by, const QString &realmId, const QString &appId) const
{
    (void)app(by, realmId, appId);
    return d.realms.roles(realmId, appId);
}

void AdminService::saveRole(const AdminActor &by, const Role &role) const
{
    by.requireWrite();
    (void)app(by, role.realmId, role.appId);
    Transaction tx(d.db);
    d.realms.saveRole(role);
    record(by, role.realmId, role.appId, QStringLiteral("admin.role.saved"), QStringLiteral("role"), role.name,
           QStringLiteral("scopes [%1]").arg(role.scopes.join(u' ')));
    tx.commit();
}

void AdminService::renameRole(const AdminActor &by, const QString &realmId, const QString &appId, const QString &from, const QString &to) const
{
    by.requireWrite();
    (void)app(by, realmId, appId);
    Transaction tx(d.db);
    d.realms.renameRole(realmId, appId, from, to);
    record(by, realmId, appId, QStringLiteral("admin.role.renamed"), QStringLiteral("role"), to, QStringLiteral("renamed from %1").arg(from));
    tx.commit();
}

void AdminService::deleteRole(const AdminActor &by, const QString &realmId, const QString &appId, const QString &name) const
{
    by.requireWrite();
    (void)app(by, realmId, appId);
    Transaction tx(d.db);
    d.realms.deleteRole(realmId, appId, name);
    record(by, realmId, appId, QStringLiteral("admin.role.deleted"), QStringLiteral("role"), name, {});
    tx.commit();
}

// ---- users ---------------------------------------------------------------

User AdminService::createUser(const AdminActor &by, const QString &realmId, const QString &email, const QString &password,
                              const QString &displayName) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    requireRealmExists(realmId);
    User user;
    user.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    user.realmId = realmId;
    user.email = email.trimmed();
    user.displayName = displayName;
    user.createdAt = user.updatedAt = d.clock.nowMs();
    if (!password.isEmpty()) {
        PasswordPolicy::forRealm(d.realms.settings(realmId)).check(password, {email, displayName});
        user.passwordHash = d.hasher.hash(password); // before the write lock
    }
    Transaction tx(d.db);
    d.users.createUser(user);
    record(by, realmId, {}, QStringLiteral("admin.user.created"), QStringLiteral("user"), user.id, user.email);
    tx.commit();
    user.passwordHash.clear();
    return user;
}

User AdminService::user(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    // Before any lookup: outside the actor's realms, a user that exists and
    // one that does not must get the same answer.
    if (!by.canSeeRealm(realmId))
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("You do not administer this realm"));
    if (by.canAdminRealm(realmId)) {
        User u = existingUser(realmId, userId);
        u.passwordHash.clear();
        return u;
    }
    // An app admin sees only users of the apps they administer.
    const User u = existingUser(realmId, userId);
    for (const Membership &m : d.users.memberships(userId)) {
        if (by.canAdminApp(realmId, m.appId)) {
            User copy = u;
            copy.passwordHash.clear();
            return copy;
        }
    }
    throw DomainError(ErrorCode::NotFound, QStringLiteral("No such user"));
}

void AdminService::setStatus(const AdminActor &by, const QString &realmId, const QString &userId, UserStatus status) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    (void)existingUser(realmId, userId);
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    d.users.setStatus(userId, status, now);
    QStringList ended;
    if (status != UserStatus::Active)
        ended = d.sessions.revokeUserSessions(realmId, userId, QStringLiteral("user_") + userStatusName(status), now);
    record(by, realmId, {}, QStringLiteral("admin.user.status_changed"), QStringLiteral("user"), userId,
           QStringLiteral("now %1; %2 session(s) ended").arg(userStatusName(status)).arg(ended.size()));
    tx.commit();
    for (const QString &sid : std::as_const(ended))
        d.revocations.markRevoked(sid);
}

void AdminService::resetPassword(const AdminActor &by, const QString &realmId, const QString &userId, const QString &password) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    const User target = existingUser(realmId, userId);
    PasswordPolicy::forRealm(d.realms.settings(realmId)).check(password, {target.email, target.displayName});
    const QString hash = d.hasher.hash(password);
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    d.users.setPasswordHash(userId, hash, now);
    const QStringList ended = d.sessions.revokeUserSessions(realmId, userId, QStringLiteral("password_reset"), now);
    record(by, realmId, {}, QStringLiteral("admin.user.password_reset"), QStringLiteral("user"), userId,
           QStringLiteral("%1 session(s) ended").arg(ended.size()));
    tx.commit();
    for (const QString &sid : ended)
        d.revocations.markRevoked(sid);
}

void AdminService::setMembership(const AdminActor &by, const QString &realmId, const QString &userId, const Membership &membership) const
{
    by.requireApp(realmId, membership.appId);
    by.requireWrite();
    (void)existingUser(realmId, userId);
    if (!d.realms.app(realmId, membership.appId))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such app"));
    Transaction tx(d.db);
    d.users.setMembership(realmId, userId, membership, d.clock.nowMs());
    record(by, realmId, membership.appId, QStringLiteral("admin.membership.set"), QStringLiteral("user"), userId,
           QStringLiteral("roles [%1]").arg(membership.roles.join(u", ")));
    tx.commit();
}

void AdminService::removeMembership(const AdminActor &by, const QString &realmId, const QString &userId, const QString &appId) const
{
    by.requireApp(realmId, appId);
    by.requireWrite();
    (void)existingUser(realmId, userId);
    Transaction tx(d.db);
    SqlQuery q(d.db, QStringLiteral("DELETE FROM memberships WHERE user_id = :u AND app_id = :a AND realm_id = :r"));
    q.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":a"), appId).bind(QStringLiteral(":r"), realmId).exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("The user is not a member of that app"));
    record(by, realmId, appId, QStringLiteral("admin.membership.removed"), QStringLiteral("user"), userId, {});
    tx.commit();
}

QList<UserStore::MemberRow> AdminService::searchUsers(const AdminActor &by, const QString &realmId, const QString &emailPrefix,
                                                      const QString &status, const QString &afterKey, int limit) const
{
    by.requireRealm(realmId);
    requireRealmExists(realmId);
    if (!status.isEmpty() && !userStatusFromName(status))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"status\" must be active, suspended or deactivated"));
    return d.users.search(realmId, emailPrefix, status, afterKey, limit);
}

QList<Membership> AdminService::memberships(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    (void)user(by, realmId, userId);
    QList<Membership> out;
    for (const Membership &m : d.users.memberships(userId)) {
        if (by.canAdminApp(realmId, m.appId))
            out.append(m);
    }
    return out;
}

// ---- sessions and keys --------------------------------------------------

QList<Session> AdminService::sessions(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    by.requireRealm(realmId);
    (void)existingUser(realmId, userId);
    return d.sessions.activeSessions(userId, d.clock.nowMs());
}

void AdminService::revokeSession(const AdminActor &by, const QString &realmId, const QString &userId, const QString &sessionId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    const std::optional<Session> session = d.sessions.session(sessionId);
    if (!session || session->realmId != realmId || session->userId != userId || session->revokedAt != 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such active session"));
    Transaction tx(d.db);
    // Ended meanwhile (by its user, a logout, another admin): not this admin's revocation.
    if (!d.sessions.revokeSession(sessionId, QStringLiteral("admin_revoked"), d.clock.nowMs()))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such active session"));
    record(by, realmId, session->appId, QStringLiteral("admin.session.revoked"), QStringLiteral("session"), sessionId, {});
    tx.commit();
    d.revocations.markRevoked(sessionId);
}

int AdminService::revokeAllSessions(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    (void)existingUser(realmId, userId);
    Transaction tx(d.db);
    const QStringList ended = d.sessions.revokeUserSessions(realmId, userId, QStringLiteral("admin_revoked"), d.clock.nowMs());
    record(by, realmId, {}, QStringLiteral("admin.session.revoked_all"), QStringLiteral("user"), userId,
           QStringLiteral("%1 session(s) ended").arg(ended.size()));
    tx.commit();
    for (const QString &sid : ended)
        d.revocations.markRevoked(sid);
    return int(ended.size());
}

QList<KeyManager::KeyInfo> AdminService::signingKeys(const AdminActor &by, const QString &realmId) const
{
    by.requireRealm(realmId);
    requireRealmExists(realmId);
    return d.keys.keys(realmId);
}

QString AdminService::rotateSigningKey(const AdminActor &by, const QString &realmId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    requireRealmExists(realmId);
    const auto algorithm = algorithmFromName(d.realms.settings(realmId).signingAlgorithm()).value_or(SigningAlgorithm::ES256);
    const QString kid = d.keys.rotate(realmId, algorithm);
    record(by, realmId, {}, QStringLiteral("admin.key.rotated"), QStringLiteral("key"), kid, algorithmName(algorithm));
    return kid;
}

// ---- personal access tokens ----------------------------------------------

QList<PersonalAccessToken> AdminService::personalAccessTokens(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    by.requireRealm(realmId);
    SqlQuery q(d.db, QStringLiteral("SELECT id, app_id, name, scopes, created_at, expires_at, last_used_at FROM personal_access_tokens "
                                    "WHERE realm_id = :r AND user_id = :u AND revoked_at IS NULL ORDER BY created_at, id"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":u"), userId).exec();
    QList<PersonalAccessToken> out;
    while (q.next()) {
        PersonalAccessToken t;
        t.id = q.value(0).toString();
        t.realmId = realmId;
        t.appId = q.value(1).toString();
        t.userId = userId;
        t.name = q.value(2).toString();
        t.scopes = q.value(3).toString().split(u' ', Qt::SkipEmptyParts);
        t.createdAt = q.value(4).toLongLong();
        t.expiresAt = q.value(5).toLongLong();
        t.lastUsedAt = q.value(6).isNull() ? 0 : q.value(6).toLongLong();
        out.append(t);
    }
    return out;
}

void AdminService::revokePersonalAccessToken(const AdminActor &by, const QString &realmId, const QString &userId, const QString &tokenId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    Transaction tx(d.db);
    SqlQuery q(d.db, QStringLiteral("UPDATE personal_access_tokens SET revoked_at = :now WHERE id = :id AND realm_id = :r "
                                    "AND user_id = :u AND revoked_at IS NULL"));
    q.bind(QStringLiteral(":now"), d.clock.nowMs()).bind(QStringLiteral(":id"), tokenId).bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":u"), userId).exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such token"));
    record(by, realmId, {}, QStringLiteral("admin.pat.revoked"), QStringLiteral("pat"), tokenId, {});
    tx.commit();
}

// ---- sign-in security ----------------------------------------------------

bool AdminService::resetTotp(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    (void)existingUser(realmId, userId);
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    const bool wasOn = d.mfa.reset(userId);
    // Changing how someone signs in ends every session they have.
    const QStringList ended = d.sessions.revokeUserSessions(realmId, userId, QStringLiteral("mfa_reset"), now);
    record(by, realmId, {}, QStringLiteral("admin.user.mfa_reset"), QStringLiteral("user"), userId,
           QStringLiteral("TOTP %1; %2 session(s) ended").arg(wasOn ? QStringLiteral("removed") : QStringLiteral("was not on"))
               .arg(ended.size()));
    tx.commit();
    for (const QString &sid : ended)
        d.revocations.markRevoked(sid);
    return wasOn;
}

namespace {
// Console and admin API calls have no end-user client; the actor is in the admin event.
ClientInfo adminClient()
{
    return ClientInfo{{}, QStringLiteral("admin")};
}
} // namespace

MfaEnrolment AdminService::beginTotpEnrolment(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    const User user = existingUser(realmId, userId);
    Transaction tx(d.db);
    const MfaService::Enrolment enrolment = d.mfa.enrollUser(user, adminClient());
    record(by, realmId, {}, QStringLiteral("admin.user.mfa_enrolment_started"), QStringLiteral("user"), userId,
           QStringLiteral("TOTP secret issued, pending confirmation"));
    tx.commit();
    return MfaEnrolment{enrolment.secret, enrolment.uri};
}

QStringList AdminService::confirmTotpEnrolment(const AdminActor &by, const QString &realmId, const QString &userId, const QString &code) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    const User user = existingUser(realmId, userId);
    Transaction tx(d.db);
    QStringList codes;
    try {
        codes = d.mfa.confirmUser(user, code, adminClient(), {}, false);
    } catch (const DomainError &) {
        tx.commit(); // keeps the audit of the rejected code
        throw;
    }
    record(by, realmId, {}, QStringLiteral("admin.user.mfa_enabled"), QStringLiteral("user"), userId,
           QStringLiteral("TOTP confirmed by an admin, %1 backup codes issued").arg(codes.size()));
    tx.commit();
    return codes;
}

bool AdminService::unlockUser(const AdminActor &by, const QString &realmId, const QString &userId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    const User user = existingUser(realmId, userId);
    Transaction tx(d.db);
    bool lifted = d.throttle.unlock(realmId, user.email);
    if (!user.username.isEmpty())
        lifted = d.throttle.unlock(realmId, user.username) || lifted;
    record(by, realmId, {}, QStringLiteral("admin.user.unlocked"), QStringLiteral("user"), userId,
           lifted ? QStringLiteral("sign-in failures forgotten, lockout lifted") : QStringLiteral("nothing to lift"));
    tx.commit();
    return lifted;
}

void AdminService::setAppLifetimes(const AdminActor &by, const QString &realmId, const QString &appId, const AppLifetimes &lifetimes) const
{
    by.requireApp(realmId, appId);
    by.requireWrite();
    const auto check = [](qint64 value, const char *setting, const char *field) {
        const SettingDefinition *def = RealmSettings::find(QLatin1String(setting));
        if (value != 0 && (value < def->minimum || value > def->maximum))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be null (inherit) or from %2 to %3 s")
                                                              .arg(QLatin1String(field)).arg(def->minimum).arg(def->maximum));
    };
    check(lifetimes.accessToken, "accessTokenLifetime", "accessTokenLifetime");
    check(lifetimes.refreshToken, "refreshTokenLifetime", "refreshTokenLifetime");
    check(lifetimes.sessionMax, "sessionMaxLifetime", "sessionMaxLifetime");
    Transaction tx(d.db);
    d.realms.setAppLifetimes(realmId, appId, lifetimes);
    record(by, realmId, appId, QStringLiteral("admin.app.token_lifetimes"), QStringLiteral("app"), appId,
           QStringLiteral("access %1 s, refresh %2 s, session %3 s (0 = inherit)")
               .arg(lifetimes.accessToken).arg(lifetimes.refreshToken).arg(lifetimes.sessionMax));
    tx.commit();
}

} // namespace authrealm
