#pragma once

#include "auth/AuthService.h"
#include "oidc/OAuthClient.h"

#include <QJsonObject>
#include <QString>
#include <optional>

namespace authrealm {

class AccessTokens;
class AuditLog;
class ClientRegistry;
class Clock;
class Database;
class IdTokens;
class OidcStore;
class Permissions;
class RealmStore;
class RevocationList;
class SessionStore;
class TokenHasher;
class UserStore;

// The token endpoint's grants (authorization_code with PKCE, refresh_token,
// client_credentials), userinfo, introspection (RFC 7662), revocation
// (RFC 7009) and RP-initiated logout. The client is already authenticated
// (ClientRegistry::authenticate) when a method takes one.
class OidcTokens
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const SessionStore &sessions;
        const ClientRegistry &clients;
        const OidcStore &store;
        const AuthService &auth;
        const Permissions &permissions;
        const TokenHasher &tokenHasher;
        const IdTokens &idTokens;
        const AccessTokens &accessTokens;
        RevocationList &revocations;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit OidcTokens(Deps deps) : d(deps) {}

    [[nodiscard]] QJsonObject exchangeCode(const QString &realmId, const OAuthClient &client, const QString &code,
                                           const QString &redirectUri, const QString &codeVerifier, const ClientInfo &from) const;
    [[nodiscard]] QJsonObject refresh(const QString &realmId, const OAuthClient &client, const QString &refreshToken,
                                      const QString &scope, const ClientInfo &from) const;
    [[nodiscard]] QJsonObject clientCredentials(const QString &realmId, const OAuthClient &client, const QString &scope,
                                                const ClientInfo &from) const;

    // Claims for a bearer access token with the openid scope. InvalidToken
    // for anything else; Forbidden without openid.
    [[nodiscard]] QJsonObject userinfo(const QString &realmId, const QString &accessToken) const;
    // {"active": false} for anything not a live token of this client in this realm.
    [[nodiscard]] QJsonObject introspect(const QString &realmId, const OAuthClient &client, const QString &token) const;
    // Ends the token's session if it is this client's; silent otherwise (RFC 7009 §2.2).
    void revoke(const QString &realmId, const OAuthClient &client, const QString &token, const ClientInfo &from) const;

    struct LogoutRequest
    {
        QString clientId;               // from client_id or the hint's aud
        QString clientName;
        QString postLogoutRedirectUri;  // validated: registered for the client
        QString state;
        QString idTokenHint;
    };
    // Validates end_session parameters: InvalidRequest for a hint that is not
    // ours, an unknown client, or a post_logout_redirect_uri not registered
    // for it (the caller shows an error page, never redirects).
    [[nodiscard]] LogoutRequest checkLogout(const QString &realmId, const QString &idTokenHint, const QString &clientId,
                                            const QString &postLogoutRedirectUri, const QString &state) const;
    // Ends the browser session and every session (and token) begun from it.
    // Returns how many sessions ended.
    int endBrowserSession(const QString &realmId, const QString &browserSessionId, const QString &userId, const ClientInfo &from) const;

private:
    [[nodiscard]] QJsonObject tokenResponse(const TokenPair &pair, const QString &idToken) const;
    void auditToken(const QString &realmId, const QString &appId, const QString &kind, const QString &userId, const ClientInfo &from,
                    const QString &outcome, const QString &summary) const;
    [[noreturn]] void invalidGrant(const QString &realmId, const OAuthClient &client, const ClientInfo &from, const QString &why) const;
    Deps d;
};

} // namespace authrealm
