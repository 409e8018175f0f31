#pragma once

#include "crypto/PasswordHasher.h"

#include <atomic>

namespace authrealm::test {

// A decorator in front of a real Argon2id hasher that counts what the
// services ask of it. Injected through CoreOptions::passwordHashing, it lets a
// test assert that two paths do the same work (one full verification for an
// unknown email as for a wrong password) instead of printing their timing.
class CountingPasswordHasher final : public PasswordHashing
{
public:
    explicit CountingPasswordHasher(Argon2Params params = {1024, 1}) : m_inner(params) {}

    struct Counts
    {
        int hashes = 0;
        int verifies = 0;
        int dummies = 0;
        // Argon2id verifications the real hasher actually ran (verify of a
        // well-formed hash, and verifyDummy): a no-op verifyDummy shows here.
        quint64 argon2 = 0;
        int fullVerifications() const { return verifies + dummies; }
    };
    [[nodiscard]] Counts counts() const
    {
        return Counts{m_hashes.load(), m_verifies.load(), m_dummies.load(), m_inner.argon2Verifications()};
    }
    // What happened since `before`.
    [[nodiscard]] Counts since(const Counts &before) const
    {
        const Counts now = counts();
        return Counts{now.hashes - before.hashes, now.verifies - before.verifies, now.dummies - before.dummies,
                      now.argon2 - before.argon2};
    }

    QString hash(const QString &password) const override
    {
        ++m_hashes;
        return m_inner.hash(password);
    }
    bool verify(const QString &phcString, const QString &password) const override
    {
        ++m_verifies;
        return m_inner.verify(phcString, password);
    }
    bool needsRehash(const QString &phcString) const override { return m_inner.needsRehash(phcString); }
    void verifyDummy(const QString &password) const override
    {
        ++m_dummies;
        m_inner.verifyDummy(password);
    }

private:
    PasswordHasher m_inner;
    mutable std::atomic<int> m_hashes{0};
    mutable std::atomic<int> m_verifies{0};
    mutable std::atomic<int> m_dummies{0};
};

} // namespace authrealm::test
