#include "crypto/Jwt.h"

#include "crypto/Base64Url.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>
#include <QList>

#include <stdexcept>

namespace authrealm {

namespace {

struct ParsedJwt
{
    DecodedJwt decoded;
    QByteArray signingInput;
    QByteArray signature;
};

std::optional<QJsonObject> decodeObject(const QByteArray &segment)
{
    const auto json = base64UrlDecode(QByteArrayView(segment));
    if (!json)
        return std::nullopt;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(*json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

std::optional<ParsedJwt> parse(const QString &token)
{
    if (token.isEmpty() || token.size() > Jwt::MaxTokenSize)
        return std::nullopt;
    for (const QChar c : token) {
        if (c.unicode() > 0x7f)
            return std::nullopt;
    }
    const QByteArray compact = token.toLatin1();
    const QList<QByteArray> parts = compact.split('.');
    if (parts.size() != 3 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return std::nullopt;

    auto header = decodeObject(parts.at(0));
    auto claims = decodeObject(parts.at(1));
    auto signature = base64UrlDecode(QByteArrayView(parts.at(2)));
    if (!header || !claims || !signature)
        return std::nullopt;

    ParsedJwt parsed;
    parsed.decoded.header = std::move(*header);
    parsed.decoded.claims = std::move(*claims);
    // RFC 7515 §5.2: the signature covers the segments exactly as received,
    // not a re-serialisation of the parsed JSON.
    parsed.signingInput = compact.left(parts.at(0).size() + 1 + parts.at(1).size());
    parsed.signature = std::move(*signature);
    return parsed;
}

} // namespace

QString Jwt::sign(const QJsonObject &claims, const SigningKey &key, const QString &type)
{
    if (!key.canSign())
        throw std::logic_error("Jwt::sign: key is verify-only");
    QJsonObject header;
    header.insert(QLatin1String("alg"), algorithmName(key.algorithm()));
    header.insert(QLatin1String("kid"), key.kid());
    if (!type.isEmpty())
        header.insert(QLatin1String("typ"), type);

    QByteArray compact = base64UrlEncode(QJsonDocument(header).toJson(QJsonDocument::Compact));
    compact.append('.');
    compact.append(base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact)));
    const QByteArray signature = key.sign(compact);
    compact.append('.');
    compact.append(base64UrlEncode(signature));
    return QString::fromLatin1(compact);
}

std::variant<DecodedJwt, JwtError>
Jwt::verify(const QString &token,
            const std::function<std::optional<SigningKey>(const QString &kid)> &keyLookup)
{
    auto parsed = parse(token);
    if (!parsed)
        return JwtError::Malformed;
    const QJsonObject &header = parsed->decoded.header;

    const QJsonValue algValue = header.value(QLatin1String("alg"));
    const QJsonValue kidValue = header.value(QLatin1String("kid"));
    if (!algValue.isString() || !kidValue.isString() || kidValue.toString().isEmpty())
        return JwtError::Malformed;
    if (header.contains(QLatin1String("crit")))
        return JwtError::Malformed;

    // Reject unsupported algorithms before touching the key store, so "none"
    // or "HS256" can never reach a code path that might treat a public key as
    // a shared secret (RFC 8725 §2.1, §3.1).
    const auto claimedAlg = algorithmFromName(algValue.toString());
    if (!claimedAlg)
        return JwtError::AlgorithmNotAllowed;

    const std::optional<SigningKey> key = keyLookup ? keyLookup(kidValue.toString()) : std::nullopt;
    if (!key)
        return JwtError::UnknownKey;
    if (key->algorithm() != *claimedAlg)
        return JwtError::AlgorithmNotAllowed;
    if (!key->verify(parsed->signingInput, parsed->signature))
        return JwtError::BadSignature;
    return std::move(parsed->decoded);
}

std::optional<DecodedJwt> Jwt::decodeUnverified(const QString &token)
{
    auto parsed = parse(token);
    if (!parsed)
        return std::nullopt;
    return std::move(parsed->decoded);
}

} // namespace authrealm
