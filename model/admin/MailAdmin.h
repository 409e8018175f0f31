#pragma once

#include "admin/AdminActor.h"
#include "mail/MailTemplates.h"
#include "mail/SmtpSettings.h"

#include <QList>

namespace authrealm {

class AdminService;
class Clock;
class Database;
class OutboxStore;
struct OutboxMail;

// Administration of a realm's account emails: its SMTP server, its template
// overrides, and reading its outbox. Same rules as AdminService (it is the
// mail half of it, kept apart so each file has one job): realm admins only,
// every change audited, the SMTP password never returned.
class MailAdmin
{
public:
    struct Deps
    {
        const Database &db;
        const AdminService &admin;
        const SmtpSettingsStore &smtp;
        const MailTemplates &templates;
        const OutboxStore &outbox;
        const Clock &clock;
    };
    explicit MailAdmin(Deps deps) : d(deps) {}

    // nullopt when the realm has none. The password field is always empty.
    [[nodiscard]] std::optional<SmtpSettings> smtp(const AdminActor &by, const QString &realmId, bool *passwordSet = nullptr) const;
    // An empty password keeps the stored one (so a form can resubmit without it).
    void saveSmtp(const AdminActor &by, const QString &realmId, const SmtpSettings &settings) const;
    void removeSmtp(const AdminActor &by, const QString &realmId) const;

    struct TemplateEntry
    {
        QString kind;
        QString language;
        MailTemplate text;
        bool custom = false;
        QStringList placeholders;
    };
    [[nodiscard]] QList<TemplateEntry> templates(const AdminActor &by, const QString &realmId) const;
    void saveTemplate(const AdminActor &by, const QString &realmId, const QString &kind, const QString &language, const MailTemplate &text) const;
    void resetTemplate(const AdminActor &by, const QString &realmId, const QString &kind, const QString &language) const;

    // Newest first; beforeId > 0 pages on (only older mails). Bodies not opened.
    [[nodiscard]] QList<OutboxMail> outbox(const AdminActor &by, const QString &realmId, int limit, qint64 beforeId = 0) const;
    // One mail of the realm with its body opened (it may carry a reset link or
    // sign-in code, so the reading is audited with the actor). NotFound when
    // the realm has no such mail.
    [[nodiscard]] OutboxMail openOutboxMail(const AdminActor &by, const QString &realmId, qint64 id) const;

private:
    Deps d;
};

} // namespace authrealm
