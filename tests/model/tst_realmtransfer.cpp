// Realm import/export: the documented shape imports, bad files change
// nothing and say where they are wrong, exports hold no plaintext secret and
// round-trip.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/DomainError.h"
#include "storage/Sql.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace authrealm;

namespace {
const ClientInfo kClient{QStringLiteral("127.0.0.1"), QStringLiteral("tst")};

QJsonObject documentedExample()
{
    QFile file(QStringLiteral(AUTHREALM_SOURCE_DIR "/docs/examples/acme-realm.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("docs/examples/acme-realm.json is missing");
    return QJsonDocument::fromJson(file.readAll()).object();
}
} // namespace

class tst_RealmTransfer : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void documentedExampleImportsAndSignsIn()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        const auto summary = core.transfer().importRealm(documentedExample(), QStringLiteral("test"));
        QCOMPARE(summary.realmId, QStringLiteral("acme"));
        QCOMPARE(summary.users, 1);
        const TokenPair pair = core.auth().login(QStringLiteral("acme"), QStringLiteral("guest@example.com"),
                                                 QStringLiteral("SecurePassword123!"), {}, kClient).tokens.value();
        QCOMPARE(pair.scopes.join(u' '), QStringLiteral("blogs:read blogs:write events:read"));
        QCOMPARE(core.keys().keys(QStringLiteral("acme")).size(), 1);
    }

    void exportHasNoPlaintextAndRoundTrips()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        QJsonObject doc = documentedExample();
        doc.insert(QStringLiteral("settings"), QJsonObject{{QStringLiteral("accessTokenLifetime"), 300},
                                                           {QStringLiteral("signingAlgorithm"), QStringLiteral("EdDSA")}});
        core.transfer().importRealm(doc, QStringLiteral("test"));
        const QJsonObject exported = core.transfer().exportRealm(QStringLiteral("acme"), QStringLiteral("test"));
        const QByteArray text = QJsonDocument(exported).toJson();
        QVERIFY(!text.contains("SecurePassword123!"));
        QVERIFY(!text.contains("\"password\""));
        QVERIFY(text.contains("$argon2id$"));
        QCOMPARE(exported.value(QStringLiteral("settings")).toObject().value(QStringLiteral("accessTokenLifetime")).toInt(), 300);

        QJsonObject copy = exported;
        copy.insert(QStringLiteral("realm"), QStringLiteral("acme-copy"));
        QJsonArray users = copy.value(QStringLiteral("users")).toArray();
        QJsonObject user = users.at(0).toObject();
        user.remove(QStringLiteral("id"));
        users.replace(0, user);
        copy.insert(QStringLiteral("users"), users);
        core.transfer().importRealm(copy, QStringLiteral("test"));
        const TokenPair pair = core.auth().login(QStringLiteral("acme-copy"), QStringLiteral("guest@example.com"),
                                                 QStringLiteral("SecurePassword123!"), {}, kClient).tokens.value();
        QCOMPARE(pair.roles, QStringList{QStringLiteral("ContentEditor")});
        QCOMPARE(core.keys().keys(QStringLiteral("acme-copy")).first().algorithm, QStringLiteral("EdDSA"));

        QJsonObject again = core.transfer().exportRealm(QStringLiteral("acme-copy"), QStringLiteral("test"));
        again.insert(QStringLiteral("realm"), QStringLiteral("acme"));
        QJsonObject original = exported;
        // Same content apart from generated user ids.
        const auto stripIds = [](QJsonObject o) {
            QJsonArray list = o.value(QStringLiteral("users")).toArray();
            for (int i = 0; i < list.size(); ++i) {
                QJsonObject u = list.at(i).toObject();
                u.remove(QStringLiteral("id"));
                list.replace(i, u);
            }
            o.insert(QStringLiteral("users"), list);
            return o;
        };
        QCOMPARE(stripIds(again), stripIds(original));
    }

    void everythingOfIssueThreeRoundTrips()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        core.transfer().importRealm(QJsonDocument::fromJson(R"({"realm": "acme",
            "apps": [{"id": "plantaerium",
                      "features": [{"featureKey": "blogs", "isEnabled": true, "scopes": ["blogs:read", "blogs:write"]},
                                   {"featureKey": "events", "isEnabled": false, "scopes": ["events:read"]}],
                      "roles": [{"name": "Editor", "scopes": ["blogs:read", "events:read"]}]}],
            "users": [{"email": "boss@example.com", "password": "SecurePassword123!", "admin": [{"layer": "realm"}],
                       "memberships": [{"app": "plantaerium", "roles": ["Editor", "owner"]}]},
                      {"email": "appadmin@example.com", "admin": [{"layer": "app", "app": "plantaerium"}]}]})").object(),
                                    QStringLiteral("test"));
        const AdminActor master = core.adminDirectory().actorForUser(core.users().findByLogin(QStringLiteral("master"), QStringLiteral("admin"))->id);
        const auto key = core.adminDirectory().createApiKey(master, QStringLiteral("ci"), AdminGrant{AdminGrant::Layer::Realm, QStringLiteral("acme"), {}},
                                                            {QStringLiteral("admin:read")});
        const QJsonObject exported = core.transfer().exportRealm(QStringLiteral("acme"), QStringLiteral("test"));
        QVERIFY(!QJsonDocument(exported).toJson().contains(key.secret.toLatin1()));

        core.admin().deleteRealm(master, QStringLiteral("acme"));
        QVERIFY(!core.adminDirectory().actorForApiKey(key.secret) || core.adminDirectory().actorForApiKey(key.secret)->grants.first().realmId == u"acme");
        SqlQuery(core.database(), QStringLiteral("DELETE FROM api_keys")).exec(); // the deleted realm's keys go with a restore
        core.transfer().importRealm(exported, QStringLiteral("test"));
        QCOMPARE(core.transfer().exportRealm(QStringLiteral("acme"), QStringLiteral("test")), exported);

        const auto restoredKey = core.adminDirectory().actorForApiKey(key.secret);
        QVERIFY(restoredKey);
        QVERIFY(restoredKey->readOnly);
        QVERIFY(restoredKey->canAdminRealm(QStringLiteral("acme")));
        const auto boss = core.users().findByLogin(QStringLiteral("acme"), QStringLiteral("boss@example.com"));
        QVERIFY(core.adminDirectory().actorForUser(boss->id).canAdminRealm(QStringLiteral("acme")));
        const auto appAdmin = core.users().findByLogin(QStringLiteral("acme"), QStringLiteral("appadmin@example.com"));
        const AdminActor appActor = core.adminDirectory().actorForUser(appAdmin->id);
        QVERIFY(appActor.canAdminApp(QStringLiteral("acme"), QStringLiteral("plantaerium")));
        QVERIFY(!appActor.canAdminRealm(QStringLiteral("acme")));
        const TokenPair pair = core.auth().login(QStringLiteral("acme"), QStringLiteral("boss@example.com"), QStringLiteral("SecurePassword123!"), {}, kClient).tokens.value();
        QCOMPARE(pair.scopes.join(u' '), QStringLiteral("blogs:read users:read users:write"));
    }

    void badFilesChangeNothing_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no realm") << QByteArray(R"({"apps": []})") << "$.realm";
        QTest::newRow("realm not a string") << QByteArray(R"({"realm": 5})") << "$.realm";
        QTest::newRow("realm with slash") << QByteArray(R"({"realm": "a/b"})") << "$.realm";
        QTest::newRow("apps not an array") << QByteArray(R"({"realm": "x", "apps": {}})") << "$.apps";
        QTest::newRow("app without id") << QByteArray(R"({"realm": "x", "apps": [{"displayName": "A"}]})") << "$.apps[0].id";
        QTest::newRow("duplicate app") << QByteArray(R"({"realm": "x", "apps": [{"id": "a"}, {"id": "a"}]})") << "$.apps[1].id";
        QTest::newRow("bad scope") << QByteArray(R"({"realm": "x", "apps": [{"id": "a", "roles": [{"name": "R", "scopes": ["has space"]}]}]})") << "$.apps[0].roles[0].scopes";
        QTest::newRow("scope not a string") << QByteArray(R"({"realm": "x", "apps": [{"id": "a", "roles": [{"name": "R", "scopes": [1]}]}]})") << "$.apps[0].roles[0].scopes[0]";
        QTest::newRow("bad setting value") << QByteArray(R"({"realm": "x", "settings": {"accessTokenLifetime": "long"}})") << "$.settings.accessTokenLifetime";
        QTest::newRow("unknown setting") << QByteArray(R"({"realm": "x", "settings": {"colour": "red"}})") << "$.settings.colour";
        QTest::newRow("bad email") << QByteArray(R"({"realm": "x", "users": [{"email": "not-an-email"}]})") << "$.users[0].email";
        QTest::newRow("duplicate email ignoring case") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c"}, {"email": "A@B.C"}]})") << "$.users[1].email";
        QTest::newRow("unknown app in membership") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "memberships": [{"app": "nope"}]}]})") << "$.users[0].memberships[0].app";
        QTest::newRow("unknown role") << QByteArray(R"({"realm": "x", "apps": [{"id": "a"}], "users": [{"email": "a@b.c", "memberships": [{"app": "a", "roles": ["Boss"]}]}]})") << "$.users[0].memberships[0].roles";
        QTest::newRow("hash not argon2id") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "passwordHash": "$2b$10$abcdefghijklmnopqrstuv"}]})") << "$.users[0].passwordHash";
        QTest::newRow("password and hash") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "password": "longenough1", "passwordHash": "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}]})") << "$.users[0]";
        QTest::newRow("password too short") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "password": "short"}]})") << "$.users[0].password";
        QTest::newRow("bad status") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "status": "banned"}]})") << "$.users[0].status";
        QTest::newRow("master grant in a realm file") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "admin": [{"layer": "master"}]}]})") << "$.users[0].admin[0].layer";
        QTest::newRow("app grant for an unknown app") << QByteArray(R"({"realm": "x", "users": [{"email": "a@b.c", "admin": [{"layer": "app", "app": "nope"}]}]})") << "$.users[0].admin[0].app";
        QTest::newRow("api key with a bad hash") << QByteArray(R"({"realm": "x", "apiKeys": [{"id": "k", "name": "n", "layer": "realm", "keyHash": "abc"}]})") << "$.apiKeys[0].keyHash";
        QTest::newRow("feature with a bad key") << QByteArray(R"({"realm": "x", "apps": [{"id": "a", "features": [{"featureKey": "a b"}]}]})") << "$.apps[0].features[0].featureKey";
        QTest::newRow("feature isEnabled not a bool") << QByteArray(R"({"realm": "x", "apps": [{"id": "a", "features": [{"featureKey": "f", "isEnabled": 1}]}]})") << "$.apps[0].features[0].isEnabled";
        QTest::newRow("second user bad after a good one") << QByteArray(R"({"realm": "x", "users": [{"email": "ok@b.c", "password": "longenough1"}, {"email": 7}]})") << "$.users[1].email";
    }
    void badFilesChangeNothing()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, mentions);
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        try {
            core.transfer().importRealm(QJsonDocument::fromJson(json).object(), QStringLiteral("test"));
            QFAIL("the import was accepted");
        } catch (const DomainError &e) {
            QCOMPARE(e.code(), ErrorCode::InvalidRequest);
            QVERIFY2(e.message().startsWith(mentions + u':'), qPrintable(e.message()));
        }
        QCOMPARE(core.realms().realms().size(), 1); // only master
    }

    void existingRealmIsNotOverwritten()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        core.transfer().importRealm(documentedExample(), QStringLiteral("test"));
        QCOMPARE([&] {
            try {
                core.transfer().importRealm(documentedExample(), QStringLiteral("test"));
            } catch (const DomainError &e) {
                return e.code();
            }
            return ErrorCode::Internal;
        }(), ErrorCode::Conflict);
        QCOMPARE(core.users().users(QStringLiteral("acme")).size(), 1);
    }

    void exportOfUnknownRealm()
    {
        test::ScratchDatabase scratch;
        AuthRealmCore core(test::coreOptions(scratch.config(), nullptr));
        QVERIFY_THROWS_EXCEPTION(DomainError, (void)core.transfer().exportRealm(QStringLiteral("nope"), QStringLiteral("test")));
    }
};

QTEST_GUILESS_MAIN(tst_RealmTransfer)
#include "tst_realmtransfer.moc"
