#pragma once

#include "admin/AdminActor.h"

#include <QString>

namespace authrealm {

class AccessTokens;
class AdminDirectory;
class AuditLog;
class Authenticator;
class PatService;
class RealmStore;
struct ClientInfo;

// Who may use the admin API: turns a bearer credential into an AdminActor.
// A platform API key ("rk_…") or a realm-signed access token of a user
// holding admin grants administers; a personal access token never does; a
// caller without any grant is refused. Shared by the HTTP admin API and any
// other front (the console authenticates its operator differently, but
// records refusals through recordDenied as well).
class AdminGate
{
public:
    struct Deps
    {
        const AdminDirectory &directory;
        const PatService &pats;
        const AccessTokens &accessTokens;
        const RealmStore &realms;
        const Authenticator &authenticator;
        const AuditLog &audit;
    };
    explicit AdminGate(Deps deps) : d(deps) {}

    // Throws DomainError: InvalidToken for an unknown, revoked, expired or
    // forged credential; Forbidden for a PAT or a caller without grants.
    // `who` receives the caller's audit identity as soon as it is known, so a
    // refusal can be attributed even when no AdminActor comes back.
    [[nodiscard]] AdminActor authenticate(const QString &bearer, const ClientInfo &client, QString *who = nullptr) const;

    struct Denial
    {
        QString who;      // audit identity; empty: "unknown"
        QString realmId;  // the realm the request named, if any
        QString appId;
        QString route;    // e.g. "GET /admin/realms/acme"
        QString reason;
    };
    // Writes an "admin.denied" event into the named realm's chain, or master's
    // when that realm does not exist (a made-up name must not create chains).
    // Never throws: the refusal stands even if the log cannot be written, but
    // the failure is logged.
    void recordDenied(const Denial &denial, const ClientInfo &client) const;

private:
    Deps d;
};

} // namespace authrealm
