#pragma once

#include "ApiRequest.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTimer>

class QHttpServerRequest;
class QTcpSocket;

namespace authrealm {

class ConnectionLimiter;

struct ConnectionSettings
{
    qint64 maxBodyBytes = 64 * 1024;
    int idleTimeoutMs = 15'000;    // keep-alive connection with nothing in flight
    int requestTimeoutMs = 10'000; // from a request's first byte until Qt has parsed all of it
};

// What happens to the connection once a request is answered.
enum class Reuse {
    KeepAlive,   // HTTP/1.1 default
    KeepAlive10, // HTTP/1.0 that asked for keep-alive: the answer must say so
    Close,       // `Connection: close`, or HTTP/1.0 without keep-alive
};

// The part of HTTP/1.1 connection management Qt 6.4's QAbstractHttpServer
// lacks, on one socket: it sees every byte before Qt's parser (it is
// connected to readyRead first), refuses oversized requests with 413, closes
// idle and slow connections, and closes after the answer when the client
// asked for it. A close is always graceful (RFC 9112 §9.6): flush the answer,
// shut down the write side, then read and discard for a bounded time, so the
// client's kernel never resets a connection with the answer still unread.
// Lives on the socket's thread as the socket's child.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    // `limiter` (may be null) had admitted this connection; the guard gives the slot back.
    ConnectionGuard(QTcpSocket *socket, const ConnectionSettings &settings, ConnectionLimiter *limiter);
    ~ConnectionGuard() override;

    [[nodiscard]] static ConnectionGuard *of(QTcpSocket *socket);

    // Qt parsed a complete request; decides what follows its answer.
    [[nodiscard]] Reuse beginRequest(const QHttpServerRequest &request);
    // Its answer is written: wait for the next request, or close.
    void endRequest(Reuse reuse);
    // Answers without Qt (overload, timeout, oversized) and closes.
    void refuse(ApiResponse response);
    // Answered for the last time (or cut): later answers must not be written.
    [[nodiscard]] bool closing() const { return m_phase == Phase::Closing; }

private:
    enum class Phase {
        Idle,    // between requests (maybe one in flight)
        Reading, // part of a request has arrived
        Closing, // answered for the last time: flushing, then draining
    };
    void onReadyRead();
    void onTimeout();
    void inspectHead();
    void closeGracefully();
    void shutdownWriteWhenFlushed();
    void discardInput();
    void finish();
    void startIdleTimer();

    QTcpSocket *m_socket;
    ConnectionSettings m_settings;
    ConnectionLimiter *m_limiter;
    QHostAddress m_peer;
    QTimer m_timer; // idle, request-read or linger deadline, depending on the phase
    Phase m_phase = Phase::Idle;
    int m_inFlight = 0;
    // The request being read.
    qint64 m_requestBytes = 0;
    QByteArray m_head;
    bool m_headComplete = false;
    bool m_http10 = false;
    // Closing.
    bool m_writeShut = false;
    int m_lingerMs = 5'000;
    qint64 m_drainLeft = 0;
};

// Bytes of a whole HTTP/1.1 answer with the common headers, for answers
// written without Qt's responder.
[[nodiscard]] QByteArray httpMessage(const ApiResponse &response);

} // namespace authrealm
