#include "HttpListener.h"

#include "ApiServer.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>

namespace authrealm {

namespace {
constexpr qint64 kMaxHeaderBytes = 16 * 1024;

// Content-Length of the request whose head is at the start of `head`, or -1.
qint64 declaredLength(const QByteArray &head)
{
    const qsizetype end = head.indexOf("\r\n\r\n");
    const QByteArrayView headers = end < 0 ? QByteArrayView(head) : QByteArrayView(head).first(end);
    qsizetype lineStart = 0;
    while (lineStart < headers.size()) {
        qsizetype lineEnd = headers.indexOf("\r\n", lineStart);
        if (lineEnd < 0)
            lineEnd = headers.size();
        const QByteArrayView line = headers.sliced(lineStart, lineEnd - lineStart);
        static constexpr QByteArrayView kName("content-length:");
        if (line.size() > kName.size() && line.first(kName.size()).compare(kName, Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 value = line.sliced(kName.size()).trimmed().toLongLong(&ok);
            return ok ? value : -1;
        }
        lineStart = lineEnd + 2;
    }
    return -1;
}
} // namespace

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Connected before Qt's own readyRead handler, so it runs first.
    new RequestSizeGuard(socket, m_maxBodyBytes);
    addPendingConnection(socket);
}

RequestSizeGuard::RequestSizeGuard(QTcpSocket *socket, qint64 maxBodyBytes)
    : QObject(socket), m_socket(socket), m_maxBodyBytes(maxBodyBytes)
{
    connect(socket, &QTcpSocket::readyRead, this, &RequestSizeGuard::onReadyRead);
}

void RequestSizeGuard::onReadyRead()
{
    if (m_rejected) {
        m_discardLeft -= m_socket->readAll().size();
        if (m_discardLeft <= 0)
            m_socket->disconnectFromHost();
        return;
    }
    const bool startOfRequest = m_bytes == 0;
    m_bytes += m_socket->bytesAvailable();
    if (startOfRequest) {
        const qint64 length = declaredLength(m_socket->peek(kMaxHeaderBytes));
        if (length > m_maxBodyBytes)
            return reject(length);
    }
    if (m_bytes > m_maxBodyBytes + kMaxHeaderBytes)
        return reject(0);
}

void RequestSizeGuard::reject(qint64 declaredBodyBytes)
{
    m_rejected = true;
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("error"), QStringLiteral("payload_too_large")},
                                                      {QStringLiteral("message"), QStringLiteral("The request body is larger than the server accepts")}})
                                .toJson(QJsonDocument::Compact);
    const QByteArray head = "HTTP/1.1 413 Payload Too Large\r\n"
                            "Content-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n"
                            "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    m_socket->write(head + body);
    // Closing while the client is still sending makes most clients report a
    // reset instead of the 413, so swallow a bounded amount of the declared
    // body first; anything beyond that bound is cut off.
    constexpr qint64 kDiscardBudget = 8 * 1024 * 1024;
    m_discardLeft = std::min(declaredBodyBytes + kMaxHeaderBytes, kDiscardBudget) - m_socket->readAll().size();
    if (declaredBodyBytes <= 0 || m_discardLeft <= 0)
        m_socket->disconnectFromHost();
}

bool HttpListener::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (auto *guard = socket->findChild<RequestSizeGuard *>(QString(), Qt::FindDirectChildrenOnly))
        guard->requestCompleted();
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
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    m_server.dispatch(std::move(api), std::move(responder), QPointer<QTcpSocket>(socket), this);
    return true;
}

void HttpListener::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    writeResponse(responder, ApiResponse::error(404, QStringLiteral("not_found"), QStringLiteral("No such endpoint")), false);
}

} // namespace authrealm
