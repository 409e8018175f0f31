#include "auth/SessionService.h"

#include "auth/AuthService.h"
#include "auth/Principal.h"
#include "auth/RevocationList.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "storage/AuditLog.h"
#include "storage/SessionStore.h"

namespace authrealm {

void SessionService::requireSession(const Principal &caller) const
{
    // A personal access token is not a session and must not end the person's sessions.
    caller.requireInteractiveSession();
}

SessionService::Page SessionService::list(const Principal &caller, const QString &afterKey, int limit) const
{
    requireSession(caller);
    Page page;
    page.items = d.sessions.activePage(caller.realmId, caller.userId, d.clock.nowMs(), afterKey, limit + 1);
    if (page.items.size() > limit) {
        page.items.resize(limit);
        page.nextCursorKey = SessionStore::cursorKey(page.items.constLast());
    }
    return page;
}

void SessionService::end(const Principal &caller, const QString &sessionId, const ClientInfo &client) const
{
    requireSession(caller);
    const qint64 now = d.clock.nowMs();
    const std::optional<Session> session = d.sessions.session(sessionId);
    if (!session || session->realmId != caller.realmId || session->userId != caller.userId || session->revokedAt != 0
        || session->expiresAt <= now)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such session"));
    // Ended meanwhile (another tab, a logout): the same answer as for an ended session.
    if (!d.sessions.revokeSession(sessionId, QStringLiteral("ended_by_user"), now))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No such session"));
    d.revocations.markRevoked(sessionId);
    d.audit.record(AuditEvent::of(caller.realmId, QStringLiteral("session.ended"), QStringLiteral("user:") + caller.userId,
                                  QStringLiteral("success"))
                       .inApp(session->appId).target(QStringLiteral("session"), sessionId).from(client.ip, client.userAgent)
                       .says(sessionId == caller.sessionId ? QStringLiteral("the current session") : QStringLiteral("another session")));
}

int SessionService::endOthers(const Principal &caller, const ClientInfo &client) const
{
    requireSession(caller);
    const QStringList ended = d.sessions.revokeUserSessions(caller.realmId, caller.userId, QStringLiteral("ended_by_user"),
                                                            d.clock.nowMs(), caller.sessionId);
    for (const QString &sid : ended)
        d.revocations.markRevoked(sid);
    d.audit.record(AuditEvent::of(caller.realmId, QStringLiteral("session.ended_others"), QStringLiteral("user:") + caller.userId,
                                  QStringLiteral("success"))
                       .inApp(caller.appId).target(QStringLiteral("user"), caller.userId).from(client.ip, client.userAgent)
                       .says(QStringLiteral("%1 other session(s) ended").arg(ended.size())));
    return int(ended.size());
}

} // namespace authrealm
