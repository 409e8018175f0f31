// PasswordPolicy: NIST SP 800-63B 5.1.1.2 / OWASP ASVS 2.1 rules as table rows.
// Pure rules, no storage: no backend rows needed.
#include "auth/PasswordPolicy.h"
#include "core/DomainError.h"
#include "domain/RealmSettings.h"

#include <QTest>

using namespace authrealm;

class tst_PasswordPolicy : public QObject
{
    Q_OBJECT
private slots:
    void rules_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<int>("minimumLength");
        QTest::addColumn<int>("minimumStrength");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("messagePart");

        // ASVS 2.1.1: at least 8 characters.
        QTest::newRow("7 chars refused") << "Xk7#pQ2" << 8 << 0 << false << "at least 8";
        QTest::newRow("8 chars accepted") << "Xk7#pQ2z" << 8 << 0 << true << "";
        // Code points, not UTF-16 units: 4 emoji are 4 characters.
        QTest::newRow("emoji count once") << QString::fromUtf8("\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91\xF0\x9F\x94\x91") << 8 << 0
                                          << false << "at least 8";
        // Realm setting passwordMinLength.
        QTest::newRow("realm minimum 12, 11 refused") << "Zq8vLm3Tr0w" << 12 << 0 << false << "at least 12";
        QTest::newRow("realm minimum 12, 12 accepted") << "Zq8vLm3Tr0wX" << 12 << 0 << true << "";
        // ASVS 2.1.2: at least 64 allowed; we allow 1024.
        QTest::newRow("64 chars accepted") << QString(64, u'q').replace(10, 5, QStringLiteral("Z9!xv")) << 8 << 0 << true << "";
        QTest::newRow("1024 chars accepted") << QString(1024, u'w').replace(0, 4, QStringLiteral("Zk3!")) << 8 << 0 << true << "";
        QTest::newRow("1025 chars refused") << QString(1025, u'w') << 8 << 0 << false << "at most 1024";
        // ASVS 2.1.7 / NIST: refuse common passwords, case-insensitively.
        QTest::newRow("common: password123") << "password123" << 8 << 0 << false << "most commonly used";
        QTest::newRow("common, other case: PassWord123") << "PassWord123" << 8 << 0 << false << "most commonly used";
        QTest::newRow("common: qwertyuiop") << "qwertyuiop" << 8 << 0 << false << "most commonly used";
        QTest::newRow("common: 1q2w3e4r5t") << "1q2w3e4r5t" << 8 << 0 << false << "most commonly used";
        // ASVS 2.1.9: no composition rules: all lower case, no digits is fine.
        QTest::newRow("no composition rules") << "correct horse battery staple" << 8 << 0 << true << "";
        // Optional zxcvbn strength.
        QTest::newRow("strength 3: repeated letters refused") << "aaaaaaaaaaaaaaaa" << 8 << 3 << false << "too easy to guess";
        QTest::newRow("strength 3: keyboard walk refused") << "asdfghjkl;'" << 8 << 3 << false << "too easy to guess";
        QTest::newRow("strength 3: passphrase accepted") << "violet tractor mumbles at noon" << 8 << 3 << true << "";
        QTest::newRow("strength 0: weak but not common accepted") << "aaaaaaaaaaaaaaaa" << 8 << 0 << true << "";
    }
    void rules()
    {
        QFETCH(QString, password);
        QFETCH(int, minimumLength);
        QFETCH(int, minimumStrength);
        QFETCH(bool, accepted);
        QFETCH(QString, messagePart);
        PasswordPolicy policy;
        policy.minimumLength = minimumLength;
        policy.minimumStrength = minimumStrength;
        try {
            policy.check(password);
            QVERIFY2(accepted, "the policy accepted a password it should refuse");
        } catch (const DomainError &e) {
            QVERIFY2(!accepted, qPrintable(e.message()));
            QCOMPARE(e.code(), ErrorCode::WeakPassword);
            QVERIFY2(e.message().contains(messagePart), qPrintable(e.message()));
        }
    }

    void theListHasTenThousandEntries()
    {
        // The first and the 10,000th entry of zxcvbn's ranked list are in; a
        // strong random string is not.
        QVERIFY(PasswordPolicy::isCommon(QStringLiteral("123456")));
        QVERIFY(PasswordPolicy::isCommon(QStringLiteral("PASSWORD")));
        QVERIFY(!PasswordPolicy::isCommon(QStringLiteral("kT9#vQ2!mZ")));
        QVERIFY(!PasswordPolicy::isCommon(QStringLiteral("# The 10,000 most common passwords, most common first, one per line.")));
    }

    void userInputsLowerTheScore()
    {
        const QString password = QStringLiteral("margaret.hamilton1936");
        QVERIFY(PasswordPolicy::strengthScore(password, {QStringLiteral("margaret.hamilton1936@example.com")})
                < PasswordPolicy::strengthScore(password));
    }

    void realmSettingsFeedThePolicy()
    {
        RealmSettings settings;
        QCOMPARE(PasswordPolicy::forRealm(settings).minimumLength, 8);
        QCOMPARE(PasswordPolicy::forRealm(settings).minimumStrength, 0);
        settings.set(QStringLiteral("passwordMinLength"), 14);
        settings.set(QStringLiteral("passwordMinStrength"), 2);
        QCOMPARE(PasswordPolicy::forRealm(settings).minimumLength, 14);
        QCOMPARE(PasswordPolicy::forRealm(settings).minimumStrength, 2);
        // Below the ASVS floor and above zxcvbn's scale are refused.
        for (const auto &[name, value] : {std::pair{"passwordMinLength", 7}, std::pair{"passwordMinStrength", 5}}) {
            try {
                settings.set(QString::fromLatin1(name), value);
                QFAIL(name);
            } catch (const DomainError &e) {
                QCOMPARE(e.code(), ErrorCode::InvalidRequest);
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_PasswordPolicy)
#include "tst_passwordpolicy.moc"
