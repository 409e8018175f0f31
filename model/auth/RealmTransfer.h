#pragma once

#include <QJsonObject>
#include <QString>

namespace authrealm {

class AdminDirectory;
class AuditLog;
class Clock;
class Database;
class KeyManager;
class PasswordHashing;
class RealmStore;
class UserStore;

// The one JSON format for moving a realm in and out (docs/realm-format.md).
// Import validates everything before writing anything, then writes in one
// transaction: a bad file changes nothing. Export never holds a plaintext secret.
class RealmTransfer
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const KeyManager &keys;
        const AdminDirectory &admins;
        const PasswordHashing &hasher;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit RealmTransfer(Deps deps) : d(deps) {}

    struct Summary
    {
        QString realmId;
        int apps = 0;
        int roles = 0;
        int users = 0;
    };
    // Throws DomainError(InvalidRequest) naming the first problem (with its JSON path),
    // Conflict if the realm exists.
    Summary importRealm(const QJsonObject &document, const QString &actor) const;
    // The export carries password hashes and API-key hashes, so every export
    // is audited ("realm.exported") with who took it.
    [[nodiscard]] QJsonObject exportRealm(const QString &realmId, const QString &actor) const;

private:
    Deps d;
};

} // namespace authrealm
