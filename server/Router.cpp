#include "Router.h"

#include "JsonBody.h"

namespace authrealm {

namespace {
bool matchSegments(const QStringList &pattern, const QList<QStringView> &path, qsizetype offset, QHash<QString, QString> &params)
{
    if (path.size() - offset != pattern.size())
        return false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &p = pattern.at(i);
        const QStringView s = path.at(offset + i);
        if (p.startsWith(u'{') && p.endsWith(u'}')) {
            if (s.isEmpty())
                return false;
            params.insert(p.mid(1, p.size() - 2), s.toString());
        } else if (p != s) {
            return false;
        }
    }
    return true;
}
} // namespace

void Router::add(const QByteArray &method, const QString &path, Scope scope, Execution execution, Handler handler)
{
    // Every handler first refuses control characters in the path and the
    // query (400), so no route can pass a NUL on to the database.
    Handler guarded = [inner = std::move(handler)](const ApiRequest &request) {
        requirePlainRequestLine(request);
        return inner(request);
    };
    m_routes.append(Route{method, path.split(u'/', Qt::SkipEmptyParts), scope, execution, std::move(guarded)});
}

Router::Match Router::match(const QByteArray &method, const QString &path) const
{
    const QList<QStringView> parts = QStringView(path).split(u'/', Qt::SkipEmptyParts);
    Match result;
    bool pathKnown = false;
    for (const Route &route : m_routes) {
        QHash<QString, QString> params;
        bool matched = matchSegments(route.segments, parts, 0, params);
        bool explicitRealm = false;
        if (!matched && route.scope == Scope::Realm && parts.size() >= 2 && parts.at(0) == u"realms") {
            params.clear();
            matched = matchSegments(route.segments, parts, 2, params);
            if (matched) {
                params.insert(QStringLiteral("realm"), parts.at(1).toString());
                explicitRealm = true;
            }
        }
        if (!matched)
            continue;
        pathKnown = true;
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            result.kind = Match::Kind::Found;
            result.route = &route;
            result.params = std::move(params);
            result.explicitRealm = explicitRealm;
            return result;
        }
    }
    result.kind = pathKnown ? Match::Kind::MethodNotAllowed : Match::Kind::NotFound;
    return result;
}

} // namespace authrealm
