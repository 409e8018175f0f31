#include "routes/AdminAuth.h"

#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "crypto/Jwt.h"
#include "routes/Routes.h"


namespace authrealm {

AdminActor adminActor(AuthRealmCore &core, const ApiRequest &request, QString *who)
{
    const QString bearer = bearerToken(request);
    AdminActor actor;
    if (AdminDirectory::looksLikeApiKey(bearer)) {
        const auto byKey = core.adminDirectory().actorForApiKey(bearer);
        if (!byKey)
            throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The API key is invalid or revoked"));
        actor = *byKey;
    } else {
        if (PatService::looksLikePat(bearer)) {
            if (who) {
                if (const auto owner = core.pats().ownerOf(bearer))
                    *who = QStringLiteral("user:") + *owner;
            }
            throw DomainError(ErrorCode::Forbidden, QStringLiteral("Personal access tokens cannot use the admin API"));
        }
        // The issuer names the realm; the token is then verified strictly
        // against that realm's keys and issuer, so a forged "iss" only
        // selects which keys will reject it.
        const auto unverified = Jwt::decodeUnverified(bearer);
        const QString prefix = core.accessTokens().issuer(QString());
        const QString issuer = unverified ? unverified->claims.value(QStringLiteral("iss")).toString() : QString();
        const QString realmId = issuer.startsWith(prefix) ? issuer.mid(prefix.size()) : QString();
        if (!Validate::identifier(realmId) || !core.realms().realmExists(realmId))
            throw DomainError(ErrorCode::InvalidToken, QStringLiteral("The access token is invalid or expired"));
        const Principal principal = core.authenticator().authenticate(realmId, bearer, clientOf(request));
        actor = core.adminDirectory().actorForUser(principal.userId);
    }
    if (who)
        *who = actor.actor;
    if (actor.grants.isEmpty())
        throw DomainError(ErrorCode::Forbidden, QStringLiteral("You are not an administrator"));
    actor.ip = request.clientIp;
    actor.userAgent = request.userAgent();
    return actor;
}

void AdminRouteAdder::operator()(const QByteArray &method, const QString &path,
                                 std::function<ApiResponse(const AdminActor &, const ApiRequest &)> handler) const
{
    AuthRealmCore &core = m_context.core;
    m_context.router.add(method, path, Scope::Global, Execution::Inline, [&core, handler](const ApiRequest &request) {
        QString who;
        try {
            const AdminActor actor = adminActor(core, request, &who);
            return handler(actor, request);
        } catch (const DomainError &e) {
            if (e.code() == ErrorCode::Forbidden) {
                const QString realm = request.params.value(QStringLiteral("realm"), request.query.queryItemValue(QStringLiteral("realm")));
                // Only an existing realm's chain gets the event: a made-up name must not create chains.
                const QString chain = Validate::identifier(realm) && core.realms().realmExists(realm) ? realm : QStringLiteral("master");
                const AuditEvent event = AuditEvent::of(chain, QStringLiteral("admin.denied"), who.isEmpty() ? QStringLiteral("unknown") : who,
                                                        QStringLiteral("denied"))
                                             .inApp(request.params.value(QStringLiteral("app")))
                                             .target(QStringLiteral("route"), QString::fromLatin1(request.method) + u' ' + request.path)
                                             .from(request.clientIp, request.userAgent())
                                             .says(e.message());
                try {
                    core.audit().record(event);
                } catch (const DomainError &) {
                    // The refusal stands even if the log cannot be written.
                }
            }
            throw;
        }
    });
}

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

QJsonObject userJson(const User &user)
{
    return QJsonObject{{QStringLiteral("id"), user.id},
                       {QStringLiteral("email"), user.email},
                       {QStringLiteral("username"), user.username},
                       {QStringLiteral("displayName"), user.displayName},
                       {QStringLiteral("status"), userStatusName(user.status)},
                       {QStringLiteral("emailVerified"), user.emailVerified},
                       {QStringLiteral("locale"), user.locale},
                       {QStringLiteral("createdAt"), isoTime(user.createdAt)},
                       {QStringLiteral("updatedAt"), isoTime(user.updatedAt)}};
}

QJsonObject sessionJson(const Session &s)
{
    return QJsonObject{{QStringLiteral("id"), s.id},
                       {QStringLiteral("app"), s.appId},
                       {QStringLiteral("createdAt"), isoTime(s.createdAt)},
                       {QStringLiteral("lastUsedAt"), isoTime(s.lastUsedAt)},
                       {QStringLiteral("expiresAt"), isoTime(s.expiresAt)},
                       {QStringLiteral("ip"), s.ip},
                       {QStringLiteral("userAgent"), s.userAgent}};
}

QString pathParam(const ApiRequest &request, const char *name)
{
    return request.params.value(QLatin1String(name));
}

} // namespace authrealm
