#include "domain/RealmSettings.h"

#include "core/DomainError.h"
#include "domain/Entities.h"

#include <QUrl>

namespace authrealm {

namespace {
// Links in emails are built from this: an absolute http(s) URL and nothing a
// template could be tricked with (no userinfo, query, fragment or whitespace).
bool isLinkBase(const QString &text)
{
    if (text.isEmpty())
        return true;
    if (text.size() > 512 || text.contains(u' ') || text.contains(u'\r') || text.contains(u'\n'))
        return false;
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"https" || url.scheme() == u"http") && !url.host().isEmpty()
            && url.userInfo().isEmpty() && !url.hasQuery() && !url.hasFragment();
}
} // namespace

const QList<SettingDefinition> &RealmSettings::definitions()
{
    static const QList<SettingDefinition> defs = {
        {QStringLiteral("signingAlgorithm"), QMetaType::QString, QStringLiteral("ES256"), {}, 0, 0,
         {QStringLiteral("ES256"), QStringLiteral("RS256"), QStringLiteral("EdDSA")},
         QStringLiteral("Algorithm of the realm's access-token signing key")},
        {QStringLiteral("accessTokenLifetime"), QMetaType::Int, 900, QStringLiteral("s"), 60, 86400, {},
         QStringLiteral("How long an access token is accepted")},
        {QStringLiteral("refreshTokenLifetime"), QMetaType::Int, 1209600, QStringLiteral("s"), 300, 31536000, {},
         QStringLiteral("How long one refresh token is valid (every refresh issues a new one); apps may shorten it")},
        {QStringLiteral("refreshIdleTimeout"), QMetaType::Int, 1209600, QStringLiteral("s"), 300, 31536000, {},
         QStringLiteral("A session not refreshed for this long ends: the next refresh fails like an expired token")},
        {QStringLiteral("sessionMaxLifetime"), QMetaType::Int, 2592000, QStringLiteral("s"), 300, 31536000, {},
         QStringLiteral("Absolute lifetime of a sign-in session, however often it is refreshed")},
        {QStringLiteral("registrationEnabled"), QMetaType::Bool, false, {}, 0, 0, {},
         QStringLiteral("Whether people may create their own account")},
        {QStringLiteral("registrationDefaultApp"), QMetaType::QString, QString(), {}, 0, 0, {},
         QStringLiteral("App (tenantId) that self-registered users join with the \"member\" role; empty: they join none "
                        "until an administrator adds them")},
        {QStringLiteral("forgotPasswordEnabled"), QMetaType::Bool, true, {}, 0, 0, {},
         QStringLiteral("Whether the forgot-password flow is offered")},
        {QStringLiteral("publicUrl"), QMetaType::QString, QString(), {}, 0, 0, {},
         QStringLiteral("Base URL of the links in account emails (verification, password reset); empty: the server's public URL "
                        "+ /realms/{realm}/authRealm. Links are never built from request headers")},
        {QStringLiteral("defaultLanguage"), QMetaType::QString, QStringLiteral("en"), {}, 0, 0,
         {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")},
         QStringLiteral("Language of account emails for users without a locale of their own")},
        {QStringLiteral("passwordMinLength"), QMetaType::Int, 8, QStringLiteral("chars"), 8, 128, {},
         QStringLiteral("Shortest password accepted (no composition rules; common passwords are always refused)")},
        {QStringLiteral("passwordMinStrength"), QMetaType::Int, 0, {}, 0, 4, {},
         QStringLiteral("Lowest zxcvbn strength score (0-4) a new password needs; 0 turns the check off")},
        {QStringLiteral("emailVerificationLifetime"), QMetaType::Int, 3600, QStringLiteral("s"), 300, 604800, {},
         QStringLiteral("How long an email-verification link stays valid")},
        {QStringLiteral("passwordResetLifetime"), QMetaType::Int, 3600, QStringLiteral("s"), 300, 86400, {},
         QStringLiteral("How long a password-reset link stays valid")},
        {QStringLiteral("passwordResetLimitPerAccount"), QMetaType::Int, 5, QStringLiteral("per hour"), 1, 1000, {},
         QStringLiteral("Reset emails sent for one email address per hour; more requests get the same answer but no email")},
        {QStringLiteral("passwordResetLimitPerAddress"), QMetaType::Int, 20, QStringLiteral("per hour"), 1, 100000, {},
         QStringLiteral("Reset requests handled per client IP address per hour; more get the same answer but no email")},
        {QStringLiteral("emailCodeLoginEnabled"), QMetaType::Bool, false, {}, 0, 0, {},
         QStringLiteral("Whether users may sign in with a one-time code sent by email")},
        {QStringLiteral("emailCodeLifetime"), QMetaType::Int, 600, QStringLiteral("s"), 60, 600, {},
         QStringLiteral("How long an emailed sign-in code stays valid (at most 10 minutes)")},
        {QStringLiteral("emailCodeResendInterval"), QMetaType::Int, 60, QStringLiteral("s"), 0, 3600, {},
         QStringLiteral("Shortest time between two sign-in codes sent to one account")},
        {QStringLiteral("emailCodeLimitPerHour"), QMetaType::Int, 5, QStringLiteral("per hour"), 1, 100, {},
         QStringLiteral("Sign-in codes sent to one account per hour")},
        {QStringLiteral("keepSessionOnPasswordChange"), QMetaType::Bool, true, {}, 0, 0, {},
         QStringLiteral("Whether changing the password keeps the session that changed it (every other session ends)")},
        {QStringLiteral("lockoutThreshold"), QMetaType::Int, 10, {}, 1, 1000, {},
         QStringLiteral("Failed sign-in attempts on one account (known or not) before it is locked for a while")},
        {QStringLiteral("lockoutBaseSeconds"), QMetaType::Int, 60, QStringLiteral("s"), 1, 86400, {},
         QStringLiteral("First lockout duration; each further failure after a lockout doubles it")},
        {QStringLiteral("lockoutMaxSeconds"), QMetaType::Int, 3600, QStringLiteral("s"), 1, 604800, {},
         QStringLiteral("Longest lockout, however many failures")},
        {QStringLiteral("lockoutResetSeconds"), QMetaType::Int, 43200, QStringLiteral("s"), 60, 2592000, {},
         QStringLiteral("An account's failure count is forgotten after this long without failures")},
        {QStringLiteral("sourceFailureLimit"), QMetaType::Int, 200, {}, 1, 1000000, {},
         QStringLiteral("Failed sign-in attempts from one client address per window before that address is refused (kept high: "
                        "an office shares one address)")},
        {QStringLiteral("sourceWindowSeconds"), QMetaType::Int, 900, QStringLiteral("s"), 60, 86400, {},
         QStringLiteral("Window of the per-address failure limit")},
        {QStringLiteral("auditRetentionDays"), QMetaType::Int, 0, QStringLiteral("d"), 0, 36500, {},
         QStringLiteral("Audit events older than this many days are deleted (hourly by the server, or with 'authrealmd audit prune'); "
                        "0 keeps them forever")},
    };
    return defs;
}

const SettingDefinition *RealmSettings::find(const QString &name)
{
    for (const SettingDefinition &def : definitions()) {
        if (def.name == name)
            return &def;
    }
    return nullptr;
}

RealmSettings::RealmSettings()
{
    for (const SettingDefinition &def : definitions())
        m_values.insert(def.name, def.defaultValue);
}

void RealmSettings::set(const QString &name, const QVariant &value)
{
    const SettingDefinition *def = find(name);
    if (!def)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Unknown realm setting \"%1\"").arg(name.left(64)));
    switch (def->type) {
    case QMetaType::Int: {
        // JSON numbers arrive as doubles; accept only whole numbers in range.
        bool ok = false;
        const double asDouble = value.toDouble(&ok);
        const bool numeric = value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Int
                || value.typeId() == QMetaType::LongLong;
        if (!numeric || !ok || asDouble != qint64(asDouble) || asDouble < def->minimum || asDouble > def->maximum)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Setting \"%1\" must be a whole number from %2 to %3%4")
                                                              .arg(name).arg(def->minimum).arg(def->maximum)
                                                              .arg(def->unit.isEmpty() ? QString() : u' ' + def->unit));
        m_values.insert(name, qint64(asDouble));
        return;
    }
    case QMetaType::Bool:
        if (value.typeId() != QMetaType::Bool)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Setting \"%1\" must be true or false").arg(name));
        m_values.insert(name, value.toBool());
        return;
    default:
        if (name == u"publicUrl") {
            if (value.typeId() != QMetaType::QString || !isLinkBase(value.toString()))
                throw DomainError(ErrorCode::InvalidRequest,
                                  QStringLiteral("Setting \"publicUrl\" must be empty or an absolute http(s) URL without query or fragment"));
            QString url = value.toString();
            while (url.endsWith(u'/'))
                url.chop(1);
            m_values.insert(name, url);
            return;
        }
        if (name == u"registrationDefaultApp" && value.typeId() == QMetaType::QString && !value.toString().isEmpty()
            && !Validate::identifier(value.toString()))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Setting \"registrationDefaultApp\" must be empty or an app id"));
        if (value.typeId() != QMetaType::QString || (!def->allowed.isEmpty() && !def->allowed.contains(value.toString())))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Setting \"%1\" must be one of: %2").arg(name, def->allowed.join(u", ")));
        m_values.insert(name, value.toString());
        return;
    }
}

void RealmSettings::setStored(const QString &name, const QString &text)
{
    const SettingDefinition *def = find(name);
    if (!def)
        return;
    switch (def->type) {
    case QMetaType::Int:
        m_values.insert(name, text.toLongLong());
        break;
    case QMetaType::Bool:
        m_values.insert(name, text == u"true");
        break;
    default:
        m_values.insert(name, text);
    }
}

QString RealmSettings::toStored(const QVariant &value)
{
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return value.toString();
}

QJsonObject RealmSettings::toJson() const
{
    QJsonObject out;
    for (const SettingDefinition &def : definitions())
        out.insert(def.name, QJsonValue::fromVariant(m_values.value(def.name)));
    return out;
}

QHash<QString, QVariant> RealmSettings::overrides() const
{
    QHash<QString, QVariant> out;
    for (const SettingDefinition &def : definitions()) {
        const QVariant v = m_values.value(def.name);
        if (toStored(v) != toStored(def.defaultValue))
            out.insert(def.name, v);
    }
    return out;
}

} // namespace authrealm
