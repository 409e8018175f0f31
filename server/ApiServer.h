#pragma once

#include "ClientAddress.h"
#include "ConnectionLimiter.h"
#include "Router.h"
#include "BackgroundJobs.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

class QHttpServerResponder;
#include <atomic>
#include <memory>
#include <vector>


namespace authrealm {

class AuthRealmCore;
class IoThread;
class PendingReply;

struct ServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;            // 0 picks a free port (tests)
    int ioThreads = 0;              // 0: one per core
    int passwordThreads = 0;        // argon2id workers; 0: one per core
    int passwordQueueLimit = 64;    // waiting logins beyond the workers; more get 503
    qint64 maxBodyBytes = 64 * 1024;
    int idleTimeoutMs = 15'000;       // keep-alive connection with no request in flight and no bytes
    int requestTimeoutMs = 10'000;    // a request's head and body must arrive within this; else 408
    int maxConnectionsPerSource = 256; // open connections per peer address (trusted proxies: total only)
    int maxConnections = 4096;        // open connections in total; beyond either cap: 503 and close
    QList<ClientAddress::Subnet> trustedProxies;
    QString instanceKind = QStringLiteral("authrealmd"); // how other consoles see this server
    int mailIntervalMs = 2000;      // how often the outbox is checked for due mails; 0: no sender thread
    bool maintenance = true;        // run the database Maintenance; false when the host (the console) runs it
};

// The HTTP front of AuthRealm: several I/O threads, each with its own
// QAbstractHttpServer accepting on the one listening socket, one router, and a
// bounded pool for password hashing. Used by authrealmd and by the console.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    ApiServer(AuthRealmCore &core, ServerOptions options, QObject *parent = nullptr);
    ~ApiServer() override;

    // Binds and starts serving; returns the bound port. Throws std::runtime_error.
    quint16 start();
    void stop();
    [[nodiscard]] bool isRunning() const { return !m_threads.empty(); }
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] quint64 requestsServed() const { return m_requests.load(); }
    [[nodiscard]] const ServerOptions &options() const { return m_options; }
    // This server's row in the ServerRegistry while it runs.
    [[nodiscard]] const QString &instanceId() const { return m_jobs.instanceId(); }

    // Called by the I/O threads for each complete request; `ioContext` lives
    // on the calling thread, where the reply must be sent.
    void dispatch(ApiRequest request, std::shared_ptr<PendingReply> reply, QObject *ioContext);

private:
    void registerRoutes();

    AuthRealmCore &m_core;
    ServerOptions m_options;
    ClientAddress m_clientAddress;
    ConnectionLimiter m_connections; // shared by the I/O threads; outlives them
    Router m_router;
    QThreadPool m_passwordPool;
    std::atomic<int> m_passwordPending{0};
    std::atomic<quint64> m_requests{0};
    std::vector<std::unique_ptr<IoThread>> m_threads;
    quint16 m_port = 0;
    // Revocation sync, registry heartbeat, SMTP sender, database upkeep:
    // started and stopped with the listener.
    BackgroundJobs m_jobs;
};

// The headers every AuthRealm answer carries, then the response's own.
[[nodiscard]] QList<QPair<QByteArray, QByteArray>> responseHeaders(const ApiResponse &response);
// Writes a response with those headers.
void writeResponse(QHttpServerResponder &responder, const ApiResponse &response, bool headOnly);

} // namespace authrealm
