#pragma once

#include <QAbstractHttpServer>
#include <QTcpServer>

namespace authrealm {

class ApiServer;

// Accepts connections on an already-listening descriptor and puts a size
// guard on every socket before Qt's HTTP parser sees a byte: Qt 6.4 buffers
// bodies without limit, so oversized requests are refused here with 413.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    GuardedTcpServer(qint64 maxBodyBytes, QObject *parent = nullptr) : QTcpServer(parent), m_maxBodyBytes(maxBodyBytes) {}

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    qint64 m_maxBodyBytes;
};

// Counts the bytes of the request in flight on one socket.
class RequestSizeGuard : public QObject
{
    Q_OBJECT
public:
    RequestSizeGuard(QTcpSocket *socket, qint64 maxBodyBytes);
    void requestCompleted() { m_bytes = 0; }

private:
    void onReadyRead();
    void reject(qint64 declaredBodyBytes);

    QTcpSocket *m_socket;
    qint64 m_maxBodyBytes;
    qint64 m_bytes = 0;
    bool m_rejected = false;
    qint64 m_discardLeft = 0; // bytes still to swallow so the client can read the 413
};

// One per I/O thread: hands complete requests to the ApiServer.
class HttpListener : public QAbstractHttpServer
{
    Q_OBJECT
public:
    HttpListener(ApiServer &server, qint64 maxBodyBytes) : m_server(server), m_maxBodyBytes(maxBodyBytes) {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    ApiServer &m_server;
    qint64 m_maxBodyBytes;
};

} // namespace authrealm
