#include "HttpListener.h"

#include "ApiServer.h"
#include "ConnectionLimiter.h"
#include "ErrorMapping.h"

#include <QHttpServerRequest>
#include <QTcpSocket>

namespace authrealm {

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (!m_limiter.tryAcquire(socket->peerAddress())) {
        // Never handed to Qt: answered and closed here, holding no slot.
        auto *guard = new ConnectionGuard(socket, m_settings, nullptr);
        guard->refuse(errorResponse(DomainError(ErrorCode::Overloaded, QStringLiteral("Too many connections; retry shortly"))));
        return;
    }
    new ConnectionGuard(socket, m_settings, &m_limiter);
    addPendingConnection(socket);
}

void PendingReply::send(ApiResponse response, bool headOnly)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    ConnectionGuard *guard = ConnectionGuard::of(m_socket);
    if (guard && guard->closing())
        return; // e.g. a pipelined request timed out meanwhile and got its 408
    if (m_reuse == Reuse::Close)
        response.headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    else if (m_reuse == Reuse::KeepAlive10)
        response.headers.append(qMakePair(QByteArray("Connection"), QByteArray("keep-alive")));
    writeResponse(m_responder, response, headOnly);
    if (guard)
        guard->endRequest(m_reuse);
}

std::shared_ptr<PendingReply> HttpListener::replyFor(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    const Reuse reuse = guard ? guard->beginRequest(request) : Reuse::Close;
    return std::make_shared<PendingReply>(makeResponder(request, socket), socket, reuse);
}

bool HttpListener::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ApiRequest api;
    switch (request.method()) {
    case QHttpServerRequest::Method::Get: api.method = "GET"; break;
    case QHttpServerRequest::Method::Post: api.method = "POST"; break;
    case QHttpServerRequest::Method::Put: api.method = "PUT"; break;
    case QHttpServerRequest::Method::Delete: api.method = "DELETE"; break;
    case QHttpServerRequest::Method::Patch: api.method = "PATCH"; break;
    case QHttpServerRequest::Method::Head: api.method = "HEAD"; break;
    case QHttpServerRequest::Method::Options: api.method = "OPTIONS"; break;
    default: api.method = "OTHER"; break;
    }
    const QUrl url = request.url();
    api.path = url.path(QUrl::FullyDecoded);
    api.query = request.query();
    api.headers = request.headers();
    api.body = request.body();
    api.peer = request.remoteAddress();
    m_server.dispatch(std::move(api), replyFor(request, socket), this);
    return true;
}

// Not reached while handleRequest answers everything; kept on the one error mapping.
void HttpListener::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    replyFor(request, socket)->send(errorResponse(DomainError(ErrorCode::NotFound, QStringLiteral("No such endpoint"))),
                                    request.method() == QHttpServerRequest::Method::Head);
}

} // namespace authrealm
