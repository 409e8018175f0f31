#pragma once

#include "domain/Entities.h"

#include <QList>

namespace authrealm {

class AuditLog;
class Clock;
class RevocationList;
class SessionStore;
struct ClientInfo;
struct Principal;

// A signed-in person's own sessions (GET/DELETE /v1/me/sessions): list them,
// end one, end all but the current. Ending a session revokes its refresh
// tokens and, through the revocation list, its access tokens at once.
class SessionService
{
public:
    struct Deps
    {
        const SessionStore &sessions;
        RevocationList &revocations;
        const AuditLog &audit;
        const Clock &clock;
    };
    explicit SessionService(Deps deps) : d(deps) {}

    struct Page
    {
        QList<Session> items;
        QString nextCursorKey; // empty on the last page
    };
    [[nodiscard]] Page list(const Principal &caller, const QString &afterKey, int limit) const;
    // NotFound for a session that is not the caller's own live one (others' look non-existent).
    void end(const Principal &caller, const QString &sessionId, const ClientInfo &client) const;
    // Returns how many ended.
    [[nodiscard]] int endOthers(const Principal &caller, const ClientInfo &client) const;

private:
    void requireSession(const Principal &caller) const;
    Deps d;
};

} // namespace authrealm
