#include "JsonBody.h"

#include "core/DomainError.h"
#include "crypto/Base64Url.h"

#include <QJsonArray>

#include <QJsonDocument>
#include <QJsonParseError>

namespace authrealm {

namespace {
bool isControl(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f); // C0 (NUL included), DEL, C1
}

bool allowedControl(char16_t c, TextKind kind)
{
    return kind == TextKind::MultiLine && (c == u'\t' || c == u'\n' || c == u'\r');
}

// The first code unit that breaks the rule, or -1.
qsizetype firstForbidden(QStringView text, TextKind kind)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (isControl(c) && !allowedControl(c, kind))
            return i;
        // An unpaired surrogate is no character at all: PostgreSQL would get
        // a replacement character the client never sent.
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= text.size() || !QChar::isLowSurrogate(text[i + 1].unicode()))
                return i;
            ++i;
        } else if (QChar::isLowSurrogate(c)) {
            return i;
        }
    }
    return -1;
}

void checkJsonStrings(const QJsonValue &value, const QString &where)
{
    if (value.isString()) {
        requirePlainText(value.toString(), where, TextKind::MultiLine);
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            checkJsonStrings(item, where);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            requirePlainText(it.key(), QStringLiteral("a field name"), TextKind::Line);
            checkJsonStrings(it.value(), u'"' + it.key().left(64) + u'"');
        }
    }
}
} // namespace

void requirePlainText(QStringView text, QStringView what, TextKind kind)
{
    const qsizetype at = firstForbidden(text, kind);
    if (at < 0)
        return;
    throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("%1 contains a control or invalid character (U+%2 at position %3)")
                                                     .arg(what)
                                                     .arg(int(text[at].unicode()), 4, 16, QLatin1Char('0'))
                                                     .arg(at));
}

void requirePlainRequestLine(const ApiRequest &request)
{
    requirePlainText(request.path, u"The path");
    const auto items = request.query.queryItems(QUrl::FullyDecoded);
    for (const auto &[name, value] : items) {
        requirePlainText(name, u"A query parameter name");
        requirePlainText(value, QStringLiteral("The query parameter \"%1\"").arg(name.left(64)));
    }
}

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
    checkJsonStrings(m_object, {});
}

QString JsonBody::stringField(const char *field, int maxLength, TextKind kind, bool allowEmpty) const
{
    const QJsonValue v = m_object.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" is required").arg(QLatin1String(field)));
    if (!v.isString())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be a string").arg(QLatin1String(field)));
    const QString text = v.toString();
    if (text.isEmpty() && !allowEmpty)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must not be empty").arg(QLatin1String(field)));
    if (text.size() > maxLength)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" is longer than %2 characters").arg(QLatin1String(field)).arg(maxLength));
    requirePlainText(text, u'"' + QLatin1String(field) + u'"', kind);
    return text;
}

QString JsonBody::requiredString(const char *field, int maxLength) const
{
    return stringField(field, maxLength, TextKind::Line, false);
}

QString JsonBody::requiredText(const char *field, int maxLength) const
{
    return stringField(field, maxLength, TextKind::MultiLine, false);
}

QString JsonBody::requiredSecret(const char *field, int maxLength) const
{
    // The document-wide check already refused NUL and the other controls.
    return stringField(field, maxLength, TextKind::MultiLine, true);
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
        requirePlainText(item.toString(), u'"' + QLatin1String(field) + u'"');
        out.append(item.toString());
    }
    return out;
}

ClientInfo clientOf(const ApiRequest &request)
{
    // The User-Agent is only recorded, never acted on: rather than refuse a
    // request over it, its control characters become U+FFFD, so none reaches
    // the database or the audit log.
    QString agent = request.userAgent();
    for (QChar &c : agent) {
        if (isControl(c.unicode()))
            c = QChar::ReplacementCharacter;
    }
    return ClientInfo{request.clientIp, agent};
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
