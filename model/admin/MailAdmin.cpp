#include "admin/MailAdmin.h"

#include "admin/AdminService.h"
#include "core/Clock.h"
#include "core/DomainError.h"
#include "mail/OutboxStore.h"
#include "storage/Sql.h"

namespace authrealm {

std::optional<SmtpSettings> MailAdmin::smtp(const AdminActor &by, const QString &realmId, bool *passwordSet) const
{
    by.requireRealm(realmId);
    d.admin.requireRealmExists(realmId);
    std::optional<SmtpSettings> s = d.smtp.settings(realmId);
    if (passwordSet)
        *passwordSet = s && !s->password.isEmpty();
    if (s)
        s->password.clear();
    return s;
}

void MailAdmin::saveSmtp(const AdminActor &by, const QString &realmId, const SmtpSettings &settings) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    d.admin.requireRealmExists(realmId);
    SmtpSettings copy = settings;
    copy.updatedAt = d.clock.nowMs();
    Transaction tx(d.db);
    d.smtp.save(realmId, copy, true);
    d.admin.record(by, realmId, {}, QStringLiteral("admin.smtp.saved"), QStringLiteral("realm"), realmId,
                   QStringLiteral("%1:%2 (%3), from %4%5")
                       .arg(copy.host).arg(copy.port).arg(SmtpSettings::securityName(copy.security), copy.fromAddress,
                            copy.password.isEmpty() ? QString() : QStringLiteral(", new password")));
    tx.commit();
}

void MailAdmin::removeSmtp(const AdminActor &by, const QString &realmId) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    d.admin.requireRealmExists(realmId);
    Transaction tx(d.db);
    if (!d.smtp.remove(realmId))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("This realm has no SMTP server configured"));
    d.admin.record(by, realmId, {}, QStringLiteral("admin.smtp.removed"), QStringLiteral("realm"), realmId,
                   QStringLiteral("mails now stay in the outbox"));
    tx.commit();
}

QList<MailAdmin::TemplateEntry> MailAdmin::templates(const AdminActor &by, const QString &realmId) const
{
    by.requireRealm(realmId);
    d.admin.requireRealmExists(realmId);
    QList<TemplateEntry> out;
    for (const QString &kind : MailTemplates::kinds()) {
        for (const QString &language : MailTemplates::languages()) {
            const std::optional<MailTemplate> custom = d.templates.customText(realmId, kind, language);
            out.append(TemplateEntry{kind, language, custom.value_or(MailTemplates::builtIn(kind, language)), custom.has_value(),
                                     MailTemplates::placeholders(kind)});
        }
    }
    return out;
}

void MailAdmin::saveTemplate(const AdminActor &by, const QString &realmId, const QString &kind, const QString &language,
                             const MailTemplate &text) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    d.admin.requireRealmExists(realmId);
    Transaction tx(d.db);
    d.templates.saveOverride(realmId, kind, language, text, d.clock.nowMs());
    d.admin.record(by, realmId, {}, QStringLiteral("admin.mail_template.saved"), QStringLiteral("mail_template"), kind + u'/' + language,
                   text.subject.left(200));
    tx.commit();
}

void MailAdmin::resetTemplate(const AdminActor &by, const QString &realmId, const QString &kind, const QString &language) const
{
    by.requireRealm(realmId);
    by.requireWrite();
    d.admin.requireRealmExists(realmId);
    Transaction tx(d.db);
    if (!d.templates.removeOverride(realmId, kind, language))
        throw DomainError(ErrorCode::NotFound, QStringLiteral("This realm has no custom \"%1\" template in \"%2\"").arg(kind.left(64), language.left(16)));
    d.admin.record(by, realmId, {}, QStringLiteral("admin.mail_template.reset"), QStringLiteral("mail_template"), kind + u'/' + language,
                   QStringLiteral("back to the built-in text"));
    tx.commit();
}

QList<OutboxMail> MailAdmin::outbox(const AdminActor &by, const QString &realmId, int limit, qint64 beforeId) const
{
    by.requireRealm(realmId);
    d.admin.requireRealmExists(realmId);
    return d.outbox.list(realmId, {}, limit, beforeId);
}

OutboxMail MailAdmin::openOutboxMail(const AdminActor &by, const QString &realmId, qint64 id) const
{
    by.requireRealm(realmId);
    d.admin.requireRealmExists(realmId);
    const std::optional<OutboxMail> mail = d.outbox.mail(id, realmId);
    if (!mail)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("The outbox of realm \"%1\" has no mail %2").arg(realmId).arg(id));
    d.admin.record(by, realmId, {}, QStringLiteral("admin.outbox.mail_opened"), QStringLiteral("mail"), QString::number(id),
                   QStringLiteral("read the body of a \"%1\" mail").arg(mail->kind));
    return *mail;
}

} // namespace authrealm
