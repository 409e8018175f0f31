// HTTP connection management over raw sockets, on every backend: close after
// the answer when asked (or HTTP/1.0), keep-alive otherwise, idle and
// request-read timeouts, connection caps, and graceful 413 closes that the
// client can read (RFC 9112 §9.6) instead of a reset.
#include "TestServer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpSocket>
#include <QTest>

using namespace authrealm;
using test::TestServer;

namespace {
// Generous: these bound "closed at all", never how fast.
constexpr int kCloseWithinMs = 8000;

struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QJsonObject json;
    bool complete = false; // status line, headers and all Content-Length bytes arrived
    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[k, v] : headers) {
            if (QByteArrayView(k).compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
};

// A client that speaks HTTP by hand, so it can do what QNetworkAccessManager
// never does: HTTP/1.0, trickle bytes, stream past the cap, watch for EOF.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        m_socket.waitForConnected(5000);
    }
    bool connected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    // Reads one response; `headOnly` for answers to HEAD (no body bytes follow).
    RawResponse read(bool headOnly = false, int timeoutMs = 10000)
    {
        QElapsedTimer clock;
        clock.start();
        RawResponse r;
        while (clock.elapsed() < timeoutMs) {
            pull();
            if (parse(r, headOnly))
                return r;
            if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
                break;
            m_socket.waitForReadyRead(50);
        }
        return r;
    }
    // True once the server closed (EOF) within the bound; no stray bytes allowed before.
    bool closedByServer(int timeoutMs = kCloseWithinMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < timeoutMs) {
            if (m_socket.state() == QAbstractSocket::UnconnectedState)
                return true;
            m_socket.waitForReadyRead(50);
            pull();
        }
        return m_socket.state() == QAbstractSocket::UnconnectedState;
    }
    QByteArray leftover() const { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }
    // Feeds the buffer from the socket without blocking.
    void pull() { m_buffer += m_socket.readAll(); }
    bool answerStarted() const { return !m_buffer.isEmpty(); }

private:
    bool parse(RawResponse &r, bool headOnly)
    {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        const QList<QByteArray> status = lines.value(0).trimmed().split(' ');
        r.status = status.value(1).toInt();
        r.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.append(qMakePair(lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()));
        }
        const qsizetype length = headOnly ? 0 : r.header("Content-Length").toLongLong();
        if (m_buffer.size() < end + 4 + length)
            return false;
        r.body = m_buffer.mid(end + 4, length);
        r.json = QJsonDocument::fromJson(r.body).object();
        r.complete = true;
        m_buffer.remove(0, end + 4 + length);
        return true;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray healthz(const QByteArray &version = "HTTP/1.1", const QByteArray &extra = {}, const QByteArray &method = "GET",
                   const QByteArray &path = "/healthz")
{
    return method + ' ' + path + ' ' + version + "\r\nHost: localhost\r\n" + extra + "\r\n";
}

bool hasErrorShape(const RawResponse &r, int status, const QString &code)
{
    return r.complete && r.status == status && r.json.value(QStringLiteral("error")).toString() == code
            && !r.json.value(QStringLiteral("message")).toString().isEmpty() && r.header("X-Frame-Options") == "DENY"
            && r.header("Cache-Control") == "no-store" && r.header("X-Content-Type-Options") == "nosniff";
}

void importExample(TestServer &server)
{
    QFile file(QStringLiteral(AUTHREALM_SOURCE_DIR "/docs/examples/acme-realm.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    server.core().transfer().importRealm(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("test"));
}

QByteArray loginRequest(const QByteArray &extraHeaders)
{
    const QByteArray body = R"({"email":"guest@example.com","password":"SecurePassword123!"})";
    return "POST /realms/acme/authRealm/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

// Streams `head` and then body bytes (chunked or raw) until the server
// answers or closes, or `limit` bytes went out, as a client uploading a large
// file would; returns the bytes sent.
qint64 streamUntilAnswered(RawClient &client, const QByteArray &head, bool chunked, qint64 limit)
{
    client.send(head);
    const QByteArray piece(16 * 1024, 'x');
    const QByteArray chunk = QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    qint64 sent = 0;
    while (sent < limit && client.connected()) {
        client.pull();
        if (client.answerStarted())
            break;
        client.socket().write(chunked ? chunk : piece);
        client.socket().waitForBytesWritten(100);
        sent += piece.size();
    }
    return sent;
}
} // namespace

class tst_Connections : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data() { test::addBackendRows(); }

    // Which requests keep their connection, which close it after the answer.
    void closeAfterAnswer_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("headOnly");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("closes");
        QTest::addColumn<QByteArray>("connectionHeader");
        QTest::newRow("HTTP/1.1 default keeps it") << healthz() << false << 200 << false << QByteArray();
        QTest::newRow("Connection: close") << healthz("HTTP/1.1", "Connection: close\r\n") << false << 200 << true << QByteArray("close");
        QTest::newRow("close in a token list, any case") << healthz("HTTP/1.1", "Connection: TE, Close\r\n") << false << 200 << true << QByteArray("close");
        QTest::newRow("HTTP/1.0 closes") << healthz("HTTP/1.0") << false << 200 << true << QByteArray("close");
        QTest::newRow("HTTP/1.0 keep-alive keeps it") << healthz("HTTP/1.0", "Connection: keep-alive\r\n") << false << 200 << false << QByteArray("keep-alive");
        QTest::newRow("HEAD with close") << healthz("HTTP/1.1", "Connection: close\r\n", "HEAD") << true << 200 << true << QByteArray("close");
        QTest::newRow("HEAD over HTTP/1.0") << healthz("HTTP/1.0", {}, "HEAD") << true << 200 << true << QByteArray("close");
        QTest::newRow("404 with close") << healthz("HTTP/1.1", "Connection: close\r\n", "GET", "/no/such/thing") << false << 404 << true << QByteArray("close");
        QTest::newRow("405 over HTTP/1.0") << healthz("HTTP/1.0", {}, "DELETE") << false << 405 << true << QByteArray("close");
        QTest::newRow("404 keeps it") << healthz("HTTP/1.1", {}, "GET", "/no/such/thing") << false << 404 << false << QByteArray();
    }
    void closeAfterAnswer()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, headOnly);
        QFETCH(int, status);
        QFETCH(bool, closes);
        QFETCH(QByteArray, connectionHeader);
        TestServer server;
        RawClient client(server.server().port());
        QVERIFY(client.connected());
        client.send(request);
        const RawResponse first = client.read(headOnly);
        QVERIFY(first.complete);
        QCOMPARE(first.status, status);
        QCOMPARE(first.header("Connection").toLower(), connectionHeader);
        QCOMPARE(first.header("X-Frame-Options"), QByteArray("DENY"));
        if (status == 404)
            QVERIFY(hasErrorShape(first, 404, QStringLiteral("not_found")));
        if (status == 405)
            QVERIFY(hasErrorShape(first, 405, QStringLiteral("method_not_allowed")));
        if (closes) {
            QVERIFY2(client.closedByServer(), "the server left the connection open");
            QCOMPARE(client.leftover(), QByteArray());
            return;
        }
        // Still open: the same connection serves the next request.
        client.send(healthz("HTTP/1.1", "Connection: close\r\n"));
        const RawResponse second = client.read();
        QVERIFY(second.complete);
        QCOMPARE(second.status, 200);
        QVERIFY(client.closedByServer());
    }

    void idleConnectionIsClosed()
    {
        ServerOptions options;
        options.idleTimeoutMs = 300;
        TestServer server(options);
        RawClient client(server.server().port());
        client.send(healthz());
        const RawResponse answer = client.read();
        QCOMPARE(answer.status, 200);
        QVERIFY2(client.closedByServer(), "an idle keep-alive connection stayed open");
        QCOMPARE(client.leftover(), QByteArray()); // closed silently, no unasked-for answer
    }

    // Slow senders: the request must be complete within the request timeout,
    // counted from its first byte, or it gets 408 and the connection closes.
    void slowSenderIsCut_data()
    {
        QTest::addColumn<QByteArray>("opening");
        QTest::addColumn<bool>("trickle"); // keep sending a byte every 50 ms
        QTest::addColumn<bool>("expects408");
        QTest::newRow("nothing sent") << QByteArray() << false << false;
        QTest::newRow("head never finished") << QByteArray("GET /healthz HTTP/1.1\r\nHost: localhost\r\n") << false << true;
        QTest::newRow("head trickled byte by byte") << QByteArray("GET /healthz HTTP/1.1\r\nX-Slow: ") << true << true;
        QTest::newRow("body never finished") << QByteArray("POST /realms/acme/authRealm/login HTTP/1.1\r\nHost: localhost\r\n"
                                                           "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em")
                                             << false << true;
    }
    void slowSenderIsCut()
    {
        QFETCH(QByteArray, opening);
        QFETCH(bool, trickle);
        QFETCH(bool, expects408);
        ServerOptions options;
        options.requestTimeoutMs = 300;
        TestServer server(options);
        RawClient client(server.server().port());
        if (!opening.isEmpty())
            client.send(opening);
        QElapsedTimer clock;
        clock.start();
        while (trickle && client.connected() && !client.answerStarted() && clock.elapsed() < kCloseWithinMs) {
            client.send("a");
            client.socket().waitForReadyRead(50);
            client.pull();
        }
        if (trickle) // cut while still sending, not after the client stopped
            QVERIFY2(client.answerStarted() || !client.connected(), "a trickling sender was never cut");
        if (expects408) {
            const RawResponse answer = client.read();
            QVERIFY2(hasErrorShape(answer, 408, QStringLiteral("request_timeout")), answer.body.constData());
            QCOMPARE(answer.header("Connection"), QByteArray("close"));
        }
        QVERIFY2(client.closedByServer(), "a slow sender kept its connection");
        QCOMPARE(client.leftover(), QByteArray());
    }

    // Beyond the per-source or the total cap: 503 with Retry-After, then close;
    // a slot comes back when a connection ends.
    void connectionCaps_data()
    {
        QTest::addColumn<int>("perSource");
        QTest::addColumn<int>("total");
        QTest::newRow("per source") << 2 << 100;
        QTest::newRow("in total") << 100 << 2;
    }
    void connectionCaps()
    {
        QFETCH(int, perSource);
        QFETCH(int, total);
        ServerOptions options;
        options.maxConnectionsPerSource = perSource;
        options.maxConnections = total;
        TestServer server(options);
        const quint16 port = server.server().port();
        auto first = std::make_unique<RawClient>(port);
        RawClient second(port);
        for (RawClient *c : {first.get(), &second}) {
            c->send(healthz());
            QCOMPARE(c->read().status, 200); // admitted and counted
        }
        RawClient third(port);
        third.send(healthz());
        const RawResponse refused = third.read();
        QVERIFY2(hasErrorShape(refused, 503, QStringLiteral("overloaded")), refused.body.constData());
        QVERIFY(!refused.header("Retry-After").isEmpty());
        QCOMPARE(refused.header("Connection"), QByteArray("close"));
        QVERIFY(third.closedByServer());

        first.reset(); // gives its slot back once the server sees the close
        QElapsedTimer clock;
        clock.start();
        int status = 0;
        while (status != 200 && clock.elapsed() < kCloseWithinMs) {
            RawClient again(port);
            again.send(healthz("HTTP/1.1", "Connection: close\r\n"));
            status = again.read().status;
            if (status != 200)
                QTest::qWait(50);
        }
        QCOMPARE(status, 200);
    }

    // Bodies past the cap get a 413 the client can read in full, then a
    // graceful close; repeated because a reset shows up only sometimes.
    void oversizedBodyGetsReadable413_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<bool>("chunked");
        const QByteArray start = "POST /realms/acme/authRealm/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        for (int round = 1; round <= 5; ++round) {
            QTest::addRow("chunked stream, try %d", round) << (start + "Transfer-Encoding: chunked\r\n\r\n") << true;
            QTest::addRow("Content-Length over the cap, try %d", round) << (start + "Content-Length: 10000000\r\n\r\n") << false;
        }
    }
    void oversizedBodyGetsReadable413()
    {
        QFETCH(QByteArray, head);
        QFETCH(bool, chunked);
        TestServer server;
        RawClient client(server.server().port());
        streamUntilAnswered(client, head, chunked, 4 * 1024 * 1024);
        const RawResponse answer = client.read();
        QVERIFY2(hasErrorShape(answer, 413, QStringLiteral("payload_too_large")), answer.body.constData());
        QCOMPARE(answer.header("Connection"), QByteArray("close"));
        QVERIFY(client.closedByServer());
    }

    // Garbage never holds a connection: what Qt 6.4 cannot parse it closes
    // at once (without an answer); what it keeps waiting on, the request
    // timeout ends with 408.
    void malformedRequestIsClosed_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<bool>("expects408");
        QTest::newRow("request line without target") << QByteArray("GET\r\n\r\n") << false;
        QTest::newRow("not an HTTP version") << QByteArray("GET / FOO/1.1\r\nHost: a\r\n\r\n") << false;
        QTest::newRow("broken chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << true;
        QTest::newRow("TLS hello on the plain port") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n") << true;
    }
    void malformedRequestIsClosed()
    {
        QFETCH(QByteArray, request);
        QFETCH(bool, expects408);
        ServerOptions options;
        options.requestTimeoutMs = 300;
        TestServer server(options);
        RawClient client(server.server().port());
        client.send(request);
        if (expects408) {
            const RawResponse answer = client.read();
            QVERIFY2(hasErrorShape(answer, 408, QStringLiteral("request_timeout")), answer.body.constData());
        }
        QVERIFY2(client.closedByServer(), "a malformed request kept its connection");
    }

    // The login runs on the password pool and answers from there.
    void passwordRouteHonoursTheConnection_data()
    {
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<bool>("closes");
        QTest::newRow("Connection: close") << QByteArray("Connection: close\r\n") << true;
        QTest::newRow("keep-alive outlives an idle timeout shorter than the hashing") << QByteArray() << false;
    }
    void passwordRouteHonoursTheConnection()
    {
        QFETCH(QByteArray, extra);
        QFETCH(bool, closes);
        ServerOptions options;
        // Far shorter than one argon2id verification below: a request in
        // flight must not count as idle time.
        options.idleTimeoutMs = 20;
        options.requestTimeoutMs = closes ? 10'000 : 2'000;
        TestServer server(options, Argon2Params{32 * 1024, 4});
        importExample(server);
        RawClient client(server.server().port());
        client.send(loginRequest(extra));
        const RawResponse answer = client.read();
        QVERIFY2(answer.complete && answer.status == 200, answer.body.constData());
        QVERIFY(answer.json.contains(QStringLiteral("accessToken")));
        if (closes) {
            QCOMPARE(answer.header("Connection"), QByteArray("close"));
            QVERIFY(client.closedByServer());
        } else {
            QCOMPARE(answer.header("Connection"), QByteArray());
            QVERIFY(client.closedByServer()); // and then, idle, it does close
        }
    }
};

QTEST_GUILESS_MAIN(tst_Connections)
#include "tst_connections.moc"
