// Sign-in, refresh-token rotation and reuse detection, logout, and access
// token checks, with an injected clock, on every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/DomainError.h"
#include "crypto/Base64Url.h"
#include "crypto/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QThreadPool>

using namespace authrealm;
using test::errorOf;

namespace {
const QString kRealm = QStringLiteral("acme");
const QString kPassword = QStringLiteral("SecurePassword123!");
const ClientInfo kClient{QStringLiteral("203.0.113.7"), QStringLiteral("tst_authservice")};

QJsonObject sampleRealm()
{
    return QJsonDocument::fromJson(R"({"realm": "acme", "displayName": "Acme",
        "settings": {"accessTokenLifetime": 900, "refreshTokenLifetime": 3600, "sessionMaxLifetime": 7200},
        "apps": [{"id": "plantaerium", "displayName": "Plantaerium",
                  "roles": [{"name": "ContentEditor", "scopes": ["blogs:read", "blogs:write", "events:read"]},
                            {"name": "Viewer", "scopes": ["blogs:read"]}]},
                 {"id": "whitcomb", "roles": [{"name": "Member", "scopes": ["events:read"]}]}],
        "users": [{"email": "guest@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["ContentEditor"]}]},
                  {"email": "multi@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["Viewer"]}, {"app": "whitcomb", "roles": ["Member"]}]},
                  {"email": "nobody@example.com", "password": "SecurePassword123!"},
                  {"email": "suspended@example.com", "password": "SecurePassword123!", "status": "suspended",
                   "memberships": [{"app": "plantaerium", "roles": ["Viewer"]}]}]})").object();
}

} // namespace

class tst_AuthService : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

    const AuthService &auth() { return m_core->auth(); }

private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void init()
    {
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        m_core->transfer().importRealm(sampleRealm(), QStringLiteral("test"));
    }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    void loginReturnsTokensScopedToTheOnlyApp()
    {
        const TokenPair pair = auth().login(kRealm, QStringLiteral("Guest@Example.com"), kPassword, {}, kClient).tokens.value();
        QCOMPARE(pair.appId, QStringLiteral("plantaerium"));
        QCOMPARE(pair.roles, QStringList{QStringLiteral("ContentEditor")});
        QCOMPARE(pair.scopes, (QStringList{QStringLiteral("blogs:read"), QStringLiteral("blogs:write"), QStringLiteral("events:read")}));
        QCOMPARE(pair.expiresIn, 900);
        QVERIFY(AuthService::looksLikeRefreshToken(pair.refreshToken));

        const AccessClaims claims = m_core->accessTokens().verify(kRealm, pair.accessToken);
        QCOMPARE(claims.appId, QStringLiteral("plantaerium"));
        QCOMPARE(claims.expiresAt - claims.issuedAt, 900);
        QVERIFY(!claims.sessionId.isEmpty());
        const auto decoded = Jwt::decodeUnverified(pair.accessToken);
        QVERIFY(decoded);
        QCOMPARE(decoded->header.value(QStringLiteral("alg")).toString(), QStringLiteral("ES256"));
        QCOMPARE(decoded->header.value(QStringLiteral("typ")).toString(), QStringLiteral("at+jwt"));
        QCOMPARE(decoded->claims.value(QStringLiteral("iss")).toString(), QStringLiteral("http://authrealm.test/realms/acme"));
        QVERIFY(!decoded->claims.value(QStringLiteral("jti")).toString().isEmpty());
        const auto events = m_core->audit().recent(kRealm, 1);
        QCOMPARE(events.first().kind, QStringLiteral("login.success"));
        QCOMPARE(events.first().ip, kClient.ip);
    }

    void badCredentialsLookTheSame_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("password");
        QTest::newRow("wrong password") << "guest@example.com" << "SecurePassword123?";
        QTest::newRow("unknown email") << "ghost@example.com" << "SecurePassword123!";
        QTest::newRow("suspended account, right password") << "suspended@example.com" << "SecurePassword123!";
        QTest::newRow("password differs in case") << "guest@example.com" << "securepassword123!";
        QTest::newRow("password with trailing space") << "guest@example.com" << "SecurePassword123! ";
        QTest::newRow("username of another realm's admin") << "admin" << "SecurePassword123!";
    }
    void badCredentialsLookTheSame()
    {
        QFETCH(QString, login);
        QFETCH(QString, password);
        try {
            (void)auth().login(kRealm, login, password, {}, kClient);
            QFAIL("login succeeded");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::InvalidCredentials);
            QCOMPARE(e.message(), QStringLiteral("Invalid email or password"));
        }
    }

    void tenantSelection_data()
    {
        QTest::addColumn<QString>("login");
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<int>("expected"); // ErrorCode, or -1 for success
        QTest::newRow("several apps, none chosen") << "multi@example.com" << "" << int(ErrorCode::TenantRequired);
        QTest::newRow("several apps, one chosen") << "multi@example.com" << "whitcomb" << -1;
        QTest::newRow("app of the realm, not a member") << "guest@example.com" << "whitcomb" << int(ErrorCode::TenantForbidden);
        QTest::newRow("app that does not exist") << "guest@example.com" << "no-such-app" << int(ErrorCode::TenantForbidden);
        QTest::newRow("member of no app") << "nobody@example.com" << "" << int(ErrorCode::TenantForbidden);
    }
    void tenantSelection()
    {
        QFETCH(QString, login);
        QFETCH(QString, tenant);
        QFETCH(int, expected);
        if (expected < 0) {
            const TokenPair pair = auth().login(kRealm, login, kPassword, tenant, kClient).tokens.value();
            QCOMPARE(pair.appId, tenant);
            QCOMPARE(pair.roles, QStringList{QStringLiteral("Member")});
            QCOMPARE(pair.scopes, QStringList{QStringLiteral("events:read")});
            return;
        }
        try {
            (void)auth().login(kRealm, login, kPassword, tenant, kClient);
            QFAIL("login succeeded");
        } catch (const DomainError &e) {
            QCOMPARE(int(e.code()), expected);
            // Never name the user's other apps.
            QVERIFY(!e.message().contains(QStringLiteral("plantaerium")));
            QVERIFY(!e.message().contains(QStringLiteral("whitcomb")));
        }
    }

    void refreshRotatesAndReuseRevokesTheFamily()
    {
        const TokenPair first = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        m_clock->advanceSeconds(60);
        const TokenPair second = auth().refresh(kRealm, first.refreshToken, kClient);
        QVERIFY(second.refreshToken != first.refreshToken);
        QVERIFY(second.accessToken != first.accessToken);
        const AccessClaims claims = m_core->accessTokens().verify(kRealm, second.accessToken);
        QCOMPARE(claims.sessionId, m_core->accessTokens().verify(kRealm, first.accessToken).sessionId);

        // The rotated token is replayed: the whole session dies with it.
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, first.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, second.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, second.accessToken); }), ErrorCode::InvalidToken);
        bool audited = false;
        for (const AuditEvent &e : m_core->audit().recent(kRealm, 10))
            audited = audited || e.kind == u"refresh.reuse_detected";
        QVERIFY(audited);

        // Other sessions of the same user are untouched.
        const TokenPair other = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        (void)auth().refresh(kRealm, other.refreshToken, kClient);
    }

    void tenConcurrentRefreshesExactlyOneWins()
    {
        const TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        QThreadPool pool;
        pool.setMaxThreadCount(10);
        std::atomic<int> ok{0};
        std::atomic<int> refused{0};
        std::atomic<int> other{0};
        for (int i = 0; i < 10; ++i) {
            pool.start([&] {
                try {
                    (void)auth().refresh(kRealm, pair.refreshToken, kClient);
                    ++ok;
                } catch (const DomainError &e) {
                    (e.code() == ErrorCode::InvalidRefreshToken ? refused : other)++;
                }
            });
        }
        pool.waitForDone();
        QCOMPARE(ok.load(), 1);
        QCOMPARE(refused.load(), 9);
        QCOMPARE(other.load(), 0);
    }

    void refreshTokenExpiry()
    {
        const TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        m_clock->advanceSeconds(3601); // refreshTokenLifetime is 3600 in the sample
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
    }

    void sessionAbsoluteLifetimeBoundsRotation()
    {
        TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        for (int i = 0; i < 3; ++i) { // 3 x 3000 s > 7200 s sessionMaxLifetime
            m_clock->advanceSeconds(3000);
            if (i < 2)
                pair = auth().refresh(kRealm, pair.refreshToken, kClient);
        }
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
    }

    void accessTokenExpiry()
    {
        const TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        m_clock->advanceSeconds(899);
        (void)m_core->accessTokens().verify(kRealm, pair.accessToken);
        m_clock->advanceSeconds(AccessTokens::kClockSkewSeconds + 2);
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, pair.accessToken); }), ErrorCode::InvalidToken);
    }

    void logoutEndsOneOrAllSessions()
    {
        const TokenPair a = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        const TokenPair b = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        const TokenPair c = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        QCOMPARE(auth().logout(kRealm, a.refreshToken, false, kClient), 1);
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, a.accessToken); }), ErrorCode::InvalidToken);
        (void)m_core->accessTokens().verify(kRealm, b.accessToken);
        QCOMPARE(auth().logout(kRealm, b.refreshToken, true, kClient), 2);
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, c.accessToken); }), ErrorCode::InvalidToken);
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, c.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        QCOMPARE(errorOf([&] { (void)auth().logout(kRealm, c.refreshToken, false, kClient); }), ErrorCode::InvalidRefreshToken);
    }

    void tokensDoNotCrossRealms()
    {
        QJsonObject globex = sampleRealm();
        globex.insert(QStringLiteral("realm"), QStringLiteral("globex"));
        m_core->transfer().importRealm(globex, QStringLiteral("test"));
        const TokenPair pair = auth().login(QStringLiteral("globex"), QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, pair.accessToken); }), ErrorCode::InvalidToken);
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        QCOMPARE(errorOf([&] { (void)auth().logout(kRealm, pair.refreshToken, true, kClient); }), ErrorCode::InvalidRefreshToken);
        (void)auth().refresh(QStringLiteral("globex"), pair.refreshToken, kClient); // still good at home
    }

    void forgedAccessTokens_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("alg none") << "none";
        QTest::newRow("payload edited") << "payload";
        QTest::newRow("signature stripped") << "nosig";
        QTest::newRow("HS256 with the public key") << "hs256";
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("truncated") << "truncated";
    }
    void forgedAccessTokens()
    {
        QFETCH(QString, kind);
        const TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        const QStringList parts = pair.accessToken.split(u'.');
        auto header = Jwt::decodeUnverified(pair.accessToken)->header;
        auto claims = Jwt::decodeUnverified(pair.accessToken)->claims;
        const auto enc = [](const QJsonObject &o) { return base64UrlEncodeString(QJsonDocument(o).toJson(QJsonDocument::Compact)); };
        QString forged;
        if (kind == u"none") {
            header.insert(QStringLiteral("alg"), QStringLiteral("none"));
            forged = enc(header) + u'.' + parts[1] + u'.';
        } else if (kind == u"payload") {
            claims.insert(QStringLiteral("scope"), QStringLiteral("blogs:read blogs:write events:read admin"));
            forged = parts[0] + u'.' + enc(claims) + u'.' + parts[2];
        } else if (kind == u"nosig") {
            forged = parts[0] + u'.' + parts[1] + u'.';
        } else if (kind == u"hs256") {
            header.insert(QStringLiteral("alg"), QStringLiteral("HS256"));
            forged = enc(header) + u'.' + parts[1] + u'.' + parts[2];
        } else if (kind == u"garbage") {
            forged = QStringLiteral("not-a-jwt");
        } else {
            forged = pair.accessToken.left(pair.accessToken.size() - 5);
        }
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, forged); }), ErrorCode::InvalidToken);
    }

    void passwordIsRehashedWhenParametersChange()
    {
        const QString before = m_core->users().findByLogin(kRealm, QStringLiteral("guest@example.com"))->passwordHash;
        QVERIFY(before.contains(QStringLiteral("m=1024,t=1")));
        m_core.reset();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get(), Argon2Params{2048, 2}));
        (void)auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient);
        const QString after = m_core->users().findByLogin(kRealm, QStringLiteral("guest@example.com"))->passwordHash;
        QVERIFY2(after.contains(QStringLiteral("m=2048,t=2")), qPrintable(after));
        (void)auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient);
    }

    void revocationsOfAnotherProcessArePickedUp()
    {
        // A second core on the same database stands in for another server process.
        AuthRealmCore other(test::coreOptions(m_scratch->config(), m_clock.get()));
        const TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        (void)other.accessTokens().verify(kRealm, pair.accessToken);
        QCOMPARE(auth().logout(kRealm, pair.refreshToken, false, kClient), 1);
        other.revocations().sync();
        QCOMPARE(errorOf([&] { (void)other.accessTokens().verify(kRealm, pair.accessToken); }), ErrorCode::InvalidToken);
    }

    void suspendedUserCannotRefresh()
    {
        const TokenPair pair = auth().login(kRealm, QStringLiteral("guest@example.com"), kPassword, {}, kClient).tokens.value();
        const auto user = m_core->users().findByLogin(kRealm, QStringLiteral("guest@example.com"));
        m_core->users().setStatus(user->id, UserStatus::Suspended, m_clock->nowMs());
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, pair.refreshToken, kClient); }), ErrorCode::InvalidRefreshToken);
        QCOMPARE(errorOf([&] { (void)m_core->accessTokens().verify(kRealm, pair.accessToken); }), ErrorCode::InvalidToken);
    }

    void malformedRefreshTokensNeverReachTheDatabase_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << "";
        QTest::newRow("no prefix") << QString(46, u'a');
        QTest::newRow("truncated") << QStringLiteral("rt_") + QString(42, u'a');
        QTest::newRow("sql") << QStringLiteral("rt_' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        QTest::newRow("unknown but well formed") << QStringLiteral("rt_") + QString(43, u'A');
    }
    void malformedRefreshTokensNeverReachTheDatabase()
    {
        QFETCH(QString, token);
        QCOMPARE(errorOf([&] { (void)auth().refresh(kRealm, token, kClient); }), ErrorCode::InvalidRefreshToken);
    }

    // The initial admin password is set once; a second attempt (another
    // console, a setup code, a second core on the same database) does not
    // claim success, and the first password stands.
    void initialAdminPasswordIsSetOnlyOnce()
    {
        const QString first = QStringLiteral("First-Admin-Password-2024");
        const QString second = QStringLiteral("Second-Admin-Password-2024");
        const Bootstrap &bootstrap = m_core->bootstrap();
        QVERIFY(bootstrap.adminNeedsPassword());
        AuthRealmCore other(test::coreOptions(m_scratch->config(), m_clock.get()));
        QVERIFY(other.bootstrap().adminNeedsPassword());
        QVERIFY(other.bootstrap().setInitialAdminPassword(first));
        QVERIFY(!bootstrap.setInitialAdminPassword(second));
        QVERIFY(!bootstrap.setInitialAdminPassword(first));
        QCOMPARE(errorOf([&] { bootstrap.completeSetup(bootstrap.issueSetupCode(), second, {}); }), ErrorCode::SetupNotPending);
        QCOMPARE(errorOf([] { Bootstrap::throwAlreadySetUp(); }), ErrorCode::SetupNotPending);
        QVERIFY(auth().login(Bootstrap::kMasterRealm, Bootstrap::kAdminUsername, first, {}, kClient).tokens.has_value());
        QCOMPARE(errorOf([&] { (void)auth().login(Bootstrap::kMasterRealm, Bootstrap::kAdminUsername, second, {}, kClient); }),
                 ErrorCode::InvalidCredentials);
    }
};

QTEST_GUILESS_MAIN(tst_AuthService)
#include "tst_authservice.moc"
