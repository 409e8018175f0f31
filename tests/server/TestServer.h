#pragma once

#include "ApiServer.h"
#include "AuthRealmCore.h"
#include "TestDatabases.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace authrealm::test {

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[k, v] : headers) {
            if (k.compare(name, Qt::CaseInsensitive) == 0)
                return v;
        }
        return {};
    }
};

// A real server on a free loopback port over a scratch database, talked to
// through QNetworkAccessManager like any client would.
class TestServer
{
public:
    // hashing: a decorator (e.g. CountingPasswordHasher) the services use instead of the core's own hasher.
    explicit TestServer(ServerOptions options = {}, Argon2Params argon2 = {1024, 1}, const PasswordHashing *hashing = nullptr)
        : m_core(withHashing(coreOptions(m_scratch.config(), &m_clock, argon2), hashing))
    {
        options.address = QHostAddress::LocalHost;
        options.port = 0;
        if (options.ioThreads == 0)
            options.ioThreads = 2;
        m_server = std::make_unique<ApiServer>(m_core, options);
        m_port = m_server->start();
    }
    ~TestServer() { m_server->stop(); }

    AuthRealmCore &core() { return m_core; }
    ManualClock &clock() { return m_clock; }
    ApiServer &server() { return *m_server; }
    QString url(const QString &path) const { return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path); }

    HttpResult request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                       const QList<QPair<QByteArray, QByteArray>> &headers = {{"Content-Type", "application/json"}})
    {
        QNetworkRequest req{QUrl(url(path))};
        for (const auto &[k, v] : headers)
            req.setRawHeader(k, v);
        QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
        HttpResult result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->readAll();
        result.json = QJsonDocument::fromJson(result.body).object();
        result.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return result;
    }
    HttpResult post(const QString &path, const QJsonObject &body)
    {
        return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    HttpResult get(const QString &path, const QByteArray &bearer = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!bearer.isNull())
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + bearer));
        return request("GET", path, {}, headers);
    }

private:
    static CoreOptions withHashing(CoreOptions options, const PasswordHashing *hashing)
    {
        options.passwordHashing = hashing;
        return options;
    }

    ScratchDatabase m_scratch;
    ManualClock m_clock{QDateTime::currentMSecsSinceEpoch()};
    AuthRealmCore m_core;
    std::unique_ptr<ApiServer> m_server;
    quint16 m_port = 0;
    QNetworkAccessManager m_nam;
};

} // namespace authrealm::test
