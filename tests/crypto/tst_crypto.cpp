#include "crypto/Base64Url.h"
#include "crypto/ConstantTime.h"
#include "crypto/Jwt.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "crypto/SigningKey.h"
#include "crypto/TokenHasher.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace authrealm;

namespace {

constexpr int kValid = -1; // "expected error" column value meaning: verifies

QByteArray b64u(const QByteArray &data)
{
    return base64UrlEncode(data);
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString compact(const QByteArray &header64, const QByteArray &payload64, const QByteArray &sig64)
{
    return QString::fromLatin1(header64 + '.' + payload64 + '.' + sig64);
}

// Builds a token with an arbitrary header, signed by `key` (which may disagree
// with the header's alg: that is the point of several forgery rows).
QString signWithHeader(const QJsonObject &header, const QJsonObject &claims, const SigningKey &key)
{
    const QByteArray input = b64u(json(header)) + '.' + b64u(json(claims));
    return QString::fromLatin1(input + '.' + b64u(key.sign(input)));
}

QSet<QString> keySet(const QJsonObject &o)
{
    const QStringList keys = o.keys();
    return QSet<QString>(keys.begin(), keys.end());
}

QString repeated(QChar c, int n)
{
    return QString(n, c);
}

} // namespace

class TestCrypto : public QObject
{
    Q_OBJECT

private:
    std::map<QString, SigningKey> m_keys;     // trusted, reachable via lookup
    std::map<QString, SigningKey> m_attacker; // same algorithms, never trusted
    QStringList m_lookedUp;

    const SigningKey &key(const QString &alg) const { return m_keys.at(alg); }

    std::function<std::optional<SigningKey>(const QString &)> lookup()
    {
        return [this](const QString &kid) -> std::optional<SigningKey> {
            m_lookedUp.append(kid);
            for (const auto &entry : m_keys) {
                if (entry.second.kid() == kid)
                    return entry.second;
            }
            return std::nullopt;
        };
    }

    static void addAlgorithmColumn()
    {
        QTest::addColumn<QString>("alg");
        for (const char *name : {"ES256", "RS256", "EdDSA"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    static QJsonObject sampleClaims()
    {
        QJsonObject claims;
        claims.insert(QLatin1String("sub"), QStringLiteral("user-42"));
        claims.insert(QLatin1String("iss"), QStringLiteral("https://auth.example/realms/main"));
        claims.insert(QLatin1String("iat"), 1700000000);
        claims.insert(QLatin1String("name"), QStringLiteral(u"Jörg Ångström ✓"));
        claims.insert(QLatin1String("scope"), QJsonArray{QStringLiteral("read"), QStringLiteral("write")});
        return claims;
    }

private slots:
    void initTestCase()
    {
        for (const auto alg : {SigningAlgorithm::ES256, SigningAlgorithm::RS256, SigningAlgorithm::EdDSA}) {
            const QString name = algorithmName(alg);
            m_keys.emplace(name, SigningKey::generate(alg, name + QStringLiteral("-trusted")));
            m_attacker.emplace(name, SigningKey::generate(alg, name + QStringLiteral("-attacker")));
        }
    }

    void init() { m_lookedUp.clear(); }

    // ---------------------------------------------------------------- Base64Url

    void base64UrlVectors_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("encoded");
        // RFC 4648 §10 vectors with the padding JOSE omits.
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("url alphabet") << QByteArray("\xfb\xff\xbf", 3) << QByteArray("-_-_");
    }

    void base64UrlVectors()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, encoded);
        QCOMPARE(base64UrlEncode(raw), encoded);
        const auto decoded = base64UrlDecode(QByteArrayView(encoded));
        QVERIFY(decoded.has_value());
        QCOMPARE(*decoded, raw);
    }

    void base64UrlRejects_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("padding") << QByteArray("Zg==");
        QTest::newRow("single padding") << QByteArray("Zm8=");
        QTest::newRow("plus") << QByteArray("Zm9+");
        QTest::newRow("slash") << QByteArray("Zm9/");
        QTest::newRow("impossible length") << QByteArray("Zm9vY");
        QTest::newRow("non-canonical trailing bits") << QByteArray("Zh");
        QTest::newRow("leading space") << QByteArray(" Zg");
        QTest::newRow("newline") << QByteArray("Zm9v\nYg");
        QTest::newRow("high byte") << QByteArray("Zm9\xc3");
    }

    void base64UrlRejects()
    {
        QFETCH(QByteArray, text);
        QVERIFY(!base64UrlDecode(QByteArrayView(text)).has_value());
        QVERIFY(!base64UrlDecode(QString::fromLatin1(text)).has_value());
    }

    // ------------------------------------------------------ Random / ConstantTime

    void randomBytesAndTokens()
    {
        QCOMPARE(randomBytes(0).size(), 0);
        QCOMPARE(randomBytes(32).size(), 32);
        QVERIFY(randomBytes(32) != randomBytes(32));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)randomBytes(-1));

        const QString token = randomToken(32);
        QCOMPARE(token.size(), 43);
        static const QRegularExpression urlSafe(QStringLiteral("^[A-Za-z0-9_-]+$"));
        QVERIFY(urlSafe.match(token).hasMatch());
        QCOMPARE(base64UrlDecode(token)->size(), 32);
        QVERIFY(randomToken(32) != token);
    }

    void constantTimeEquals_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
        QTest::newRow("same") << QByteArray("secret-mac") << QByteArray("secret-mac") << true;
        QTest::newRow("first byte differs") << QByteArray("xecret-mac") << QByteArray("secret-mac") << false;
        QTest::newRow("last byte differs") << QByteArray("secret-mac") << QByteArray("secret-maC") << false;
        QTest::newRow("prefix") << QByteArray("secret") << QByteArray("secret-mac") << false;
        QTest::newRow("empty vs non-empty") << QByteArray() << QByteArray("x") << false;
        QTest::newRow("embedded NUL") << QByteArray("a\0b", 3) << QByteArray("a\0c", 3) << false;
    }

    void constantTimeEquals()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(authrealm::constantTimeEquals(a, b), equal);
        QCOMPARE(authrealm::constantTimeEquals(b, a), equal);
    }

    // ---------------------------------------------------------------- SecretBox

    void secretBoxRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QByteArray>("ad");
        QTest::newRow("empty, no AD") << QByteArray() << QByteArray();
        QTest::newRow("text, no AD") << QByteArray("signing key material") << QByteArray();
        QTest::newRow("text with AD") << QByteArray("signing key material") << QByteArray("realm:1/key:abc");
        QTest::newRow("binary 4 KiB") << randomBytes(4096) << QByteArray("blob");
    }

    void secretBoxRoundTrip()
    {
        QFETCH(QByteArray, plaintext);
        QFETCH(QByteArray, ad);
        const SecretBox box = SecretBox::fromKey(randomBytes(32));
        const QByteArray sealed = box.seal(plaintext, ad);
        QCOMPARE(sealed.size(), 1 + 24 + plaintext.size() + 16);
        QCOMPARE(sealed.at(0), '\x01');
        QVERIFY(box.seal(plaintext, ad) != sealed); // random nonce
        const auto opened = box.open(sealed, ad);
        QVERIFY(opened.has_value());
        QCOMPARE(*opened, plaintext);

        const SecretBox copy = box; // copies share the key
        QCOMPARE(copy.open(sealed, ad).value_or(QByteArray("x")), plaintext);
    }

    void secretBoxRejectsTampering()
    {
        const SecretBox box = SecretBox::fromKey(randomBytes(32));
        const QByteArray ad("realm:1");
        const QByteArray sealed = box.seal(QByteArray("top secret"), ad);

        for (qsizetype i = 0; i < sealed.size(); ++i) {
            QByteArray flipped = sealed;
            flipped[i] = static_cast<char>(flipped.at(i) ^ 0x01);
            QVERIFY2(!box.open(flipped, ad).has_value(), qPrintable(QString::number(i)));
        }
        QVERIFY(!SecretBox::fromKey(randomBytes(32)).open(sealed, ad).has_value());
        QVERIFY(!box.open(sealed, QByteArray("realm:2")).has_value());
        QVERIFY(!box.open(sealed).has_value());
        QVERIFY(!box.open(sealed.left(sealed.size() - 1), ad).has_value());
        QVERIFY(!box.open(sealed + 'x', ad).has_value());
        QVERIFY(!box.open(sealed.left(40), ad).has_value());
        QVERIFY(!box.open(QByteArray(), ad).has_value());
    }

    void secretBoxKeyConstructors()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecretBox::fromKey(randomBytes(31)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecretBox::fromKey(randomBytes(33)));

        const QByteArray key = randomBytes(32);
        const SecretBox fromRaw = SecretBox::fromKey(key);
        const SecretBox fromB64 = SecretBox::fromBase64(QString::fromLatin1(key.toBase64()));
        QCOMPARE(fromB64.open(fromRaw.seal(QByteArray("x"))).value_or(QByteArray()), QByteArray("x"));
        const SecretBox padded =
            SecretBox::fromBase64(QStringLiteral("  ") + QString::fromLatin1(key.toBase64()) + QStringLiteral("\n"));
        QCOMPARE(padded.open(fromRaw.seal(QByteArray("y"))).value_or(QByteArray()), QByteArray("y"));

        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecretBox::fromBase64(QString()));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecretBox::fromBase64(QStringLiteral("not base64!!")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 SecretBox::fromBase64(QString::fromLatin1(randomBytes(16).toBase64())));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, SecretBox::fromBase64(QStringLiteral(u"ÄÖÜ")));
    }

    void secretBoxKeyFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("nested/deeper/master.key"));
        QVERIFY(!QFile::exists(path));

        const SecretBox created = SecretBox::loadOrCreateKeyFile(path);
        QVERIFY(QFile::exists(path));
        QCOMPARE(QFileInfo(path).size(), 32);
        const QFile::Permissions perms = QFile::permissions(path);
        QVERIFY(perms.testFlag(QFile::ReadOwner));
        QVERIFY(perms.testFlag(QFile::WriteOwner));
        const QFile::Permissions notAllowed = QFile::ExeOwner | QFile::ReadGroup | QFile::WriteGroup
            | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
        QCOMPARE(perms & notAllowed, QFile::Permissions());

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray keyBytes = file.readAll();
        file.close();

        const QByteArray sealed = created.seal(QByteArray("persisted"), QByteArray("ad"));
        const SecretBox reloaded = SecretBox::loadOrCreateKeyFile(path);
        QCOMPARE(reloaded.open(sealed, QByteArray("ad")).value_or(QByteArray()), QByteArray("persisted"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), keyBytes);
    }

    void secretBoxKeyFileBadSize_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("empty") << 0;
        QTest::newRow("31 bytes") << 31;
        QTest::newRow("33 bytes") << 33;
        QTest::newRow("base64 text instead of raw") << 44;
    }

    void secretBoxKeyFileBadSize()
    {
        QFETCH(int, size);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("master.key"));
        const QByteArray content = randomBytes(size);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(content), qint64(size));
        }
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, SecretBox::loadOrCreateKeyFile(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content); // never "repaired" by overwriting
    }

    void secretBoxDeriveKey()
    {
        const QByteArray master = randomBytes(32);
        const SecretBox box = SecretBox::fromKey(master);
        const QByteArray k1 = box.deriveKey(1, "tokenhsh");
        QCOMPARE(k1.size(), 32);
        QCOMPARE(SecretBox::fromKey(master).deriveKey(1, "tokenhsh"), k1);
        QVERIFY(box.deriveKey(2, "tokenhsh") != k1);
        QVERIFY(box.deriveKey(1, "otherctx") != k1);
        QVERIFY(SecretBox::fromKey(randomBytes(32)).deriveKey(1, "tokenhsh") != k1);
        QVERIFY(k1 != master);
    }

    // -------------------------------------------------------------- TokenHasher

    void tokenHasher()
    {
        const QByteArray key = randomBytes(32);
        const TokenHasher hasher(key);
        const QByteArray token = randomToken(32).toLatin1();

        const QByteArray h = hasher.hash(token);
        QCOMPARE(h.size(), 32);
        QCOMPARE(hasher.hash(token), h);
        QCOMPARE(TokenHasher(key).hash(token), h);
        QCOMPARE(h, QMessageAuthenticationCode::hash(token, key, QCryptographicHash::Sha256));
        QVERIFY(TokenHasher(randomBytes(32)).hash(token) != h);
        QVERIFY(hasher.hash(token + 'x') != h);
        QCOMPARE(hasher.hashHex(token), QString::fromLatin1(h.toHex()));
        QCOMPARE(hasher.hashHex(token).size(), 64);

        const TokenHasher copy = hasher;
        QCOMPARE(copy.hash(token), h);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TokenHasher(randomBytes(16)));
    }

    // --------------------------------------------------------------- SigningKey

    void algorithmNames()
    {
        for (const auto alg : {SigningAlgorithm::ES256, SigningAlgorithm::RS256, SigningAlgorithm::EdDSA})
            QCOMPARE(algorithmFromName(algorithmName(alg)), std::optional<SigningAlgorithm>(alg));
        QCOMPARE(algorithmName(SigningAlgorithm::EdDSA), QStringLiteral("EdDSA"));
        for (const char *bad : {"none", "None", "HS256", "es256", "ES256 ", "EDDSA", "PS256", ""})
            QVERIFY2(!algorithmFromName(QString::fromLatin1(bad)).has_value(), bad);
    }

    void signVerify_data() { addAlgorithmColumn(); }

    void signVerify()
    {
        QFETCH(QString, alg);
        const SigningKey &k = key(alg);
        QCOMPARE(algorithmName(k.algorithm()), alg);
        QVERIFY(k.canSign());
        const QByteArray input("header.payload");
        const QByteArray sig = k.sign(input);
        if (alg != QLatin1String("RS256"))
            QCOMPARE(sig.size(), 64); // ES256 is raw R||S (RFC 7518 §3.4), not DER
        else
            QCOMPARE(sig.size(), 256);
        QVERIFY(k.verify(input, sig));
        QVERIFY(!k.verify(QByteArray("header.payloaD"), sig));
        QByteArray flipped = sig;
        flipped[10] = static_cast<char>(flipped.at(10) ^ 0x40);
        QVERIFY(!k.verify(input, flipped));
        QVERIFY(!k.verify(input, sig.left(sig.size() - 1)));
        QVERIFY(!k.verify(input, sig + '\0'));
        QVERIFY(!k.verify(input, QByteArray()));
        QVERIFY(!m_attacker.at(alg).verify(input, sig));
    }

    void privateMaterialRoundTrip_data() { addAlgorithmColumn(); }

    void privateMaterialRoundTrip()
    {
        QFETCH(QString, alg);
        const SigningKey &k = key(alg);
        const QByteArray input("eyJhbGciOi.eyJzdWIiOi");
        const QByteArray oldSig = k.sign(input);

        const QByteArray material = k.privateMaterial();
        QVERIFY(!material.isEmpty());
        if (alg == QLatin1String("EdDSA"))
            QCOMPARE(material.size(), 64);
        else
            QCOMPARE(material.at(0), '\x30'); // DER SEQUENCE (PKCS#8 PrivateKeyInfo)

        const auto restored = SigningKey::fromPrivateMaterial(k.algorithm(), QStringLiteral("restored"), material);
        QVERIFY(restored.has_value());
        QCOMPARE(restored->kid(), QStringLiteral("restored"));
        QVERIFY(restored->canSign());
        QVERIFY(restored->verify(input, oldSig));
        QVERIFY(k.verify(input, restored->sign(input)));
        QCOMPARE(restored->privateMaterial(), material);
        QCOMPARE(restored->publicJwk().value(QLatin1String("x")), k.publicJwk().value(QLatin1String("x")));
    }

    void privateMaterialRejects_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QByteArray>("material");
        const QByteArray es = m_keys.at(QStringLiteral("ES256")).privateMaterial();
        const QByteArray rs = m_keys.at(QStringLiteral("RS256")).privateMaterial();
        const QByteArray ed = m_keys.at(QStringLiteral("EdDSA")).privateMaterial();
        QByteArray edMismatch = ed;
        edMismatch[40] = static_cast<char>(edMismatch.at(40) ^ 1); // public half no longer matches seed

        QTest::newRow("ES256 given RSA key") << QStringLiteral("ES256") << rs;
        QTest::newRow("RS256 given EC key") << QStringLiteral("RS256") << es;
        QTest::newRow("EdDSA given EC key") << QStringLiteral("EdDSA") << es;
        QTest::newRow("ES256 given Ed25519 key") << QStringLiteral("ES256") << ed;
        QTest::newRow("ES256 truncated") << QStringLiteral("ES256") << es.left(es.size() - 5);
        QTest::newRow("ES256 trailing byte") << QStringLiteral("ES256") << es + '\0';
        QTest::newRow("RS256 garbage") << QStringLiteral("RS256") << randomBytes(600);
        QTest::newRow("RS256 empty") << QStringLiteral("RS256") << QByteArray();
        QTest::newRow("EdDSA inconsistent halves") << QStringLiteral("EdDSA") << edMismatch;
        QTest::newRow("EdDSA 32-byte seed only") << QStringLiteral("EdDSA") << ed.left(32);
    }

    void privateMaterialRejects()
    {
        QFETCH(QString, alg);
        QFETCH(QByteArray, material);
        QVERIFY(!SigningKey::fromPrivateMaterial(*algorithmFromName(alg), QStringLiteral("k"), material).has_value());
    }

    void publicJwk_data() { addAlgorithmColumn(); }

    void publicJwk()
    {
        QFETCH(QString, alg);
        const SigningKey &k = key(alg);
        const QJsonObject jwk = k.publicJwk();

        QSet<QString> expected{QStringLiteral("kty"), QStringLiteral("kid"), QStringLiteral("alg"),
                               QStringLiteral("use")};
        if (alg == QLatin1String("ES256")) {
            expected += {QStringLiteral("crv"), QStringLiteral("x"), QStringLiteral("y")};
            QCOMPARE(jwk.value(QLatin1String("kty")).toString(), QStringLiteral("EC"));
            QCOMPARE(jwk.value(QLatin1String("crv")).toString(), QStringLiteral("P-256"));
            QCOMPARE(base64UrlDecode(jwk.value(QLatin1String("x")).toString())->size(), 32);
            QCOMPARE(base64UrlDecode(jwk.value(QLatin1String("y")).toString())->size(), 32);
        } else if (alg == QLatin1String("RS256")) {
            expected += {QStringLiteral("n"), QStringLiteral("e")};
            QCOMPARE(jwk.value(QLatin1String("kty")).toString(), QStringLiteral("RSA"));
            QCOMPARE(base64UrlDecode(jwk.value(QLatin1String("n")).toString())->size(), 256);
            QCOMPARE(jwk.value(QLatin1String("e")).toString(), QStringLiteral("AQAB"));
        } else {
            expected += {QStringLiteral("crv"), QStringLiteral("x")};
            QCOMPARE(jwk.value(QLatin1String("kty")).toString(), QStringLiteral("OKP"));
            QCOMPARE(jwk.value(QLatin1String("crv")).toString(), QStringLiteral("Ed25519"));
            QCOMPARE(base64UrlDecode(jwk.value(QLatin1String("x")).toString())->size(), 32);
        }
        QCOMPARE(keySet(jwk), expected);
        for (const char *privateMember : {"d", "p", "q", "dp", "dq", "qi", "k"})
            QVERIFY2(!jwk.contains(QLatin1String(privateMember)), privateMember);
        QCOMPARE(jwk.value(QLatin1String("alg")).toString(), alg);
        QCOMPARE(jwk.value(QLatin1String("kid")).toString(), k.kid());
        QCOMPARE(jwk.value(QLatin1String("use")).toString(), QStringLiteral("sig"));
        for (auto it = jwk.begin(); it != jwk.end(); ++it)
            QVERIFY(!it.value().toString().contains(QLatin1Char('=')));

        const auto verifier = SigningKey::fromPublicJwk(jwk);
        QVERIFY(verifier.has_value());
        QCOMPARE(verifier->algorithm(), k.algorithm());
        QCOMPARE(verifier->kid(), k.kid());
        QVERIFY(!verifier->canSign());
        QVERIFY(verifier->privateMaterial().isEmpty());
        QCOMPARE(verifier->publicJwk(), jwk);
        const QByteArray input("payload");
        QVERIFY(verifier->verify(input, k.sign(input)));
        QVERIFY(!verifier->verify(input, m_attacker.at(alg).sign(input)));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, (void)verifier->sign(input));

        QJsonObject withoutAlg = jwk;
        withoutAlg.remove(QLatin1String("alg"));
        QVERIFY(SigningKey::fromPublicJwk(withoutAlg).has_value());
    }

    void fromPublicJwkRejects_data()
    {
        QTest::addColumn<QJsonObject>("jwk");
        const QJsonObject ec = m_keys.at(QStringLiteral("ES256")).publicJwk();
        const QJsonObject rsa = m_keys.at(QStringLiteral("RS256")).publicJwk();
        const QJsonObject ed = m_keys.at(QStringLiteral("EdDSA")).publicJwk();
        const auto with = [](QJsonObject o, const char *member, const QJsonValue &v) {
            if (v.isUndefined())
                o.remove(QLatin1String(member));
            else
                o.insert(QLatin1String(member), v);
            return o;
        };
        QByteArray badY = *base64UrlDecode(ec.value(QLatin1String("y")).toString());
        badY[31] = static_cast<char>(badY.at(31) ^ 1);

        QTest::newRow("EC alg RS256") << with(ec, "alg", QStringLiteral("RS256"));
        QTest::newRow("EC alg none") << with(ec, "alg", QStringLiteral("none"));
        QTest::newRow("EC crv P-384") << with(ec, "crv", QStringLiteral("P-384"));
        QTest::newRow("EC missing y") << with(ec, "y", QJsonValue::Undefined);
        QTest::newRow("EC point not on curve") << with(ec, "y", QString::fromLatin1(b64u(badY)));
        QTest::newRow("EC padded x") << with(ec, "x", ec.value(QLatin1String("x")).toString() + QLatin1Char('='));
        QTest::newRow("EC use enc") << with(ec, "use", QStringLiteral("enc"));
        QTest::newRow("RSA alg ES256") << with(rsa, "alg", QStringLiteral("ES256"));
        QTest::newRow("RSA 1024-bit modulus")
            << with(rsa, "n", QString::fromLatin1(b64u(base64UrlDecode(rsa.value(QLatin1String("n")).toString())->left(128))));
        QTest::newRow("RSA missing e") << with(rsa, "e", QJsonValue::Undefined);
        QTest::newRow("OKP crv X25519") << with(ed, "crv", QStringLiteral("X25519"));
        QTest::newRow("OKP alg ES256") << with(ed, "alg", QStringLiteral("ES256"));
        QTest::newRow("OKP short x") << with(ed, "x", QStringLiteral("AAAA"));
        QTest::newRow("oct key") << QJsonObject{{QStringLiteral("kty"), QStringLiteral("oct")},
                                                {QStringLiteral("k"), QStringLiteral("c2VjcmV0")}};
        QTest::newRow("empty") << QJsonObject();
        QTest::newRow("kid not a string") << with(ed, "kid", 5);
    }

    void fromPublicJwkRejects()
    {
        QFETCH(QJsonObject, jwk);
        QVERIFY(!SigningKey::fromPublicJwk(jwk).has_value());
    }

    void concurrentSignVerify_data() { addAlgorithmColumn(); }

    void concurrentSignVerify()
    {
        QFETCH(QString, alg);
        const SigningKey shared = key(alg);
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&shared, &failures, t] {
                for (int i = 0; i < 20; ++i) {
                    const QByteArray input = QByteArray::number(t) + '.' + QByteArray::number(i);
                    const QByteArray sig = shared.sign(input);
                    if (!shared.verify(input, sig) || shared.verify(input + 'x', sig))
                        ++failures;
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(failures.load(), 0);
    }

    // ---------------------------------------------------------------------- Jwt

    void jwtRoundTrip_data() { addAlgorithmColumn(); }

    void jwtRoundTrip()
    {
        QFETCH(QString, alg);
        const SigningKey &k = key(alg);
        const QJsonObject claims = sampleClaims();
        const QString token = Jwt::sign(claims, k);

        QCOMPARE(token.count(QLatin1Char('.')), 2);
        QVERIFY(!token.contains(QLatin1Char('=')));
        QVERIFY(!token.contains(QLatin1Char('+')));
        QVERIFY(!token.contains(QLatin1Char('/')));

        const auto result = Jwt::verify(token, lookup());
        const auto *decoded = std::get_if<DecodedJwt>(&result);
        QVERIFY(decoded);
        QCOMPARE(decoded->claims, claims);
        QCOMPARE(decoded->header.value(QLatin1String("alg")).toString(), alg);
        QCOMPARE(decoded->header.value(QLatin1String("kid")).toString(), k.kid());
        QCOMPARE(decoded->header.value(QLatin1String("typ")).toString(), QStringLiteral("JWT"));
        QCOMPARE(keySet(decoded->header),
                 (QSet<QString>{QStringLiteral("alg"), QStringLiteral("kid"), QStringLiteral("typ")}));
        QCOMPARE(m_lookedUp, QStringList{k.kid()});

        // A verify-only key rebuilt from the published JWK is enough.
        const auto verifier = SigningKey::fromPublicJwk(k.publicJwk());
        QVERIFY(verifier);
        const auto viaJwk = Jwt::verify(token, [&](const QString &) { return verifier; });
        QVERIFY(std::holds_alternative<DecodedJwt>(viaJwk));

        const auto unverified = Jwt::decodeUnverified(token);
        QVERIFY(unverified);
        QCOMPARE(unverified->claims, claims);

        const QString atJwt = Jwt::sign(claims, k, QStringLiteral("at+jwt"));
        const auto at = Jwt::verify(atJwt, lookup());
        QVERIFY(std::holds_alternative<DecodedJwt>(at));
        QCOMPARE(std::get<DecodedJwt>(at).header.value(QLatin1String("typ")).toString(), QStringLiteral("at+jwt"));
        const QString noTyp = Jwt::sign(claims, k, QString());
        QVERIFY(!Jwt::decodeUnverified(noTyp)->header.contains(QLatin1String("typ")));

        QVERIFY_THROWS_EXCEPTION(std::logic_error, (void)Jwt::sign(claims, *verifier));
    }

    void jwtTampered_data() { addAlgorithmColumn(); }

    void jwtTampered()
    {
        QFETCH(QString, alg);
        const SigningKey &k = key(alg);
        const QString token = Jwt::sign(sampleClaims(), k);
        const QStringList parts = token.split(QLatin1Char('.'));

        QJsonObject elevated = sampleClaims();
        elevated.insert(QLatin1String("sub"), QStringLiteral("admin"));
        const QString swappedPayload = parts[0] + QLatin1Char('.') + QString::fromLatin1(b64u(json(elevated)))
            + QLatin1Char('.') + parts[2];

        QByteArray sig = *base64UrlDecode(parts[2]);
        sig[sig.size() / 2] = static_cast<char>(sig.at(sig.size() / 2) ^ 0x01);
        const QString flippedSig = parts[0] + QLatin1Char('.') + parts[1] + QLatin1Char('.')
            + QString::fromLatin1(b64u(sig));
        const QString emptySig = parts[0] + QLatin1Char('.') + parts[1] + QLatin1Char('.');
        const QString foreignSig = Jwt::sign(sampleClaims(), m_attacker.at(alg)).split(QLatin1Char('.'))[2];
        const QString attackerSigned = parts[0] + QLatin1Char('.') + parts[1] + QLatin1Char('.') + foreignSig;

        for (const QString &t : {swappedPayload, flippedSig, emptySig, attackerSigned}) {
            const auto result = Jwt::verify(t, lookup());
            QVERIFY(std::holds_alternative<JwtError>(result));
            QCOMPARE(std::get<JwtError>(result), JwtError::BadSignature);
        }
    }

    void jwtForged_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("expected");

        const QJsonObject claims = sampleClaims();
        const QByteArray claims64 = b64u(json(claims));
        for (const auto &entry : m_keys) {
            const QString &alg = entry.first;
            const SigningKey &k = entry.second;
            const auto row = [&](const char *what) -> QTestData & {
                return QTest::addRow("%s: %s", qPrintable(alg), what);
            };
            const auto header = [&](const QString &algName) {
                QJsonObject h;
                h.insert(QLatin1String("alg"), algName);
                h.insert(QLatin1String("kid"), k.kid());
                h.insert(QLatin1String("typ"), QStringLiteral("JWT"));
                return h;
            };
            const QString valid = Jwt::sign(claims, k);
            const QStringList parts = valid.split(QLatin1Char('.'));

            // RFC 8725 §2.1/§3.1: "none" must never be accepted.
            const QByteArray none64 = b64u(json(header(QStringLiteral("none"))));
            row("RFC 8725 3.1 alg none, empty signature")
                << compact(none64, claims64, QByteArray()) << int(JwtError::AlgorithmNotAllowed);
            row("RFC 8725 3.1 alg none, real signature copied")
                << compact(none64, claims64, parts[2].toLatin1()) << int(JwtError::AlgorithmNotAllowed);
            {
                QJsonObject h = header(QStringLiteral("none"));
                h.remove(QLatin1String("kid"));
                row("alg none without kid") << compact(b64u(json(h)), claims64, QByteArray())
                                            << int(JwtError::Malformed);
            }

            // RFC 8725 §2.1: HS256 keyed with the verifier's *public* key.
            const QByteArray hs64 = b64u(json(header(QStringLiteral("HS256"))));
            const QByteArray hsInput = hs64 + '.' + claims64;
            const QByteArray jwkBytes = json(k.publicJwk());
            const QByteArray publicBytes =
                *base64UrlDecode(k.publicJwk().value(alg == QLatin1String("RS256") ? QLatin1String("n")
                                                                                  : QLatin1String("x"))
                                     .toString());
            row("RFC 8725 2.1 HS256 keyed with public JWK")
                << compact(hs64, claims64,
                           b64u(QMessageAuthenticationCode::hash(hsInput, jwkBytes, QCryptographicHash::Sha256)))
                << int(JwtError::AlgorithmNotAllowed);
            row("RFC 8725 2.1 HS256 keyed with raw public key bytes")
                << compact(hs64, claims64,
                           b64u(QMessageAuthenticationCode::hash(hsInput, publicBytes, QCryptographicHash::Sha256)))
                << int(JwtError::AlgorithmNotAllowed);

            // RFC 8725 §3.1: algorithm must match the key, not the header.
            const QString swapped = alg == QLatin1String("ES256") ? QStringLiteral("RS256") : QStringLiteral("ES256");
            row("RFC 8725 3.1 alg swapped RS256<->ES256")
                << signWithHeader(header(swapped), claims, k) << int(JwtError::AlgorithmNotAllowed);
            row("alg case changed") << signWithHeader(header(alg.toLower()), claims, k)
                                    << int(JwtError::AlgorithmNotAllowed);
            {
                QJsonObject h = header(alg);
                h.insert(QLatin1String("alg"), 256);
                row("alg not a string") << signWithHeader(h, claims, k) << int(JwtError::Malformed);
            }

            {
                QJsonObject h = header(alg);
                h.insert(QLatin1String("kid"), m_attacker.at(alg).kid());
                row("unknown kid") << signWithHeader(h, claims, m_attacker.at(alg)) << int(JwtError::UnknownKey);
                h.remove(QLatin1String("kid"));
                row("missing kid") << signWithHeader(h, claims, k) << int(JwtError::Malformed);
                h.insert(QLatin1String("kid"), QString());
                row("empty kid") << signWithHeader(h, claims, k) << int(JwtError::Malformed);
                h.insert(QLatin1String("kid"), 7);
                row("kid not a string") << signWithHeader(h, claims, k) << int(JwtError::Malformed);
            }

            // RFC 7515 §7.1 compact serialization: exactly three segments.
            row("RFC 7515 7.1 two parts") << parts[0] + QLatin1Char('.') + parts[1] << int(JwtError::Malformed);
            row("RFC 7515 7.1 four parts") << valid + QStringLiteral(".") + parts[2] << int(JwtError::Malformed);
            row("RFC 7515 7.1 trailing dot") << valid + QLatin1Char('.') << int(JwtError::Malformed);
            row("empty header segment") << QLatin1Char('.') + parts[1] + QLatin1Char('.') + parts[2]
                                        << int(JwtError::Malformed);
            row("empty token") << QString() << int(JwtError::Malformed);

            // RFC 7515 §2: base64url without padding; anything else is malformed.
            row("RFC 7515 2 padding on signature") << valid + QStringLiteral("==") << int(JwtError::Malformed);
            row("RFC 7515 2 padding on header") << parts[0] + QStringLiteral("=.") + parts[1] + QLatin1Char('.') + parts[2]
                                                << int(JwtError::Malformed);
            row("RFC 7515 2 standard alphabet") << parts[0] + QLatin1Char('.') + parts[1] + QStringLiteral(".ab+/")
                                                << int(JwtError::Malformed);
            row("garbage base64 header") << QStringLiteral("!!!.") + parts[1] + QLatin1Char('.') + parts[2]
                                         << int(JwtError::Malformed);
            row("whitespace inside") << parts[0] + QStringLiteral(" .") + parts[1] + QLatin1Char('.') + parts[2]
                                     << int(JwtError::Malformed);
            row("non-ASCII") << valid + QStringLiteral(u"é") << int(JwtError::Malformed);

            row("header is a JSON array") << compact(b64u("[\"alg\",\"kid\"]"), claims64, parts[2].toLatin1())
                                          << int(JwtError::Malformed);
            row("header not JSON") << compact(b64u("alg=ES256"), claims64, parts[2].toLatin1())
                                   << int(JwtError::Malformed);
            row("claims not an object") << compact(parts[0].toLatin1(), b64u("\"admin\""), parts[2].toLatin1())
                                        << int(JwtError::Malformed);

            // RFC 7515 §4.1.11: unknown critical extensions must be rejected.
            {
                QJsonObject h = header(alg);
                h.insert(QLatin1String("crit"), QJsonArray{QStringLiteral("exp")});
                h.insert(QLatin1String("exp"), 1);
                row("RFC 7515 4.1.11 crit header") << signWithHeader(h, claims, k) << int(JwtError::Malformed);
            }

            {
                QJsonObject big = claims;
                big.insert(QLatin1String("padding"), repeated(QLatin1Char('a'), 17 * 1024));
                row("oversized token (> 16 KiB)") << Jwt::sign(big, k) << int(JwtError::Malformed);
            }

            // RFC 8725 §3.10 / RFC 7515 §4.1.2-4.1.6: key-location headers are
            // never followed; the kid lookup alone selects the key.
            {
                QJsonObject h = header(alg);
                h.insert(QLatin1String("jku"), QStringLiteral("https://attacker.example/jwks.json"));
                h.insert(QLatin1String("x5u"), QStringLiteral("https://attacker.example/cert.pem"));
                row("RFC 7515 4.1.2 jku/x5u ignored, signed by trusted key")
                    << signWithHeader(h, claims, k) << kValid;

                QJsonObject attackerJku = header(alg);
                attackerJku.insert(QLatin1String("jku"), QStringLiteral("https://attacker.example/jwks.json"));
                row("RFC 7515 4.1.2 jku pointing at attacker key, signed by attacker")
                    << signWithHeader(attackerJku, claims, m_attacker.at(alg)) << int(JwtError::BadSignature);

                QJsonObject embedded = header(alg);
                embedded.insert(QLatin1String("jwk"), m_attacker.at(alg).publicJwk());
                row("RFC 7515 4.1.3 embedded jwk of attacker, signed by attacker")
                    << signWithHeader(embedded, claims, m_attacker.at(alg)) << int(JwtError::BadSignature);

                QJsonObject x5c = header(alg);
                x5c.insert(QLatin1String("x5c"), QJsonArray{QStringLiteral("MIIB")});
                row("RFC 7515 4.1.6 x5c ignored, signed by trusted key") << signWithHeader(x5c, claims, k) << kValid;
            }
        }
    }

    void jwtForged()
    {
        QFETCH(QString, token);
        QFETCH(int, expected);
        const auto result = Jwt::verify(token, lookup());
        if (expected == kValid) {
            if (const auto *error = std::get_if<JwtError>(&result))
                QFAIL(qPrintable(QStringLiteral("rejected with JwtError %1").arg(int(*error))));
            QCOMPARE(std::get<DecodedJwt>(result).claims, sampleClaims());
        } else {
            QVERIFY2(std::holds_alternative<JwtError>(result), "forged token was accepted");
            QCOMPARE(int(std::get<JwtError>(result)), expected);
        }
        // The lookup is only ever asked about the header's kid, never a URL.
        for (const QString &kid : std::as_const(m_lookedUp))
            QVERIFY2(!kid.contains(QLatin1String("://")), qPrintable(kid));
    }

    void jwtLookupThatKnowsNothing()
    {
        const QString token = Jwt::sign(sampleClaims(), key(QStringLiteral("EdDSA")));
        const auto result = Jwt::verify(token, {});
        QCOMPARE(std::get<JwtError>(result), JwtError::UnknownKey);
        QVERIFY(!Jwt::decodeUnverified(QStringLiteral("a.b")).has_value());
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
