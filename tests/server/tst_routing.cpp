// Route matching and client-address resolution (pure logic, no sockets).
#include "ClientAddress.h"
#include "Router.h"

#include <QTest>

using namespace authrealm;

class tst_Routing : public QObject
{
    Q_OBJECT
private slots:
    void matching_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("kind"); // Router::Match::Kind
        QTest::addColumn<QString>("realm");
        QTest::addColumn<bool>("explicitRealm");
        using K = Router::Match::Kind;
        QTest::newRow("realm route, prefixed") << QByteArray("POST") << "/realms/acme/authRealm/login" << int(K::Found) << "acme" << true;
        QTest::newRow("realm route, default realm") << QByteArray("POST") << "/authRealm/login" << int(K::Found) << "" << false;
        QTest::newRow("trailing slash") << QByteArray("POST") << "/authRealm/login/" << int(K::Found) << "" << false;
        QTest::newRow("wrong method") << QByteArray("GET") << "/authRealm/login" << int(K::MethodNotAllowed) << "" << false;
        QTest::newRow("HEAD falls back to GET") << QByteArray("HEAD") << "/healthz" << int(K::Found) << "" << false;
        QTest::newRow("global route is not realm-scoped") << QByteArray("GET") << "/realms/acme/healthz" << int(K::NotFound) << "" << false;
        QTest::newRow("extra segment") << QByteArray("POST") << "/realms/acme/authRealm/login/x" << int(K::NotFound) << "" << false;
        QTest::newRow("missing realm") << QByteArray("POST") << "/realms//authRealm/login" << int(K::NotFound) << "" << false;
        QTest::newRow("case matters") << QByteArray("POST") << "/AuthRealm/Login" << int(K::NotFound) << "" << false;
    }
    void matching()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, kind);
        QFETCH(QString, realm);
        QFETCH(bool, explicitRealm);
        Router router;
        const auto ok = [](const ApiRequest &) { return ApiResponse{}; };
        router.add("GET", QStringLiteral("/healthz"), Scope::Global, Execution::Inline, ok);
        router.add("POST", QStringLiteral("/authRealm/login"), Scope::Realm, Execution::PasswordWork, ok);
        const Router::Match m = router.match(method, path);
        QCOMPARE(int(m.kind), kind);
        QCOMPARE(m.explicitRealm, explicitRealm);
        QCOMPARE(m.params.value(QStringLiteral("realm")), realm);
    }

    void forwardedFor_data()
    {
        QTest::addColumn<QString>("peer");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("expected");
        // Trusted: 10.0.0.0/8 and ::1.
        QTest::newRow("no proxy, header ignored") << "203.0.113.5" << QByteArray("1.2.3.4") << "203.0.113.5";
        QTest::newRow("trusted proxy, one hop") << "10.0.0.2" << QByteArray("198.51.100.7") << "198.51.100.7";
        QTest::newRow("spoofed leftmost entry ignored") << "10.0.0.2" << QByteArray("6.6.6.6, 198.51.100.7") << "198.51.100.7";
        QTest::newRow("chain of trusted proxies") << "10.0.0.2" << QByteArray("198.51.100.7, 10.1.1.1") << "198.51.100.7";
        QTest::newRow("unparsable hop stops the walk") << "10.0.0.2" << QByteArray("198.51.100.7, garbage") << "10.0.0.2";
        QTest::newRow("empty header") << "10.0.0.2" << QByteArray() << "10.0.0.2";
        QTest::newRow("v4-mapped peer") << "::ffff:10.0.0.2" << QByteArray("198.51.100.7") << "198.51.100.7";
        QTest::newRow("ipv6 loopback proxy") << "::1" << QByteArray("2001:db8::1") << "2001:db8::1";
        QTest::newRow("all hops trusted") << "10.0.0.2" << QByteArray("10.0.0.3") << "10.0.0.3";
    }
    void forwardedFor()
    {
        QFETCH(QString, peer);
        QFETCH(QByteArray, header);
        QFETCH(QString, expected);
        const ClientAddress resolver({ClientAddress::parseSubnet(QStringLiteral("10.0.0.0/8")), ClientAddress::parseSubnet(QStringLiteral("::1"))});
        QCOMPARE(resolver.resolve(QHostAddress(peer), header), expected);
    }

    void badProxySpecIsRefused()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ClientAddress::parseSubnet(QStringLiteral("not-an-ip")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ClientAddress::parseSubnet(QStringLiteral("10.0.0.0/99")));
    }
};

QTEST_GUILESS_MAIN(tst_Routing)
#include "tst_routing.moc"
