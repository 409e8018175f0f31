#include "ConnectionGuard.h"

#include "ApiServer.h"
#include "ConnectionLimiter.h"
#include "ErrorMapping.h"

#include <QHttpServerRequest>
#include <QTcpSocket>

#include <sys/socket.h>

namespace authrealm {

namespace {
constexpr qint64 kMaxHeaderBytes = 16 * 1024;
// After the last answer: how long and how much the client may still send
// before the socket is cut (RFC 9112 §9.6 asks for a bounded drain). A
// connection refused for overload lingers briefly: a flood of them must not
// pile up sockets.
constexpr int kLingerMs = 5'000;
constexpr int kRefusedLingerMs = 1'000;
constexpr qint64 kDrainBudget = 8 * 1024 * 1024;

// Index just past the blank line that ends the head, or -1. Qt's parser also
// accepts bare LF line ends, so this does too.
qsizetype headEnd(const QByteArray &bytes)
{
    const qsizetype crlf = bytes.indexOf("\r\n\r\n");
    const qsizetype lf = bytes.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf < lf))
        return crlf + 4;
    return lf >= 0 ? lf + 2 : -1;
}

// Calls `visit(name, value)` for each header line of `head` (request line skipped).
template<typename Visit>
void forEachHeader(QByteArrayView head, Visit visit)
{
    qsizetype lineStart = head.indexOf('\n');
    while (lineStart >= 0 && lineStart + 1 < head.size()) {
        ++lineStart;
        qsizetype lineEnd = head.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = head.size();
        const QByteArrayView line = head.sliced(lineStart, lineEnd - lineStart).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            visit(line.first(colon).trimmed(), line.sliced(colon + 1).trimmed());
        lineStart = lineEnd < head.size() ? lineEnd : -1;
    }
}

bool isHttp10(QByteArrayView head)
{
    qsizetype end = head.indexOf('\n');
    const QByteArrayView requestLine = (end < 0 ? head : head.first(end)).trimmed();
    return requestLine.endsWith("HTTP/1.0");
}

// Whether a comma-separated header value lists `token` (case-insensitive).
bool listsToken(QByteArrayView value, QByteArrayView token)
{
    for (QByteArrayView rest = value; !rest.isEmpty();) {
        const qsizetype comma = rest.indexOf(',');
        const QByteArrayView item = (comma < 0 ? rest : rest.first(comma)).trimmed();
        if (item.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
    }
    return false;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}
} // namespace

QByteArray httpMessage(const ApiResponse &response)
{
    QByteArray message = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : responseHeaders(response))
        message += name + ": " + value + "\r\n";
    return message + "\r\n" + response.body;
}

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const ConnectionSettings &settings, ConnectionLimiter *limiter)
    : QObject(socket), m_socket(socket), m_settings(settings), m_limiter(limiter), m_peer(socket->peerAddress())
{
    m_timer.setSingleShot(true);
    m_timer.callOnTimeout(this, &ConnectionGuard::onTimeout);
    // Connected before Qt's own readyRead handler, so it runs first.
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    // A fresh connection must send its first request within the request timeout.
    m_timer.start(m_settings.requestTimeoutMs);
}

ConnectionGuard::~ConnectionGuard()
{
    if (m_limiter)
        m_limiter->release(m_peer);
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
}

void ConnectionGuard::onReadyRead()
{
    if (m_phase == Phase::Closing)
        return discardInput();
    // Qt's parser reads everything inside a transaction, so what is available
    // now is exactly what arrived since its last read.
    const qint64 fresh = m_socket->bytesAvailable();
    if (fresh <= 0)
        return;
    if (m_phase == Phase::Idle) {
        m_phase = Phase::Reading;
        m_requestBytes = 0;
        m_head.clear();
        m_headComplete = false;
        m_http10 = false;
        // From the first byte, not the last: a slow sender cannot stretch it.
        m_timer.start(m_settings.requestTimeoutMs);
    }
    m_requestBytes += fresh;
    if (!m_headComplete) {
        m_head += m_socket->peek(std::min(fresh, kMaxHeaderBytes + 4 - m_head.size()));
        inspectHead();
        if (m_phase == Phase::Closing)
            return;
    }
    if (m_requestBytes > m_settings.maxBodyBytes + kMaxHeaderBytes)
        return refuse(errorResponse(DomainError(ErrorCode::PayloadTooLarge, QStringLiteral("The request body is larger than the server accepts"))));
}

void ConnectionGuard::inspectHead()
{
    const qsizetype end = headEnd(m_head);
    if (end < 0) {
        if (m_head.size() > kMaxHeaderBytes)
            refuse(errorResponse(DomainError(ErrorCode::PayloadTooLarge, QStringLiteral("The request head is larger than the server accepts"))));
        return;
    }
    m_headComplete = true;
    m_head.truncate(end);
    m_http10 = isHttp10(m_head);
    qint64 declared = -1;
    forEachHeader(m_head, [&](QByteArrayView name, QByteArrayView value) {
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            declared = ok ? length : declared;
        }
    });
    if (declared > m_settings.maxBodyBytes)
        refuse(errorResponse(DomainError(ErrorCode::PayloadTooLarge, QStringLiteral("The request body is larger than the server accepts"))));
}

Reuse ConnectionGuard::beginRequest(const QHttpServerRequest &request)
{
    ++m_inFlight;
    const bool http10 = m_headComplete ? m_http10 : isHttp10(m_head);
    if (m_phase == Phase::Reading) {
        m_phase = Phase::Idle;
        m_timer.stop(); // the answer may take a while (argon2id); it is not idle time
    }
    bool close = false;
    bool keepAlive = false;
    for (const auto &[name, value] : request.headers()) {
        if (name.compare("connection", Qt::CaseInsensitive) == 0) {
            close = close || listsToken(value, "close");
            keepAlive = keepAlive || listsToken(value, "keep-alive");
        }
    }
    if (close || (http10 && !keepAlive))
        return Reuse::Close;
    return http10 ? Reuse::KeepAlive10 : Reuse::KeepAlive;
}

void ConnectionGuard::endRequest(Reuse reuse)
{
    --m_inFlight;
    if (m_phase == Phase::Closing)
        return;
    if (reuse == Reuse::Close)
        return closeGracefully();
    startIdleTimer();
}

void ConnectionGuard::startIdleTimer()
{
    if (m_phase == Phase::Idle && m_inFlight == 0)
        m_timer.start(m_settings.idleTimeoutMs);
}

void ConnectionGuard::onTimeout()
{
    switch (m_phase) {
    case Phase::Idle:
        if (m_inFlight == 0)
            closeGracefully(); // an idle close says nothing: the client may be about to reuse it
        break;
    case Phase::Reading:
        refuse(errorResponse(DomainError(ErrorCode::RequestTimeout, QStringLiteral("The request did not arrive in time"))));
        break;
    case Phase::Closing:
        finish();
        break;
    }
}

void ConnectionGuard::refuse(ApiResponse response)
{
    if (m_phase == Phase::Closing)
        return;
    response.headers.append(qMakePair(QByteArray("Connection"), QByteArray("close")));
    m_socket->write(httpMessage(response));
    m_lingerMs = m_limiter ? kLingerMs : kRefusedLingerMs; // no limiter: refused at accept
    closeGracefully();
}

void ConnectionGuard::closeGracefully()
{
    if (m_phase == Phase::Closing)
        return;
    m_phase = Phase::Closing;
    // Qt's parser must not see another byte (nor answer a pipelined request);
    // its transaction would otherwise keep everything read in memory.
    if (m_socket->isTransactionStarted())
        m_socket->commitTransaction();
    disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
    connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::discardInput);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &ConnectionGuard::shutdownWriteWhenFlushed);
    // Refused connections never reach Qt, whose own handler would do this.
    connect(m_socket, &QTcpSocket::disconnected, m_socket, &QObject::deleteLater);
    m_drainLeft = kDrainBudget;
    m_socket->flush();
    shutdownWriteWhenFlushed();
    discardInput();
}

void ConnectionGuard::shutdownWriteWhenFlushed()
{
    if (m_writeShut)
        return;
    if (m_socket->bytesToWrite() > 0 && m_socket->state() == QAbstractSocket::ConnectedState) {
        // A large answer to a slow reader: fine while it makes progress.
        m_timer.start(m_settings.idleTimeoutMs);
        return;
    }
    m_writeShut = true;
    m_timer.start(m_lingerMs);
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    // The client reads the whole answer and then end-of-file; its further
    // bytes (the rest of an oversized body) are still read and dropped, so
    // the kernel has no reason to send a reset.
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void ConnectionGuard::discardInput()
{
    m_drainLeft -= m_socket->skip(m_socket->bytesAvailable());
    if (m_drainLeft <= 0)
        finish();
}

void ConnectionGuard::finish()
{
    m_timer.stop();
    m_socket->abort();
    m_socket->deleteLater();
}

} // namespace authrealm
