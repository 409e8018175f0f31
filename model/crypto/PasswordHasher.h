#pragma once

#include "crypto/PasswordHashing.h"

#include <QByteArray>
#include <QString>

#include <atomic>

namespace authrealm {

// OWASP Password Storage Cheat Sheet baseline for Argon2id: m=19 MiB, t=2, p=1.
// libsodium always uses p=1, so parallelism is not configurable.
struct Argon2Params
{
    quint32 memoryKiB = 19456;
    quint32 iterations = 2;
};

// Stateless apart from the dummy hash and a counter, so one instance can be
// shared by all request threads.
class PasswordHasher final : public PasswordHashing
{
public:
    // Throws std::invalid_argument if params are outside the bounds accepted by
    // isArgon2idPhc() (so every hash we produce is also one we accept), and
    // std::runtime_error if the dummy hash cannot be computed (out of memory).
    explicit PasswordHasher(Argon2Params params = {});

    Argon2Params params() const;

    // PHC string "$argon2id$v=19$m=...,t=...,p=1$salt$hash". The password is
    // hashed as UTF-8 in full (no 72-byte bcrypt-style truncation).
    // Throws std::runtime_error only if Argon2 cannot allocate its memory.
    [[nodiscard]] QString hash(const QString &password) const override;

    // False for a wrong password and for anything that is not a well-formed
    // Argon2id PHC string (legacy bcrypt/argon2i rows must be migrated
    // explicitly, never silently accepted). Never throws.
    [[nodiscard]] bool verify(const QString &phcString, const QString &password) const override;

    // True when the stored hash was made with different parameters (or is not
    // Argon2id at all), so the caller re-hashes after a successful login.
    [[nodiscard]] bool needsRehash(const QString &phcString) const override;

    // Burns the same time as verify() with a real hash of this hasher's cost.
    // Call it for unknown accounts so that response time does not reveal which
    // e-mail addresses are registered.
    void verifyDummy(const QString &password) const override;

    // How many Argon2id verifications this hasher has run (verify() of a
    // well-formed hash and verifyDummy() both count): what the equal-work
    // tests assert, since timing alone cannot be asserted reliably.
    [[nodiscard]] quint64 argon2Verifications() const { return m_verifications.load(std::memory_order_relaxed); }
    // The stand-in hash verifyDummy() checks against; made with params().
    [[nodiscard]] QString dummyHash() const { return QString::fromLatin1(m_dummyHash); }

    // Syntactic check only; bounds keep attacker-supplied strings from asking
    // for absurd memory/time (m 8..4194304 KiB, t 1..100, p must be 1).
    [[nodiscard]] static bool isArgon2idPhc(const QString &s);

private:
    // The one place that runs crypto_pwhash_str_verify, for real and dummy checks alike.
    [[nodiscard]] bool argon2Verify(const char *phc, const QString &password) const;

    Argon2Params m_params;
    QByteArray m_dummyHash;
    mutable std::atomic<quint64> m_verifications{0};
};

} // namespace authrealm
