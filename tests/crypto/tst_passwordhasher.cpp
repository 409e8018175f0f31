// PasswordHasher: argon2id round trips, parameters, the equal-cost dummy
// verification for unknown accounts, and PHC string parsing. Split from
// tst_crypto (one executable per crypto facade, as the rest grow).
#include "crypto/PasswordHasher.h"

#include <QTest>

#include <stdexcept>

using namespace authrealm;

namespace {

// Small Argon2 cost keeps the suite fast; one test exercises the defaults.
const Argon2Params kFastParams{1024, 1};

QString repeated(QChar c, int n)
{
    return QString(n, c);
}

} // namespace

class TestPasswordHasher : public QObject
{
    Q_OBJECT

private slots:
    void passwordRoundTrip_data()
    {
        QTest::addColumn<QString>("password");
        QTest::newRow("ascii") << QStringLiteral("correct horse battery staple");
        QTest::newRow("unicode") << QStringLiteral(u"pässwörd-密码-🔑");
        QTest::newRow("70 chars (beyond bcrypt's 72-byte limit in UTF-8)")
            << repeated(QChar(0x00e9), 70);
        QTest::newRow("empty") << QString();
    }

    void passwordRoundTrip()
    {
        QFETCH(QString, password);
        const PasswordHasher hasher(kFastParams);
        const QString phc = hasher.hash(password);
        QVERIFY2(phc.startsWith(QLatin1String("$argon2id$v=19$m=1024,t=1,p=1$")), qPrintable(phc));
        QVERIFY(PasswordHasher::isArgon2idPhc(phc));
        QVERIFY(hasher.verify(phc, password));
        QVERIFY(!hasher.verify(phc, password + QLatin1Char('x')));
        QVERIFY(!hasher.verify(phc, QStringLiteral("wrong")));
        // Fresh salt every time.
        QVERIFY(hasher.hash(password) != phc);
    }

    void passwordNotTruncated()
    {
        const PasswordHasher hasher(kFastParams);
        const QString password = repeated(QLatin1Char('a'), 999) + QLatin1Char('b');
        const QString phc = hasher.hash(password);
        QVERIFY(hasher.verify(phc, password));
        QVERIFY(!hasher.verify(phc, repeated(QLatin1Char('a'), 999) + QLatin1Char('c')));
        QVERIFY(!hasher.verify(phc, repeated(QLatin1Char('a'), 999)));
    }

    void passwordDefaultParams()
    {
        const PasswordHasher hasher;
        QCOMPARE(hasher.params().memoryKiB, 19456u);
        QCOMPARE(hasher.params().iterations, 2u);
        const QString phc = hasher.hash(QStringLiteral("hunter2"));
        QVERIFY2(phc.startsWith(QLatin1String("$argon2id$v=19$m=19456,t=2,p=1$")), qPrintable(phc));
        QVERIFY(hasher.verify(phc, QStringLiteral("hunter2")));
        QVERIFY(!hasher.needsRehash(phc));
        hasher.verifyDummy(QStringLiteral("anything"));
    }

    void passwordNeedsRehash()
    {
        const PasswordHasher fast(kFastParams);
        const QString phc = fast.hash(QStringLiteral("pw"));
        QVERIFY(!fast.needsRehash(phc));
        QVERIFY(PasswordHasher(Argon2Params{2048, 1}).needsRehash(phc));
        QVERIFY(PasswordHasher(Argon2Params{1024, 2}).needsRehash(phc));
        QVERIFY(fast.needsRehash(QStringLiteral("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")));
        QVERIFY(fast.needsRehash(QString()));
    }

    void passwordInvalidParams()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PasswordHasher(Argon2Params{4, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PasswordHasher(Argon2Params{1024, 0}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PasswordHasher(Argon2Params{1024, 101}));
    }

    void passwordVerifyDummy_data()
    {
        QTest::addColumn<quint32>("memoryKiB");
        QTest::addColumn<quint32>("iterations");
        QTest::addColumn<QString>("password");
        QTest::newRow("fast, empty password") << 1024u << 1u << QString();
        QTest::newRow("fast, some password") << 1024u << 1u << QStringLiteral("some password");
        QTest::newRow("2 MiB, t=3") << 2048u << 3u << QStringLiteral(u"pässwörd");
    }

    // The equal-cost stand-in for unknown accounts must run exactly one real
    // Argon2id verification against a hash of this hasher's own cost, like
    // verify() of a stored hash does.
    void passwordVerifyDummy()
    {
        QFETCH(quint32, memoryKiB);
        QFETCH(quint32, iterations);
        QFETCH(QString, password);
        const PasswordHasher hasher(Argon2Params{memoryKiB, iterations});

        const QString dummy = hasher.dummyHash();
        QVERIFY(PasswordHasher::isArgon2idPhc(dummy));
        QVERIFY2(dummy.startsWith(QStringLiteral("$argon2id$v=19$m=%1,t=%2,p=1$").arg(memoryKiB).arg(iterations)), qPrintable(dummy));
        QVERIFY(!hasher.needsRehash(dummy));

        const QString stored = hasher.hash(QStringLiteral("the real one"));
        const quint64 start = hasher.argon2Verifications();
        QVERIFY(!hasher.verify(stored, password));
        QCOMPARE(hasher.argon2Verifications(), start + 1);
        hasher.verifyDummy(password);
        QCOMPARE(hasher.argon2Verifications(), start + 2);
        // A malformed hash is refused before Argon2 runs: it must not count,
        // or the counter would not tell real work from none.
        QVERIFY(!hasher.verify(QStringLiteral("not a hash"), password));
        QCOMPARE(hasher.argon2Verifications(), start + 2);
    }

    void passwordMalformed_data()
    {
        QTest::addColumn<QString>("phc");
        const PasswordHasher hasher(kFastParams);
        const QString real = hasher.hash(QStringLiteral("pw"));
        QTest::newRow("empty") << QString();
        QTest::newRow("garbage") << QStringLiteral("not a hash");
        QTest::newRow("argon2i")
            << QStringLiteral("$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$"
                              "8HX9xMcIO4Zsu2fhrQ9Qj84SEkzRsTStJaGpdH5OcWI");
        QTest::newRow("bcrypt") << QStringLiteral("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy");
        QTest::newRow("truncated by 8") << real.left(real.size() - 8);
        QTest::newRow("truncated by 10") << real.left(real.size() - 10);
        QTest::newRow("truncated to prefix") << real.left(20);
        QTest::newRow("no hash section") << real.left(real.lastIndexOf(QLatin1Char('$')));
        QTest::newRow("trailing garbage") << real + QStringLiteral("$extra");
        QTest::newRow("p=4") << QString(real).replace(QLatin1String("p=1"), QLatin1String("p=4"));
        QTest::newRow("non-ascii") << real + QStringLiteral(u"é");
        QTest::newRow("very long") << repeated(QLatin1Char('$'), 5000);
    }

    void passwordMalformed()
    {
        QFETCH(QString, phc);
        const PasswordHasher hasher(kFastParams);
        QVERIFY(!hasher.verify(phc, QStringLiteral("pw")));
        // A truncated digest can still be syntactically valid with our params.
        if (!PasswordHasher::isArgon2idPhc(phc))
            QVERIFY(hasher.needsRehash(phc));
    }

    void isArgon2idPhc_data()
    {
        QTest::addColumn<QString>("phc");
        QTest::addColumn<bool>("valid");
        const QString salt = QStringLiteral("c29tZXNhbHRzb21lc2FsdA");
        const QString digest = QStringLiteral("8HX9xMcIO4Zsu2fhrQ9Qj84SEkzRsTStJaGpdH5OcWI");
        const auto make = [&](const QString &params) {
            return QStringLiteral("$argon2id$v=19$") + params + QLatin1Char('$') + salt
                + QLatin1Char('$') + digest;
        };
        QTest::newRow("generated") << PasswordHasher(kFastParams).hash(QStringLiteral("x")) << true;
        QTest::newRow("owasp") << make(QStringLiteral("m=19456,t=2,p=1")) << true;
        QTest::newRow("min bounds") << make(QStringLiteral("m=8,t=1,p=1")) << true;
        QTest::newRow("max bounds") << make(QStringLiteral("m=4194304,t=100,p=1")) << true;
        QTest::newRow("m too small") << make(QStringLiteral("m=7,t=1,p=1")) << false;
        QTest::newRow("m too large") << make(QStringLiteral("m=4194305,t=1,p=1")) << false;
        QTest::newRow("t zero") << make(QStringLiteral("m=19456,t=0,p=1")) << false;
        QTest::newRow("t too large") << make(QStringLiteral("m=19456,t=101,p=1")) << false;
        QTest::newRow("p=2") << make(QStringLiteral("m=19456,t=2,p=2")) << false;
        QTest::newRow("leading zero") << make(QStringLiteral("m=019456,t=2,p=1")) << false;
        QTest::newRow("plus sign") << make(QStringLiteral("m=+19456,t=2,p=1")) << false;
        QTest::newRow("params reordered") << make(QStringLiteral("t=2,m=19456,p=1")) << false;
        QTest::newRow("missing p") << make(QStringLiteral("m=19456,t=2")) << false;
        QTest::newRow("huge number") << make(QStringLiteral("m=99999999999999999999,t=2,p=1")) << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("argon2i")
            << QStringLiteral("$argon2i$v=19$m=19456,t=2,p=1$") + salt + QLatin1Char('$') + digest << false;
        QTest::newRow("upper case")
            << QStringLiteral("$ARGON2ID$v=19$m=19456,t=2,p=1$") + salt + QLatin1Char('$') + digest << false;
        QTest::newRow("v=16")
            << QStringLiteral("$argon2id$v=16$m=19456,t=2,p=1$") + salt + QLatin1Char('$') + digest << false;
        QTest::newRow("no version")
            << QStringLiteral("$argon2id$m=19456,t=2,p=1$") + salt + QLatin1Char('$') + digest << false;
        QTest::newRow("bcrypt") << QStringLiteral("$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")
                                << false;
        QTest::newRow("salt too short")
            << QStringLiteral("$argon2id$v=19$m=19456,t=2,p=1$c29tZQ$") + digest << false;
        QTest::newRow("empty hash")
            << QStringLiteral("$argon2id$v=19$m=19456,t=2,p=1$") + salt + QLatin1Char('$') << false;
        QTest::newRow("padded salt")
            << QStringLiteral("$argon2id$v=19$m=19456,t=2,p=1$") + salt + QStringLiteral("==$") + digest
            << false;
        QTest::newRow("url alphabet in hash") << make(QStringLiteral("m=19456,t=2,p=1")).replace(
                                                    QLatin1Char('9'), QLatin1Char('-'))
                                             << false;
        QTest::newRow("trailing space") << make(QStringLiteral("m=19456,t=2,p=1")) + QLatin1Char(' ')
                                        << false;
        QTest::newRow("extra section") << make(QStringLiteral("m=19456,t=2,p=1")) + QStringLiteral("$AAAA")
                                       << false;
    }

    void isArgon2idPhc()
    {
        QFETCH(QString, phc);
        QFETCH(bool, valid);
        QCOMPARE(PasswordHasher::isArgon2idPhc(phc), valid);
    }

};

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_passwordhasher.moc"
