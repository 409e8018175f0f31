#include "auth/KeyManager.h"

#include "core/Clock.h"
#include "core/DomainError.h"
#include "crypto/Random.h"
#include "storage/Sql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcKeys, "authrealm.keys")

namespace authrealm {

KeyManager::KeyManager(const Database &db, const Clock &clock, SecretBox kek) : m_db(db), m_clock(clock), m_kek(std::move(kek)) {}

QString KeyManager::rotate(const QString &realmId, SigningAlgorithm algorithm) const
{
    const QString kid = randomToken(12);
    const SigningKey key = SigningKey::generate(algorithm, kid);
    // The kid is bound as associated data so a sealed key cannot be swapped
    // onto another row.
    const QByteArray sealed = m_kek.seal(key.privateMaterial(), kid.toUtf8());
    {
        Transaction tx(m_db);
        SqlQuery(m_db, QStringLiteral("UPDATE signing_keys SET status = 'retired' WHERE realm_id = :r AND status = 'active' "
                                      "AND purpose = 'access'"))
            .bind(QStringLiteral(":r"), realmId)
            .exec();
        SqlQuery(m_db, QStringLiteral("INSERT INTO signing_keys (kid, realm_id, algorithm, private_key, public_jwk, status, created_at) "
                                      "VALUES (:k, :r, :a, :p, :j, 'active', :c)"))
            .bind(QStringLiteral(":k"), kid)
            .bind(QStringLiteral(":r"), realmId)
            .bind(QStringLiteral(":a"), algorithmName(algorithm))
            .bind(QStringLiteral(":p"), QString::fromLatin1(sealed.toBase64()))
            .bind(QStringLiteral(":j"), QString::fromUtf8(QJsonDocument(key.publicJwk()).toJson(QJsonDocument::Compact)))
            .bind(QStringLiteral(":c"), m_clock.nowMs())
            .exec();
        tx.commit();
    }
    forget(realmId);
    return kid;
}

void KeyManager::ensureKey(const QString &realmId, SigningAlgorithm algorithm) const
{
    const RealmKeys keys = cached(realmId, true);
    if (!keys.active || keys.active->algorithm() != algorithm)
        rotate(realmId, algorithm);
}

KeyManager::RealmKeys KeyManager::load(const QString &realmId) const
{
    RealmKeys keys;
    keys.loadedAt = m_clock.nowMs();
    SqlQuery q(m_db, QStringLiteral("SELECT kid, algorithm, private_key, status, purpose FROM signing_keys WHERE realm_id = :r"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    while (q.next()) {
        const QString kid = q.value(0).toString();
        const auto algorithm = algorithmFromName(q.value(1).toString());
        const auto material = m_kek.open(QByteArray::fromBase64(q.value(2).toString().toLatin1()), kid.toUtf8());
        if (!algorithm || !material) {
            // Wrong key-encryption key or a tampered row: refuse to use it, loudly.
            qCCritical(lcKeys) << "signing key" << kid << "of realm" << realmId
                               << "cannot be decrypted: is this the right key file (--key-file / AUTHREALM_MASTER_KEY)?";
            continue;
        }
        auto key = SigningKey::fromPrivateMaterial(*algorithm, kid, *material);
        if (!key)
            continue;
        keys.all.insert(kid, *key);
        if (q.value(3).toString() != u"active")
            continue;
        if (q.value(4).toString() == u"id")
            keys.idTokenKeys.insert(algorithmName(*algorithm), *key);
        else
            keys.active = *key;
    }
    return keys;
}

KeyManager::RealmKeys KeyManager::cached(const QString &realmId, bool forceReload) const
{
    if (!forceReload) {
        QReadLocker read(&m_lock);
        const auto it = m_cache.constFind(realmId);
        if (it != m_cache.constEnd())
            return *it;
    }
    RealmKeys keys = load(realmId);
    QWriteLocker write(&m_lock);
    m_cache.insert(realmId, keys);
    return keys;
}

SigningKey KeyManager::activeKey(const QString &realmId) const
{
    RealmKeys keys = cached(realmId, false);
    if (!keys.active)
        keys = cached(realmId, true);
    if (!keys.active)
        throw DomainError(ErrorCode::Internal, QStringLiteral("The realm has no usable signing key"));
    return *keys.active;
}

SigningKey KeyManager::idTokenKey(const QString &realmId, SigningAlgorithm algorithm) const
{
    const QString name = algorithmName(algorithm);
    RealmKeys keys = cached(realmId, false);
    if (const auto it = keys.idTokenKeys.constFind(name); it != keys.idTokenKeys.constEnd())
        return *it;
    // First ID token with this algorithm in the realm: make its key. Two
    // threads racing here may both make one; the newer simply wins and the
    // other stays published, so tokens signed with either verify.
    const QString kid = randomToken(12);
    const SigningKey key = SigningKey::generate(algorithm, kid);
    const QByteArray sealed = m_kek.seal(key.privateMaterial(), kid.toUtf8());
    {
        Transaction tx(m_db);
        SqlQuery(m_db, QStringLiteral("UPDATE signing_keys SET status = 'retired' WHERE realm_id = :r AND status = 'active' "
                                      "AND purpose = 'id' AND algorithm = :a"))
            .bind(QStringLiteral(":r"), realmId).bind(QStringLiteral(":a"), name).exec();
        SqlQuery(m_db, QStringLiteral("INSERT INTO signing_keys (kid, realm_id, algorithm, private_key, public_jwk, status, created_at, purpose) "
                                      "VALUES (:k, :r, :a, :p, :j, 'active', :c, 'id')"))
            .bind(QStringLiteral(":k"), kid)
            .bind(QStringLiteral(":r"), realmId)
            .bind(QStringLiteral(":a"), name)
            .bind(QStringLiteral(":p"), QString::fromLatin1(sealed.toBase64()))
            .bind(QStringLiteral(":j"), QString::fromUtf8(QJsonDocument(key.publicJwk()).toJson(QJsonDocument::Compact)))
            .bind(QStringLiteral(":c"), m_clock.nowMs())
            .exec();
        tx.commit();
    }
    forget(realmId);
    return key;
}

std::optional<SigningKey> KeyManager::verificationKey(const QString &realmId, const QString &kid) const
{
    RealmKeys keys = cached(realmId, false);
    if (const auto it = keys.all.constFind(kid); it != keys.all.constEnd())
        return *it;
    if (m_clock.nowMs() - keys.loadedAt < 1000)
        return std::nullopt;
    keys = cached(realmId, true);
    if (const auto it = keys.all.constFind(kid); it != keys.all.constEnd())
        return *it;
    return std::nullopt;
}

QJsonObject KeyManager::jwks(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT public_jwk FROM signing_keys WHERE realm_id = :r ORDER BY created_at DESC"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    QJsonArray keys;
    while (q.next())
        keys.append(QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object());
    return QJsonObject{{QStringLiteral("keys"), keys}};
}

QList<KeyManager::KeyInfo> KeyManager::keys(const QString &realmId) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT kid, algorithm, status, created_at FROM signing_keys WHERE realm_id = :r ORDER BY created_at DESC"));
    q.bind(QStringLiteral(":r"), realmId).exec();
    QList<KeyInfo> out;
    while (q.next())
        out.append(KeyInfo{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong()});
    return out;
}

void KeyManager::forget(const QString &realmId) const
{
    QWriteLocker write(&m_lock);
    m_cache.remove(realmId);
}

} // namespace authrealm
