#include "oidc/FormBody.h"

#include "JsonBody.h"
#include "core/DomainError.h"

#include <QUrl>
#include <QUrlQuery>

namespace authrealm {

namespace {
QString formDecoded(QByteArray encoded)
{
    encoded.replace('+', ' ');
    return QUrl::fromPercentEncoding(encoded);
}

QueryItems parse(const QByteArray &encoded)
{
    QueryItems items;
    for (const QByteArray &pair : encoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QString name = formDecoded(eq < 0 ? pair : pair.left(eq));
        const QString value = eq < 0 ? QString() : formDecoded(pair.mid(eq + 1));
        items.append({name, value});
    }
    return items;
}

QString only(const QueryItems &items, const char *name, int maxLength)
{
    QString found;
    int seen = 0;
    for (const auto &[key, value] : items) {
        if (key == QLatin1String(name)) {
            found = value;
            ++seen;
        }
    }
    if (seen > 1)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("The parameter %1 is given more than once").arg(QLatin1String(name)));
    if (found.size() > maxLength)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("The parameter %1 is too long").arg(QLatin1String(name)));
    return found;
}
} // namespace

FormBody::FormBody(const ApiRequest &request)
{
    const QByteArray type = request.header("Content-Type").toLower();
    if (!type.startsWith("application/x-www-form-urlencoded"))
        throw DomainError(ErrorCode::UnsupportedMediaType, QStringLiteral("Send the body as application/x-www-form-urlencoded"));
    m_items = parse(request.body);
    for (const auto &[name, value] : std::as_const(m_items)) {
        requirePlainText(name, u"A form field name");
        // Passwords may hold a tab; everything else is checked as one line when read.
        requirePlainText(value, QStringLiteral("The form field \"%1\"").arg(name.left(64)), TextKind::MultiLine);
    }
}

QString FormBody::value(const char *name, int maxLength) const
{
    const QString v = only(m_items, name, maxLength);
    requirePlainText(v, QStringLiteral("The form field \"%1\"").arg(QLatin1String(name)));
    return v;
}

QString FormBody::secret(const char *name, int maxLength) const { return only(m_items, name, maxLength); }

QueryItems queryItems(const ApiRequest &request)
{
    // The query is application/x-www-form-urlencoded too: '+' is a space (openid-client
    // sends scope=openid+email). QUrlQuery's decoding keeps the '+', so parse the raw query.
    return parse(request.query.query(QUrl::FullyEncoded).toUtf8());
}

ClientCredentials clientCredentials(const ApiRequest &request, const FormBody &form)
{
    ClientCredentials c;
    const QByteArray authorization = request.header("Authorization");
    if (authorization.size() > 6 && authorization.left(6).compare("Basic ", Qt::CaseInsensitive) == 0) {
        const auto decoded = QByteArray::fromBase64Encoding(authorization.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
        if (colon < 0)
            throw DomainError(ErrorCode::InvalidClient, QStringLiteral("Client authentication failed"));
        c.hasBasic = true;
        c.basicId = formDecoded(decoded.decoded.left(colon));
        c.basicSecret = formDecoded(decoded.decoded.mid(colon + 1));
        requirePlainText(c.basicId, u"The client id");
    }
    c.formClientId = form.value("client_id", 256);
    c.formSecret = form.secret("client_secret", 512);
    c.assertionType = form.value("client_assertion_type", 256);
    c.assertion = form.value("client_assertion", 16384);
    return c;
}

QString cookie(const ApiRequest &request, const QString &name)
{
    for (const auto &[key, value] : request.headers) {
        if (QByteArrayView(key).compare("Cookie", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &part : value.split(';')) {
            const QByteArray trimmed = part.trimmed();
            const qsizetype eq = trimmed.indexOf('=');
            if (eq > 0 && QLatin1String(trimmed.left(eq)) == name)
                return QString::fromLatin1(trimmed.mid(eq + 1)).left(256);
        }
    }
    return {};
}

} // namespace authrealm
