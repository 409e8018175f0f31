#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QVariant>

namespace authrealm {

// One row of the settings table: what a realm may configure, its default and
// its unit, so the API, import and the console all validate the same way.
struct SettingDefinition
{
    QString name;
    QMetaType::Type type; // Int, Bool or QString
    QVariant defaultValue;
    QString unit;         // "s" for durations, empty otherwise
    qint64 minimum = 0;
    qint64 maximum = 0;
    QStringList allowed;  // for enumerations
    QString description;
};

class RealmSettings
{
public:
    static const QList<SettingDefinition> &definitions();
    [[nodiscard]] static const SettingDefinition *find(const QString &name);

    // Starts with every default; stored values override them.
    RealmSettings();
    // Validates a single value; throws DomainError(InvalidRequest) naming the setting.
    void set(const QString &name, const QVariant &value);
    void setStored(const QString &name, const QString &text); // from the database; ignores unknown names

    [[nodiscard]] QString signingAlgorithm() const { return m_values.value(QStringLiteral("signingAlgorithm")).toString(); }
    [[nodiscard]] qint64 accessTokenLifetime() const { return m_values.value(QStringLiteral("accessTokenLifetime")).toLongLong(); }
    [[nodiscard]] qint64 refreshTokenLifetime() const { return m_values.value(QStringLiteral("refreshTokenLifetime")).toLongLong(); }
    [[nodiscard]] qint64 sessionMaxLifetime() const { return m_values.value(QStringLiteral("sessionMaxLifetime")).toLongLong(); }
    [[nodiscard]] qint64 refreshIdleTimeout() const { return m_values.value(QStringLiteral("refreshIdleTimeout")).toLongLong(); }
    [[nodiscard]] qint64 intValue(const QString &name) const { return m_values.value(name).toLongLong(); }
    [[nodiscard]] bool registrationEnabled() const { return m_values.value(QStringLiteral("registrationEnabled")).toBool(); }
    [[nodiscard]] bool forgotPasswordEnabled() const { return m_values.value(QStringLiteral("forgotPasswordEnabled")).toBool(); }

    [[nodiscard]] QString registrationDefaultApp() const { return m_values.value(QStringLiteral("registrationDefaultApp")).toString(); }
    [[nodiscard]] QString publicUrl() const { return m_values.value(QStringLiteral("publicUrl")).toString(); }
    [[nodiscard]] QString defaultLanguage() const { return m_values.value(QStringLiteral("defaultLanguage")).toString(); }
    [[nodiscard]] int passwordMinLength() const { return m_values.value(QStringLiteral("passwordMinLength")).toInt(); }
    [[nodiscard]] int passwordMinStrength() const { return m_values.value(QStringLiteral("passwordMinStrength")).toInt(); }
    [[nodiscard]] qint64 emailVerificationLifetime() const { return m_values.value(QStringLiteral("emailVerificationLifetime")).toLongLong(); }
    [[nodiscard]] qint64 passwordResetLifetime() const { return m_values.value(QStringLiteral("passwordResetLifetime")).toLongLong(); }
    [[nodiscard]] int passwordResetLimitPerAccount() const { return m_values.value(QStringLiteral("passwordResetLimitPerAccount")).toInt(); }
    [[nodiscard]] int passwordResetLimitPerAddress() const { return m_values.value(QStringLiteral("passwordResetLimitPerAddress")).toInt(); }
    [[nodiscard]] bool emailCodeLoginEnabled() const { return m_values.value(QStringLiteral("emailCodeLoginEnabled")).toBool(); }
    [[nodiscard]] qint64 emailCodeLifetime() const { return m_values.value(QStringLiteral("emailCodeLifetime")).toLongLong(); }
    [[nodiscard]] qint64 emailCodeResendInterval() const { return m_values.value(QStringLiteral("emailCodeResendInterval")).toLongLong(); }
    [[nodiscard]] int emailCodeLimitPerHour() const { return m_values.value(QStringLiteral("emailCodeLimitPerHour")).toInt(); }
    [[nodiscard]] bool keepSessionOnPasswordChange() const { return m_values.value(QStringLiteral("keepSessionOnPasswordChange")).toBool(); }

    [[nodiscard]] QVariant value(const QString &name) const { return m_values.value(name); }
    [[nodiscard]] static QString toStored(const QVariant &value);
    [[nodiscard]] QJsonObject toJson() const;
    // Only the settings that differ from their defaults (what gets exported/stored).
    [[nodiscard]] QHash<QString, QVariant> overrides() const;

private:
    QHash<QString, QVariant> m_values;
};

} // namespace authrealm
