#include "routes/ClientJson.h"

#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/AdminAuth.h"

#include <QJsonArray>
#include <QSet>

namespace authrealm {

namespace {

[[noreturn]] void invalid(const QString &message)
{
    throw DomainError(ErrorCode::InvalidRequest, message);
}

// Absent or null: 0 (inherit the product's); otherwise whole seconds >= 0.
qint64 lifetime(const JsonBody &body, const char *field)
{
    const QJsonValue v = body.object().value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return 0;
    const double d = v.toDouble();
    if (!v.isDouble() || d != double(qint64(d)) || d < 0 || d > 1e10)
        invalid(QStringLiteral("\"%1\" must be null (inherit) or a whole number of seconds >= 0").arg(QLatin1String(field)));
    return qint64(d);
}

QJsonObject optionalObject(const JsonBody &body, const char *field)
{
    const QJsonValue v = body.object().value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isObject())
        invalid(QStringLiteral("\"%1\" must be an object").arg(QLatin1String(field)));
    return v.toObject();
}

} // namespace

QJsonObject clientJson(const OAuthClient &c)
{
    QJsonObject out{
        {QStringLiteral("clientId"), c.id},
        {QStringLiteral("appId"), c.appId},
        {QStringLiteral("extraAppIds"), QJsonArray::fromStringList(c.appIds.mid(1))},
        {QStringLiteral("name"), c.name},
        {QStringLiteral("confidential"), c.confidential},
        {QStringLiteral("redirectUris"), QJsonArray::fromStringList(c.redirectUris)},
        {QStringLiteral("postLogoutRedirectUris"), QJsonArray::fromStringList(c.postLogoutRedirectUris)},
        {QStringLiteral("grantTypes"), QJsonArray::fromStringList(c.grantTypes)},
        {QStringLiteral("allowedScopes"), QJsonArray::fromStringList(c.allowedScopes)},
        {QStringLiteral("idTokenAlgorithm"), c.idTokenAlgorithm},
        {QStringLiteral("tokenEndpointAuthMethod"), c.tokenEndpointAuthMethod},
        {QStringLiteral("firstParty"), c.firstParty},
        {QStringLiteral("accessTokenLifetime"), c.accessTokenLifetime},
        {QStringLiteral("refreshTokenLifetime"), c.refreshTokenLifetime},
        {QStringLiteral("createdAt"), isoTime(c.createdAt)},
        {QStringLiteral("updatedAt"), isoTime(c.updatedAt)},
    };
    if (!c.jwks.isEmpty())
        out.insert(QStringLiteral("jwks"), c.jwks);
    return out;
}

ClientRegistry::Draft clientDraftFromJson(const JsonBody &body, const QString &appId)
{
    static const QSet<QString> known{
        QStringLiteral("name"), QStringLiteral("confidential"), QStringLiteral("redirectUris"), QStringLiteral("postLogoutRedirectUris"),
        QStringLiteral("grantTypes"), QStringLiteral("allowedScopes"), QStringLiteral("idTokenAlgorithm"),
        QStringLiteral("tokenEndpointAuthMethod"), QStringLiteral("jwks"), QStringLiteral("firstParty"), QStringLiteral("extraAppIds"),
        QStringLiteral("accessTokenLifetime"), QStringLiteral("refreshTokenLifetime"),
        // read-only, from the GET shape
        QStringLiteral("clientId"), QStringLiteral("appId"), QStringLiteral("createdAt"), QStringLiteral("updatedAt")};
    for (auto it = body.object().begin(); it != body.object().end(); ++it) {
        if (!known.contains(it.key()))
            invalid(QStringLiteral("Unknown field \"%1\"").arg(it.key().left(64)));
    }
    ClientRegistry::Draft d;
    d.appId = appId;
    d.name = body.requiredString("name", 100);
    d.confidential = body.optionalBool("confidential", true);
    d.redirectUris = body.stringList("redirectUris", 20);
    d.postLogoutRedirectUris = body.stringList("postLogoutRedirectUris", 20);
    d.grantTypes = body.stringList("grantTypes", 3);
    d.allowedScopes = body.stringList("allowedScopes", 100);
    d.idTokenAlgorithm = body.optionalString("idTokenAlgorithm", 16);
    d.tokenEndpointAuthMethod = body.optionalString("tokenEndpointAuthMethod", 64);
    d.jwks = optionalObject(body, "jwks");
    d.firstParty = body.optionalBool("firstParty", true);
    d.extraAppIds = body.stringList("extraAppIds", 20);
    d.accessTokenLifetime = lifetime(body, "accessTokenLifetime");
    d.refreshTokenLifetime = lifetime(body, "refreshTokenLifetime");
    return d;
}

} // namespace authrealm
