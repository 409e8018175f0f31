#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace authrealm {

class Database;

// Second-factor rows: one TOTP credential per user (pending until a code
// proves it), its hashed backup codes, and the short-lived challenges of
// two-step sign-ins. Every "use once" rule is a guarded UPDATE, so parallel
// requests cannot both win.
class MfaStore
{
public:
    explicit MfaStore(const Database &db) : m_db(db) {}

    struct TotpCredential
    {
        QString userId;
        QString realmId;
        QByteArray sealedSecret; // SecretBox output
        qint64 createdAt = 0;
        qint64 confirmedAt = 0;  // 0 while pending
        qint64 lastUsedStep = -1;
        [[nodiscard]] bool active() const { return confirmedAt != 0; }
    };
    [[nodiscard]] std::optional<TotpCredential> totp(const QString &userId) const;
    // Replaces a pending credential (never an active one: returns false then).
    [[nodiscard]] bool savePending(const QString &realmId, const QString &userId, const QByteArray &sealedSecret, qint64 now) const;
    // Activates a pending credential with the step of the code that proved it.
    [[nodiscard]] bool activate(const QString &userId, qint64 step, qint64 now) const;
    // Records that a code of `step` was used; false if that step (or a later one) was used already.
    [[nodiscard]] bool claimStep(const QString &userId, qint64 step) const;
    // Removes the credential and the backup codes; returns whether there was an active one.
    [[nodiscard]] bool remove(const QString &userId) const;

    void replaceBackupCodes(const QString &userId, const QStringList &codeHashes, qint64 now) const;
    [[nodiscard]] bool useBackupCode(const QString &userId, const QString &codeHash, qint64 now) const;
    [[nodiscard]] int unusedBackupCodes(const QString &userId) const;

    struct Challenge
    {
        QString realmId;
        QString userId;
        QString appId;
        QStringList amr; // the first factor(s) already proven
        qint64 expiresAt = 0;
    };
    void createChallenge(const QString &idHash, const Challenge &challenge, qint64 now) const;
    // Charges one code attempt to a live challenge (unexpired, unused, fewer than
    // maxAttempts charged). nullopt if the challenge is not live.
    [[nodiscard]] std::optional<Challenge> chargeChallenge(const QString &idHash, int maxAttempts, qint64 now) const;
    // Marks it used (and gives the charge back); false if another request used it first.
    [[nodiscard]] bool consumeChallenge(const QString &idHash, qint64 now) const;
    [[nodiscard]] int challengeFailures(const QString &idHash) const;

private:
    const Database &m_db;
};

} // namespace authrealm
