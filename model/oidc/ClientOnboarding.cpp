#include "oidc/ClientRegistry.h"

#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/ConstantTime.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"

// Dynamic client registration (RFC 7591) and its management endpoint
// (RFC 7592). The caller is never an administrator: it acts through an
// AdminActor that stands for the initial access token (or the registered
// client) and holds a grant on exactly one app, so create()/update() apply the
// same authorisation, validation and audit as the admin API.
namespace authrealm {

namespace {

[[noreturn]] void badToken()
{
    throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid, expired or used up"));
}

AdminActor actorFor(const QString &actor, const QString &realmId, const QString &appId, const QString &ip = {},
                    const QString &userAgent = {})
{
    return AdminActor{actor, {AdminGrant{AdminGrant::Layer::App, realmId, appId}}, false, ip, userAgent};
}

} // namespace

ClientRegistry::InitialAccessToken ClientRegistry::issueInitialAccessToken(const AdminActor &by, const QString &realmId,
                                                                           const QString &appId, qint64 expiresInSeconds,
                                                                           int uses) const
{
    by.requireApp(realmId, appId);
    by.requireWrite();
    if (!d.realms.app(realmId, appId))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such app"));
    if (expiresInSeconds < 60 || expiresInSeconds > kMaxInitialTokenLifetime)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("expiresIn must be between 60 and %1 seconds").arg(kMaxInitialTokenLifetime));
    if (uses < 1 || uses > kMaxInitialTokenUses)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("uses must be between 1 and %1").arg(kMaxInitialTokenUses));
    InitialAccessToken t;
    t.id = QStringLiteral("iat_") + randomToken(12);
    t.token = randomToken(32);
    t.appId = appId;
    t.expiresAt = d.clock.nowMs() + expiresInSeconds * 1000;
    t.usesLeft = uses;
    Transaction tx(d.db);
    SqlQuery(d.db, QStringLiteral("INSERT INTO oauth_initial_access_tokens (id, realm_id, token_hash, app_id, created_by, created_at, "
                                  "expires_at, uses_left) VALUES (:id, :r, :h, :a, :by, :now, :exp, :uses)"))
        .bind(QStringLiteral(":id"), t.id)
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":h"), d.tokenHasher.hashHex(t.token.toUtf8()))
        .bind(QStringLiteral(":a"), appId)
        .bind(QStringLiteral(":by"), by.actor)
        .bind(QStringLiteral(":now"), d.clock.nowMs())
        .bind(QStringLiteral(":exp"), t.expiresAt)
        .bind(QStringLiteral(":uses"), uses)
        .exec();
    d.audit.record(AuditEvent::of(realmId, QStringLiteral("client.initial_access_token_issued"), by.actor, QStringLiteral("success"))
                       .inApp(appId).target(QStringLiteral("initial_access_token"), t.id).from(by.ip, by.userAgent)
                       .says(QStringLiteral("%1 uses, expires in %2 s").arg(uses).arg(expiresInSeconds)));
    tx.commit();
    return t;
}

ClientRegistry::Registration ClientRegistry::registerDynamically(const QString &realmId, const QString &initialAccessToken, Draft draft,
                                                                 const QString &ip, const QString &userAgent) const
{
    if (initialAccessToken.isEmpty() || initialAccessToken.size() > 256)
        badToken();
    const QString hash = d.tokenHasher.hashHex(initialAccessToken.toUtf8());
    Registration out;
    Transaction tx(d.db);
    SqlQuery q(d.db, QStringLiteral("SELECT id, app_id, expires_at, uses_left, revoked_at FROM oauth_initial_access_tokens "
                                    "WHERE token_hash = :h AND realm_id = :r") + d.db.sql().forUpdate());
    q.bind(QStringLiteral(":h"), hash).bind(QStringLiteral(":r"), realmId).exec();
    if (!q.next() || q.value(2).toLongLong() <= d.clock.nowMs() || q.value(3).toInt() < 1 || !q.value(4).isNull())
        badToken();
    const QString tokenId = q.value(0).toString();
    draft.appId = q.value(1).toString();
    draft.extraAppIds.clear();
    draft.firstParty = false; // self-registered clients always ask the user
    // A failed validation throws before commit: the use is not spent.
    out.created = create(actorFor(QStringLiteral("initial_access_token:") + tokenId, realmId, draft.appId, ip, userAgent), realmId, draft);
    SqlQuery(d.db, QStringLiteral("UPDATE oauth_initial_access_tokens SET uses_left = uses_left - 1 WHERE id = :id AND uses_left > 0"))
        .bind(QStringLiteral(":id"), tokenId)
        .exec();
    out.registrationAccessToken = randomToken(32);
    SqlQuery(d.db, QStringLiteral("UPDATE oauth_clients SET registration_token_hash = :h WHERE id = :c"))
        .bind(QStringLiteral(":h"), d.tokenHasher.hashHex(out.registrationAccessToken.toUtf8()))
        .bind(QStringLiteral(":c"), out.created.client.id)
        .exec();
    tx.commit();
    return out;
}

std::pair<OAuthClient, AdminActor> ClientRegistry::registrationOwner(const QString &realmId, const QString &clientId,
                                                                     const QString &registrationToken) const
{
    // The HMAC runs whatever the client, so timing tells nothing about which exist.
    const QByteArray presented = d.tokenHasher.hashHex(registrationToken.toUtf8()).toLatin1();
    const std::optional<OAuthClient> client = find(realmId, clientId);
    QByteArray stored;
    if (client) {
        SqlQuery q(d.db, QStringLiteral("SELECT registration_token_hash FROM oauth_clients WHERE id = :c AND realm_id = :r"));
        q.bind(QStringLiteral(":c"), clientId).bind(QStringLiteral(":r"), realmId).exec();
        if (q.next())
            stored = q.value(0).toString().toLatin1();
    }
    const bool ok = constantTimeEquals(stored, presented);
    if (!client || stored.isEmpty() || registrationToken.isEmpty() || !ok)
        badToken();
    return {*client, actorFor(QStringLiteral("client:") + client->id, realmId, client->appId)};
}

OAuthClient ClientRegistry::registeredClient(const QString &realmId, const QString &clientId, const QString &registrationToken) const
{
    return registrationOwner(realmId, clientId, registrationToken).first;
}

OAuthClient ClientRegistry::updateRegistered(const QString &realmId, const QString &clientId, const QString &registrationToken,
                                             Draft draft) const
{
    const auto [client, actor] = registrationOwner(realmId, clientId, registrationToken);
    draft.appId = client.appId;
    draft.extraAppIds.clear();
    draft.firstParty = false;
    return update(actor, realmId, clientId, draft);
}

void ClientRegistry::removeRegistered(const QString &realmId, const QString &clientId, const QString &registrationToken) const
{
    const auto [client, actor] = registrationOwner(realmId, clientId, registrationToken);
    remove(actor, realmId, client.id);
}

} // namespace authrealm
