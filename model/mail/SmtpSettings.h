#pragma once

#include <QString>
#include <optional>

namespace authrealm {

class Database;
class SecretBox;

// How a realm's account emails leave the server. The password is sealed with
// the key-encryption key at rest and never leaves the model in a listing.
struct SmtpSettings
{
    enum class Security { None, StartTls, Tls };
    QString host;
    int port = 587;
    Security security = Security::StartTls;
    QString username;
    QString password;     // plaintext only in memory, for sending
    QString fromAddress;
    QString fromName;
    qint64 updatedAt = 0;

    [[nodiscard]] static QString securityName(Security security);
    [[nodiscard]] static std::optional<Security> securityFromName(const QString &name);
};

class SmtpSettingsStore
{
public:
    SmtpSettingsStore(const Database &db, const SecretBox &kek) : m_db(db), m_kek(kek) {}

    // nullopt: the realm has no SMTP server (mails stay in the outbox as "stored").
    [[nodiscard]] std::optional<SmtpSettings> settings(const QString &realmId) const;
    [[nodiscard]] bool configured(const QString &realmId) const;
    // Validates (DomainError InvalidRequest naming the field). An empty password
    // with keepPassword keeps the stored one.
    void save(const QString &realmId, SmtpSettings settings, bool keepPassword) const;
    bool remove(const QString &realmId) const;

    // Host names and addresses only: no scheme, path, spaces or control characters.
    [[nodiscard]] static bool validHost(const QString &host);

private:
    const Database &m_db;
    const SecretBox &m_kek;
};

} // namespace authrealm
