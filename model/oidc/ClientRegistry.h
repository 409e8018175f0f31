#pragma once

#include "admin/AdminActor.h"
#include "auth/TokenLifetimes.h"
#include "oidc/ClientAuthentication.h"
#include "oidc/ClientCache.h"
#include "oidc/OAuthClient.h"

#include <QList>
#include <QString>
#include <optional>
#include <utility>

namespace authrealm {

class AuditLog;
class Clock;
class Database;
class RealmStore;
class TokenHasher;


// OAuth clients of a realm's products: registration with validation, secrets
// (random 256 bits, shown once, stored as TokenHasher HMACs, rotated with an
// overlap), and client authentication for the token endpoint. Admin changes
// are authorised by the AdminActor (app admins manage their app's clients)
// and audited in the same transaction as the change.
class ClientRegistry
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const TokenHasher &tokenHasher;
        const AuditLog &audit;
        const Clock &clock;
        LifetimeBounds lifetimeBounds{}; // the deployment's ceiling; a client's lifetimes stay within its app's
    };
    explicit ClientRegistry(Deps deps) : d(deps), m_cache(deps.clock) {}

    // What an admin (or dynamic registration) asks for. Empty lists take the
    // defaults: grantTypes {authorization_code, refresh_token}, allowedScopes
    // {openid, profile, email, offline_access}, auth method
    // client_secret_basic (confidential) or none (public).
    struct Draft
    {
        QString appId;
        QStringList extraAppIds;
        QString name;
        bool confidential = true;
        QStringList redirectUris;
        QStringList postLogoutRedirectUris;
        QStringList grantTypes;
        QStringList allowedScopes;
        QString idTokenAlgorithm = QStringLiteral("RS256");
        QString tokenEndpointAuthMethod;
        QJsonObject jwks;
        bool firstParty = true;
        qint64 accessTokenLifetime = 0;
        qint64 refreshTokenLifetime = 0;
    };
    struct Created
    {
        OAuthClient client;
        QString secret; // shown once; empty for public and private_key_jwt clients
    };

    // Admin operations. InvalidRequest with a precise message for any invalid
    // field; NotFound for an unknown app or client (after the actor's check).
    [[nodiscard]] Created create(const AdminActor &by, const QString &realmId, const Draft &draft) const;
    [[nodiscard]] OAuthClient update(const AdminActor &by, const QString &realmId, const QString &clientId, const Draft &draft) const;
    // New current secret; the old one keeps working for overlapSeconds (0: ends now).
    [[nodiscard]] QString rotateSecret(const AdminActor &by, const QString &realmId, const QString &clientId, qint64 overlapSeconds) const;
    void remove(const AdminActor &by, const QString &realmId, const QString &clientId) const;
    [[nodiscard]] QList<OAuthClient> list(const AdminActor &by, const QString &realmId, const QString &appId) const;
    [[nodiscard]] OAuthClient get(const AdminActor &by, const QString &realmId, const QString &clientId) const;

    // For the provider: the client of this realm, or nullopt (also for another realm's client).
    [[nodiscard]] std::optional<OAuthClient> find(const QString &realmId, const QString &clientId) const;

    // Authenticates the client of a token/introspection/revocation request by
    // the method it registered: client_secret_basic, client_secret_post,
    // private_key_jwt (signature by a registered key, iss = sub = client_id,
    // aud = one of `audiences`, exp within 5 minutes, jti never seen before),
    // or none (public clients: only the client_id). Several methods at once
    // is invalid. Throws DomainError(InvalidClient) for everything else, with
    // one message; secrets are compared in constant time.
    [[nodiscard]] OAuthClient authenticate(const QString &realmId, const ClientCredentials &credentials,
                                           const QStringList &audiences) const;

    // ---- Dynamic client registration (RFC 7591, RFC 7592): ClientOnboarding.cpp ----
    // Self-serve onboarding is gated by initial access tokens that an admin of
    // the app issues; a registered client is always third-party (consent) and
    // belongs to that app. Every change is validated and audited as above.
    struct InitialAccessToken
    {
        QString id;
        QString token; // shown once; stored as a TokenHasher HMAC
        QString appId;
        qint64 expiresAt = 0; // ms
        int usesLeft = 0;
    };
    static constexpr qint64 kMaxInitialTokenLifetime = 30LL * 24 * 3600;
    static constexpr int kMaxInitialTokenUses = 1000;
    [[nodiscard]] InitialAccessToken issueInitialAccessToken(const AdminActor &by, const QString &realmId, const QString &appId,
                                                             qint64 expiresInSeconds, int uses) const;
    struct Registration
    {
        Created created;
        QString registrationAccessToken; // RFC 7592; shown once
    };
    // InvalidToken for an unknown, expired, used-up or revoked initial access
    // token (one answer); InvalidRequest for invalid metadata (no use spent).
    [[nodiscard]] Registration registerDynamically(const QString &realmId, const QString &initialAccessToken, Draft draft,
                                                   const QString &ip, const QString &userAgent) const;
    // RFC 7592 management with the registration access token: InvalidToken
    // for a wrong token, an unknown client and a client registered by an admin alike.
    [[nodiscard]] OAuthClient registeredClient(const QString &realmId, const QString &clientId, const QString &registrationToken) const;
    [[nodiscard]] OAuthClient updateRegistered(const QString &realmId, const QString &clientId, const QString &registrationToken,
                                               Draft draft) const;
    void removeRegistered(const QString &realmId, const QString &clientId, const QString &registrationToken) const;

    // The access-token lifetime of a client's tokens: its own, within its
    // app's effective one (cached like the client, see ClientCache).
    [[nodiscard]] qint64 accessTokenLifetime(const OAuthClient &client) const;

    // The app's effective token lifetimes, the ceiling for a client's own.
    [[nodiscard]] EffectiveLifetimes appLimits(const QString &realmId, const QString &appId) const;

    static inline const QString kMethodBasic = QStringLiteral("client_secret_basic");
    static inline const QString kMethodPost = QStringLiteral("client_secret_post");
    static inline const QString kMethodJwt = QStringLiteral("private_key_jwt");
    static inline const QString kMethodNone = QStringLiteral("none");
    static inline const QString kAssertionType = QStringLiteral("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    static constexpr qint64 kMaxOverlapSeconds = 30LL * 24 * 3600;
    static constexpr qint64 kMaxAssertionLifetime = 300;

private:
    // Authorises `by` for the draft's apps, checks they exist and fills the
    // defaults; InvalidRequest with a precise message otherwise.
    [[nodiscard]] Draft checkedDraft(const AdminActor &by, const QString &realmId, Draft draft) const;
    // The realm's client that `by` administers: Forbidden when it belongs to
    // an app `by` does not administer, and also when it does not exist unless
    // `by` administers the whole realm (then NotFound), so app admins learn
    // nothing about other apps' clients.
    [[nodiscard]] OAuthClient administered(const AdminActor &by, const QString &realmId, const QString &clientId) const;
    void record(const AdminActor &by, const OAuthClient &client, const QString &kind, const QString &summary) const;
    [[nodiscard]] QString addSecret(const QString &clientId) const;
    void writeClient(const OAuthClient &client, bool insert) const;
    [[nodiscard]] bool secretMatches(const ClientCache::Client &entry, const QString &secret) const;
    // The client and its secrets, from the cache or the database.
    [[nodiscard]] ClientCache::Client cachedClient(const QString &realmId, const QString &clientId) const;
    // The client and an actor standing for it, after checking its registration access token.
    [[nodiscard]] std::pair<OAuthClient, AdminActor> registrationOwner(const QString &realmId, const QString &clientId,
                                                                       const QString &registrationToken) const;
    [[nodiscard]] bool assertionValid(const OAuthClient &client, const QString &assertion, const QStringList &audiences) const;

    Deps d;
    ClientCache m_cache;
};

} // namespace authrealm
