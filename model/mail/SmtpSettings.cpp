#include "mail/SmtpSettings.h"

#include "core/DomainError.h"
#include "crypto/SecretBox.h"
#include "domain/Entities.h"
#include "storage/Sql.h"


namespace authrealm {

namespace {
QByteArray associatedData(const QString &realmId)
{
    return "smtp-password:" + realmId.toUtf8();
}
} // namespace

QString SmtpSettings::securityName(Security security)
{
    switch (security) {
    case Security::None: return QStringLiteral("none");
    case Security::StartTls: return QStringLiteral("starttls");
    case Security::Tls: return QStringLiteral("tls");
    }
    return QStringLiteral("starttls");
}

std::optional<SmtpSettings::Security> SmtpSettings::securityFromName(const QString &name)
{
    if (name == u"none")
        return Security::None;
    if (name == u"starttls")
        return Security::StartTls;
    if (name == u"tls")
        return Security::Tls;
    return std::nullopt;
}

bool SmtpSettingsStore::validHost(const QString &host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    // A name, an IPv4 address, or an IPv6 literal (hex digits, ':' and '.').
    const bool ipv6 = host.contains(u':');
    for (const QChar c : host) {
        const char16_t u = c.unicode();
        const bool hex = (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
        const bool ok = ipv6 ? (hex || u == u':' || u == u'.')
                             : ((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'.');
        if (!ok)
            return false;
    }
    return !host.startsWith(u'.') && !host.startsWith(u'-');
}

std::optional<SmtpSettings> SmtpSettingsStore::settings(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT host, port, security, username, password_sealed, from_address, from_name, updated_at "
                                    "FROM smtp_settings WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    if (!q.next())
        return std::nullopt;
    SmtpSettings s;
    s.host = q.value(0).toString();
    s.port = q.value(1).toInt();
    s.security = SmtpSettings::securityFromName(q.value(2).toString()).value_or(SmtpSettings::Security::StartTls);
    s.username = q.value(3).toString();
    const QByteArray sealed = QByteArray::fromBase64(q.value(4).toString().toLatin1());
    if (!sealed.isEmpty()) {
        const std::optional<QByteArray> plain = m_kek.open(sealed, associatedData(realmId));
        if (!plain)
            throw DomainError(ErrorCode::Internal, QStringLiteral("The stored SMTP password cannot be decrypted with this key-encryption key"));
        s.password = QString::fromUtf8(*plain);
    }
    s.fromAddress = q.value(5).toString();
    s.fromName = q.value(6).toString();
    s.updatedAt = q.value(7).toLongLong();
    return s;
}

bool SmtpSettingsStore::configured(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT 1 FROM smtp_settings WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    return q.next();
}

void SmtpSettingsStore::save(const QString &realmId, SmtpSettings s, bool keepPassword) const
{
    if (!validHost(s.host))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"host\" must be a host name or IP address (no scheme or port)"));
    if (s.port < 1 || s.port > 65535)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"port\" must be from 1 to 65535"));
    if (!Validate::email(s.fromAddress))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"fromAddress\" must be an email address"));
    for (const QString *field : {&s.username, &s.fromName, &s.password}) {
        if (field->contains(u'\r') || field->contains(u'\n') || field->size() > 256)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("\"username\", \"password\" and \"fromName\" must be one line of at most 256 characters"));
    }
    Transaction tx(m_db);
    if (keepPassword && s.password.isEmpty()) {
        if (const auto existing = settings(realmId))
            s.password = existing->password;
    }
    const QString sealed = s.password.isEmpty() ? QString()
                                                : QString::fromLatin1(m_kek.seal(s.password.toUtf8(), associatedData(realmId)).toBase64());
    SqlQuery(m_db, QStringLiteral("DELETE FROM smtp_settings WHERE realm_id = :r")).bind(QStringLiteral(":r"), realmId).exec();
    SqlQuery(m_db, QStringLiteral("INSERT INTO smtp_settings (realm_id, host, port, security, username, password_sealed, from_address, "
                                  "from_name, updated_at) VALUES (:r, :h, :p, :s, :u, :pw, :fa, :fn, :at)"))
        .bind(QStringLiteral(":r"), realmId)
        .bind(QStringLiteral(":h"), s.host)
        .bind(QStringLiteral(":p"), s.port)
        .bind(QStringLiteral(":s"), SmtpSettings::securityName(s.security))
        .bind(QStringLiteral(":u"), s.username)
        .bind(QStringLiteral(":pw"), sealed)
        .bind(QStringLiteral(":fa"), s.fromAddress)
        .bind(QStringLiteral(":fn"), s.fromName)
        .bind(QStringLiteral(":at"), s.updatedAt)
        .exec();
    tx.commit();
}

bool SmtpSettingsStore::remove(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("DELETE FROM smtp_settings WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    return q.rowsAffected() > 0;
}

} // namespace authrealm
