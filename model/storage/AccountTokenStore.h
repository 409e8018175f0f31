#pragma once

#include <QString>
#include <optional>

namespace authrealm {

class Database;

// Single-use secrets mailed to users: email-verification and password-reset
// tokens (256 random bits) and sign-in codes (6 digits). Only their keyed
// hash (TokenHasher) is stored.
class AccountTokenStore
{
public:
    explicit AccountTokenStore(const Database &db) : m_db(db) {}

    static inline const QString kVerifyEmail = QStringLiteral("verify_email");
    static inline const QString kResetPassword = QStringLiteral("reset_password");
    static inline const QString kEmailCode = QStringLiteral("email_code");

    // Issues a new one and invalidates every older unused one of the same
    // user and purpose (a new request makes earlier links useless).
    void issue(const QString &realmId, const QString &userId, const QString &purpose, const QString &tokenHash, qint64 now,
               qint64 expiresAt) const;

    // What issue() costs, for an address without an account (no row can match
    // the empty user id): keeps the answer time alike for known and unknown emails.
    void rehearseIssue(const QString &purpose, qint64 now) const;

    // Link tokens: the user whose live token of that purpose has this hash,
    // now consumed (atomic: of two concurrent uses, one wins).
    [[nodiscard]] std::optional<QString> consume(const QString &realmId, const QString &purpose, const QString &tokenHash, qint64 now) const;

    struct Code
    {
        QString id;
        QString tokenHash;
        int failedAttempts = 0;
    };
    // The user's one live code (unused, unexpired, fewer than maxAttempts failures).
    [[nodiscard]] std::optional<Code> liveCode(const QString &userId, qint64 now, int maxAttempts) const;
    // Consumes the code; false if a concurrent request already did.
    [[nodiscard]] bool consumeCode(const QString &codeId, qint64 now) const;
    void recordFailedAttempt(const QString &codeId) const;

    // How many tokens of that purpose the user was sent since `since`, and the newest one's time.
    struct Sent
    {
        int count = 0;
        qint64 newest = 0;
    };
    [[nodiscard]] Sent sentSince(const QString &userId, const QString &purpose, qint64 since) const;

private:
    const Database &m_db;
};

} // namespace authrealm
