#pragma once

#include "admin/AdminActor.h"
#include "domain/Entities.h"

#include <QStringList>

namespace authrealm {

class AdminService;
class AuditLog;
class Clock;
class Database;
class RealmStore;
class UserStore;

// What an administrator sees across realms: which realms' events and counts
// they may read, the dashboard figures, and the quick search over realms,
// apps and users. Shared by the admin API (/admin/stats, /admin/search,
// /admin/events) and the console, so both filter by the same grants.
class AdminOverview
{
public:
    struct Deps
    {
        const Database &db;
        const RealmStore &realms;
        const UserStore &users;
        const AdminService &admin;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit AdminOverview(Deps deps) : d(deps) {}

    // The realms whose events and counts `by` may read (realm or master grants).
    [[nodiscard]] QStringList readableRealms(const AdminActor &by) const;

    // Which realms an event query may cover: the named one (an app grant
    // suffices when `appId` is named too), else every readable realm; an empty
    // list means all (master). Throws DomainError(Forbidden).
    [[nodiscard]] QStringList eventRealms(const AdminActor &by, const QString &realmId, const QString &appId) const;

    struct Stats
    {
        qint64 realms = 0;
        qint64 apps = 0;
        qint64 users = 0;
        qint64 activeSessions = 0;
        qint64 eventsLast24h = 0;
    };
    // Throws DomainError(Forbidden) for app administrators and API keys of that layer.
    [[nodiscard]] Stats stats(const AdminActor &by) const;

    struct RealmHit { QString id, displayName; };
    struct AppHit { QString realmId, id, displayName; };
    struct UserHit { QString realmId; User user; };
    struct SearchResult
    {
        QList<RealmHit> realms;
        QList<AppHit> apps;
        QList<UserHit> users; // at most kMaxUserHits
    };
    static constexpr int kMaxUserHits = 20;
    // Case-insensitive substring match on realm and app ids and names, and
    // the users' search (email/username prefix) in realms `by` administers.
    // Throws DomainError(InvalidRequest) unless `text` has 1 to 254 characters.
    [[nodiscard]] SearchResult search(const AdminActor &by, const QString &text) const;

private:
    Deps d;
};

} // namespace authrealm
