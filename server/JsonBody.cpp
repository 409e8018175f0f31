#include "JsonBody.h"

#include "core/DomainError.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace authrealm {

JsonBody::JsonBody(const ApiRequest &request)
{
    const QByteArray type = request.header("Content-Type").toLower();
    if (!type.isEmpty() && !type.startsWith("application/json"))
        throw DomainError(ErrorCode::UnsupportedMediaType, QStringLiteral("Send the body as application/json"));
    if (request.body.trimmed().isEmpty())
        throw DomainError(ErrorCode::InvalidJson, QStringLiteral("The request body must be a JSON object"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError)
        throw DomainError(ErrorCode::InvalidJson, QStringLiteral("The body is not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        throw DomainError(ErrorCode::InvalidJson, QStringLiteral("The request body must be a JSON object"));
    m_object = doc.object();
}

QString JsonBody::requiredString(const char *field, int maxLength) const
{
    const QJsonValue v = m_object.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" is required").arg(QLatin1String(field)));
    if (!v.isString())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be a string").arg(QLatin1String(field)));
    if (v.toString().isEmpty())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must not be empty").arg(QLatin1String(field)));
    if (v.toString().size() > maxLength)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" is longer than %2 characters").arg(QLatin1String(field)).arg(maxLength));
    return v.toString();
}

QString JsonBody::optionalString(const char *field, int maxLength) const
{
    const QJsonValue v = m_object.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return {};
    return requiredString(field, maxLength);
}

bool JsonBody::optionalBool(const char *field, bool fallback) const
{
    const QJsonValue v = m_object.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isBool())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be true or false").arg(QLatin1String(field)));
    return v.toBool();
}

QString bearerToken(const ApiRequest &request)
{
    const QByteArray header = request.header("Authorization");
    static constexpr QByteArrayView kScheme("bearer ");
    if (header.size() <= kScheme.size() || QByteArrayView(header).first(kScheme.size()).compare(kScheme, Qt::CaseInsensitive) != 0)
        throw DomainError(ErrorCode::InvalidToken, QStringLiteral("Send an access token: Authorization: Bearer <token>"));
    return QString::fromLatin1(header.mid(kScheme.size()).trimmed());
}

} // namespace authrealm
