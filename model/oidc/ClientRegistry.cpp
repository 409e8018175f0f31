#include "oidc/ClientRegistry.h"

#include "admin/AdminActor.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "oidc/ClientRules.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"

#include <QJsonDocument>

// Registration and administration of OAuth clients. Client authentication
// (authenticate() and its helpers) lives in ClientAuthenticator.cpp.
namespace authrealm {

namespace {

const QString kColumns = QStringLiteral(
    "id, realm_id, app_id, app_ids, name, confidential, redirect_uris, post_logout_redirect_uris, grant_types, "
    "allowed_scopes, id_token_alg, token_auth_method, jwks, first_party, access_token_lifetime, refresh_token_lifetime, "
    "created_at, updated_at");

QStringList words(const QVariant &value)
{
    return value.toString().split(u' ', Qt::SkipEmptyParts);
}

OAuthClient clientFromRow(const SqlQuery &q)
{
    OAuthClient c;
    c.id = q.value(0).toString();
    c.realmId = q.value(1).toString();
    c.appId = q.value(2).toString();
    c.appIds = words(q.value(3));
    c.name = q.value(4).toString();
    c.confidential = q.value(5).toInt() != 0;
    c.redirectUris = words(q.value(6));
    c.postLogoutRedirectUris = words(q.value(7));
    c.grantTypes = words(q.value(8));
    c.allowedScopes = words(q.value(9));
    c.idTokenAlgorithm = q.value(10).toString();
    c.tokenEndpointAuthMethod = q.value(11).toString();
    c.jwks = QJsonDocument::fromJson(q.value(12).toString().toUtf8()).object();
    c.firstParty = q.value(13).toInt() != 0;
    c.accessTokenLifetime = q.value(14).toLongLong();
    c.refreshTokenLifetime = q.value(15).toLongLong();
    c.createdAt = q.value(16).toLongLong();
    c.updatedAt = q.value(17).toLongLong();
    return c;
}

bool usesSecret(const QString &method)
{
    return method == ClientRegistry::kMethodBasic || method == ClientRegistry::kMethodPost;
}

void applyDraft(OAuthClient &client, const ClientRegistry::Draft &draft)
{
    client.appIds = QStringList{client.appId} + draft.extraAppIds;
    client.name = draft.name;
    client.confidential = draft.confidential;
    client.redirectUris = draft.redirectUris;
    client.postLogoutRedirectUris = draft.postLogoutRedirectUris;
    client.grantTypes = draft.grantTypes;
    client.allowedScopes = draft.allowedScopes;
    client.idTokenAlgorithm = draft.idTokenAlgorithm;
    client.tokenEndpointAuthMethod = draft.tokenEndpointAuthMethod;
    client.jwks = draft.jwks;
    client.firstParty = draft.firstParty;
    client.accessTokenLifetime = draft.accessTokenLifetime;
    client.refreshTokenLifetime = draft.refreshTokenLifetime;
}

QString describe(const OAuthClient &c)
{
    return QStringLiteral("%1 (%2, %3; redirect URIs: %4; grants: %5)")
        .arg(c.name, c.confidential ? QStringLiteral("confidential") : QStringLiteral("public"), c.tokenEndpointAuthMethod,
             c.redirectUris.join(u' '), c.grantTypes.join(u' '));
}

} // namespace

EffectiveLifetimes ClientRegistry::appLimits(const QString &realmId, const QString &appId) const
{
    return effectiveLifetimes(d.lifetimeBounds, d.realms.settings(realmId), d.realms.appLifetimes(realmId, appId));
}

ClientRegistry::Draft ClientRegistry::checkedDraft(const AdminActor &by, const QString &realmId, Draft draft) const
{
    // Serving another product is reaching into its users: the actor must
    // administer every product the client signs people in to.
    by.requireApp(realmId, draft.appId);
    for (const QString &extra : draft.extraAppIds)
        by.requireApp(realmId, extra);
    by.requireWrite();
    if (!d.realms.app(realmId, draft.appId))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such app"));
    for (const QString &extra : draft.extraAppIds) {
        if (!d.realms.app(realmId, extra))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("extraAppIds: no app '%1' in this realm").arg(extra.left(64)));
    }
    ClientRules::normalise(draft, appLimits(realmId, draft.appId));
    return draft;
}

OAuthClient ClientRegistry::administered(const AdminActor &by, const QString &realmId, const QString &clientId) const
{
    const std::optional<OAuthClient> client = find(realmId, clientId);
    if (!client) {
        by.requireRealm(realmId);
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such client"));
    }
    by.requireApp(realmId, client->appId);
    return *client;
}

void ClientRegistry::record(const AdminActor &by, const OAuthClient &client, const QString &kind, const QString &summary) const
{
    d.audit.record(AuditEvent::of(client.realmId, kind, by.actor, QStringLiteral("success"))
                       .inApp(client.appId).target(QStringLiteral("client"), client.id).from(by.ip, by.userAgent).says(summary));
}

QString ClientRegistry::addSecret(const QString &clientId) const
{
    const QString secret = randomToken(32); // 256 bits
    SqlQuery(d.db, QStringLiteral("INSERT INTO oauth_client_secrets (client_id, secret_hash, created_at, expires_at) "
                                  "VALUES (:c, :h, :now, NULL)"))
        .bind(QStringLiteral(":c"), clientId)
        .bind(QStringLiteral(":h"), d.tokenHasher.hashHex(secret.toUtf8()))
        .bind(QStringLiteral(":now"), d.clock.nowMs())
        .exec();
    m_cache.forgetClient(clientId);
    return secret;
}

void ClientRegistry::writeClient(const OAuthClient &c, bool insert) const
{
    const QString sql = insert
        ? QStringLiteral("INSERT INTO oauth_clients (id, realm_id, app_id, app_ids, name, confidential, redirect_uris, "
                         "post_logout_redirect_uris, grant_types, allowed_scopes, id_token_alg, token_auth_method, jwks, "
                         "first_party, access_token_lifetime, refresh_token_lifetime, created_at, updated_at) "
                         "VALUES (:id, :realm, :app, :apps, :name, :conf, :ru, :plru, :gt, :sc, :alg, :method, :jwks, :fp, :atl, "
                         ":rtl, :created, :updated)")
        : QStringLiteral("UPDATE oauth_clients SET app_ids = :apps, name = :name, confidential = :conf, redirect_uris = :ru, "
                         "post_logout_redirect_uris = :plru, grant_types = :gt, allowed_scopes = :sc, id_token_alg = :alg, "
                         "token_auth_method = :method, jwks = :jwks, first_party = :fp, access_token_lifetime = :atl, "
                         "refresh_token_lifetime = :rtl, updated_at = :updated WHERE id = :id AND realm_id = :realm");
    SqlQuery q(d.db, sql);
    q.bind(QStringLiteral(":id"), c.id).bind(QStringLiteral(":realm"), c.realmId);
    if (insert)
        q.bind(QStringLiteral(":app"), c.appId).bind(QStringLiteral(":created"), c.createdAt);
    q.bind(QStringLiteral(":apps"), c.appIds.join(u' '))
        .bind(QStringLiteral(":name"), c.name)
        .bind(QStringLiteral(":conf"), c.confidential ? 1 : 0)
        .bind(QStringLiteral(":ru"), c.redirectUris.join(u' '))
        .bind(QStringLiteral(":plru"), c.postLogoutRedirectUris.join(u' '))
        .bind(QStringLiteral(":gt"), c.grantTypes.join(u' '))
        .bind(QStringLiteral(":sc"), c.allowedScopes.join(u' '))
        .bind(QStringLiteral(":alg"), c.idTokenAlgorithm)
        .bind(QStringLiteral(":method"), c.tokenEndpointAuthMethod)
        .bind(QStringLiteral(":jwks"), c.jwks.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(c.jwks).toJson(QJsonDocument::Compact)))
        .bind(QStringLiteral(":fp"), c.firstParty ? 1 : 0)
        .bind(QStringLiteral(":atl"), c.accessTokenLifetime)
        .bind(QStringLiteral(":rtl"), c.refreshTokenLifetime)
        .bind(QStringLiteral(":updated"), c.updatedAt)
        .exec();
    m_cache.forgetClient(c.id);
}

ClientRegistry::Created ClientRegistry::create(const AdminActor &by, const QString &realmId, const Draft &draft) const
{
    const Draft checked = checkedDraft(by, realmId, draft);
    Created out;
    OAuthClient &c = out.client;
    c.realmId = realmId;
    c.id = QStringLiteral("c_") + randomToken(16);
    c.appId = checked.appId;
    applyDraft(c, checked);
    c.createdAt = c.updatedAt = d.clock.nowMs();
    Transaction tx(d.db);
    writeClient(c, true);
    if (usesSecret(c.tokenEndpointAuthMethod))
        out.secret = addSecret(c.id);
    record(by, c, QStringLiteral("client.created"), describe(c));
    tx.commit();
    m_cache.forgetClient(out.client.id); // again: a reader may have cached the old rows before the commit
    return out;
}

OAuthClient ClientRegistry::update(const AdminActor &by, const QString &realmId, const QString &clientId, const Draft &draft) const
{
    OAuthClient c = administered(by, realmId, clientId);
    if (!draft.appId.isEmpty() && draft.appId != c.appId)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("A client cannot move to another app"));
    Draft wanted = draft;
    wanted.appId = c.appId;
    const Draft checked = checkedDraft(by, realmId, wanted);
    if (checked.confidential != c.confidential)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("confidential cannot change: create a new client instead"));
    if (usesSecret(checked.tokenEndpointAuthMethod) != usesSecret(c.tokenEndpointAuthMethod))
        throw DomainError(ErrorCode::InvalidRequest,
                          QStringLiteral("tokenEndpointAuthMethod can only change between client_secret_basic and client_secret_post"));
    applyDraft(c, checked);
    c.updatedAt = d.clock.nowMs();
    Transaction tx(d.db);
    writeClient(c, false);
    record(by, c, QStringLiteral("client.updated"), describe(c));
    tx.commit();
    m_cache.forgetClient(c.id); // again: a reader may have cached the old rows before the commit
    return c;
}

QString ClientRegistry::rotateSecret(const AdminActor &by, const QString &realmId, const QString &clientId, qint64 overlapSeconds) const
{
    const OAuthClient c = administered(by, realmId, clientId);
    by.requireWrite();
    if (!usesSecret(c.tokenEndpointAuthMethod))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("This client authenticates without a secret"));
    if (overlapSeconds < 0 || overlapSeconds > kMaxOverlapSeconds)
        throw DomainError(ErrorCode::InvalidRequest,
                          QStringLiteral("overlapSeconds must be between 0 and %1").arg(kMaxOverlapSeconds));
    const qint64 now = d.clock.nowMs();
    Transaction tx(d.db);
    // Earlier overlaps keep their own (shorter or longer) end; the current
    // secret starts its overlap now; whatever already ended goes.
    SqlQuery(d.db, QStringLiteral("UPDATE oauth_client_secrets SET expires_at = :end WHERE client_id = :c AND expires_at IS NULL"))
        .bind(QStringLiteral(":end"), now + overlapSeconds * 1000)
        .bind(QStringLiteral(":c"), c.id)
        .exec();
    SqlQuery(d.db, QStringLiteral("DELETE FROM oauth_client_secrets WHERE client_id = :c AND expires_at <= :now"))
        .bind(QStringLiteral(":c"), c.id)
        .bind(QStringLiteral(":now"), now)
        .exec();
    const QString secret = addSecret(c.id);
    record(by, c, QStringLiteral("client.secret_rotated"), QStringLiteral("old secret valid for %1 more seconds").arg(overlapSeconds));
    tx.commit();
    m_cache.forgetClient(clientId); // again: a reader may have cached the old rows before the commit
    return secret;
}

void ClientRegistry::remove(const AdminActor &by, const QString &realmId, const QString &clientId) const
{
    const OAuthClient c = administered(by, realmId, clientId);
    by.requireWrite();
    Transaction tx(d.db);
    // Its secrets, codes, consents and jtis go by ON DELETE CASCADE; the
    // sessions it started end, so its refresh tokens stop working.
    SqlQuery(d.db, QStringLiteral("UPDATE sessions SET revoked_at = :now, revoke_reason = 'client_deleted' "
                                  "WHERE client_id = :c AND realm_id = :r AND revoked_at IS NULL"))
        .bind(QStringLiteral(":now"), d.clock.nowMs())
        .bind(QStringLiteral(":c"), c.id)
        .bind(QStringLiteral(":r"), realmId)
        .exec();
    SqlQuery(d.db, QStringLiteral("DELETE FROM oauth_clients WHERE id = :c AND realm_id = :r"))
        .bind(QStringLiteral(":c"), c.id)
        .bind(QStringLiteral(":r"), realmId)
        .exec();
    record(by, c, QStringLiteral("client.deleted"), c.name);
    tx.commit();
    m_cache.forgetClient(c.id);
}

QList<OAuthClient> ClientRegistry::list(const AdminActor &by, const QString &realmId, const QString &appId) const
{
    by.requireApp(realmId, appId);
    if (!d.realms.app(realmId, appId))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such app"));
    SqlQuery q(d.db, QStringLiteral("SELECT ") + kColumns
                         + QStringLiteral(" FROM oauth_clients WHERE realm_id = :r AND app_id = :a ORDER BY created_at, id"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), appId).exec();
    QList<OAuthClient> out;
    while (q.next())
        out.append(clientFromRow(q));
    return out;
}

OAuthClient ClientRegistry::get(const AdminActor &by, const QString &realmId, const QString &clientId) const
{
    return administered(by, realmId, clientId);
}

ClientCache::Client ClientRegistry::cachedClient(const QString &realmId, const QString &clientId) const
{
    if (auto cached = m_cache.client(realmId, clientId))
        return *cached;
    // The same two statements whether or not the client exists, so an
    // unknown client_id costs what a known one does.
    ClientCache::Client entry;
    SqlQuery q(d.db, QStringLiteral("SELECT ") + kColumns
                         + QStringLiteral(" FROM oauth_clients WHERE id = :c AND realm_id = :r"));
    q.bind(QStringLiteral(":c"), clientId).bind(QStringLiteral(":r"), realmId).exec();
    if (q.next())
        entry.client = clientFromRow(q);
    q.raw().finish();
    SqlQuery secrets(d.db, QStringLiteral("SELECT secret_hash, expires_at FROM oauth_client_secrets WHERE client_id = :c"));
    secrets.bind(QStringLiteral(":c"), entry.client ? clientId : QString()).exec();
    while (secrets.next())
        entry.secrets.append({secrets.value(0).toString(), secrets.value(1).isNull() ? 0 : secrets.value(1).toLongLong()});
    m_cache.putClient(realmId, clientId, entry);
    return entry;
}

std::optional<OAuthClient> ClientRegistry::find(const QString &realmId, const QString &clientId) const
{
    if (clientId.isEmpty() || clientId.size() > 128)
        return std::nullopt;
    return cachedClient(realmId, clientId).client;
}

} // namespace authrealm
