#include "oidc/RedirectUris.h"

#include <QRegularExpression>

// Registration is strict so that matching can stay a plain string comparison:
// whatever a browser or a client library might normalise differently (case,
// percent-encoding, dot segments, backslashes, userinfo) is refused up front,
// and the open-redirect tricks of RFC 9700 §4.1 (`..;/`, `@evil`, `%2F`,
// wildcards) then cannot match anything registered.
namespace authrealm::RedirectUris {

namespace {

constexpr qsizetype kMaxLength = 2000;

struct Parts
{
    QString scheme;
    bool hasAuthority = false;
    QString host;        // as written, IPv6 literals with their brackets
    QString port;        // digits, empty when absent
    QString pathAndQuery; // everything after the authority
};

// Splits scheme://host:port/rest without any normalisation. nullopt when the
// authority cannot be split unambiguously.
std::optional<Parts> split(const QString &uri)
{
    const qsizetype colon = uri.indexOf(u':');
    if (colon <= 0)
        return std::nullopt;
    Parts p;
    p.scheme = uri.left(colon);
    QString rest = uri.mid(colon + 1);
    if (!rest.startsWith(u"//")) {
        p.pathAndQuery = rest;
        return p;
    }
    p.hasAuthority = true;
    rest = rest.mid(2);
    qsizetype end = 0;
    while (end < rest.size() && rest.at(end) != u'/' && rest.at(end) != u'?')
        ++end;
    const QString authority = rest.left(end);
    p.pathAndQuery = rest.mid(end);
    if (authority.startsWith(u'[')) {
        const qsizetype close = authority.indexOf(u']');
        if (close < 0)
            return std::nullopt;
        p.host = authority.left(close + 1);
        const QString after = authority.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return std::nullopt;
            p.port = after.mid(1);
            if (p.port.isEmpty())
                return std::nullopt;
        }
    } else {
        const qsizetype portColon = authority.indexOf(u':');
        p.host = portColon < 0 ? authority : authority.left(portColon);
        if (portColon >= 0) {
            p.port = authority.mid(portColon + 1);
            if (p.port.isEmpty())
                return std::nullopt;
        }
    }
    return p;
}

bool isLoopbackHost(const QString &host)
{
    return host == u"127.0.0.1" || host == u"[::1]" || host == u"localhost";
}

bool validPort(const QString &port)
{
    if (port.isEmpty())
        return true;
    if (port.size() > 5)
        return false;
    for (QChar c : port) {
        if (c < u'0' || c > u'9')
            return false;
    }
    const int n = port.toInt();
    return n >= 1 && n <= 65535 && !port.startsWith(u'0');
}

// A segment that a server or browser could treat as "." or "..": plain, with
// a Tomcat-style ";param" (`..;/`), or percent-encoded (`%2e%2e`).
bool isDotSegment(QString segment)
{
    const qsizetype semicolon = segment.indexOf(u';');
    if (semicolon >= 0)
        segment.truncate(semicolon);
    segment.replace(QStringLiteral("%2e"), QStringLiteral("."), Qt::CaseInsensitive);
    return segment == u"." || segment == u"..";
}

std::optional<QString> pathProblem(const QString &pathAndQuery)
{
    const qsizetype q = pathAndQuery.indexOf(u'?');
    const QString path = q < 0 ? pathAndQuery : pathAndQuery.left(q);
    const QStringList segments = path.split(u'/');
    for (const QString &segment : segments) {
        if (isDotSegment(segment))
            return QStringLiteral("must not contain '.' or '..' path segments");
    }
    // Encoded separators and dots are decoded differently by different
    // servers; refusing them keeps one meaning for every registered path.
    static const QRegularExpression encoded(QStringLiteral("%(2[eEfF]|5[cC]|00)"));
    if (encoded.match(path).hasMatch())
        return QStringLiteral("must not contain percent-encoded '.', '/', '\\' or NUL in the path");
    return std::nullopt;
}

std::optional<QString> hostProblem(const QString &host)
{
    if (host.isEmpty())
        return QStringLiteral("needs a host");
    if (host.startsWith(u'[')) {
        static const QRegularExpression v6(QStringLiteral("^\\[[0-9a-f:.]+\\]$"));
        if (!v6.match(host).hasMatch())
            return QStringLiteral("has an invalid IPv6 host (lower case hex digits only)");
        return std::nullopt;
    }
    // Lower case only: hosts are case-insensitive to browsers but compared
    // exactly here, so one spelling is the only one that can be registered.
    static const QRegularExpression name(QStringLiteral("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?$"));
    if (!name.match(host).hasMatch())
        return QStringLiteral("has an invalid host (letters must be lower case; no '%', '_' or other symbols)");
    return std::nullopt;
}

} // namespace

std::optional<QString> problem(const QString &uri)
{
    if (uri.isEmpty())
        return QStringLiteral("Redirect URI is empty");
    if (uri.size() > kMaxLength)
        return QStringLiteral("Redirect URI is longer than %1 characters").arg(kMaxLength);
    for (QChar c : uri) {
        // Control characters, spaces and anything beyond ASCII (percent-encode it).
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return QStringLiteral("Redirect URI must be printable ASCII without spaces or control characters");
    }
    if (uri.contains(u'\\'))
        return QStringLiteral("Redirect URI must not contain a backslash");
    if (uri.contains(u'*'))
        return QStringLiteral("Redirect URI must not contain wildcards");
    if (uri.contains(u'#'))
        return QStringLiteral("Redirect URI must not contain a fragment");

    const std::optional<Parts> parts = split(uri);
    if (!parts)
        return QStringLiteral("Redirect URI must be an absolute URI");
    static const QRegularExpression schemeRe(QStringLiteral("^[a-z][a-z0-9+.-]*$"));
    if (!schemeRe.match(parts->scheme).hasMatch())
        return QStringLiteral("Redirect URI has an invalid scheme (lower case letters, digits, '+', '-', '.')");

    const QString &scheme = parts->scheme;
    const bool web = scheme == u"https" || scheme == u"http";
    // Private-use schemes of native apps are reverse domain names (RFC 8252
    // §7.1), which also keeps javascript:, data:, file:, vbscript: and
    // friends out: none of them has a dot.
    if (!web && !scheme.contains(u'.'))
        return QStringLiteral("Redirect URI scheme '%1' is not allowed: use https, http on loopback, "
                              "or a reverse-DNS private-use scheme such as com.example.app")
            .arg(scheme);

    if (parts->hasAuthority) {
        if (parts->host.contains(u'@') || parts->port.contains(u'@'))
            return QStringLiteral("Redirect URI must not contain user information ('@' before the host)");
        if (const auto bad = hostProblem(parts->host))
            return QStringLiteral("Redirect URI ") + *bad;
        if (!validPort(parts->port))
            return QStringLiteral("Redirect URI has an invalid port");
    } else if (web) {
        return QStringLiteral("Redirect URI must be an absolute URL with a host");
    }
    if (scheme == u"http" && !isLoopbackHost(parts->host))
        return QStringLiteral("Redirect URI must use https (http only on loopback: 127.0.0.1, [::1], localhost)");
    if (web && !parts->pathAndQuery.isEmpty() && !parts->pathAndQuery.startsWith(u'/') && !parts->pathAndQuery.startsWith(u'?'))
        return QStringLiteral("Redirect URI must be an absolute URL");
    if (const auto bad = pathProblem(parts->pathAndQuery))
        return QStringLiteral("Redirect URI ") + *bad;
    return std::nullopt;
}

bool matches(const QStringList &registered, const QString &presented)
{
    if (presented.isEmpty())
        return false;
    for (const QString &candidate : registered) {
        if (candidate == presented)
            return true;
    }
    // RFC 8252 §7.3: a native app listens on whatever loopback port it got,
    // so a registered loopback http URI matches on any port; everything else
    // (host spelling, path, query) must still be identical.
    const std::optional<Parts> asked = split(presented);
    if (!asked || asked->scheme != u"http" || !asked->hasAuthority || !isLoopbackHost(asked->host) || !validPort(asked->port))
        return false;
    for (const QString &candidate : registered) {
        const std::optional<Parts> known = split(candidate);
        if (known && known->scheme == u"http" && known->hasAuthority && known->host == asked->host
            && known->pathAndQuery == asked->pathAndQuery)
            return true;
    }
    return false;
}

} // namespace authrealm::RedirectUris
