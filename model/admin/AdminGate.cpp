#include "admin/AdminGate.h"

#include "admin/AdminDirectory.h"
#include "auth/AccessTokens.h"
#include "auth/AuthService.h"
#include "auth/Authenticator.h"
#include "auth/PatService.h"
#include "core/DomainError.h"
#include "crypto/Jwt.h"
#include "domain/Entities.h"
#include "storage/AuditLog.h"
#include "storage/RealmStore.h"

#include <QLoggingCategory>

namespace authrealm {

namespace {
Q_LOGGING_CATEGORY(lcAdminGate, "authrealm.admin.gate")
}

AdminActor AdminGate::authenticate(const QString &bearer, const ClientInfo &client, QString *who) const
{
    AdminActor actor;
    if (AdminDirectory::looksLikeApiKey(bearer)) {
        const auto byKey = d.directory.actorForApiKey(bearer);
        if (!byKey)
            throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The API key is invalid or revoked"));
        actor = *byKey;
    } else {
        if (PatService::looksLikePat(bearer)) {
            if (who) {
                if (const auto owner = d.pats.ownerOf(bearer))
                    *who = QStringLiteral("user:") + *owner;
            }
            throw DomainError(ErrorCode::Forbidden, QStringLiteral("Personal access tokens cannot use the admin API"));
        }
        // The issuer names the realm; the token is then verified strictly
        // against that realm's keys and issuer, so a forged "iss" only
        // selects which keys will reject it.
        const auto unverified = Jwt::decodeUnverified(bearer);
        const QString prefix = d.accessTokens.issuer(QString());
        const QString issuer = unverified ? unverified->claims.value(QStringLiteral("iss")).toString() : QString();
        const QString realmId = issuer.startsWith(prefix) ? issuer.mid(prefix.size()) : QString();
        if (!Validate::identifier(realmId) || !d.realms.realmExists(realmId))
            throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
        const Principal principal = d.authenticator.authenticate(realmId, bearer, client);
        actor = d.directory.actorForUser(principal.userId);
    }
    if (who)
        *who = actor.actor;
    if (actor.grants.isEmpty())
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("You are not an administrator"));
    actor.ip = client.ip;
    actor.userAgent = client.userAgent;
    return actor;
}

void AdminGate::recordDenied(const Denial &denial, const ClientInfo &client) const
{
    try {
        const QString chain = Validate::identifier(denial.realmId) && d.realms.realmExists(denial.realmId) ? denial.realmId
                                                                                                         : QStringLiteral("master");
        const AuditEvent event = AuditEvent::of(chain, QStringLiteral("admin.denied"), denial.who.isEmpty() ? QStringLiteral("unknown") : denial.who,
                                                QStringLiteral("denied"))
                                     .inApp(denial.appId)
                                     .target(QStringLiteral("route"), denial.route)
                                     .from(client.ip, client.userAgent)
                                     .says(denial.reason);
        d.audit.record(event);
    } catch (const DomainError &e) {
        // The refusal stands even if the log cannot be written; say so once per
        // lost event. Only the route and the storage error: no credential.
        qCWarning(lcAdminGate).noquote() << "could not record an admin.denied event for" << denial.route << ":" << e.message();
    } catch (const std::exception &e) {
        qCWarning(lcAdminGate).noquote() << "could not record an admin.denied event for" << denial.route << ":" << e.what();
    }
}

} // namespace authrealm
