// Sign-in security in the model, on every backend: TOTP (RFC 6238 vectors and
// the oathtool binary), enrolment, two-step sign-in, replay, backup codes,
// challenge expiry and exhaustion, step-up, admin reset; the database-backed
// brute-force throttle (exact counts under 50 parallel attempts, back-off,
// per-address limit, unlock); own sessions; hierarchical token lifetimes and
// the refresh idle timeout. Time only moves through the ManualClock.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/DomainError.h"
#include "crypto/Base64Url.h"
#include "crypto/Totp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>
#include <QThreadPool>
#include <QUrlQuery>

#include <atomic>

using namespace authrealm;
using test::errorOf;

namespace {
const QString kRealm = QStringLiteral("acme");
const QString kPassword = QStringLiteral("SecurePassword123!");
const QString kGuest = QStringLiteral("guest@example.com");
const QString kOther = QStringLiteral("other@example.com");
const ClientInfo kClient{QStringLiteral("203.0.113.7"), QStringLiteral("tst_signinsecurity")};
const ClientInfo kElsewhere{QStringLiteral("198.51.100.9"), QStringLiteral("tst_signinsecurity")};

QJsonObject sampleRealm()
{
    return QJsonDocument::fromJson(R"({"realm": "acme", "displayName": "Acme",
        "settings": {"accessTokenLifetime": 900, "refreshTokenLifetime": 3600, "sessionMaxLifetime": 7200},
        "apps": [{"id": "plantaerium", "displayName": "Plantaerium",
                  "roles": [{"name": "ContentEditor", "scopes": ["blogs:read", "blogs:write", "events:read"]}]}],
        "users": [{"email": "guest@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]},
                  {"email": "other@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]}]})").object();
}

QJsonObject jwtPayload(const QString &jwt)
{
    return QJsonDocument::fromJson(base64UrlDecode(jwt.section(u'.', 1, 1)).value_or(QByteArray())).object();
}

AdminActor master()
{
    return AdminActor{QStringLiteral("console:test"), {AdminGrant{AdminGrant::Layer::Master, {}, {}}}, false, {}, {}};
}
} // namespace

class tst_SignInSecurity : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

    const AuthService &auth() { return m_core->auth(); }

    void makeCore(LifetimeBounds bounds = {})
    {
        m_core.reset();
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        CoreOptions options = test::coreOptions(m_scratch->config(), m_clock.get());
        options.lifetimeBounds = bounds;
        m_core = std::make_unique<AuthRealmCore>(options);
        m_core->transfer().importRealm(sampleRealm(), QStringLiteral("test"));
    }

    void setSetting(const QString &name, qint64 value)
    {
        (void)m_core->admin().updateSettings(master(), kRealm, QJsonObject{{name, value}});
    }

    TokenPair signIn(const QString &email = kGuest, const ClientInfo &client = kClient)
    {
        const SignInResult r = auth().login(kRealm, email, kPassword, {}, client);
        if (r.mfaRequired())
            throw std::runtime_error("unexpected MFA challenge");
        return *r.tokens;
    }

    Principal principal(const TokenPair &pair) { return m_core->authenticator().authenticate(kRealm, pair.accessToken, kClient); }

    int countEvents(const QString &kind)
    {
        AuditQuery q;
        q.realmIds = QStringList{kRealm};
        q.kinds = QStringList{kind};
        q.limit = 500;
        return int(m_core->audit().query(q).size());
    }

    QString codeNow(const QString &secret, qint64 offsetSteps = 0)
    {
        return Totp::code(Totp::base32Decode(secret).value(), Totp::stepAt(m_clock->nowSeconds()) + offsetSteps);
    }

    // Enrols and confirms TOTP for `email`; returns the secret (base32) and fills the backup codes.
    QString enableTotp(const QString &email, QStringList *backupCodes = nullptr)
    {
        const Principal p = principal(signIn(email));
        const MfaService::Enrolment e = m_core->mfa().enroll(p, kClient);
        const QStringList codes = m_core->mfa().confirm(p, codeNow(e.secret), kClient);
        if (backupCodes)
            *backupCodes = codes;
        m_clock->advanceSeconds(30); // the confirming code's step is spent
        return e.secret;
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init() { makeCore(); }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    // ---- TOTP primitive ---------------------------------------------------

    void rfc6238Vectors_data()
    {
        // RFC 6238 Appendix B, HMAC-SHA-1 rows (seed "12345678901234567890", 8 digits).
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("expected");
        QTest::newRow("59") << qint64(59) << "94287082";
        QTest::newRow("1111111109") << qint64(1111111109) << "07081804";
        QTest::newRow("1111111111") << qint64(1111111111) << "14050471";
        QTest::newRow("1234567890") << qint64(1234567890) << "89005924";
        QTest::newRow("2000000000") << qint64(2000000000) << "69279037";
        QTest::newRow("20000000000") << qint64(20000000000) << "65353130";
    }
    void rfc6238Vectors()
    {
        QFETCH(qint64, time);
        QFETCH(QString, expected);
        const QByteArray seed("12345678901234567890");
        QCOMPARE(Totp::code(seed, Totp::stepAt(time), 8), expected);
        // Six digits are the last six of the eight (same truncation, smaller modulus).
        QCOMPARE(Totp::code(seed, Totp::stepAt(time)), expected.right(6));
    }

    void base32_data()
    {
        // RFC 4648 §10 test vectors, without padding.
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QString>("encoded");
        QTest::newRow("empty") << QByteArray() << "";
        QTest::newRow("f") << QByteArray("f") << "MY";
        QTest::newRow("fo") << QByteArray("fo") << "MZXQ";
        QTest::newRow("foo") << QByteArray("foo") << "MZXW6";
        QTest::newRow("foob") << QByteArray("foob") << "MZXW6YQ";
        QTest::newRow("fooba") << QByteArray("fooba") << "MZXW6YTB";
        QTest::newRow("foobar") << QByteArray("foobar") << "MZXW6YTBOI";
    }
    void base32()
    {
        QFETCH(QByteArray, plain);
        QFETCH(QString, encoded);
        QCOMPARE(Totp::base32Encode(plain), encoded);
        QCOMPARE(Totp::base32Decode(encoded).value(), plain);
        QCOMPARE(Totp::base32Decode(encoded.toLower()).value(), plain);
        QVERIFY(!Totp::base32Decode(encoded + u'1').has_value()); // '1' is not in the alphabet
    }

    void oathtoolAgrees_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::newRow("epoch+59") << qint64(59);
        QTest::newRow("2026-01-01") << qint64(1767225600);
        QTest::newRow("step boundary -1") << qint64(1767225629);
        QTest::newRow("2040") << qint64(2208988800);
    }
    void oathtoolAgrees()
    {
        QFETCH(qint64, time);
        const QByteArray secret = Totp::newSecret();
        const QString b32 = Totp::base32Encode(secret);
        QProcess oathtool;
        oathtool.start(QStringLiteral("oathtool"), {QStringLiteral("--totp"), QStringLiteral("-b"), QStringLiteral("--now"),
                                                    QStringLiteral("@%1").arg(time), b32});
        QVERIFY2(oathtool.waitForFinished(10000), "oathtool (Debian package oathtool) must be installed");
        QCOMPARE(oathtool.exitCode(), 0);
        QCOMPARE(QString::fromLatin1(oathtool.readAllStandardOutput()).trimmed(), Totp::code(secret, Totp::stepAt(time)));
    }

    void provisioningUri()
    {
        const QString uri = Totp::provisioningUri(QStringLiteral("Acme Corp"), QStringLiteral("guest@example.com"), QStringLiteral("JBSWY3DP"));
        QCOMPARE(uri, QStringLiteral("otpauth://totp/Acme%20Corp:guest%40example.com?secret=JBSWY3DP&issuer=Acme%20Corp"
                                     "&algorithm=SHA1&digits=6&period=30"));
    }

    // ---- enrolment and two-step sign-in ------------------------------------

    void enrolConfirmTwoStepSignIn()
    {
        const TokenPair first = signIn();
        const Principal p = principal(first);
        const MfaService::Enrolment e = m_core->mfa().enroll(p, kClient);
        QCOMPARE(Totp::base32Decode(e.secret)->size(), Totp::kSecretBytes);
        QVERIFY(e.uri.startsWith(QStringLiteral("otpauth://totp/Acme:guest%40example.com?secret=") + e.secret));
        // Pending: sign-in still needs no second factor, and the secret is sealed at rest.
        QVERIFY(!m_core->mfa().enabled(p.userId));
        QVERIFY(!auth().login(kRealm, kGuest, kPassword, {}, kClient).mfaRequired());
        QSqlQuery q(m_core->database().connection());
        QVERIFY(q.exec(QStringLiteral("SELECT secret_sealed FROM totp_credentials")) && q.next());
        QVERIFY(!q.value(0).toString().contains(e.secret));
        QVERIFY(!QByteArray::fromBase64(q.value(0).toString().toLatin1()).contains(*Totp::base32Decode(e.secret)));
        q.finish();

        // A wrong code does not confirm.
        QCOMPARE(errorOf([&] { (void)m_core->mfa().confirm(p, codeNow(e.secret, 5), kClient); }), ErrorCode::InvalidOtp);
        const QStringList backup = m_core->mfa().confirm(p, codeNow(e.secret), kClient);
        QCOMPARE(backup.size(), 10);
        QCOMPARE(QSet<QString>(backup.begin(), backup.end()).size(), 10);
        QVERIFY(m_core->mfa().enabled(p.userId));
        // Backup codes are stored only as hashes.
        QVERIFY(q.exec(QStringLiteral("SELECT code_hash FROM totp_backup_codes")));
        int rows = 0;
        while (q.next()) {
            ++rows;
            for (const QString &code : backup)
                QVERIFY(!q.value(0).toString().contains(QString(code).remove(u'-')));
        }
        QCOMPARE(rows, 10);
        q.finish();
        // Enrolling again is refused while TOTP is on.
        QCOMPARE(errorOf([&] { (void)m_core->mfa().enroll(p, kClient); }), ErrorCode::Conflict);

        m_clock->advanceSeconds(30);
        const SignInResult step1 = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        QVERIFY(step1.mfaRequired());
        QVERIFY(step1.challengeId.startsWith(QStringLiteral("mfa_")));
        QCOMPARE(step1.challengeExpiresIn, 300);
        const TokenPair done = auth().loginWithSecondFactor(kRealm, step1.challengeId, codeNow(e.secret), kClient);
        const QJsonObject claims = jwtPayload(done.accessToken);
        QCOMPARE(claims.value(QStringLiteral("amr")).toArray(), (QJsonArray{QStringLiteral("pwd"), QStringLiteral("otp")}));
        QCOMPARE(qint64(claims.value(QStringLiteral("mfa_at")).toDouble()), m_clock->nowSeconds());
        // A password-only token carries amr ["pwd"] and no mfa_at.
        const QJsonObject pwdOnly = jwtPayload(first.accessToken);
        QCOMPARE(pwdOnly.value(QStringLiteral("amr")).toArray(), QJsonArray{QStringLiteral("pwd")});
        QVERIFY(!pwdOnly.contains(QStringLiteral("mfa_at")));
        // A refresh keeps amr and mfa_at.
        m_clock->advanceSeconds(60);
        const TokenPair refreshed = auth().refresh(kRealm, done.refreshToken, kClient);
        QCOMPARE(jwtPayload(refreshed.accessToken).value(QStringLiteral("amr")), claims.value(QStringLiteral("amr")));
        QCOMPARE(jwtPayload(refreshed.accessToken).value(QStringLiteral("mfa_at")), claims.value(QStringLiteral("mfa_at")));
        // The challenge is single use.
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, step1.challengeId, codeNow(e.secret), kClient); }),
                 ErrorCode::InvalidMfaChallenge);
    }

    void confirmingEndsOtherSessions()
    {
        const TokenPair elsewhere = signIn();
        const TokenPair here = signIn();
        const Principal p = principal(here);
        const MfaService::Enrolment e = m_core->mfa().enroll(p, kClient);
        (void)m_core->mfa().confirm(p, codeNow(e.secret), kClient);
        QCOMPARE(errorOf([&] { (void)principal(elsewhere); }), ErrorCode::InvalidToken);
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, elsewhere.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        (void)principal(here); // the session that did it stays
    }

    void replayedCodeRefused()
    {
        const QString secret = enableTotp(kGuest);
        const QString code = codeNow(secret);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        (void)auth().loginWithSecondFactor(kRealm, a.challengeId, code, kClient);
        // Same code, same step, fresh challenge: refused.
        const SignInResult b = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, b.challengeId, code, kClient); }), ErrorCode::InvalidOtp);
        // The previous step's code (still inside the ±1 window) is refused too: steps only move forward.
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, b.challengeId, codeNow(secret, -1), kClient); }), ErrorCode::InvalidOtp);
        // The next step is accepted (clock skew of one step).
        (void)auth().loginWithSecondFactor(kRealm, b.challengeId, codeNow(secret, 1), kClient);
    }

    void windowIsOneStep_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("-2 steps") << -2 << false;
        QTest::newRow("-1 step") << -1 << true;
        QTest::newRow("now") << 0 << true;
        QTest::newRow("+1 step") << 1 << true;
        QTest::newRow("+2 steps") << 2 << false;
    }
    void windowIsOneStep()
    {
        QFETCH(int, offset);
        QFETCH(bool, accepted);
        const QString secret = enableTotp(kGuest);
        m_clock->advanceSeconds(120);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        const ErrorCode error = errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, a.challengeId, codeNow(secret, offset), kClient); });
        QCOMPARE(error, accepted ? ErrorCode::Internal : ErrorCode::InvalidOtp);
    }

    void backupCodeSingleUse()
    {
        QStringList backup;
        (void)enableTotp(kGuest, &backup);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        // Typed in lower case with a space instead of the dash: still the code.
        const QString typed = backup.at(3).toLower().replace(u'-', u' ');
        const TokenPair pair = auth().loginWithSecondFactor(kRealm, a.challengeId, typed, kClient);
        QCOMPARE(jwtPayload(pair.accessToken).value(QStringLiteral("amr")).toArray(), (QJsonArray{QStringLiteral("pwd"), QStringLiteral("otp")}));
        const SignInResult b = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, b.challengeId, backup.at(3), kClient); }), ErrorCode::InvalidOtp);
        (void)auth().loginWithSecondFactor(kRealm, b.challengeId, backup.at(4), kClient);
        // Another user's backup code is no code for this one.
        QStringList otherBackup;
        (void)enableTotp(kOther, &otherBackup);
        const SignInResult c = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, c.challengeId, otherBackup.at(0), kClient); }), ErrorCode::InvalidOtp);
    }

    void challengeExpires()
    {
        const QString secret = enableTotp(kGuest);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        m_clock->advanceSeconds(299);
        const SignInResult b = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        m_clock->advanceSeconds(2); // a: 301 s old, b: 2 s old
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, a.challengeId, codeNow(secret), kClient); }),
                 ErrorCode::InvalidMfaChallenge);
        (void)auth().loginWithSecondFactor(kRealm, b.challengeId, codeNow(secret), kClient);
    }

    void challengeDiesAfterFiveWrongCodes()
    {
        const QString secret = enableTotp(kGuest);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, a.challengeId, QStringLiteral("000000"), kClient); }),
                     codeNow(secret) == QStringLiteral("000000") ? ErrorCode::Internal : ErrorCode::InvalidOtp);
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, a.challengeId, codeNow(secret), kClient); }),
                 ErrorCode::InvalidMfaChallenge);
        // Garbage and other realms' ids are the same dead end.
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, QStringLiteral("mfa_nope"), codeNow(secret), kClient); }),
                 ErrorCode::InvalidMfaChallenge);
        QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, QString(), codeNow(secret), kClient); }),
                 ErrorCode::InvalidMfaChallenge);
        // Wrong codes count against the account like wrong passwords do.
        QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, 5);
    }

    void stepUpGivesFreshMfaAt()
    {
        const QString secret = enableTotp(kGuest);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        const TokenPair signedIn = auth().loginWithSecondFactor(kRealm, a.challengeId, codeNow(secret), kClient);
        const qint64 firstMfaAt = qint64(jwtPayload(signedIn.accessToken).value(QStringLiteral("mfa_at")).toDouble());
        m_clock->advanceSeconds(600);
        const Principal p = principal(signedIn);
        QCOMPARE(errorOf([&] { (void)auth().stepUp(p, QStringLiteral("12345"), kClient); }), ErrorCode::InvalidOtp);
        const TokenPair fresh = auth().stepUp(p, codeNow(secret), kClient);
        const QJsonObject claims = jwtPayload(fresh.accessToken);
        QCOMPARE(qint64(claims.value(QStringLiteral("mfa_at")).toDouble()), firstMfaAt + 600);
        QCOMPARE(claims.value(QStringLiteral("sid")), jwtPayload(signedIn.accessToken).value(QStringLiteral("sid")));
        // The new refresh token works and keeps the fresh mfa_at; the old one is spent.
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, signedIn.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        const TokenPair refreshed = auth().refresh(kRealm, fresh.refreshToken, kClient);
        QCOMPARE(jwtPayload(refreshed.accessToken).value(QStringLiteral("mfa_at")), claims.value(QStringLiteral("mfa_at")));
        // Without TOTP there is nothing to step up with.
        const Principal other = principal(signIn(kOther));
        QCOMPARE(errorOf([&] { (void)auth().stepUp(other, QStringLiteral("123456"), kClient); }), ErrorCode::MfaNotEnabled);
    }

    void disableNeedsACode()
    {
        QStringList backup;
        const QString secret = enableTotp(kGuest, &backup);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        const TokenPair pair = auth().loginWithSecondFactor(kRealm, a.challengeId, codeNow(secret), kClient);
        const Principal p = principal(pair);
        QCOMPARE(errorOf([&] { m_core->mfa().disable(p, QStringLiteral("999999x"), kClient); }), ErrorCode::InvalidOtp);
        m_core->mfa().disable(p, backup.at(0), kClient);
        QVERIFY(!m_core->mfa().enabled(p.userId));
        QVERIFY(!auth().login(kRealm, kGuest, kPassword, {}, kClient).mfaRequired());
    }

    void adminResetsTotp()
    {
        const QString secret = enableTotp(kGuest);
        const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        const TokenPair pair = auth().loginWithSecondFactor(kRealm, a.challengeId, codeNow(secret), kClient);
        const QString userId = principal(pair).userId;
        QVERIFY(m_core->admin().resetTotp(master(), kRealm, userId));
        QCOMPARE(errorOf([&] { (void)principal(pair); }), ErrorCode::InvalidToken); // sessions ended
        QVERIFY(!auth().login(kRealm, kGuest, kPassword, {}, kClient).mfaRequired());
        QVERIFY(!m_core->admin().resetTotp(master(), kRealm, userId));
        QCOMPARE(errorOf([&] { (void)m_core->admin().resetTotp(master(), kRealm, QStringLiteral("no-such-user")); }), ErrorCode::NotFound);
        const AdminActor globexAdmin{QStringLiteral("user:x"), {AdminGrant{AdminGrant::Layer::Realm, QStringLiteral("globex"), {}}}, false, {}, {}};
        QCOMPARE(errorOf([&] { (void)m_core->admin().resetTotp(globexAdmin, kRealm, userId); }), ErrorCode::Forbidden);
        QCOMPARE(countEvents(QStringLiteral("admin.user.mfa_reset")), 2);
    }

    // ---- brute-force protection ---------------------------------------------

    void parallelWrongPasswordsCannotRacePastTheThreshold()
    {
        std::atomic<int> wrong{0}, throttled{0}, other{0};
        QThreadPool pool;
        pool.setMaxThreadCount(8);
        for (int i = 0; i < 50; ++i) {
            pool.start([&] {
                const ErrorCode e = errorOf([&] { (void)auth().login(kRealm, kGuest, QStringLiteral("wrong-password"), {}, kClient); });
                if (e == ErrorCode::InvalidCredentials)
                    ++wrong;
                else if (e == ErrorCode::TooManyAttempts)
                    ++throttled;
                else
                    ++other;
            });
        }
        pool.waitForDone();
        qInfo() << "50 parallel wrong passwords:" << wrong.load() << "checked," << throttled.load() << "refused while locked";
        QCOMPARE(other.load(), 0);
        QCOMPARE(wrong.load(), 10);      // exactly lockoutThreshold passwords were ever checked
        QCOMPARE(throttled.load(), 40);
        QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, 10);
        QVERIFY(m_core->throttle().accountState(kRealm, kGuest).lockedUntil > m_clock->nowMs());
        // The right password is refused as well while locked.
        QCOMPARE(errorOf([&] { (void)auth().login(kRealm, kGuest, kPassword, {}, kClient); }), ErrorCode::TooManyAttempts);
        QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, 10);
        // Another account from the same address is not affected.
        (void)signIn(kOther);
    }

    void lockoutExpiresAndBacksOffExponentially()
    {
        setSetting(QStringLiteral("lockoutThreshold"), 3);
        setSetting(QStringLiteral("lockoutBaseSeconds"), 60);
        setSetting(QStringLiteral("lockoutMaxSeconds"), 200);
        const auto wrongOnce = [&] { return errorOf([&] { (void)auth().login(kRealm, kGuest, QStringLiteral("nope"), {}, kClient); }); };
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials);
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials);
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials); // third: locks for 60 s
        QCOMPARE(wrongOnce(), ErrorCode::TooManyAttempts);
        try {
            (void)auth().login(kRealm, kGuest, kPassword, {}, kClient);
            QFAIL("locked account signed in");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::TooManyAttempts);
            QCOMPARE(e.retryAfterSeconds(), 60);
        }
        m_clock->advanceSeconds(61);
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials); // fourth failure: 120 s
        m_clock->advanceSeconds(61);
        QCOMPARE(errorOf([&] { (void)auth().login(kRealm, kGuest, kPassword, {}, kClient); }), ErrorCode::TooManyAttempts);
        m_clock->advanceSeconds(60);
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials); // fifth: 240 s, capped at 200
        m_clock->advanceSeconds(199);
        QCOMPARE(errorOf([&] { (void)auth().login(kRealm, kGuest, kPassword, {}, kClient); }), ErrorCode::TooManyAttempts);
        m_clock->advanceSeconds(2);
        (void)signIn(); // success resets
        QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, 0);
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials);
        QCOMPARE(wrongOnce(), ErrorCode::InvalidCredentials);
        (void)signIn();
    }

    void staleCountersArePruned()
    {
        setSetting(QStringLiteral("lockoutThreshold"), 2);
        for (int i = 0; i < 2; ++i)
            (void)errorOf([&] { (void)auth().login(kRealm, kGuest, QStringLiteral("x"), {}, kClient); });
        (void)signIn(kOther);
        // Only other's counter, reset by the success, can go: guest's lock is in force, the address window is open.
        QCOMPARE(m_core->throttle().pruneStale(), 1);
        m_clock->advanceSeconds(43200 + 1);
        QCOMPARE(m_core->throttle().pruneStale(), 2); // guest's account row and the address row
        QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, 0);
        (void)signIn();
    }

    void unknownAccountsLockLikeKnownOnes()
    {
        setSetting(QStringLiteral("lockoutThreshold"), 2);
        for (const QString &email : {kGuest, QStringLiteral("ghost@example.com")}) {
            QCOMPARE(errorOf([&] { (void)auth().login(kRealm, email, QStringLiteral("x"), {}, kClient); }), ErrorCode::InvalidCredentials);
            QCOMPARE(errorOf([&] { (void)auth().login(kRealm, email.toUpper(), QStringLiteral("x"), {}, kClient); }), ErrorCode::InvalidCredentials);
            QCOMPARE(errorOf([&] { (void)auth().login(kRealm, email, kPassword, {}, kClient); }), ErrorCode::TooManyAttempts);
        }
    }

    void perSourceLimit()
    {
        setSetting(QStringLiteral("sourceFailureLimit"), 5);
        setSetting(QStringLiteral("sourceWindowSeconds"), 900);
        for (int i = 0; i < 5; ++i) {
            const QString email = QStringLiteral("spray%1@example.com").arg(i);
            QCOMPARE(errorOf([&] { (void)auth().login(kRealm, email, QStringLiteral("x"), {}, kClient); }), ErrorCode::InvalidCredentials);
        }
        // The address is spent: even a right password of an untouched account is refused from it...
        QCOMPARE(errorOf([&] { (void)auth().login(kRealm, kOther, kPassword, {}, kClient); }), ErrorCode::TooManyAttempts);
        // ...but not from another address, and the account itself is not locked.
        (void)signIn(kOther, kElsewhere);
        QCOMPARE(m_core->throttle().accountState(kRealm, kOther).failures, 0);
        // Successes do not use up the address's budget.
        for (int i = 0; i < 10; ++i)
            (void)signIn(kGuest, kElsewhere);
        m_clock->advanceSeconds(901);
        (void)signIn(kOther, kClient);
    }

    void wrongTotpCodesLockTheAccount()
    {
        setSetting(QStringLiteral("lockoutThreshold"), 4);
        const QString secret = enableTotp(kGuest);
        // One wrong code per challenge, a fresh password sign-in each time: the
        // right password must not reset the count of wrong codes.
        for (int round = 0; round < 4; ++round) {
            const SignInResult a = auth().login(kRealm, kGuest, kPassword, {}, kClient);
            QVERIFY(a.mfaRequired());
            QCOMPARE(errorOf([&] { (void)auth().loginWithSecondFactor(kRealm, a.challengeId, QStringLiteral("ABCDE-FGHIJ"), kClient); }),
                     ErrorCode::InvalidOtp);
            QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, round + 1);
        }
        // The fourth wrong code locked the account: password and code are both refused now.
        QCOMPARE(errorOf([&] { (void)auth().login(kRealm, kGuest, kPassword, {}, kClient); }), ErrorCode::TooManyAttempts);
        m_clock->advanceSeconds(61);
        const SignInResult b = auth().login(kRealm, kGuest, kPassword, {}, kClient);
        QVERIFY(b.mfaRequired());
        (void)auth().loginWithSecondFactor(kRealm, b.challengeId, codeNow(secret), kClient);
        QCOMPARE(m_core->throttle().accountState(kRealm, kGuest).failures, 0); // the completed sign-in clears them
    }

    void adminUnlock()
    {
        setSetting(QStringLiteral("lockoutThreshold"), 2);
        for (int i = 0; i < 3; ++i)
            (void)errorOf([&] { (void)auth().login(kRealm, kGuest, QStringLiteral("x"), {}, kClient); });
        QCOMPARE(errorOf([&] { (void)signIn(); }), ErrorCode::TooManyAttempts);
        const QString userId = m_core->users().findByLogin(kRealm, kGuest)->id;
        QVERIFY(m_core->admin().unlockUser(master(), kRealm, userId));
        (void)signIn();
        QVERIFY(!m_core->admin().unlockUser(master(), kRealm, userId));
        const AdminActor readOnly{QStringLiteral("apikey:ro"), {AdminGrant{AdminGrant::Layer::Master, {}, {}}}, true, {}, {}};
        QCOMPARE(errorOf([&] { (void)m_core->admin().unlockUser(readOnly, kRealm, userId); }), ErrorCode::Forbidden);
    }

    void lockoutsAreAudited()
    {
        setSetting(QStringLiteral("lockoutThreshold"), 2);
        for (int i = 0; i < 3; ++i)
            (void)errorOf([&] { (void)auth().login(kRealm, kGuest, QStringLiteral("x"), {}, kClient); });
        QCOMPARE(countEvents(QStringLiteral("login.lockout")), 1);
        QCOMPARE(countEvents(QStringLiteral("login.throttled")), 1);
    }

    // ---- sessions -------------------------------------------------------------

    void ownSessions()
    {
        const TokenPair a = signIn(kGuest, kClient);
        m_clock->advanceSeconds(1);
        const TokenPair b = signIn(kGuest, kElsewhere);
        m_clock->advanceSeconds(1);
        const TokenPair c = signIn(kGuest, kClient);
        const TokenPair theirs = signIn(kOther);
        const Principal me = principal(c);

        SessionService::Page page = m_core->mySessions().list(me, {}, 2);
        QCOMPARE(page.items.size(), 2);
        QVERIFY(!page.nextCursorKey.isEmpty());
        const SessionService::Page rest = m_core->mySessions().list(me, page.nextCursorKey, 2);
        QCOMPARE(rest.items.size(), 1);
        QVERIFY(rest.nextCursorKey.isEmpty());
        QCOMPARE(page.items.at(1).ip, kElsewhere.ip);
        QCOMPARE(rest.items.at(0).id, me.sessionId);

        // Another user's session looks like no session at all.
        QCOMPARE(errorOf([&] { m_core->mySessions().end(me, principal(theirs).sessionId, kClient); }), ErrorCode::NotFound);
        QCOMPARE(errorOf([&] { m_core->mySessions().end(me, QStringLiteral("nope"), kClient); }), ErrorCode::NotFound);
        m_core->mySessions().end(me, principal(a).sessionId, kClient);
        QCOMPARE(errorOf([&] { (void)principal(a); }), ErrorCode::InvalidToken); // refused at once
        QCOMPARE(errorOf([&] { m_core->mySessions().end(me, page.items.at(0).id, kClient); }), ErrorCode::NotFound); // already ended
        QCOMPARE(m_core->mySessions().endOthers(me, kClient), 1);
        QCOMPARE(errorOf([&] { (void)principal(b); }), ErrorCode::InvalidToken);
        (void)principal(c);
        (void)principal(theirs);
        QCOMPARE(m_core->mySessions().list(me, {}, 50).items.size(), 1);
    }

    void refreshRecordsLastUseAndAddress()
    {
        const TokenPair a = signIn(kGuest, kClient);
        const QString sid = principal(a).sessionId;
        m_clock->advanceSeconds(100);
        (void)auth().refresh(kRealm, a.refreshToken, ClientInfo{QStringLiteral("192.0.2.44"), QStringLiteral("new agent")});
        const Session s = *m_core->sessions().session(sid);
        QCOMPARE(s.lastUsedAt, m_clock->nowMs());
        QCOMPARE(s.ip, QStringLiteral("192.0.2.44"));
        QCOMPARE(s.userAgent, QStringLiteral("new agent"));
    }

    void suspendingEndsSessions()
    {
        const TokenPair a = signIn();
        const Principal p = principal(a);
        m_core->admin().setStatus(master(), kRealm, p.userId, UserStatus::Suspended);
        QVERIFY(m_core->revocations().isRevoked(p.sessionId));
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, a.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        QVERIFY(m_core->sessions().activeSessions(p.userId, m_clock->nowMs()).isEmpty());
    }

    // ---- token lifetimes ------------------------------------------------------

    void lifetimeHierarchy_data()
    {
        QTest::addColumn<qint64>("deploymentAccess");
        QTest::addColumn<qint64>("realmAccess");
        QTest::addColumn<qint64>("appAccess");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("realm tighter than deployment") << qint64(3600) << qint64(900) << qint64(0) << qint64(900);
        QTest::newRow("deployment caps realm") << qint64(600) << qint64(900) << qint64(0) << qint64(600);
        QTest::newRow("app tighter than realm") << qint64(3600) << qint64(900) << qint64(120) << qint64(120);
        QTest::newRow("app cannot exceed realm") << qint64(3600) << qint64(900) << qint64(1800) << qint64(900);
        QTest::newRow("app cannot exceed deployment") << qint64(300) << qint64(900) << qint64(600) << qint64(300);
    }
    void lifetimeHierarchy()
    {
        QFETCH(qint64, deploymentAccess);
        QFETCH(qint64, realmAccess);
        QFETCH(qint64, appAccess);
        QFETCH(qint64, expected);
        LifetimeBounds bounds;
        bounds.maxAccessTokenLifetime = deploymentAccess;
        makeCore(bounds);
        setSetting(QStringLiteral("accessTokenLifetime"), realmAccess);
        m_core->admin().setAppLifetimes(master(), kRealm, QStringLiteral("plantaerium"), AppLifetimes{appAccess, 0, 0});
        const TokenPair pair = signIn();
        QCOMPARE(pair.expiresIn, expected);
        const QJsonObject claims = jwtPayload(pair.accessToken);
        QCOMPARE(qint64(claims.value(QStringLiteral("exp")).toDouble() - claims.value(QStringLiteral("iat")).toDouble()), expected);
    }

    void refreshAndSessionLifetimes()
    {
        LifetimeBounds bounds;
        bounds.maxSessionLifetime = 5000;
        makeCore(bounds); // realm: refresh 3600, session 7200 (capped to 5000 by the deployment)
        m_core->admin().setAppLifetimes(master(), kRealm, QStringLiteral("plantaerium"), AppLifetimes{0, 1000, 0});
        TokenPair pair = signIn();
        const QString sid = principal(pair).sessionId;
        QCOMPARE(m_core->sessions().session(sid)->expiresAt - m_clock->nowMs(), 5000 * 1000);
        m_clock->advanceSeconds(1001); // the app's refresh lifetime is over
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        pair = signIn();
        for (int i = 0; i < 5; ++i) {
            m_clock->advanceSeconds(900);
            pair = auth().refresh(kRealm, pair.refreshToken, kClient);
        }
        m_clock->advanceSeconds(600); // 5100 s after sign-in: past the session's absolute lifetime
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        // Bad per-app values are refused with the range.
        QCOMPARE(errorOf([&] { m_core->admin().setAppLifetimes(master(), kRealm, QStringLiteral("plantaerium"), AppLifetimes{10, 0, 0}); }),
                 ErrorCode::InvalidRequest);
        QCOMPARE(errorOf([&] { m_core->admin().setAppLifetimes(master(), kRealm, QStringLiteral("nope"), AppLifetimes{600, 0, 0}); }),
                 ErrorCode::NotFound);
    }

    void appLifetimesSurviveExportAndImport()
    {
        m_core->admin().setAppLifetimes(master(), kRealm, QStringLiteral("plantaerium"), AppLifetimes{300, 0, 86400});
        QJsonObject exported = m_core->transfer().exportRealm(kRealm, QStringLiteral("test"));
        const QJsonObject app = exported.value(QStringLiteral("apps")).toArray().at(0).toObject();
        QCOMPARE(app.value(QStringLiteral("tokenLifetimes")).toObject(),
                 (QJsonObject{{QStringLiteral("accessTokenLifetime"), 300}, {QStringLiteral("sessionMaxLifetime"), 86400}}));
        exported.insert(QStringLiteral("realm"), QStringLiteral("acme-copy"));
        exported.insert(QStringLiteral("users"), QJsonArray{}); // user ids are unique across realms
        (void)m_core->transfer().importRealm(exported, QStringLiteral("test"));
        const AppLifetimes copied = m_core->realms().appLifetimes(QStringLiteral("acme-copy"), QStringLiteral("plantaerium"));
        QCOMPARE(copied.accessToken, 300);
        QCOMPARE(copied.refreshToken, 0);
        QCOMPARE(copied.sessionMax, 86400);
        // Out of range in a file: refused, naming the field.
        QJsonObject bad = exported;
        bad.insert(QStringLiteral("realm"), QStringLiteral("acme-bad"));
        QJsonArray apps = bad.value(QStringLiteral("apps")).toArray();
        QJsonObject a = apps.at(0).toObject();
        a.insert(QStringLiteral("tokenLifetimes"), QJsonObject{{QStringLiteral("accessTokenLifetime"), 5}});
        apps.replace(0, a);
        bad.insert(QStringLiteral("apps"), apps);
        try {
            (void)m_core->transfer().importRealm(bad, QStringLiteral("test"));
            QFAIL("imported an out-of-range lifetime");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::InvalidRequest);
            QVERIFY2(e.message().contains(QStringLiteral("tokenLifetimes.accessTokenLifetime")), qPrintable(e.message()));
        }
        QVERIFY(!m_core->realms().realmExists(QStringLiteral("acme-bad")));
    }

    void refreshIdleTimeout()
    {
        setSetting(QStringLiteral("refreshIdleTimeout"), 600);
        TokenPair pair = signIn();
        m_clock->advanceSeconds(590);
        pair = auth().refresh(kRealm, pair.refreshToken, kClient); // inside: the idle clock restarts
        m_clock->advanceSeconds(590);
        pair = auth().refresh(kRealm, pair.refreshToken, kClient);
        m_clock->advanceSeconds(601);
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
    }
};

QTEST_GUILESS_MAIN(tst_SignInSecurity)
#include "tst_signinsecurity.moc"
