#pragma once

#include <QHash>
#include <QString>

namespace authrealm {

class Clock;
class MailTemplates;
class OutboxStore;
class RealmStore;
class SmtpSettingsStore;
struct User;

// Turns "send the reset mail to this user" into an outbox row: picks the
// language (the user's locale, else the realm's defaultLanguage), renders the
// realm's template and enqueues it — inside the caller's transaction, so the
// token and the mail carrying it are written together or not at all.
class Mailer
{
public:
    struct Deps
    {
        const RealmStore &realms;
        const MailTemplates &templates;
        const SmtpSettingsStore &smtp;
        const OutboxStore &outbox;
        const Clock &clock;
        QString publicBaseUrl;
    };
    explicit Mailer(Deps deps);

    // Returns the outbox id.
    qint64 send(const QString &realmId, const User &user, const QString &kind, QHash<QString, QString> values) const;

    // The same reads, rendering, sealing and outbox write as send(), for an
    // address that has no account, and then the row is removed again in the
    // same transaction: nothing is sent, but the request costs what a real one
    // costs, so response times do not tell which emails have accounts.
    void rehearse(const QString &realmId, const QString &address, const QString &kind, QHash<QString, QString> values) const;

    // A link into an account flow, e.g. link("acme", "resetPassword", token).
    // Built only from configuration (the realm's publicUrl setting, else the
    // server's public URL), never from request headers, so a forged Host
    // header cannot send a reset link to an attacker's site.
    [[nodiscard]] QString link(const QString &realmId, const QString &action, const QString &token) const;

private:
    Deps d;
};

} // namespace authrealm
