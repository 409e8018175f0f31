#include "mail/Mailer.h"

#include "core/Clock.h"
#include "domain/Entities.h"
#include "mail/MailTemplates.h"
#include "mail/OutboxStore.h"
#include "mail/SmtpSettings.h"
#include "storage/RealmStore.h"

#include <QUrl>

namespace authrealm {

Mailer::Mailer(Deps deps) : d(std::move(deps))
{
    while (d.publicBaseUrl.endsWith(u'/'))
        d.publicBaseUrl.chop(1);
}

QString Mailer::link(const QString &realmId, const QString &action, const QString &token) const
{
    const QString configured = d.realms.settings(realmId).publicUrl();
    const QString base = !configured.isEmpty() ? configured : d.publicBaseUrl + QStringLiteral("/realms/") + realmId + QStringLiteral("/authRealm");
    return base + u'/' + action + QStringLiteral("?token=") + QString::fromLatin1(QUrl::toPercentEncoding(token));
}

qint64 Mailer::send(const QString &realmId, const User &user, const QString &kind, QHash<QString, QString> values) const
{
    const RealmSettings settings = d.realms.settings(realmId);
    const QString language = MailTemplates::languages().contains(user.locale) ? user.locale : settings.defaultLanguage();
    const std::optional<Realm> realm = d.realms.realm(realmId);
    values.insert(QStringLiteral("realmName"), realm ? realm->displayName : realmId);
    values.insert(QStringLiteral("displayName"), user.displayName.isEmpty() ? user.email : user.displayName);
    values.insert(QStringLiteral("email"), user.email);
    const RenderedMail rendered = MailTemplates::render(d.templates.effective(realmId, kind, language), values);
    OutboxMail mail;
    mail.realmId = realmId;
    mail.userId = user.id;
    mail.kind = kind;
    mail.recipient = user.email;
    mail.subject = rendered.subject;
    mail.body = rendered.body;
    return d.outbox.enqueue(mail, d.smtp.configured(realmId), d.clock.nowMs());
}

void Mailer::rehearse(const QString &realmId, const QString &address, const QString &kind, QHash<QString, QString> values) const
{
    User nobody;
    nobody.realmId = realmId;
    nobody.email = address;
    const qint64 id = send(realmId, nobody, kind, std::move(values));
    d.outbox.discard(id);
}

} // namespace authrealm
