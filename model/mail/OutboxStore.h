#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace authrealm {

class Database;
class SecretBox;

// One account email in the outbox.
struct OutboxMail
{
    qint64 id = 0;
    QString realmId;
    QString userId;
    QString kind;       // template kind, e.g. "reset_password"
    QString recipient;
    QString subject;    // never holds a secret (templates refuse {{token}}/{{code}} there)
    QString body;       // decrypted; empty in listings
    QString state;      // pending | sent | failed | stored
    int attempts = 0;
    qint64 nextAttemptAt = 0;
    QString lastError;  // transport error text, never credentials or the body
    qint64 createdAt = 0;
    qint64 sentAt = 0;
};

// The persistent outbox: every account email is written here first, in the
// caller's transaction (with the token it carries), and delivered later by
// MailDelivery. Bodies are sealed with the key-encryption key, because they
// carry reset links and sign-in codes; they are opened only to send or show.
// Realms without SMTP keep their mails here in state "stored" for a desktop
// user to read (authrealmd outbox list/show, the console).
class OutboxStore
{
public:
    OutboxStore(const Database &db, const SecretBox &kek) : m_db(db), m_kek(kek) {}

    static inline const QString kPending = QStringLiteral("pending");
    static inline const QString kSent = QStringLiteral("sent");
    static inline const QString kFailed = QStringLiteral("failed");
    static inline const QString kStored = QStringLiteral("stored");
    static constexpr int kMaxAttempts = 8;

    // deliver: pending (an SMTP server is configured) or stored. Returns the id.
    qint64 enqueue(const OutboxMail &mail, bool deliver, qint64 now) const;

    // Newest first; realmId empty = every realm; state empty = every state. Bodies are not opened.
    // beforeId > 0: only mails older than that id (keyset paging, the console's outbox view).
    [[nodiscard]] QList<OutboxMail> list(const QString &realmId, const QString &state, int limit, qint64 beforeId = 0) const;
    // With the body opened. nullopt for an unknown id (or one of another realm when realmId is given).
    [[nodiscard]] std::optional<OutboxMail> mail(qint64 id, const QString &realmId = {}) const;

    // Pending mails due at `now`, leased for leaseMs so a second server process
    // does not send them too. Bodies opened.
    [[nodiscard]] QList<OutboxMail> claimDue(qint64 now, qint64 leaseMs, int limit) const;
    void markSent(qint64 id, qint64 now) const;
    // Records a failed attempt: back to pending at retryAt, or failed after kMaxAttempts.
    void markAttemptFailed(qint64 id, int attempts, const QString &error, qint64 retryAt) const;

    // Removes a row (Mailer::rehearse); the caller's transaction makes it never visible.
    void discard(qint64 id) const;

    // Exponential back-off: 30 s, 1 min, 2 min, ... capped at one hour.
    [[nodiscard]] static qint64 retryDelayMs(int attemptsSoFar);

private:
    [[nodiscard]] QString seal(const OutboxMail &mail) const;
    [[nodiscard]] QString open(const OutboxMail &mail, const QString &sealed) const;
    const Database &m_db;
    const SecretBox &m_kek;
};

} // namespace authrealm
