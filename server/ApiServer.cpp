#include "ApiServer.h"

#include "AuthRealmCore.h"
#include "ErrorMapping.h"
#include "HttpListener.h"
#include "routes/Routes.h"

#include <QHttpServerResponder>
#include <QLoggingCategory>
#include <QTcpSocket>
#include <QThread>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

namespace authrealm {

namespace {

// The listening socket. Every I/O thread accepts on its own duplicate of it,
// so whichever thread is free takes the next connection. Deliberately not
// SO_REUSEPORT: that would let a second (stale) server process bind the same
// port and silently take half of the connections.
int openListeningSocket(const QHostAddress &address, quint16 port)
{
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        throw std::runtime_error(std::string("socket(): ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (v6)
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (v6) {
        auto *sa = reinterpret_cast<sockaddr_in6 *>(&storage);
        sa->sin6_family = AF_INET6;
        sa->sin6_port = htons(port);
        const Q_IPV6ADDR raw = address.toIPv6Address();
        std::memcpy(&sa->sin6_addr, raw.c, 16);
        length = sizeof(sockaddr_in6);
    } else {
        auto *sa = reinterpret_cast<sockaddr_in *>(&storage);
        sa->sin_family = AF_INET;
        sa->sin_port = htons(port);
        sa->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof(sockaddr_in);
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0 || ::listen(fd, 1024) != 0) {
        const std::string error = std::strerror(errno);
        ::close(fd);
        throw std::runtime_error("cannot listen on " + address.toString().toStdString() + ":" + std::to_string(port) + ": " + error);
    }
    return fd;
}

quint16 boundPort(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length);
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
}

} // namespace

// One I/O thread: its own QTcpServer on the shared port and its own listener.
class IoThread : public QThread
{
public:
    IoThread(ApiServer &server, int fd, const ConnectionSettings &settings, ConnectionLimiter &limiter)
        : m_server(server), m_fd(fd), m_settings(settings), m_limiter(limiter)
    {
    }
    ~IoThread() override
    {
        quit();
        wait();
    }

protected:
    void run() override
    {
        HttpListener listener(m_server);
        auto *tcp = new GuardedTcpServer(m_settings, m_limiter);
        if (!tcp->setSocketDescriptor(m_fd)) {
            qCCritical(lcHttp) << "cannot adopt the listening socket:" << tcp->errorString();
            delete tcp;
            return;
        }
        listener.bind(tcp); // takes ownership
        exec();
    }

private:
    ApiServer &m_server;
    int m_fd;
    ConnectionSettings m_settings;
    ConnectionLimiter &m_limiter;
};

ApiServer::ApiServer(AuthRealmCore &core, ServerOptions options, QObject *parent)
    : QObject(parent), m_core(core), m_options(std::move(options)), m_clientAddress(m_options.trustedProxies),
      m_connections(m_options.maxConnectionsPerSource, m_options.maxConnections,
                    [this](const QHostAddress &peer) { return m_clientAddress.trusted(peer); }),
      m_jobs(core, BackgroundJobs::Options{m_options.instanceKind, m_options.mailIntervalMs, m_options.maintenance})
{
    const int cores = std::max(1, QThread::idealThreadCount());
    m_passwordPool.setMaxThreadCount(m_options.passwordThreads > 0 ? m_options.passwordThreads : cores);
    // Keep workers (and their database connections) instead of re-opening them.
    m_passwordPool.setExpiryTimeout(-1);
    registerRoutes();
}

ApiServer::~ApiServer()
{
    stop();
}

void ApiServer::registerRoutes()
{
    const RouteContext context{m_core, m_router};
    registerHealthRoutes(context);
    registerAuthRoutes(context);
    registerAccountRoutes(context);
    registerAdminMailRoutes(context);
    registerTenantRoutes(context);
    registerTokenRoutes(context);
    registerMfaRoutes(context);
    registerSessionRoutes(context);
    registerAdminRealmRoutes(context);
    registerAdminClientRoutes(context);
    registerRegistrationRoutes(context);
    registerAdminUserRoutes(context);
    registerAdminAuditRoutes(context);
    registerSetupRoutes(context);
    registerWellKnownRoutes(context);
    registerOidcRoutes(context);
    registerOidcTokenRoutes(context);
    registerPageRoutes(context);
}

quint16 ApiServer::start()
{
    if (isRunning())
        return m_port;
    const int count = m_options.ioThreads > 0 ? m_options.ioThreads : std::max(1, QThread::idealThreadCount());
    std::vector<int> fds;
    try {
        fds.push_back(openListeningSocket(m_options.address, m_options.port));
        m_port = boundPort(fds.front());
        for (int i = 1; i < count; ++i) {
            const int copy = ::fcntl(fds.front(), F_DUPFD_CLOEXEC, 0);
            if (copy < 0)
                throw std::runtime_error(std::string("dup(): ") + std::strerror(errno));
            fds.push_back(copy);
        }
    } catch (...) {
        for (int fd : fds)
            ::close(fd);
        throw;
    }
    const ConnectionSettings connection{m_options.maxBodyBytes, m_options.idleTimeoutMs, m_options.requestTimeoutMs};
    for (int fd : fds) {
        auto thread = std::make_unique<IoThread>(*this, fd, connection, m_connections);
        thread->setObjectName(QStringLiteral("authrealm-io"));
        thread->start();
        m_threads.push_back(std::move(thread));
    }
    m_jobs.start(QStringLiteral("%1:%2").arg(m_options.address.toString()).arg(m_port));
    return m_port;
}

void ApiServer::stop()
{
    if (!isRunning())
        return;
    m_jobs.stop();
    // Finish password work first: its results are posted to the I/O threads.
    m_passwordPool.waitForDone();
    m_threads.clear();
}

void ApiServer::dispatch(ApiRequest request, std::shared_ptr<PendingReply> reply, QObject *ioContext)
{
    ++m_requests;
    const bool headOnly = request.method == "HEAD";
    request.clientIp = m_clientAddress.resolve(request.peer, request.header("X-Forwarded-For"));
    if (request.body.size() > m_options.maxBodyBytes)
        return reply->send(errorResponse(DomainError(ErrorCode::PayloadTooLarge, QStringLiteral("The request body is larger than the server accepts"))), headOnly);
    const Router::Match match = m_router.match(request.method, request.path);
    if (match.kind == Router::Match::Kind::MethodNotAllowed)
        return reply->send(errorResponse(DomainError(ErrorCode::MethodNotAllowed, QStringLiteral("This endpoint does not accept that method"))), headOnly);
    if (match.kind != Router::Match::Kind::Found)
        return reply->send(errorResponse(DomainError(ErrorCode::NotFound, QStringLiteral("No such endpoint"))), headOnly);
    request.params = match.params;
    const Route &route = *match.route;
    if (route.scope == Scope::Realm) {
        request.realmId = match.explicitRealm ? match.params.value(QStringLiteral("realm")) : m_core.defaultRealm();
        const ApiResponse missing = runGuarded([&]() -> ApiResponse {
            if (!Validate::identifier(request.realmId) || !m_core.realms().realmExists(request.realmId))
                throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("Realm not found"));
            return ApiResponse{};
        }, request);
        if (missing.status != 200)
            return reply->send(missing, headOnly);
    }

    if (route.execution == Execution::Inline)
        return reply->send(runGuarded([&] { return route.handler(request); }, request), headOnly);

    // Password work: bounded, so a login flood queues a fixed amount of
    // work (and argon2id memory) and sheds the rest with 503 + Retry-After.
    const int limit = m_passwordPool.maxThreadCount() + m_options.passwordQueueLimit;
    if (m_passwordPending.fetch_add(1) >= limit) {
        --m_passwordPending;
        return reply->send(errorResponse(DomainError(ErrorCode::Overloaded, QStringLiteral("The server is busy; retry shortly"))), headOnly);
    }
    const Handler handler = route.handler;
    QPointer<QObject> context(ioContext);
    m_passwordPool.start([this, handler, request = std::move(request), reply, context, headOnly]() {
        ApiResponse response = runGuarded([&] { return handler(request); }, request);
        --m_passwordPending;
        if (!context)
            return;
        // Sent on the connection's own thread; the reply checks the client is still there.
        QMetaObject::invokeMethod(context.data(), [reply, response = std::move(response), headOnly]() mutable {
            reply->send(std::move(response), headOnly);
        }, Qt::QueuedConnection);
    });
}

QList<QPair<QByteArray, QByteArray>> responseHeaders(const ApiResponse &response)
{
    QList<QPair<QByteArray, QByteArray>> headers{
        {"Content-Type", response.contentType},
        {"Content-Length", QByteArray::number(response.body.size())},
        {"Cache-Control", "no-store"},
        {"Pragma", "no-cache"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
        {"Referrer-Policy", "no-referrer"},
    };
    // A response's own header replaces the common one of that name (a page's
    // Content-Security-Policy, the stylesheet's Cache-Control).
    for (const auto &[name, value] : response.headers) {
        headers.removeIf([&](const QPair<QByteArray, QByteArray> &common) {
            return name.compare(common.first, Qt::CaseInsensitive) == 0 && name.compare("Set-Cookie", Qt::CaseInsensitive) != 0;
        });
    }
    headers += response.headers;
    return headers;
}

void writeResponse(QHttpServerResponder &responder, const ApiResponse &response, bool headOnly)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
    for (const auto &[name, value] : responseHeaders(response))
        responder.writeHeader(name, value);
    if (!headOnly)
        responder.writeBody(response.body);
    else
        responder.writeBody(QByteArray());
}

} // namespace authrealm
