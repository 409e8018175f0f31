#pragma once

#include <QByteArray>
#include <QString>

namespace authrealm {

// OWASP Password Storage Cheat Sheet baseline for Argon2id: m=19 MiB, t=2, p=1.
// libsodium always uses p=1, so parallelism is not configurable.
struct Argon2Params
{
    quint32 memoryKiB = 19456;
    quint32 iterations = 2;
};

// Stateless apart from the dummy hash, so one instance can be shared by all
// request threads.
class PasswordHasher
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
    [[nodiscard]] QString hash(const QString &password) const;

    // False for a wrong password and for anything that is not a well-formed
    // Argon2id PHC string (legacy bcrypt/argon2i rows must be migrated
    // explicitly, never silently accepted). Never throws.
    [[nodiscard]] bool verify(const QString &phcString, const QString &password) const;

    // True when the stored hash was made with different parameters (or is not
    // Argon2id at all), so the caller re-hashes after a successful login.
    [[nodiscard]] bool needsRehash(const QString &phcString) const;

    // Burns the same time as verify() with a real hash of this hasher's cost.
    // Call it for unknown accounts so that response time does not reveal which
    // e-mail addresses are registered.
    void verifyDummy(const QString &password) const;

    // Syntactic check only; bounds keep attacker-supplied strings from asking
    // for absurd memory/time (m 8..4194304 KiB, t 1..100, p must be 1).
    [[nodiscard]] static bool isArgon2idPhc(const QString &s);

private:
    Argon2Params m_params;
    QByteArray m_dummyHash;
};

} // namespace authrealm
