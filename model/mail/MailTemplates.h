#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace authrealm {

class Database;

// What an account email says: a subject and a plain-text body with
// {{placeholders}}. Every kind ships in English, German and French; a realm
// may override any (kind, language) pair through the admin API.
struct MailTemplate
{
    QString subject;
    QString body;
};

struct RenderedMail
{
    QString subject;
    QString body;
};

class MailTemplates
{
public:
    explicit MailTemplates(const Database &db) : m_db(db) {}

    static inline const QString kVerifyEmail = QStringLiteral("verify_email");
    static inline const QString kResetPassword = QStringLiteral("reset_password");
    static inline const QString kPasswordChanged = QStringLiteral("password_changed");
    static inline const QString kEmailCode = QStringLiteral("email_code");
    static inline const QString kAccountExists = QStringLiteral("account_exists");

    [[nodiscard]] static const QStringList &kinds();
    [[nodiscard]] static const QStringList &languages();
    // The placeholders a kind's template may use (anything else is refused when saving).
    [[nodiscard]] static QStringList placeholders(const QString &kind);
    [[nodiscard]] static MailTemplate builtIn(const QString &kind, const QString &language);

    // The realm's override, else the built-in text.
    [[nodiscard]] MailTemplate effective(const QString &realmId, const QString &kind, const QString &language) const;
    [[nodiscard]] std::optional<MailTemplate> customText(const QString &realmId, const QString &kind, const QString &language) const;
    // Validates kind, language, lengths and placeholders; throws DomainError(InvalidRequest).
    void saveOverride(const QString &realmId, const QString &kind, const QString &language, const MailTemplate &text, qint64 now) const;
    // Returns whether there was one.
    bool removeOverride(const QString &realmId, const QString &kind, const QString &language) const;

    // Substitutes {{name}}; CR/LF in values become spaces in the subject so a
    // display name can never add a mail header.
    [[nodiscard]] static RenderedMail render(const MailTemplate &text, const QHash<QString, QString> &values);

private:
    const Database &m_db;
};

} // namespace authrealm
