// Scopes from roles minus switched-off features, role catalog rules, and
// personal access tokens (lifecycle, demotion, isolation), on every backend.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/DomainError.h"

#include <QJsonDocument>
#include <QTest>

using namespace authrealm;
using test::errorOf;

namespace {
const QString kRealm = QStringLiteral("acme");
const QString kApp = QStringLiteral("plantaerium");
const QString kPassword = QStringLiteral("SecurePassword123!");
const ClientInfo kClient{QStringLiteral("192.0.2.1"), QStringLiteral("tst_permissions")};

QJsonObject realmWithFeatures()
{
    return QJsonDocument::fromJson(R"({"realm": "acme",
        "apps": [{"id": "plantaerium",
                  "features": [{"featureKey": "blogs", "isEnabled": true, "scopes": ["blogs:read", "blogs:write"]},
                               {"featureKey": "events", "isEnabled": true, "scopes": ["events:read"]},
                               {"featureKey": "rsvp", "isEnabled": true, "scopes": ["events:read", "rsvp:write"]}],
                  "roles": [{"name": "Editor", "scopes": ["blogs:read", "blogs:write", "events:read", "users:read"]},
                            {"name": "Guest", "scopes": ["rsvp:write"]}]},
                 {"id": "whitcomb", "roles": [{"name": "Member", "scopes": ["blogs:read"]}]}],
        "users": [{"email": "ed@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["Editor"]}]},
                  {"email": "gus@example.com", "password": "SecurePassword123!",
                   "memberships": [{"app": "plantaerium", "roles": ["Guest", "Editor"]}]}]})").object();
}

} // namespace

class tst_Permissions : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;

    Principal signIn(const QString &email)
    {
        const TokenPair pair = m_core->auth().login(kRealm, email, kPassword, kApp, kClient).tokens.value();
        return m_core->authenticator().authenticate(kRealm, pair.accessToken, kClient);
    }
    QString userId(const QString &email) { return m_core->users().findByLogin(kRealm, email)->id; }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void init()
    {
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        m_core->transfer().importRealm(realmWithFeatures(), QStringLiteral("test"));
    }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
    }

    void scopeEvaluation_data()
    {
        QTest::addColumn<QStringList>("roles");
        QTest::addColumn<QStringList>("featuresOff");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one role, all features on") << QStringList{"Editor"} << QStringList{} << "blogs:read blogs:write events:read users:read";
        QTest::newRow("union of two roles") << QStringList{"Editor", "Guest"} << QStringList{} << "blogs:read blogs:write events:read rsvp:write users:read";
        QTest::newRow("blogs off removes its scopes") << QStringList{"Editor"} << QStringList{"blogs"} << "events:read users:read";
        QTest::newRow("scope shared with a feature still on stays") << QStringList{"Editor"} << QStringList{"events"} << "blogs:read blogs:write events:read users:read";
        QTest::newRow("both features of a shared scope off") << QStringList{"Editor"} << QStringList{"events", "rsvp"} << "blogs:read blogs:write users:read";
        QTest::newRow("scope of no feature is never switched off") << QStringList{"Editor"} << QStringList{"blogs", "events", "rsvp"} << "users:read";
        QTest::newRow("unknown role grants nothing") << QStringList{"Ghost"} << QStringList{} << "";
        QTest::newRow("system member role is empty") << QStringList{"member"} << QStringList{} << "";
        QTest::newRow("system owner role") << QStringList{"owner"} << QStringList{} << "users:read users:write";
    }
    void scopeEvaluation()
    {
        QFETCH(QStringList, roles);
        QFETCH(QStringList, featuresOff);
        QFETCH(QString, expected);
        for (const QString &f : featuresOff)
            m_core->realms().setFeatureEnabled(kRealm, kApp, f, false);
        QCOMPARE(m_core->permissions().grantFor(kRealm, kApp, roles).scopes.join(u' '), expected);
    }

    void featureOffAppliesToNewTokensAndToOldOnesAtTheNextCheck()
    {
        const TokenPair before = m_core->auth().login(kRealm, QStringLiteral("ed@example.com"), kPassword, {}, kClient).tokens.value();
        QVERIFY(before.scopes.contains(QStringLiteral("blogs:write")));
        m_core->realms().setFeatureEnabled(kRealm, kApp, QStringLiteral("blogs"), false);
        const TokenPair after = m_core->auth().login(kRealm, QStringLiteral("ed@example.com"), kPassword, {}, kClient).tokens.value();
        QVERIFY(!after.scopes.contains(QStringLiteral("blogs:write")));
        const Principal old = m_core->authenticator().authenticate(kRealm, before.accessToken, kClient);
        QVERIFY(!old.hasScope(QStringLiteral("blogs:write")));
        QVERIFY(old.hasScope(QStringLiteral("users:read")));
    }

    void systemRolesCannotBeRenamedOrDeleted()
    {
        QCOMPARE(errorOf([&] { m_core->realms().renameRole(kRealm, kApp, QStringLiteral("owner"), QStringLiteral("boss")); }), ErrorCode::Forbidden);
        QCOMPARE(errorOf([&] { m_core->realms().deleteRole(kRealm, kApp, QStringLiteral("member")); }), ErrorCode::Forbidden);
    }

    void renameMovesEveryHolderAtomically()
    {
        m_core->realms().renameRole(kRealm, kApp, QStringLiteral("Editor"), QStringLiteral("ContentEditor"));
        QCOMPARE(m_core->users().membership(userId(QStringLiteral("ed@example.com")), kApp)->roles, QStringList{QStringLiteral("ContentEditor")});
        QVERIFY(!m_core->realms().role(kRealm, kApp, QStringLiteral("Editor")));
        QCOMPARE(errorOf([&] { m_core->realms().renameRole(kRealm, kApp, QStringLiteral("Guest"), QStringLiteral("ContentEditor")); }), ErrorCode::Conflict);
        QCOMPARE(m_core->users().membership(userId(QStringLiteral("gus@example.com")), kApp)->roles.size(), 2);
    }

    void roleInUseCannotBeDeleted()
    {
        QCOMPARE(errorOf([&] { m_core->realms().deleteRole(kRealm, kApp, QStringLiteral("Editor")); }), ErrorCode::RoleInUse);
        m_core->realms().saveRole(Role{kRealm, kApp, QStringLiteral("Unused"), {QStringLiteral("blogs:read")}});
        m_core->realms().deleteRole(kRealm, kApp, QStringLiteral("Unused"));
        QVERIFY(!m_core->realms().role(kRealm, kApp, QStringLiteral("Unused")));
    }

    void patLifecycle()
    {
        const Principal ed = signIn(QStringLiteral("ed@example.com"));
        const auto minted = m_core->pats().create(ed, QStringLiteral("nightly-sync"), {QStringLiteral("blogs:read")}, 90, kClient);
        QVERIFY(minted.secret.startsWith(QStringLiteral("pat_")));
        QCOMPARE(minted.token.expiresAt - minted.token.createdAt, 90LL * 86400 * 1000);
        const Principal viaPat = m_core->authenticator().authenticate(kRealm, minted.secret, kClient);
        QCOMPARE(viaPat.kind, Principal::Kind::PersonalAccessToken);
        QCOMPARE(viaPat.scopes, QStringList{QStringLiteral("blogs:read")});
        QCOMPARE(m_core->pats().list(ed).size(), 1);

        const auto rotated = m_core->pats().rotate(ed, minted.token.id, kClient);
        QCOMPARE(errorOf([&] { (void)m_core->authenticator().authenticate(kRealm, minted.secret, kClient); }), ErrorCode::InvalidToken);
        (void)m_core->authenticator().authenticate(kRealm, rotated.secret, kClient);

        m_core->pats().revoke(ed, minted.token.id, kClient);
        QCOMPARE(errorOf([&] { (void)m_core->authenticator().authenticate(kRealm, rotated.secret, kClient); }), ErrorCode::InvalidToken);
        QCOMPARE(m_core->pats().list(ed).size(), 0);
    }

    void patCreationRules_data()
    {
        QTest::addColumn<QStringList>("scopes");
        QTest::addColumn<int>("days");
        QTest::addColumn<int>("expected");
        QTest::newRow("held scopes") << QStringList{"blogs:read", "users:read"} << 30 << -1;
        QTest::newRow("scope not held") << QStringList{"rsvp:write"} << 30 << int(ErrorCode::ScopeNotHeld);
        QTest::newRow("scope of a feature that is off") << QStringList{"blogs:write"} << 30 << int(ErrorCode::ScopeNotHeld);
        QTest::newRow("zero days") << QStringList{"blogs:read"} << 0 << int(ErrorCode::InvalidRequest);
        QTest::newRow("more than a year") << QStringList{"blogs:read"} << 400 << int(ErrorCode::InvalidRequest);
        QTest::newRow("malformed scope") << QStringList{"a b"} << 30 << int(ErrorCode::InvalidRequest);
    }
    void patCreationRules()
    {
        QFETCH(QStringList, scopes);
        QFETCH(int, days);
        QFETCH(int, expected);
        m_core->realms().setFeatureEnabled(kRealm, kApp, QStringLiteral("blogs"), false);
        m_core->realms().setFeatureEnabled(kRealm, kApp, QStringLiteral("blogs"), true);
        const Principal ed = signIn(QStringLiteral("ed@example.com"));
        if (QTest::currentDataTag() == QByteArray("scope of a feature that is off"))
            m_core->realms().setFeatureEnabled(kRealm, kApp, QStringLiteral("blogs"), false);
        const Principal current = QTest::currentDataTag() == QByteArray("scope of a feature that is off")
                ? m_core->authenticator().authenticate(kRealm, m_core->auth().login(kRealm, QStringLiteral("ed@example.com"), kPassword, {}, kClient).tokens.value().accessToken, kClient)
                : ed;
        const ErrorCode got = errorOf([&] { (void)m_core->pats().create(current, QStringLiteral("t"), scopes, days, kClient); });
        QCOMPARE(int(got), expected < 0 ? int(ErrorCode::Internal) : expected);
    }

    void patCannotMintPats()
    {
        const Principal ed = signIn(QStringLiteral("ed@example.com"));
        const auto minted = m_core->pats().create(ed, QStringLiteral("bot"), {QStringLiteral("blogs:read")}, 30, kClient);
        const Principal bot = m_core->authenticator().authenticate(kRealm, minted.secret, kClient);
        QCOMPARE(errorOf([&] { (void)m_core->pats().create(bot, QStringLiteral("child"), {QStringLiteral("blogs:read")}, 30, kClient); }), ErrorCode::Forbidden);
        QCOMPARE(errorOf([&] { (void)m_core->pats().rotate(bot, minted.token.id, kClient); }), ErrorCode::Forbidden);
        QCOMPARE(errorOf([&] { m_core->pats().revoke(bot, minted.token.id, kClient); }), ErrorCode::Forbidden);
    }

    void demotedCreatorDemotesTheirPats()
    {
        const Principal gus = signIn(QStringLiteral("gus@example.com"));
        const auto minted = m_core->pats().create(gus, QStringLiteral("bot"), {QStringLiteral("rsvp:write"), QStringLiteral("blogs:read")}, 30, kClient);
        m_core->users().setMembership(kRealm, gus.userId, Membership{kApp, {QStringLiteral("Editor")}}, m_clock->nowMs());
        QCOMPARE(m_core->authenticator().authenticate(kRealm, minted.secret, kClient).scopes, QStringList{QStringLiteral("blogs:read")});
        m_core->realms().setFeatureEnabled(kRealm, kApp, QStringLiteral("blogs"), false);
        QVERIFY(m_core->authenticator().authenticate(kRealm, minted.secret, kClient).scopes.isEmpty());
    }

    void patExpiresAndStaysInItsRealm()
    {
        QJsonObject globex = realmWithFeatures();
        globex.insert(QStringLiteral("realm"), QStringLiteral("globex"));
        m_core->transfer().importRealm(globex, QStringLiteral("test"));
        const Principal ed = signIn(QStringLiteral("ed@example.com"));
        const auto minted = m_core->pats().create(ed, QStringLiteral("short"), {QStringLiteral("blogs:read")}, 1, kClient);
        QCOMPARE(errorOf([&] { (void)m_core->authenticator().authenticate(QStringLiteral("globex"), minted.secret, kClient); }), ErrorCode::InvalidToken);
        m_clock->advanceSeconds(86400 + 1);
        QCOMPARE(errorOf([&] { (void)m_core->authenticator().authenticate(kRealm, minted.secret, kClient); }), ErrorCode::InvalidToken);
        bool denied = false;
        for (const AuditEvent &e : m_core->audit().recent(kRealm, 5))
            denied = denied || e.kind == u"pat.denied";
        QVERIFY(denied);
    }

    void patOfSuspendedUserIsRefused()
    {
        const Principal ed = signIn(QStringLiteral("ed@example.com"));
        const auto minted = m_core->pats().create(ed, QStringLiteral("bot"), {QStringLiteral("blogs:read")}, 30, kClient);
        m_core->users().setStatus(ed.userId, UserStatus::Suspended, m_clock->nowMs());
        QCOMPARE(errorOf([&] { (void)m_core->authenticator().authenticate(kRealm, minted.secret, kClient); }), ErrorCode::InvalidToken);
    }

    void anotherUsersPatLooksMissing()
    {
        const Principal ed = signIn(QStringLiteral("ed@example.com"));
        const Principal gus = signIn(QStringLiteral("gus@example.com"));
        const auto minted = m_core->pats().create(ed, QStringLiteral("mine"), {QStringLiteral("blogs:read")}, 30, kClient);
        QCOMPARE(errorOf([&] { m_core->pats().revoke(gus, minted.token.id, kClient); }), ErrorCode::NotFound);
        QCOMPARE(errorOf([&] { (void)m_core->pats().rotate(gus, minted.token.id, kClient); }), ErrorCode::NotFound);
        (void)m_core->authenticator().authenticate(kRealm, minted.secret, kClient);
    }
};

QTEST_GUILESS_MAIN(tst_Permissions)
#include "tst_permissions.moc"
