#include "crypto/PasswordHasher.h"

#include "crypto/Random.h"
#include "crypto/Sodium.h"

#include <QList>
#include <QStringView>

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace authrealm {

namespace {

constexpr quint64 kMinMemoryKiB = 8;
constexpr quint64 kMaxMemoryKiB = 4194304;
constexpr quint64 kMinIterations = 1;
constexpr quint64 kMaxIterations = 100;

// Argon2 needs at least 8 salt bytes and 4 output bytes; the upper bounds only
// keep the string within crypto_pwhash_STRBYTES.
constexpr qsizetype kMinSaltChars = 11;
constexpr qsizetype kMinHashChars = 6;

bool isPhcBase64(QStringView s)
{
    for (const QChar c : s) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')
            || u == u'+' || u == u'/';
        if (!ok)
            return false;
    }
    return s.size() % 4 != 1;
}

// Canonical decimal only (no sign, no leading zeros), so one set of parameters
// has exactly one spelling.
bool parseDecimal(QStringView s, quint64 min, quint64 max, quint64 *out)
{
    if (s.isEmpty() || s.size() > 10 || (s.size() > 1 && s.front() == u'0'))
        return false;
    quint64 value = 0;
    for (const QChar c : s) {
        if (c.unicode() < u'0' || c.unicode() > u'9')
            return false;
        value = value * 10 + (c.unicode() - u'0');
    }
    if (value < min || value > max)
        return false;
    *out = value;
    return true;
}

bool parseKeyValue(QStringView s, QStringView key, quint64 min, quint64 max, quint64 *out)
{
    if (!s.startsWith(key) || s.size() <= key.size() || s.at(key.size()) != u'=')
        return false;
    return parseDecimal(s.mid(key.size() + 1), min, max, out);
}

// libsodium wants a NUL-terminated string in a crypto_pwhash_STRBYTES buffer.
bool toPwhashBuffer(const QString &phc, char (&buffer)[crypto_pwhash_STRBYTES])
{
    if (!PasswordHasher::isArgon2idPhc(phc))
        return false;
    const QByteArray latin = phc.toLatin1();
    if (static_cast<size_t>(latin.size()) >= crypto_pwhash_STRBYTES)
        return false;
    std::memset(buffer, 0, sizeof buffer);
    std::memcpy(buffer, latin.constData(), static_cast<size_t>(latin.size()));
    return true;
}

class Utf8Secret
{
public:
    explicit Utf8Secret(const QString &s) : m_bytes(s.toUtf8()) {}
    ~Utf8Secret() { sodium_memzero(m_bytes.data(), static_cast<size_t>(m_bytes.size())); }
    Utf8Secret(const Utf8Secret &) = delete;
    Utf8Secret &operator=(const Utf8Secret &) = delete;
    const char *data() const { return m_bytes.constData(); }
    unsigned long long size() const { return static_cast<unsigned long long>(m_bytes.size()); }

private:
    QByteArray m_bytes;
};

} // namespace

PasswordHasher::PasswordHasher(Argon2Params params)
    : m_params(params)
{
    if (params.memoryKiB < kMinMemoryKiB || params.memoryKiB > kMaxMemoryKiB)
        throw std::invalid_argument("PasswordHasher: memoryKiB out of range 8..4194304");
    if (params.iterations < kMinIterations || params.iterations > kMaxIterations)
        throw std::invalid_argument("PasswordHasher: iterations out of range 1..100");
    ensureSodium();
    m_dummyHash = hash(randomToken(24)).toLatin1();
}

Argon2Params PasswordHasher::params() const
{
    return m_params;
}

QString PasswordHasher::hash(const QString &password) const
{
    const Utf8Secret pw(password);
    char out[crypto_pwhash_STRBYTES] = {};
    if (crypto_pwhash_str_alg(out, pw.data(), pw.size(), m_params.iterations,
                              static_cast<size_t>(m_params.memoryKiB) * 1024U,
                              crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        throw std::runtime_error("PasswordHasher: Argon2id hashing failed (out of memory?)");
    }
    return QString::fromLatin1(out);
}

bool PasswordHasher::verify(const QString &phcString, const QString &password) const
{
    try {
        char buffer[crypto_pwhash_STRBYTES];
        if (!toPwhashBuffer(phcString, buffer))
            return false;
        return argon2Verify(buffer, password);
    } catch (...) {
        // Allocation failure while converting: a login failure, not a crash.
        return false;
    }
}

bool PasswordHasher::needsRehash(const QString &phcString) const
{
    char buffer[crypto_pwhash_STRBYTES];
    if (!toPwhashBuffer(phcString, buffer))
        return true;
    // 1 = different parameters, -1 = not parseable for this algorithm.
    return crypto_pwhash_str_needs_rehash(buffer, m_params.iterations,
                                          static_cast<size_t>(m_params.memoryKiB) * 1024U)
        != 0;
}

bool PasswordHasher::argon2Verify(const char *phc, const QString &password) const
{
    m_verifications.fetch_add(1, std::memory_order_relaxed);
    const Utf8Secret pw(password);
    return crypto_pwhash_str_verify(phc, pw.data(), pw.size()) == 0;
}

void PasswordHasher::verifyDummy(const QString &password) const
{
    try {
        // The result is meaningless; storing it in a volatile keeps the call
        // (and so the full Argon2 cost) from being optimised away.
        volatile bool sink = argon2Verify(m_dummyHash.constData(), password);
        (void)sink;
    } catch (...) {
        // Allocation failure converting the password: as in verify(), no crash.
    }
}

bool PasswordHasher::isArgon2idPhc(const QString &s)
{
    if (s.size() >= static_cast<qsizetype>(crypto_pwhash_STRBYTES))
        return false;
    const QStringView view(s);
    const QStringView prefix = u"$argon2id$v=19$";
    if (!view.startsWith(prefix))
        return false;

    const auto sections = view.mid(prefix.size()).split(u'$');
    if (sections.size() != 3)
        return false;

    const auto params = sections.at(0).split(u',');
    if (params.size() != 3)
        return false;
    quint64 m = 0;
    quint64 t = 0;
    quint64 p = 0;
    if (!parseKeyValue(params.at(0), u"m", kMinMemoryKiB, kMaxMemoryKiB, &m)
        || !parseKeyValue(params.at(1), u"t", kMinIterations, kMaxIterations, &t)
        || !parseKeyValue(params.at(2), u"p", 1, 1, &p)) {
        return false;
    }

    const QStringView salt = sections.at(1);
    const QStringView digest = sections.at(2);
    return salt.size() >= kMinSaltChars && digest.size() >= kMinHashChars && isPhcBase64(salt)
        && isPhcBase64(digest);
}

} // namespace authrealm
