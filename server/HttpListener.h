#pragma once

#include "ApiRequest.h"
#include "ConnectionGuard.h"

#include <QAbstractHttpServer>
#include <QHttpServerResponder>
#include <QPointer>
#include <QTcpServer>

namespace authrealm {

class ApiServer;
class ConnectionLimiter;

// Accepts connections on an already-listening descriptor and puts a
// ConnectionGuard on every socket before Qt's HTTP parser sees a byte.
// Connections beyond the limiter's caps are answered 503 here and closed.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(const ConnectionSettings &settings, ConnectionLimiter &limiter, QObject *parent = nullptr)
        : QTcpServer(parent), m_settings(settings), m_limiter(limiter)
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    ConnectionSettings m_settings;
    ConnectionLimiter &m_limiter;
};

// Where the answer to one request goes, and what the connection does after
// it. Created on the socket's I/O thread; send() must run there too.
class PendingReply
{
public:
    PendingReply(QHttpServerResponder &&responder, QTcpSocket *socket, Reuse reuse)
        : m_responder(std::move(responder)), m_socket(socket), m_reuse(reuse)
    {
    }
    // Writes the answer if the client is still there (it may have gone while
    // a password was hashed), then keeps the connection or closes it.
    void send(ApiResponse response, bool headOnly);

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    Reuse m_reuse;
};

// One per I/O thread: hands complete requests to the ApiServer.
class HttpListener : public QAbstractHttpServer
{
    Q_OBJECT
public:
    explicit HttpListener(ApiServer &server) : m_server(server) {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    [[nodiscard]] std::shared_ptr<PendingReply> replyFor(const QHttpServerRequest &request, QTcpSocket *socket);

    ApiServer &m_server;
};

} // namespace authrealm
