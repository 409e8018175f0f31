#pragma once

#include <QString>

namespace authrealm {

// The length rules every new password meets (ASVS 2.1): at least the realm's
// minimum, at most a bound that keeps hashing cheap enough to not be a DoS
// lever, no composition rules. Throws DomainError(WeakPassword).
struct PasswordPolicy
{
    int minimumLength = 8;
    static constexpr int kMaximumLength = 1024;
    void check(const QString &password) const;
};

} // namespace authrealm
