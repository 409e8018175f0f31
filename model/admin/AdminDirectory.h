#pragma once

#include "admin/AdminActor.h"

#include <QStringList>
#include <optional>

namespace authrealm {

class AuditLog;
class Clock;
class Database;
class TokenHasher;
class UserStore;

struct ApiKeyInfo
{
    QString id;
    QString name;
    AdminGrant grant;
    QStringList scopes; // "admin:read", "admin:write"
    QString createdBy;
    qint64 createdAt = 0;
    qint64 lastUsedAt = 0;
};

// Who may administer what: grants held by users, and platform API keys
// ("rk_" + 256 random bits, stored only as a keyed hash).
class AdminDirectory
{
public:
    struct Deps
    {
        const Database &db;
        const UserStore &users;
        const TokenHasher &tokenHasher;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit AdminDirectory(Deps deps) : d(deps) {}

    [[nodiscard]] AdminActor actorForUser(const QString &userId) const;
    // nullopt for unknown or revoked keys.
    [[nodiscard]] std::optional<AdminActor> actorForApiKey(const QString &secret) const;
    [[nodiscard]] static bool looksLikeApiKey(const QString &secret);

    [[nodiscard]] QList<AdminGrant> grantsOf(const QString &userId) const;
    // The granting actor must itself hold the layer it hands out.
    void addGrant(const AdminActor &by, const QString &userId, const AdminGrant &grant) const;
    void removeGrant(const AdminActor &by, const QString &userId, const AdminGrant &grant) const;
    // Writes a grant without an actor: first boot and import.
    void insertGrant(const QString &userId, const AdminGrant &grant) const;

    struct MintedKey
    {
        ApiKeyInfo info;
        QString secret; // shown once
    };
    [[nodiscard]] MintedKey createApiKey(const AdminActor &by, const QString &name, const AdminGrant &grant, QStringList scopes) const;
    [[nodiscard]] QList<ApiKeyInfo> apiKeys(const AdminActor &by) const;
    void revokeApiKey(const AdminActor &by, const QString &id) const;

private:
    void requireCanGrant(const AdminActor &by, const AdminGrant &grant) const;
    void requireTargetExists(const AdminGrant &grant) const;
    void record(const AdminActor &by, const QString &realmId, const QString &kind, const QString &targetType, const QString &targetId,
                const QString &summary) const;
    Deps d;
};

} // namespace authrealm
