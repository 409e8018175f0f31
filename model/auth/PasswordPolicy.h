#pragma once

#include <QString>
#include <QStringList>

namespace authrealm {

class RealmSettings;

// The rules every new password meets (ASVS 2.1 / NIST 800-63B): at least the
// realm's minimum length, at most a bound that keeps hashing from being a DoS
// lever, no composition rules, not one of the 10,000 most common passwords
// (case-insensitive), and optionally a minimum zxcvbn strength score.
// check() throws DomainError(WeakPassword) with a message naming the rule.
struct PasswordPolicy
{
    int minimumLength = 8;
    int minimumStrength = 0; // zxcvbn score 0-4; 0 = no strength check
    static constexpr int kMaximumLength = 1024;

    [[nodiscard]] static PasswordPolicy forRealm(const RealmSettings &settings);

    // userInputs (email, display name) count as known words for the strength estimate.
    void check(const QString &password, const QStringList &userInputs = {}) const;

    [[nodiscard]] static bool isCommon(const QString &password);
    // zxcvbn's 0-4 score, from the C library's entropy estimate in bits.
    [[nodiscard]] static int strengthScore(const QString &password, const QStringList &userInputs = {});
};

} // namespace authrealm
