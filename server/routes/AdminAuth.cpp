#include "routes/AdminAuth.h"

#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/Routes.h"


namespace authrealm {

AdminActor adminActor(AuthRealmCore &core, const ApiRequest &request, QString *who)
{
    return core.adminGate().authenticate(bearerToken(request), clientOf(request), who);
}

void AdminRouteAdder::operator()(const QByteArray &method, const QString &path, Execution execution, AdminHandler handler) const
{
    AuthRealmCore &core = m_context.core;
    m_context.router.add(method, path, Scope::Global, execution, [&core, handler](const ApiRequest &request) {
        QString who;
        try {
            const AdminActor actor = adminActor(core, request, &who);
            return handler(actor, request);
        } catch (const DomainError &e) {
            if (e.code() == ErrorCode::Forbidden) {
                const QString realm = request.params.value(QStringLiteral("realm"), request.query.queryItemValue(QStringLiteral("realm")));
                core.adminGate().recordDenied({who, realm, request.params.value(QStringLiteral("app")),
                                               QString::fromLatin1(request.method) + u' ' + request.path, e.message()},
                                              clientOf(request));
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
