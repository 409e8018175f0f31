#pragma once

#include "auth/Principal.h"
#include "domain/Entities.h"

#include <QList>

namespace authrealm {

class AuditLog;
class Clock;
class Database;
class Permissions;
class TokenHasher;
class UserStore;
struct ClientInfo;

// Personal access tokens: scoped, named, expiring credentials a user mints
// for scripts. The secret ("pat_" + 256 random bits) is shown once and
// stored only as a keyed hash. At use, a PAT can do no more than its creator
// can do at that moment.
class PatService
{
public:
    struct Deps
    {
        const Database &db;
        const UserStore &users;
        const Permissions &permissions;
        const TokenHasher &tokenHasher;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit PatService(Deps deps) : d(deps) {}

    struct Minted
    {
        PersonalAccessToken token;
        QString secret; // shown once
    };
    static constexpr int kMaxLifetimeDays = 366;

    // Refused for callers authenticated by a PAT, and for scopes the caller does not hold now.
    [[nodiscard]] Minted create(const Principal &caller, const QString &name, const QStringList &scopes, int expiresInDays,
                                const ClientInfo &client) const;
    [[nodiscard]] QList<PersonalAccessToken> list(const Principal &caller) const;
    [[nodiscard]] Minted rotate(const Principal &caller, const QString &tokenId, const ClientInfo &client) const;
    void revoke(const Principal &caller, const QString &tokenId, const ClientInfo &client) const;

    // Every live PAT of the user (password reset): the caller audits it. Returns how many.
    [[nodiscard]] int revokeAllOfUser(const QString &realmId, const QString &userId, qint64 now) const;

    // The principal a presented PAT stands for, or DomainError(InvalidToken).
    [[nodiscard]] Principal authenticate(const QString &realmId, const QString &secret, const ClientInfo &client) const;

    [[nodiscard]] static bool looksLikePat(const QString &token);
    // Whose token this is, valid or not: only to attribute a refusal in the audit log.
    [[nodiscard]] std::optional<QString> ownerOf(const QString &secret) const;

private:
    [[nodiscard]] PersonalAccessToken owned(const Principal &caller, const QString &tokenId) const;
    [[nodiscard]] QString newSecret() const;
    void audit(const Principal &caller, const QString &kind, const QString &outcome, const QString &tokenId,
               const ClientInfo &client, const QString &summary) const;

    Deps d;
};

} // namespace authrealm
