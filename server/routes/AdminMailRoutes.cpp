// Admin API for a realm's account emails: its SMTP server, mail templates and outbox.
#include "AuthRealmCore.h"
#include "JsonBody.h"
#include "core/DomainError.h"
#include "routes/AdminAuth.h"
#include "routes/Routes.h"

#include <QJsonArray>

namespace authrealm {

namespace {
QJsonObject smtpJson(const std::optional<SmtpSettings> &s, bool passwordSet)
{
    if (!s)
        return QJsonObject{{QStringLiteral("configured"), false},
                           {QStringLiteral("message"), QStringLiteral("No SMTP server: account emails stay in the outbox (state \"stored\")")}};
    return QJsonObject{{QStringLiteral("configured"), true},
                       {QStringLiteral("host"), s->host},
                       {QStringLiteral("port"), s->port},
                       {QStringLiteral("security"), SmtpSettings::securityName(s->security)},
                       {QStringLiteral("username"), s->username},
                       {QStringLiteral("passwordSet"), passwordSet},
                       {QStringLiteral("fromAddress"), s->fromAddress},
                       {QStringLiteral("fromName"), s->fromName},
                       {QStringLiteral("updatedAt"), isoTime(s->updatedAt)}};
}

QJsonObject outboxJson(const OutboxMail &m)
{
    return QJsonObject{{QStringLiteral("id"), m.id},
                       {QStringLiteral("kind"), m.kind},
                       {QStringLiteral("recipient"), m.recipient},
                       {QStringLiteral("subject"), m.subject},
                       {QStringLiteral("state"), m.state},
                       {QStringLiteral("attempts"), m.attempts},
                       {QStringLiteral("lastError"), m.lastError},
                       {QStringLiteral("createdAt"), isoTime(m.createdAt)},
                       {QStringLiteral("sentAt"), m.sentAt ? QJsonValue(isoTime(m.sentAt)) : QJsonValue(QJsonValue::Null)}};
}
} // namespace

void registerAdminMailRoutes(const RouteContext &context)
{
    AuthRealmCore &core = context.core;
    const MailAdmin &mail = core.mailAdmin();
    const AdminRouteAdder admin(context);

    admin("GET", QStringLiteral("/admin/realms/{realm}/smtp"), [&mail](const AdminActor &by, const ApiRequest &request) {
        bool passwordSet = false;
        const auto s = mail.smtp(by, pathParam(request, "realm"), &passwordSet);
        return ApiResponse::json(smtpJson(s, passwordSet));
    });
    admin("PUT", QStringLiteral("/admin/realms/{realm}/smtp"), [&mail](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        SmtpSettings s;
        s.host = body.requiredString("host", 253);
        const QJsonValue port = body.object().value(QStringLiteral("port"));
        if (!port.isDouble() || port.toDouble() != double(port.toInt()))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"port\" must be a whole number from 1 to 65535"));
        s.port = port.toInt();
        const QString security = body.optionalString("security", 16);
        const auto parsed = SmtpSettings::securityFromName(security.isEmpty() ? QStringLiteral("starttls") : security);
        if (!parsed)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"security\" must be one of: none, starttls, tls"));
        s.security = *parsed;
        s.username = body.optionalString("username", 256);
        s.password = body.optionalString("password", 256);
        s.fromAddress = body.requiredString("fromAddress", 254);
        s.fromName = body.optionalString("fromName", 256);
        const QString realm = pathParam(request, "realm");
        mail.saveSmtp(by, realm, s);
        bool passwordSet = false;
        const auto saved = mail.smtp(by, realm, &passwordSet);
        return ApiResponse::json(smtpJson(saved, passwordSet));
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/smtp"), [&mail](const AdminActor &by, const ApiRequest &request) {
        mail.removeSmtp(by, pathParam(request, "realm"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("SMTP settings removed; account emails now stay in the outbox")}});
    });

    admin("GET", QStringLiteral("/admin/realms/{realm}/mailTemplates"), [&mail](const AdminActor &by, const ApiRequest &request) {
        QJsonArray items;
        for (const MailAdmin::TemplateEntry &t : mail.templates(by, pathParam(request, "realm"))) {
            items.append(QJsonObject{{QStringLiteral("kind"), t.kind},
                                     {QStringLiteral("language"), t.language},
                                     {QStringLiteral("subject"), t.text.subject},
                                     {QStringLiteral("body"), t.text.body},
                                     {QStringLiteral("custom"), t.custom},
                                     {QStringLiteral("placeholders"), QJsonArray::fromStringList(t.placeholders)}});
        }
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });
    admin("PUT", QStringLiteral("/admin/realms/{realm}/mailTemplates/{kind}/{language}"), [&mail](const AdminActor &by, const ApiRequest &request) {
        const JsonBody body(request);
        const MailTemplate text{body.requiredString("subject", 200), body.requiredText("body", 20000)};
        mail.saveTemplate(by, pathParam(request, "realm"), pathParam(request, "kind"), pathParam(request, "language"), text);
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Template saved")}});
    });
    admin("DELETE", QStringLiteral("/admin/realms/{realm}/mailTemplates/{kind}/{language}"), [&mail](const AdminActor &by, const ApiRequest &request) {
        mail.resetTemplate(by, pathParam(request, "realm"), pathParam(request, "kind"), pathParam(request, "language"));
        return ApiResponse::json(QJsonObject{{QStringLiteral("message"), QStringLiteral("Template back to the built-in text")}});
    });

    admin("GET", QStringLiteral("/admin/realms/{realm}/outbox"), [&mail](const AdminActor &by, const ApiRequest &request) {
        const PageRequest page = pageRequest(request);
        QJsonArray items;
        for (const OutboxMail &m : mail.outbox(by, pathParam(request, "realm"), page.limit))
            items.append(outboxJson(m));
        return ApiResponse::json(QJsonObject{{QStringLiteral("items"), items}});
    });
}

} // namespace authrealm
