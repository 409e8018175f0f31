#include "auth/Authenticator.h"

#include "auth/AccessTokens.h"
#include "auth/PatService.h"
#include "auth/Permissions.h"
#include "core/DomainError.h"
#include "storage/UserStore.h"

namespace authrealm {

Principal Authenticator::authenticate(const QString &realmId, const QString &bearer, const ClientInfo &client) const
{
    if (PatService::looksLikePat(bearer))
        return m_pats.authenticate(realmId, bearer, client);
    const AccessClaims claims = m_accessTokens.verify(realmId, bearer);
    // A signature outlives an account; the account's state is checked now.
    const std::optional<User> user = m_users.user(realmId, claims.subject);
    if (!user || user->status != UserStatus::Active)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
    Principal p;
    p.kind = Principal::Kind::AccessToken;
    p.realmId = realmId;
    p.userId = claims.subject;
    p.appId = claims.appId;
    p.sessionId = claims.sessionId;
    p.roles = claims.roles;
    p.amr = claims.amr;
    p.mfaAt = claims.mfaAt;
    p.scopes = m_permissions.withoutDisabled(realmId, claims.appId, claims.scopes);
    return p;
}

void Authenticator::requireScope(const Principal &principal, const QString &scope)
{
    if (!principal.hasScope(scope))
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("This needs the scope \"%1\"").arg(scope));
}

} // namespace authrealm
