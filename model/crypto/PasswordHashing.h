#pragma once

#include <QString>

namespace authrealm {

// What the services need from a password hasher. The services hold this
// interface, not the Argon2id class, so a test can put a counting decorator
// in front of the real hasher and assert the work each path does (e.g. one
// full verification for an unknown email, as for a wrong password).
class PasswordHashing
{
public:
    virtual ~PasswordHashing() = default;

    [[nodiscard]] virtual QString hash(const QString &password) const = 0;
    [[nodiscard]] virtual bool verify(const QString &phcString, const QString &password) const = 0;
    [[nodiscard]] virtual bool needsRehash(const QString &phcString) const = 0;
    // The equal-cost stand-in for verify() on paths without a stored hash
    // (unknown account, code-only account): one full verification, result unused.
    virtual void verifyDummy(const QString &password) const = 0;

protected:
    PasswordHashing() = default;
    PasswordHashing(const PasswordHashing &) = default;
    PasswordHashing &operator=(const PasswordHashing &) = default;
};

} // namespace authrealm
