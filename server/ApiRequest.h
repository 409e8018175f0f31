#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrlQuery>

namespace authrealm {

// A request copied out of Qt's request object, so it can travel to a worker
// thread and outlive the connection that carried it.
struct ApiRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QHostAddress peer;
    QString clientIp;               // peer, or the forwarded client when the peer is a trusted proxy
    QHash<QString, QString> params; // path captures, e.g. "realm"
    QString realmId;                // resolved realm for realm-scoped routes

    [[nodiscard]] QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers) {
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    [[nodiscard]] QString userAgent() const { return QString::fromUtf8(header("User-Agent")).left(256); }
};

// What a handler returns; the listener adds the common security headers.
struct ApiResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    [[nodiscard]] static ApiResponse json(const QJsonObject &object, int status = 200);
    [[nodiscard]] static ApiResponse error(int status, const QString &code, const QString &message);
};

} // namespace authrealm
