#pragma once

#include "auth/Principal.h"

namespace authrealm {

class AccessTokens;
class PatService;
class Permissions;
class UserStore;
struct ClientInfo;

// Turns a bearer credential (a realm-signed access token or a "pat_" personal
// access token) into a Principal, and checks scopes: the one gate every
// protected route goes through. Default deny.
class Authenticator
{
public:
    Authenticator(const AccessTokens &accessTokens, const PatService &pats, const Permissions &permissions, const UserStore &users)
        : m_accessTokens(accessTokens), m_pats(pats), m_permissions(permissions), m_users(users)
    {
    }

    // DomainError(InvalidToken) for anything that is not a live credential of this realm.
    [[nodiscard]] Principal authenticate(const QString &realmId, const QString &bearer, const ClientInfo &client) const;
    // DomainError(Forbidden) naming the missing scope.
    static void requireScope(const Principal &principal, const QString &scope);

private:
    const AccessTokens &m_accessTokens;
    const PatService &m_pats;
    const Permissions &m_permissions;
    const UserStore &m_users;
};

} // namespace authrealm
