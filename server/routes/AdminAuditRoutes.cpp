// Admin API for the audit log, search, statistics and platform API keys.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/AdminAuth.h"
#include "routes/Routes.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace authrealm {

namespace {
// ISO 8601 or milliseconds since the epoch.
qint64 timeParam(const ApiRequest &request, const QString &name)
{
    const QString text = request.query.queryItemValue(name, QUrl::FullyDecoded);
    if (text.isEmpty())
        return 0;
    bool ok = false;
    const qint64 ms = text.toLongLong(&ok);
    if (ok && ms > 0)
        return ms;
    const QDateTime parsed = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!parsed.isValid())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"%1\" must be an ISO 8601 time or milliseconds since the epoch").arg(name));
    return parsed.toMSecsSinceEpoch();
}

QJsonObject eventJson(const AuditEvent &e)
{
    return QJsonObject{{QStringLiteral("id"), e.id},           {QStringLiteral("time"), isoTime(e.occurredAt)},
                       {QStringLiteral("realm"), e.realmId},   {QStringLiteral("app"), e.appId},
                       {QStringLiteral("kind"), e.kind},       {QStringLiteral("actor"), e.actor},
                       {QStringLiteral("targetType"), e.targetType}, {QStringLiteral("targetId"), e.targetId},
                       {QStringLiteral("ip"), e.ip},           {QStringLiteral("userAgent"), e.userAgent},
                       {QStringLiteral("outcome"), e.outcome}, {QStringLiteral("summary"), e.summary},
                       {QStringLiteral("seq"), e.seq}};
}

QJsonObject keyJson(const ApiKeyInfo &k, const QString &secret = {})
{
    QJsonObject json{{QStringLiteral("id"), k.id}, {QStringLiteral("name"), k.name},
                     {QStringLiteral("layer"), AdminGrant::layerName(k.grant.layer)}, {QStringLiteral("realm"), k.grant.realmId},
                     {QStringLiteral("app"), k.grant.appId}, {QStringLiteral("scopes"), QJsonArray::fromStringList(k.scopes)},
                     {QStringLiteral("createdBy"), k.createdBy}, {QStringLiteral("createdAt"), isoTime(k.createdAt)},
                     {QStringLiteral("lastUsedAt"), isoTime(k.lastUsedAt)}};
    if (!secret.isEmpty())
        json.insert(QStringLiteral("key"), secret); // shown once
    return json;
}
} // namespace

// How long one GET /admin/events may scan for free text the index cannot narrow.
constexpr qint64 kTextScanBudgetMs = 1000;

void registerAdminAuditRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const AdminRouteAdder admin(context);

    admin("GET", QStringLiteral("/admin/events"), [&core](const AdminActor &by, const ApiRequest &request) {
        AuditQuery filter;
        const QString realm = request.query.queryItemValue(QStringLiteral("realm"));
        const QString app = request.query.queryItemValue(QStringLiteral("app"));
        filter.realmIds = core.adminOverview().eventRealms(by, realm, app);
        filter.appId = app;
        filter.actor = request.query.queryItemValue(QStringLiteral("actor"), QUrl::FullyDecoded);
        filter.targetId = request.query.queryItemValue(QStringLiteral("target"), QUrl::FullyDecoded);
        filter.outcome = request.query.queryItemValue(QStringLiteral("outcome"));
        const QString kinds = request.query.queryItemValue(QStringLiteral("kind"), QUrl::FullyDecoded);
        filter.kinds = kinds.split(u',', Qt::SkipEmptyParts);
        if (filter.kinds.size() > 50)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("At most 50 kinds"));
        filter.text = request.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded).trimmed();
        if (filter.text.size() > 200)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"q\" has at most 200 characters"));
        filter.since = timeParam(request, QStringLiteral("since"));
        filter.until = timeParam(request, QStringLiteral("until"));
        const PageRequest page = pageRequest(request);
        filter.limit = page.limit + 1;
        if (!page.after.isEmpty()) {
            const QStringList parts = page.after.split(u':');
            bool okTime = false, okId = false;
            filter.beforeTime = parts.value(0).toLongLong(&okTime);
            filter.beforeId = parts.value(1).toLongLong(&okId);
            // Id 0: continue below that time (a text scan stopped there).
            if (parts.size() != 2 || !okTime || !okId || filter.beforeTime <= 0 || filter.beforeId < 0)
                throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"cursor\" is not a cursor this server issued"));
        }
        // Text the index cannot narrow is scanned newest first for at most
        // kTextScanBudgetMs a request; the page may then hold fewer items than
        // asked for and still have a next_cursor, where the scan got to.
        AuditSearchPage found;
        if (filter.text.isEmpty()) {
            found.events = core.audit().query(filter);
            found.exhausted = true;
        } else {
            found = core.audit().search(filter, {}, kTextScanBudgetMs);
        }
        const QList<AuditEvent> &events = found.events;
        QJsonArray items;
        for (qsizetype i = 0; i < std::min<qsizetype>(events.size(), page.limit); ++i)
            items.append(eventJson(events.at(i)));
        QJsonObject body{{QStringLiteral("items"), items}};
        if (events.size() > page.limit) {
            const AuditEvent &last = events.at(page.limit - 1);
            body.insert(QStringLiteral("next_cursor"), encodeCursor(QStringLiteral("%1:%2").arg(last.occurredAt).arg(last.id)));
        } else if (!found.exhausted && found.nextBeforeTime > 0) {
            body.insert(QStringLiteral("next_cursor"), encodeCursor(QStringLiteral("%1:%2").arg(found.nextBeforeTime).arg(found.nextBeforeId)));
        } else {
            body.insert(QStringLiteral("next_cursor"), QJsonValue::Null);
        }
        return ApiResponse::json(body);
    });

    admin("GET", QStringLiteral("/admin/search"), [&core](const AdminActor &by, const ApiRequest &request) {
        const AdminOverview::SearchResult found =
            core.adminOverview().search(by, request.query.queryItemValue(QStringLiteral("q"), QUrl::FullyDecoded));
        QJsonArray realms, apps, users;
        for (const auto &realm : found.realms)
            realms.append(QJsonObject{{QStringLiteral("id"), realm.id}, {QStringLiteral("displayName"), realm.displayName}});
        for (const auto &app : found.apps)
            apps.append(QJsonObject{{QStringLiteral("realm"), app.realmId}, {QStringLiteral("id"), app.id},
                                    {QStringLiteral("displayName"), app.displayName}});
        for (const auto &hit : found.users) {
            QJsonObject u = userJson(hit.user);
            u.insert(QStringLiteral("realm"), hit.realmId);
            users.append(u);
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("realms"), realms}, {QStringLiteral("apps"), apps}, {QStringLiteral("users"), users}});
    });

    admin("GET", QStringLiteral("/admin/stats"), [&core](const AdminActor &by, const ApiRequest &) {
        const AdminOverview::Stats stats = core.adminOverview().stats(by);
        return ApiResponse::json(QJsonObject{{QStringLiteral("realms"), stats.realms}, {QStringLiteral("apps"), stats.apps},
                                             {QStringLiteral("users"), stats.users}, {QStringLiteral("activeSessions"), stats.activeSessions},
                                             {QStringLiteral("eventsLast24h"), stats.eventsLast24h}});
    });

    admin("GET", QStringLiteral("/admin/api-keys"), [&core](const AdminActor &by, const ApiRequest &) {
        QJsonArray items;
        for (const ApiKeyInfo &k : core.adminDirectory().apiKeys(by))
            items.append(keyJson(k));
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });
    admin("POST", QStringLiteral("/admin/api-keys"), [&core](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const auto layer = AdminGrant::layerFromName(body.requiredString("layer", 16));
        if (!layer)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"layer\" must be master, realm or app"));
        const AdminGrant grant{*layer, *layer == AdminGrant::Layer::Master ? QString() : body.requiredString("realm", 64),
                               *layer == AdminGrant::Layer::App ? body.requiredString("app", 64) : QString()};
        const auto minted = core.adminDirectory().createApiKey(by, body.requiredString("name", 100), grant, body.stringList("scopes"));
        return ApiResponse::json(keyJson(minted.info, minted.secret), 201);
    });
    admin("DELETE", QStringLiteral("/admin/api-keys/{key}"), [&core](const AdminActor &by, const ApiRequest &request) {
        core.adminDirectory().revokeApiKey(by, pathParam(request, "key"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("API key revoked")}});
    });
}

} // namespace authrealm
