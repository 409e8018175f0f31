#include "mail/MailTemplates.h"

#include "core/DomainError.h"
#include "storage/Sql.h"

#include <QRegularExpression>

namespace authrealm {

namespace {
using Texts = QHash<QString, MailTemplate>; // key: kind + '/' + language

const Texts &builtInTexts()
{
    static const Texts texts = {
        // English
        {QStringLiteral("verify_email/en"),
         {QStringLiteral("Confirm your email address for {{realmName}}"),
          QStringLiteral("Hello {{displayName}},\n\nplease confirm that {{email}} is your email address by opening this link:\n\n"
                         "{{link}}\n\nOr send this code to the app: {{token}}\n\nThe link is valid for {{validMinutes}} minutes and "
                         "works once. If you did not ask for this, ignore this email.\n\n{{realmName}}\n")}},
        {QStringLiteral("reset_password/en"),
         {QStringLiteral("Reset your {{realmName}} password"),
          QStringLiteral("Hello {{displayName}},\n\nsomeone (hopefully you) asked to reset the password of the account {{email}}.\n"
                         "To choose a new password, open this link:\n\n{{link}}\n\nOr use this code: {{token}}\n\n"
                         "The link is valid for {{validMinutes}} minutes and works once. If you did not ask for this, ignore "
                         "this email: your password stays as it is.\n\n{{realmName}}\n")}},
        {QStringLiteral("password_changed/en"),
         {QStringLiteral("Your {{realmName}} password was changed"),
          QStringLiteral("Hello {{displayName}},\n\nthe password of your account {{email}} was changed on {{time}} UTC.\n"
                         "If this was not you, reset your password right away and contact your administrator.\n\n{{realmName}}\n")}},
        {QStringLiteral("email_code/en"),
         {QStringLiteral("Your {{realmName}} sign-in code"),
          QStringLiteral("Hello {{displayName}},\n\nyour sign-in code is:\n\n    {{code}}\n\nIt is valid for {{validMinutes}} minutes "
                         "and works once. Never share it with anyone. If you did not try to sign in, ignore this email.\n\n"
                         "{{realmName}}\n")}},
        {QStringLiteral("account_exists/en"),
         {QStringLiteral("You already have a {{realmName}} account"),
          QStringLiteral("Hello {{displayName}},\n\nsomeone tried to create a new account with {{email}}, but you already have one.\n"
                         "Just sign in. If you forgot your password, you can reset it here:\n\n{{link}}\n\n"
                         "If this was not you, ignore this email.\n\n{{realmName}}\n")}},
        // German
        {QStringLiteral("verify_email/de"),
         {QStringLiteral("Bestätigen Sie Ihre E-Mail-Adresse für {{realmName}}"),
          QStringLiteral("Hallo {{displayName}},\n\nbitte bestätigen Sie, dass {{email}} Ihre E-Mail-Adresse ist, indem Sie diesen "
                         "Link öffnen:\n\n{{link}}\n\nOder geben Sie diesen Code in der App ein: {{token}}\n\nDer Link ist "
                         "{{validMinutes}} Minuten gültig und funktioniert einmal. Falls Sie das nicht angefordert haben, "
                         "ignorieren Sie diese E-Mail.\n\n{{realmName}}\n")}},
        {QStringLiteral("reset_password/de"),
         {QStringLiteral("Ihr Passwort für {{realmName}} zurücksetzen"),
          QStringLiteral("Hallo {{displayName}},\n\njemand (hoffentlich Sie) hat verlangt, das Passwort des Kontos {{email}} "
                         "zurückzusetzen.\nUm ein neues Passwort zu wählen, öffnen Sie diesen Link:\n\n{{link}}\n\n"
                         "Oder verwenden Sie diesen Code: {{token}}\n\nDer Link ist {{validMinutes}} Minuten gültig und "
                         "funktioniert einmal. Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr "
                         "Passwort bleibt unverändert.\n\n{{realmName}}\n")}},
        {QStringLiteral("password_changed/de"),
         {QStringLiteral("Ihr Passwort für {{realmName}} wurde geändert"),
          QStringLiteral("Hallo {{displayName}},\n\ndas Passwort Ihres Kontos {{email}} wurde am {{time}} UTC geändert.\n"
                         "Falls Sie das nicht waren, setzen Sie Ihr Passwort sofort zurück und wenden Sie sich an Ihre "
                         "Administration.\n\n{{realmName}}\n")}},
        {QStringLiteral("email_code/de"),
         {QStringLiteral("Ihr Anmeldecode für {{realmName}}"),
          QStringLiteral("Hallo {{displayName}},\n\nIhr Anmeldecode lautet:\n\n    {{code}}\n\nEr ist {{validMinutes}} Minuten "
                         "gültig und funktioniert einmal. Geben Sie ihn niemals weiter. Falls Sie sich nicht anmelden wollten, "
                         "ignorieren Sie diese E-Mail.\n\n{{realmName}}\n")}},
        {QStringLiteral("account_exists/de"),
         {QStringLiteral("Sie haben bereits ein Konto bei {{realmName}}"),
          QStringLiteral("Hallo {{displayName}},\n\njemand wollte mit {{email}} ein neues Konto anlegen, aber Sie haben bereits "
                         "eines.\nMelden Sie sich einfach an. Falls Sie Ihr Passwort vergessen haben, setzen Sie es hier "
                         "zurück:\n\n{{link}}\n\nFalls Sie das nicht waren, ignorieren Sie diese E-Mail.\n\n{{realmName}}\n")}},
        // French
        {QStringLiteral("verify_email/fr"),
         {QStringLiteral("Confirmez votre adresse e-mail pour {{realmName}}"),
          QStringLiteral("Bonjour {{displayName}},\n\nveuillez confirmer que {{email}} est bien votre adresse e-mail en ouvrant "
                         "ce lien :\n\n{{link}}\n\nOu saisissez ce code dans l'application : {{token}}\n\nLe lien est valable "
                         "{{validMinutes}} minutes et ne fonctionne qu'une fois. Si vous n'êtes pas à l'origine de cette "
                         "demande, ignorez cet e-mail.\n\n{{realmName}}\n")}},
        {QStringLiteral("reset_password/fr"),
         {QStringLiteral("Réinitialisez votre mot de passe {{realmName}}"),
          QStringLiteral("Bonjour {{displayName}},\n\nquelqu'un (vous, nous l'espérons) a demandé la réinitialisation du mot de "
                         "passe du compte {{email}}.\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n\n{{link}}\n\n"
                         "Ou utilisez ce code : {{token}}\n\nLe lien est valable {{validMinutes}} minutes et ne fonctionne "
                         "qu'une fois. Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : votre mot de "
                         "passe reste inchangé.\n\n{{realmName}}\n")}},
        {QStringLiteral("password_changed/fr"),
         {QStringLiteral("Votre mot de passe {{realmName}} a été modifié"),
          QStringLiteral("Bonjour {{displayName}},\n\nle mot de passe de votre compte {{email}} a été modifié le {{time}} UTC.\n"
                         "Si ce n'était pas vous, réinitialisez immédiatement votre mot de passe et contactez votre "
                         "administrateur.\n\n{{realmName}}\n")}},
        {QStringLiteral("email_code/fr"),
         {QStringLiteral("Votre code de connexion {{realmName}}"),
          QStringLiteral("Bonjour {{displayName}},\n\nvotre code de connexion est :\n\n    {{code}}\n\nIl est valable "
                         "{{validMinutes}} minutes et ne fonctionne qu'une fois. Ne le communiquez jamais. Si vous n'avez pas "
                         "essayé de vous connecter, ignorez cet e-mail.\n\n{{realmName}}\n")}},
        {QStringLiteral("account_exists/fr"),
         {QStringLiteral("Vous avez déjà un compte {{realmName}}"),
          QStringLiteral("Bonjour {{displayName}},\n\nquelqu'un a essayé de créer un nouveau compte avec {{email}}, mais vous en "
                         "avez déjà un.\nConnectez-vous simplement. Si vous avez oublié votre mot de passe, réinitialisez-le "
                         "ici :\n\n{{link}}\n\nSi ce n'était pas vous, ignorez cet e-mail.\n\n{{realmName}}\n")}},
    };
    return texts;
}

const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression re(QStringLiteral("\\{\\{\\s*([A-Za-z]+)\\s*\\}\\}"));
    return re;
}
} // namespace

const QStringList &MailTemplates::kinds()
{
    static const QStringList list = {kVerifyEmail, kResetPassword, kPasswordChanged, kEmailCode, kAccountExists};
    return list;
}

const QStringList &MailTemplates::languages()
{
    static const QStringList list = {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};
    return list;
}

QStringList MailTemplates::placeholders(const QString &kind)
{
    QStringList common = {QStringLiteral("realmName"), QStringLiteral("displayName"), QStringLiteral("email")};
    if (kind == kVerifyEmail || kind == kResetPassword)
        common << QStringLiteral("link") << QStringLiteral("token") << QStringLiteral("validMinutes");
    else if (kind == kEmailCode)
        common << QStringLiteral("code") << QStringLiteral("validMinutes");
    else if (kind == kPasswordChanged)
        common << QStringLiteral("time");
    else if (kind == kAccountExists)
        common << QStringLiteral("link");
    return common;
}

MailTemplate MailTemplates::builtIn(const QString &kind, const QString &language)
{
    const Texts &texts = builtInTexts();
    const auto it = texts.constFind(kind + u'/' + language);
    if (it != texts.cend())
        return *it;
    return texts.value(kind + QStringLiteral("/en"));
}

std::optional<MailTemplate> MailTemplates::customText(const QString &realmId, const QString &kind, const QString &language) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT subject, body FROM mail_templates WHERE realm_id = :r AND kind = :k AND locale = :l"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":l"), language).exec();
    if (!q.next())
        return std::nullopt;
    return MailTemplate{q.value(0).toString(), q.value(1).toString()};
}

MailTemplate MailTemplates::effective(const QString &realmId, const QString &kind, const QString &language) const
{
    if (const auto custom = customText(realmId, kind, language))
        return *custom;
    return builtIn(kind, language);
}

void MailTemplates::saveOverride(const QString &realmId, const QString &kind, const QString &language, const MailTemplate &text,
                                 qint64 now) const
{
    if (!kinds().contains(kind))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Unknown mail template \"%1\"; known: %2").arg(kind.left(64), kinds().join(u", ")));
    if (!languages().contains(language))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Unknown language \"%1\"; known: %2").arg(language.left(16), languages().join(u", ")));
    if (text.subject.trimmed().isEmpty() || text.subject.size() > 200 || text.subject.contains(u'\r') || text.subject.contains(u'\n'))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"subject\" must be one line of 1 to 200 characters"));
    if (text.body.trimmed().isEmpty() || text.body.size() > 20000)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"body\" must have 1 to 20000 characters"));
    const QStringList allowed = placeholders(kind);
    for (const QString &part : {text.subject, text.body}) {
        auto it = placeholderPattern().globalMatch(part);
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            if (!allowed.contains(name))
                throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Template \"%1\" has no placeholder {{%2}}; it may use: %3")
                                                                  .arg(kind, name.left(64), allowed.join(u", ")));
        }
    }
    // A code or token in the subject would end up in mail server logs and notifications.
    for (const char *secret : {"token", "code", "link"}) {
        if (text.subject.contains(QStringLiteral("{{%1}}").arg(QLatin1String(secret))))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("The subject must not contain {{%1}}").arg(QLatin1String(secret)));
    }
    const bool needs = kind == kEmailCode || kind == kVerifyEmail || kind == kResetPassword;
    if (needs && !text.body.contains(kind == kEmailCode ? QStringLiteral("{{code}}") : QStringLiteral("{{link}}"))
        && !text.body.contains(QStringLiteral("{{token}}")))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("The body of \"%1\" must contain %2").arg(kind,
                          kind == kEmailCode ? QStringLiteral("{{code}}") : QStringLiteral("{{link}} or {{token}}")));
    Transaction tx(m_db);
    SqlQuery(m_db, QStringLiteral("DELETE FROM mail_templates WHERE realm_id = :r AND kind = :k AND locale = :l"))
        .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":l"), language).exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO mail_templates (realm_id, kind, locale, subject, body, updated_at) VALUES (:r, :k, :l, :s, :b, :at)"))
        .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":l"), language)
        .bind(QStringLiteral(":s"), text.subject).bind(QStringLiteral(":b"), text.body).bind(QStringLiteral(":at"), now).exec();
    tx.commit();
}

bool MailTemplates::removeOverride(const QString &realmId, const QString &kind, const QString &language) const
{
    SqlQuery q(m_db, QStringLiteral("DELETE FROM mail_templates WHERE realm_id = :r AND kind = :k AND locale = :l"));
    q.bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":l"), language).exec();
    return q.rowsAffected() > 0;
}

RenderedMail MailTemplates::render(const MailTemplate &text, const QHash<QString, QString> &values)
{
    const auto fill = [&values](const QString &in, bool oneLine) {
        QString out;
        qsizetype last = 0;
        auto it = placeholderPattern().globalMatch(in);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            out += in.mid(last, m.capturedStart() - last);
            QString value = values.value(m.captured(1));
            if (oneLine) {
                value.replace(u'\r', u' ');
                value.replace(u'\n', u' ');
            }
            out += value;
            last = m.capturedEnd();
        }
        out += in.mid(last);
        return out;
    };
    return RenderedMail{fill(text.subject, true), fill(text.body, false)};
}

} // namespace authrealm
