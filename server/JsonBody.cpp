#include "JsonBody.h"

#include "core/DomainError.h"
#include "crypto/Base64Url.h"

#include <QJsonArray>

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

int JsonBody::optionalInt(const char *field, int fallback) const
{
    const QJsonValue v = m_object.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return fallback;
    const double d = v.toDouble();
    if (!v.isDouble() || d != double(qint64(d)) || d < -1e9 || d > 1e9)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be a whole number").arg(QLatin1String(field)));
    return int(d);
}

QStringList JsonBody::stringList(const char *field, int maxItems) const
{
    const QJsonValue v = m_object.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isArray() || v.toArray().size() > maxItems)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be an array of at most %2 strings").arg(QLatin1String(field)).arg(maxItems));
    QStringList out;
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString())
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must contain only strings").arg(QLatin1String(field)));
        out.append(item.toString());
    }
    return out;
}

ClientInfo clientOf(const ApiRequest &request)
{
    return ClientInfo{request.clientIp, request.userAgent()};
}

PageRequest pageRequest(const ApiRequest &request)
{
    PageRequest page;
    if (request.query.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        page.limit = request.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || page.limit < 1 || page.limit > 200)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"limit\" must be from 1 to 200"));
    }
    const QString cursor = request.query.queryItemValue(QStringLiteral("cursor"));
    if (!cursor.isEmpty()) {
        const auto decoded = base64UrlDecode(cursor);
        if (!decoded || decoded->size() > 1024)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"cursor\" is not a cursor this server issued"));
        page.after = QString::fromUtf8(*decoded);
    }
    return page;
}

QString encodeCursor(const QString &key)
{
    return base64UrlEncodeString(key.toUtf8());
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
