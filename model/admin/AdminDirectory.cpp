#include "admin/AdminDirectory.h"

#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "storage/AuditLog.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QUuid>

namespace authrealm {

namespace {
const QString kKeyPrefix = QStringLiteral("rk_");
const QStringList kKeyScopes = {QStringLiteral("admin:read"), QStringLiteral("admin:write")};
constexpr qint64 kLastUsedResolutionMs = 60'000;

ApiKeyInfo readKey(SqlQuery &q)
{
    ApiKeyInfo k;
    k.id = q.value(0).toString();
    k.name = q.value(1).toString();
    k.grant.layer = AdminGrant::layerFromName(q.value(2).toString()).value_or(AdminGrant::Layer::App);
    k.grant.realmId = q.value(3).toString();
    k.grant.appId = q.value(4).toString();
    k.scopes = q.value(5).toString().split(u' ', Qt::SkipEmptyParts);
    k.createdBy = q.value(6).toString();
    k.createdAt = q.value(7).toLongLong();
    k.lastUsedAt = q.value(8).isNull() ? 0 : q.value(8).toLongLong();
    return k;
}
const QString kKeyColumns = QStringLiteral("id, name, layer, realm_id, app_id, scopes, created_by, created_at, last_used_at");
} // namespace

bool AdminDirectory::looksLikeApiKey(const QString &secret)
{
    return secret.size() == kKeyPrefix.size() + 43 && secret.startsWith(kKeyPrefix);
}

QList<AdminGrant> AdminDirectory::grantsOf(const QString &userId) const
{
    SqlQuery q(d.db, QStringLiteral("SELECT layer, realm_id, app_id FROM admin_grants WHERE user_id = :u ORDER BY layer, realm_id, app_id"));
    q.bind(QStringLiteral(":u"), userId).exec();
    QList<AdminGrant> out;
    while (q.next()) {
        if (const auto layer = AdminGrant::layerFromName(q.value(0).toString()))
            out.append(AdminGrant{*layer, q.value(1).toString(), q.value(2).toString()});
    }
    return out;
}

AdminActor AdminDirectory::actorForUser(const QString &userId) const
{
    return AdminActor{QStringLiteral("user:") + userId, grantsOf(userId), false, {}, {}};
}

std::optional<AdminActor> AdminDirectory::actorForApiKey(const QString &secret) const
{
    if (!looksLikeApiKey(secret))
        return std::nullopt;
    SqlQuery q(d.db, QStringLiteral("SELECT %1 FROM api_keys WHERE token_hash = :h AND revoked_at IS NULL").arg(kKeyColumns));
    q.bind(QStringLiteral(":h"), d.tokenHasher.hashHex(secret.toUtf8())).exec();
    if (!q.next())
        return std::nullopt;
    const ApiKeyInfo key = readKey(q);
    q.raw().finish();
    const qint64 now = d.clock.nowMs();
    if (key.lastUsedAt < now - kLastUsedResolutionMs) {
        SqlQuery(d.db, QStringLiteral("UPDATE api_keys SET last_used_at = :now WHERE id = :id"))
            .bind(QStringLiteral(":now"), now).bind(QStringLiteral(":id"), key.id).exec();
    }
    if (!key.scopes.contains(QStringLiteral("admin:read")) && !key.scopes.contains(QStringLiteral("admin:write")))
        return std::nullopt;
    return AdminActor{QStringLiteral("apikey:") + key.id, {key.grant}, !key.scopes.contains(QStringLiteral("admin:write")), {}, {}};
}

void AdminDirectory::requireCanGrant(const AdminActor &by, const AdminGrant &grant) const
{
    by.requireWrite();
    switch (grant.layer) {
    case AdminGrant::Layer::Master:
        by.requireMaster();
        break;
    case AdminGrant::Layer::Realm:
        by.requireRealm(grant.realmId);
        break;
    case AdminGrant::Layer::App:
        by.requireApp(grant.realmId, grant.appId);
        break;
    }
}

void AdminDirectory::requireTargetExists(const AdminGrant &grant) const
{
    // A grant or key for a realm or app that does not exist yet would come
    // alive, unnoticed, when someone later creates one with that name.
    if (grant.layer == AdminGrant::Layer::Master)
        return;
    SqlQuery q(d.db, grant.layer == AdminGrant::Layer::Realm ? QStringLiteral("SELECT 1 FROM realms WHERE id = :r")
                                                             : QStringLiteral("SELECT 1 FROM apps WHERE realm_id = :r AND id = :a"));
    q.bind(QStringLiteral(":r"), grant.realmId);
    if (grant.layer == AdminGrant::Layer::App)
        q.bind(QStringLiteral(":a"), grant.appId);
    q.exec();
    if (!q.next())
        throw DomainError(ErrorCode::NotFound, grant.layer == AdminGrant::Layer::Realm ? QStringLiteral("No such realm") : QStringLiteral("No such app"));
}

void AdminDirectory::insertGrant(const QString &userId, const AdminGrant &grant) const
{
    SqlQuery(d.db, QStringLiteral("INSERT INTO admin_grants (user_id, layer, realm_id, app_id, created_at) "
                                  "VALUES (:u, :l, :r, :a, :c) ON CONFLICT DO NOTHING"))
        .bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":l"), AdminGrant::layerName(grant.layer))
        .bind(QStringLiteral(":r"), grant.layer == AdminGrant::Layer::Master ? QString() : grant.realmId)
        .bind(QStringLiteral(":a"), grant.layer == AdminGrant::Layer::App ? grant.appId : QString())
        .bind(QStringLiteral(":c"), d.clock.nowMs())
        .exec();
}

void AdminDirectory::addGrant(const AdminActor &by, const QString &userId, const AdminGrant &grant) const
{
    requireCanGrant(by, grant);
    requireTargetExists(grant);
    // Only master-realm users may administer other realms; anyone else only their own.
    SqlQuery q(d.db, QStringLiteral("SELECT realm_id FROM users WHERE id = :u"));
    q.bind(QStringLiteral(":u"), userId).exec();
    if (!q.next())
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such user"));
    const QString userRealm = q.value(0).toString();
    q.raw().finish();
    if (userRealm != u"master") {
        // Only a master administrator gets here with a master grant.
        if (grant.layer == AdminGrant::Layer::Master)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("A user can only administer their own realm"));
        // A user of another realm is not the caller's business: answer as for an unknown user.
        if (grant.realmId != userRealm)
            throw DomainError(ErrorCode::NotFound, QStringLiteral("No such user"));
    }
    Transaction tx(d.db);
    insertGrant(userId, grant);
    record(by, grant.layer == AdminGrant::Layer::Master ? QStringLiteral("master") : grant.realmId, QStringLiteral("admin.grant.added"),
           QStringLiteral("user"), userId,
           QStringLiteral("%1 admin grant %2/%3").arg(AdminGrant::layerName(grant.layer), grant.realmId, grant.appId));
    tx.commit();
}

void AdminDirectory::removeGrant(const AdminActor &by, const QString &userId, const AdminGrant &grant) const
{
    requireCanGrant(by, grant);
    Transaction tx(d.db);
    SqlQuery q(d.db, QStringLiteral("DELETE FROM admin_grants WHERE user_id = :u AND layer = :l AND realm_id = :r AND app_id = :a"));
    q.bind(QStringLiteral(":u"), userId).bind(QStringLiteral(":l"), AdminGrant::layerName(grant.layer))
        .bind(QStringLiteral(":r"), grant.layer == AdminGrant::Layer::Master ? QString() : grant.realmId)
        .bind(QStringLiteral(":a"), grant.layer == AdminGrant::Layer::App ? grant.appId : QString())
        .exec();
    if (q.rowsAffected() == 0)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such grant"));
    record(by, grant.layer == AdminGrant::Layer::Master ? QStringLiteral("master") : grant.realmId, QStringLiteral("admin.grant.removed"),
           QStringLiteral("user"), userId, QStringLiteral("%1 admin grant removed").arg(AdminGrant::layerName(grant.layer)));
    tx.commit();
}

AdminDirectory::MintedKey AdminDirectory::createApiKey(const AdminActor &by, const QString &name, const AdminGrant &grant,
                                                       QStringList scopes) const
{
    requireCanGrant(by, grant);
    requireTargetExists(grant);
    if (name.trimmed().isEmpty() || name.size() > 100)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"name\" must have 1 to 100 characters"));
    scopes.removeDuplicates();
    scopes.sort();
    if (scopes.isEmpty())
        scopes = {QStringLiteral("admin:read")};
    for (const QString &scope : std::as_const(scopes)) {
        if (!kKeyScopes.contains(scope))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("API key scopes are admin:read and admin:write"));
    }
    MintedKey minted;
    minted.secret = kKeyPrefix + randomToken(32);
    ApiKeyInfo &k = minted.info;
    k.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    k.name = name.trimmed();
    k.grant = grant;
    if (grant.layer == AdminGrant::Layer::Master)
        k.grant.realmId.clear();
    if (grant.layer != AdminGrant::Layer::App)
        k.grant.appId.clear();
    k.scopes = scopes;
    k.createdBy = by.actor;
    k.createdAt = d.clock.nowMs();
    Transaction tx(d.db);
    SqlQuery(d.db, QStringLiteral("INSERT INTO api_keys (id, name, token_hash, layer, realm_id, app_id, scopes, created_by, created_at) "
                                  "VALUES (:id, :n, :h, :l, :r, :a, :s, :b, :c)"))
        .bind(QStringLiteral(":id"), k.id).bind(QStringLiteral(":n"), k.name)
        .bind(QStringLiteral(":h"), d.tokenHasher.hashHex(minted.secret.toUtf8()))
        .bind(QStringLiteral(":l"), AdminGrant::layerName(k.grant.layer)).bind(QStringLiteral(":r"), k.grant.realmId)
        .bind(QStringLiteral(":a"), k.grant.appId).bind(QStringLiteral(":s"), k.scopes.join(u' '))
        .bind(QStringLiteral(":b"), k.createdBy).bind(QStringLiteral(":c"), k.createdAt)
        .exec();
    record(by, k.grant.realmId.isEmpty() ? QStringLiteral("master") : k.grant.realmId, QStringLiteral("admin.apikey.created"),
           QStringLiteral("apikey"), k.id, QStringLiteral("\"%1\" (%2) %3").arg(k.name, AdminGrant::layerName(k.grant.layer), k.scopes.join(u' ')));
    tx.commit();
    return minted;
}

QList<ApiKeyInfo> AdminDirectory::apiKeys(const AdminActor &by) const
{
    SqlQuery q(d.db, QStringLiteral("SELECT %1 FROM api_keys WHERE revoked_at IS NULL ORDER BY created_at, id").arg(kKeyColumns));
    q.exec();
    QList<ApiKeyInfo> out;
    while (q.next()) {
        const ApiKeyInfo k = readKey(q);
        const bool visible = k.grant.layer == AdminGrant::Layer::Master ? by.isMaster()
                : k.grant.layer == AdminGrant::Layer::Realm            ? by.canAdminRealm(k.grant.realmId)
                                                                       : by.canAdminApp(k.grant.realmId, k.grant.appId);
        if (visible)
            out.append(k);
    }
    return out;
}

void AdminDirectory::revokeApiKey(const AdminActor &by, const QString &id) const
{
    for (const ApiKeyInfo &k : apiKeys(by)) {
        if (k.id != id)
            continue;
        requireCanGrant(by, k.grant);
        Transaction tx(d.db);
        SqlQuery(d.db, QStringLiteral("UPDATE api_keys SET revoked_at = :now WHERE id = :id"))
            .bind(QStringLiteral(":now"), d.clock.nowMs()).bind(QStringLiteral(":id"), id).exec();
        record(by, k.grant.realmId.isEmpty() ? QStringLiteral("master") : k.grant.realmId, QStringLiteral("admin.apikey.revoked"),
               QStringLiteral("apikey"), id, QStringLiteral("\"%1\" revoked").arg(k.name));
        tx.commit();
        return;
    }
    throw DomainError(ErrorCode::NotFound, QStringLiteral("No such API key"));
}

void AdminDirectory::record(const AdminActor &by, const QString &realmId, const QString &kind, const QString &targetType,
                            const QString &targetId, const QString &summary) const
{
    d.audit.record(AuditEvent::of(realmId, kind, by.actor, QStringLiteral("success"))
                       .target(targetType, targetId).from(by.ip, by.userAgent).says(summary));
}

} // namespace authrealm
