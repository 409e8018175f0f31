#include "oidc/OidcTokens.h"

#include "auth/AccessTokens.h"
#include "auth/Permissions.h"
#include "auth/RevocationList.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Base64Url.h"
#include "crypto/ConstantTime.h"
#include "crypto/Random.h"
#include "crypto/TokenHasher.h"
#include "oidc/AuthorizationRequest.h"
#include "oidc/ClientRegistry.h"
#include "oidc/IdTokens.h"
#include "oidc/OidcStore.h"
#include "oidc/RedirectUris.h"
#include "storage/AuditLog.h"
#include "storage/SessionStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

#include <QCryptographicHash>
#include <QJsonArray>

namespace authrealm {

namespace {
QJsonObject inactive() { return QJsonObject{{QStringLiteral("active"), false}}; }
} // namespace

void OidcTokens::auditToken(const QString &realmId, const QString &appId, const QString &kind, const QString &userId,
                            const ClientInfo &from, const QString &outcome, const QString &summary) const
{
    d.audit.record(signInEvent(realmId, appId, kind, userId, from, outcome, summary));
}

void OidcTokens::invalidGrant(const QString &realmId, const OAuthClient &client, const ClientInfo &from, const QString &why) const
{
    auditToken(realmId, client.appId, QStringLiteral("oidc.token_failure"), {}, from, QStringLiteral("failure"),
               QStringLiteral("client %1: %2").arg(client.id, why));
    throw DomainError(ErrorCode::InvalidGrant, QStringLiteral("The grant is invalid, expired, already used or not this client's"));
}

QJsonObject OidcTokens::tokenResponse(const TokenPair &pair, const QString &idToken) const
{
    QJsonObject body{
        {QStringLiteral("access_token"), pair.accessToken},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), pair.expiresIn},
        {QStringLiteral("scope"), pair.scopes.join(u' ')},
    };
    if (!pair.refreshToken.isEmpty())
        body.insert(QStringLiteral("refresh_token"), pair.refreshToken);
    if (!idToken.isEmpty())
        body.insert(QStringLiteral("id_token"), idToken);
    return body;
}

QJsonObject OidcTokens::exchangeCode(const QString &realmId, const OAuthClient &client, const QString &code, const QString &redirectUri,
                                     const QString &codeVerifier, const ClientInfo &from) const
{
    if (!client.allowsGrant(QStringLiteral("authorization_code")))
        throw DomainError(ErrorCode::UnauthorizedClient, QStringLiteral("This client may not use the authorization_code grant"));
    if (code.isEmpty() || code.size() > 128)
        invalidGrant(realmId, client, from, QStringLiteral("malformed code"));
    const QString codeHash = d.tokenHasher.hashHex(code.toUtf8());
    const auto row = d.store.code(realmId, codeHash);
    const qint64 now = d.clock.nowMs();
    if (!row || row->clientId != client.id)
        invalidGrant(realmId, client, from, QStringLiteral("unknown code or another client's"));
    if (row->expiresAt <= now && row->usedAt == 0)
        invalidGrant(realmId, client, from, QStringLiteral("expired code"));
    // Checked for replays too: only a presenter who could have redeemed the
    // code can make its replay revoke the tokens it issued.
    if (row->redirectUri != redirectUri)
        invalidGrant(realmId, client, from, QStringLiteral("redirect_uri differs from the authorization request"));
    if (!row->codeChallenge.isEmpty()) {
        const QByteArray digest = QCryptographicHash::hash(codeVerifier.toLatin1(), QCryptographicHash::Sha256);
        if (!isPkceValue(codeVerifier) || !constantTimeEquals(base64UrlEncodeString(digest).toLatin1(), row->codeChallenge.toLatin1()))
            invalidGrant(realmId, client, from, QStringLiteral("PKCE verification failed"));
    } else if (!codeVerifier.isEmpty()) {
        // A verifier for a request that sent no challenge: a downgrade attempt (RFC 9700 §2.1.1).
        invalidGrant(realmId, client, from, QStringLiteral("code_verifier without a code_challenge"));
    }
    const auto user = d.users.user(realmId, row->userId);
    const auto membership = user ? d.users.membership(user->id, row->appId) : std::nullopt;

    const EffectiveLifetimes life = d.auth.lifetimes(realmId, row->appId);
    Session session;
    session.id = randomToken(16);
    session.realmId = realmId;
    session.userId = row->userId;
    session.appId = row->appId;
    session.createdAt = now;
    session.lastUsedAt = now;
    session.expiresAt = now + life.sessionMax * 1000;
    session.ip = from.ip;
    session.userAgent = from.userAgent.left(256);
    session.amr = row->amr;
    session.mfaAt = row->amr.contains(QStringLiteral("otp")) ? row->authTime : 0;
    session.clientId = client.id;
    session.browserSession = row->browserSession;
    session.scope = row->scope;
    session.authTime = row->authTime;
    const QString refreshToken = client.allowsGrant(QStringLiteral("refresh_token")) ? d.auth.newRefreshTokenValue() : QString();
    qint64 refreshLifetime = life.refreshToken;
    if (client.refreshTokenLifetime > 0)
        refreshLifetime = std::min(refreshLifetime, client.refreshTokenLifetime);

    QString replayedSession;
    bool replayed = false;
    {
        Transaction tx(d.db);
        // Single use, atomically: of concurrent redemptions exactly one wins.
        if (!d.store.consumeCode(codeHash, now)) {
            replayed = true;
            replayedSession = d.store.code(realmId, codeHash)->sessionId;
            if (!replayedSession.isEmpty())
                (void)d.sessions.revokeSession(replayedSession, QStringLiteral("code_replay"), now);
        } else if (user && user->status == UserStatus::Active && membership) {
            d.sessions.createSession(session, refreshToken.isEmpty() ? QString() : d.tokenHasher.hashHex(refreshToken.toUtf8()),
                                     now + refreshLifetime * 1000);
            d.store.setCodeSession(codeHash, session.id);
            auditToken(realmId, row->appId, QStringLiteral("oidc.code_redeemed"), row->userId, from, QStringLiteral("success"),
                       QStringLiteral("client %1, session %2").arg(client.id, session.id));
        }
        tx.commit();
    }
    if (replayed) {
        // RFC 6749 §4.1.2: a code used twice revokes what it issued.
        if (!replayedSession.isEmpty())
            d.revocations.markRevoked(replayedSession);
        auditToken(realmId, row->appId, QStringLiteral("oidc.code_replay"), row->userId, from, QStringLiteral("denied"),
                   QStringLiteral("authorization code used again by client %1; session %2 revoked").arg(client.id, replayedSession));
        throw DomainError(ErrorCode::InvalidGrant, QStringLiteral("The grant is invalid, expired, already used or not this client's"));
    }
    if (!user || user->status != UserStatus::Active || !membership)
        invalidGrant(realmId, client, from, QStringLiteral("the account is disabled or no longer a member"));

    const TokenPair pair = d.auth.tokensFor(realmId, *user, session, membership->roles, refreshToken,
                                            ClientBinding{client.id, client.accessTokenLifetime, {}});
    QString idToken;
    const QStringList scopes = row->scope.split(u' ', Qt::SkipEmptyParts);
    if (scopes.contains(QStringLiteral("openid"))) {
        IdTokens::Content content;
        content.realmId = realmId;
        content.client = &client;
        content.user = &*user;
        content.scopes = scopes;
        content.authTime = row->authTime;
        content.nonce = row->nonce;
        content.accessToken = pair.accessToken;
        content.amr = row->amr;
        content.sid = row->browserSession;
        content.lifetime = pair.expiresIn;
        idToken = d.idTokens.mint(content);
    }
    return tokenResponse(pair, idToken);
}

QJsonObject OidcTokens::refresh(const QString &realmId, const OAuthClient &client, const QString &refreshToken, const QString &scope,
                                const ClientInfo &from) const
{
    if (!client.allowsGrant(QStringLiteral("refresh_token")))
        throw DomainError(ErrorCode::UnauthorizedClient, QStringLiteral("This client may not use the refresh_token grant"));
    TokenPair pair;
    try {
        pair = d.auth.refresh(realmId, refreshToken, from,
                              ClientBinding{client.id, client.accessTokenLifetime, scope.split(u' ', Qt::SkipEmptyParts)});
    } catch (const DomainError &e) {
        if (e.code() == ErrorCode::InvalidRefreshToken)
            throw DomainError(ErrorCode::InvalidGrant, e.message());
        throw;
    }
    QString idToken;
    if (pair.scopes.contains(QStringLiteral("openid"))) {
        const auto session = d.sessions.session(pair.sessionId);
        const auto user = session ? d.users.user(realmId, session->userId) : std::nullopt;
        if (session && user) {
            IdTokens::Content content;
            content.realmId = realmId;
            content.client = &client;
            content.user = &*user;
            content.scopes = pair.scopes;
            content.authTime = session->authTime;
            content.accessToken = pair.accessToken;
            content.amr = session->amr;
            content.sid = session->browserSession;
            content.lifetime = pair.expiresIn;
            idToken = d.idTokens.mint(content);
        }
    }
    return tokenResponse(pair, idToken);
}

QJsonObject OidcTokens::clientCredentials(const QString &realmId, const OAuthClient &client, const QString &scope,
                                          const ClientInfo &from) const
{
    if (!client.allowsGrant(QStringLiteral("client_credentials")) || !client.confidential)
        throw DomainError(ErrorCode::UnauthorizedClient, QStringLiteral("This client may not use the client_credentials grant"));
    QStringList scopes = scope.split(u' ', Qt::SkipEmptyParts);
    scopes.removeDuplicates();
    QStringList machineScopes;
    for (const QString &s : client.allowedScopes) {
        if (!standardScopes().contains(s))
            machineScopes.append(s);
    }
    if (scopes.isEmpty())
        scopes = machineScopes;
    for (const QString &s : std::as_const(scopes)) {
        if (!machineScopes.contains(s)) {
            auditToken(realmId, client.appId, QStringLiteral("oidc.token_failure"), {}, from, QStringLiteral("denied"),
                       QStringLiteral("client %1 asked for scope %2 it may not have").arg(client.id, s.left(64)));
            throw DomainError(ErrorCode::InvalidScope, QStringLiteral("The scope %1 is not allowed for this client").arg(s.left(64)));
        }
    }
    const qint64 lifetime = d.clients.accessTokenLifetime(client);
    AccessClaims claims;
    claims.realmId = realmId;
    claims.subject = client.id;
    claims.appId = client.appId;
    claims.clientId = client.id;
    claims.scopes = scopes;
    TokenPair pair;
    pair.accessToken = d.accessTokens.mint(claims, lifetime);
    pair.expiresIn = lifetime;
    pair.scopes = scopes;
    return tokenResponse(pair, {});
}

QJsonObject OidcTokens::userinfo(const QString &realmId, const QString &accessToken) const
{
    const AccessClaims claims = d.accessTokens.verify(realmId, accessToken);
    if (claims.subject == claims.clientId)
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("A client's own token has no user"));
    if (!claims.scopes.contains(QStringLiteral("openid")))
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("The token lacks the openid scope"));
    const auto user = d.users.user(realmId, claims.subject);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    QJsonObject body = IdTokens::userClaims(*user, claims.scopes);
    body.insert(QStringLiteral("sub"), user->id);
    body.insert(QStringLiteral("roles"), QJsonArray::fromStringList(claims.roles));
    body.insert(QStringLiteral("tenantId"), claims.appId);
    return body;
}

QJsonObject OidcTokens::introspect(const QString &realmId, const OAuthClient &client, const QString &token) const
{
    if (token.isEmpty() || token.size() > 16384)
        return inactive();
    const qint64 now = d.clock.nowMs();
    if (AuthService::looksLikeRefreshToken(token)) {
        const auto session = d.sessions.liveByRefreshToken(realmId, d.tokenHasher.hashHex(token.toUtf8()), now);
        if (!session || session->clientId != client.id)
            return inactive();
        return QJsonObject{
            {QStringLiteral("active"), true},
            {QStringLiteral("token_type"), QStringLiteral("refresh_token")},
            {QStringLiteral("client_id"), client.id},
            {QStringLiteral("sub"), session->userId},
            {QStringLiteral("scope"), session->scope},
            {QStringLiteral("exp"), session->expiresAt / 1000},
            {QStringLiteral("iss"), d.accessTokens.issuer(realmId)},
            {QStringLiteral("sid"), session->browserSession},
        };
    }
    AccessClaims claims;
    try {
        claims = d.accessTokens.verify(realmId, token);
    } catch (const DomainError &) {
        return inactive();
    }
    if (claims.clientId != client.id)
        return inactive();
    QJsonObject body{
        {QStringLiteral("active"), true},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("client_id"), claims.clientId},
        {QStringLiteral("sub"), claims.subject},
        {QStringLiteral("aud"), claims.appId},
        {QStringLiteral("scope"), claims.scopes.join(u' ')},
        {QStringLiteral("exp"), claims.expiresAt},
        {QStringLiteral("iat"), claims.issuedAt},
        {QStringLiteral("iss"), d.accessTokens.issuer(realmId)},
        {QStringLiteral("jti"), claims.tokenId},
    };
    if (!claims.roles.isEmpty())
        body.insert(QStringLiteral("roles"), QJsonArray::fromStringList(claims.roles));
    return body;
}

void OidcTokens::revoke(const QString &realmId, const OAuthClient &client, const QString &token, const ClientInfo &from) const
{
    if (token.isEmpty() || token.size() > 16384)
        return;
    const qint64 now = d.clock.nowMs();
    QString sessionId;
    QString userId;
    QString appId;
    if (AuthService::looksLikeRefreshToken(token)) {
        const auto session = d.sessions.liveByRefreshToken(realmId, d.tokenHasher.hashHex(token.toUtf8()), now);
        if (session && session->clientId == client.id) {
            sessionId = session->id;
            userId = session->userId;
            appId = session->appId;
        }
    } else {
        try {
            const AccessClaims claims = d.accessTokens.verify(realmId, token);
            if (claims.clientId == client.id) {
                sessionId = claims.sessionId;
                userId = claims.subject;
                appId = claims.appId;
            }
        } catch (const DomainError &) {
            return; // invalid tokens need no revoking (RFC 7009 §2.2)
        }
    }
    if (sessionId.isEmpty())
        return;
    if (d.sessions.revokeSession(sessionId, QStringLiteral("revoked_by_client"), now)) {
        d.revocations.markRevoked(sessionId);
        auditToken(realmId, appId, QStringLiteral("oidc.token_revoked"), userId, from, QStringLiteral("success"),
                   QStringLiteral("client %1 revoked session %2").arg(client.id, sessionId));
    }
}

OidcTokens::LogoutRequest OidcTokens::checkLogout(const QString &realmId, const QString &idTokenHint, const QString &clientId,
                                                  const QString &postLogoutRedirectUri, const QString &state) const
{
    LogoutRequest request;
    request.clientId = clientId;
    request.state = state.left(2048);
    request.idTokenHint = idTokenHint;
    if (!idTokenHint.isEmpty()) {
        const auto hint = d.idTokens.verifyHint(realmId, idTokenHint);
        if (!hint)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("id_token_hint is not an ID token of this realm"));
        const QJsonValue aud = hint->value(QStringLiteral("aud"));
        const QString hinted = aud.isArray() ? aud.toArray().first().toString() : aud.toString();
        if (!clientId.isEmpty() && clientId != hinted)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("client_id does not match the id_token_hint"));
        request.clientId = hinted;
    }
    std::optional<OAuthClient> client;
    if (!request.clientId.isEmpty()) {
        client = d.clients.find(realmId, request.clientId);
        if (!client)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Unknown client"));
        request.clientName = client->name;
    }
    if (!postLogoutRedirectUri.isEmpty()) {
        if (!client || !client->postLogoutRedirectUris.contains(postLogoutRedirectUri))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("post_logout_redirect_uri is not registered for the client"));
        request.postLogoutRedirectUri = postLogoutRedirectUri;
    }
    return request;
}

int OidcTokens::endBrowserSession(const QString &realmId, const QString &browserSessionId, const QString &userId,
                                  const ClientInfo &from) const
{
    const qint64 now = d.clock.nowMs();
    QStringList ended;
    {
        Transaction tx(d.db);
        (void)d.store.endBrowserSession(browserSessionId, now);
        ended = d.sessions.revokeBrowserSessions(browserSessionId, QStringLiteral("logout"), now);
        auditToken(realmId, {}, QStringLiteral("logout"), userId, from, QStringLiteral("success"),
                   QStringLiteral("signed out of browser session %1; %2 session(s) ended").arg(browserSessionId).arg(ended.size()));
        tx.commit();
    }
    for (const QString &id : std::as_const(ended))
        d.revocations.markRevoked(id);
    return int(ended.size());
}

} // namespace authrealm
