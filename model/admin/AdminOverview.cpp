#include "admin/AdminOverview.h"

#include "admin/AdminService.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"
#include "storage/Sql.h"
#include "storage/UserStore.h"

namespace authrealm {

QStringList AdminOverview::readableRealms(const AdminActor &by) const
{
    QStringList out;
    for (const Realm &realm : d.realms.realms()) {
        if (by.canAdminRealm(realm.id))
            out.append(realm.id);
    }
    return out;
}

QStringList AdminOverview::eventRealms(const AdminActor &by, const QString &realmId, const QString &appId) const
{
    if (!realmId.isEmpty()) {
        if (appId.isEmpty())
            by.requireRealm(realmId);
        else
            by.requireApp(realmId, appId);
        return {realmId};
    }
    if (by.isMaster())
        return {};
    const QStringList readable = readableRealms(by);
    if (readable.isEmpty())
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("Name the realm (and app) whose events you administer"));
    return readable;
}

AdminOverview::Stats AdminOverview::stats(const AdminActor &by) const
{
    const QStringList realms = readableRealms(by);
    if (realms.isEmpty())
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("Statistics are for realm and master administrators"));
    Stats stats;
    stats.realms = realms.size();
    const qint64 now = d.clock.nowMs();
    for (const QString &realm : realms) {
        SqlQuery q(d.db, QStringLiteral("SELECT (SELECT COUNT(*) FROM apps WHERE realm_id = :r1), "
                                        "(SELECT COUNT(*) FROM users WHERE realm_id = :r2), "
                                        "(SELECT COUNT(*) FROM sessions WHERE realm_id = :r3 AND revoked_at IS NULL AND expires_at > :now)"));
        q.bind(QStringLiteral(":r1"), realm).bind(QStringLiteral(":r2"), realm).bind(QStringLiteral(":r3"), realm)
            .bind(QStringLiteral(":now"), now).exec();
        if (q.next()) {
            stats.apps += q.value(0).toLongLong();
            stats.users += q.value(1).toLongLong();
            stats.activeSessions += q.value(2).toLongLong();
        }
    }
    stats.eventsLast24h = d.audit.countSince(realms, now - 86400LL * 1000);
    return stats;
}

AdminOverview::SearchResult AdminOverview::search(const AdminActor &by, const QString &text) const
{
    const QString q = text.trimmed();
    if (q.isEmpty() || q.size() > 254)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"q\" must have 1 to 254 characters"));
    const QString needle = q.toCaseFolded();
    const auto matches = [&needle](const QString &id, const QString &name) {
        return id.toCaseFolded().contains(needle) || name.toCaseFolded().contains(needle);
    };
    SearchResult found;
    for (const Realm &realm : d.admin.visibleRealms(by)) {
        if (matches(realm.id, realm.displayName))
            found.realms.append(RealmHit{realm.id, realm.displayName});
        for (const App &app : d.admin.apps(by, realm.id)) {
            if (matches(app.id, app.displayName))
                found.apps.append(AppHit{realm.id, app.id, app.displayName});
        }
        if (by.canAdminRealm(realm.id) && found.users.size() < kMaxUserHits) {
            for (const auto &row : d.users.search(realm.id, q, {}, {}, kMaxUserHits - int(found.users.size())))
                found.users.append(UserHit{realm.id, row.user});
        }
    }
    return found;
}

} // namespace authrealm
