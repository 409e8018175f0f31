#pragma once

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>

namespace authrealm {

// Decides which address a request came from. X-Forwarded-For is believed only
// when the direct peer is a configured trusted proxy, and then only up to the
// first hop that is not itself trusted; anything unparsable stops the walk at
// the last address we could trust (never skips a hop).
class ClientAddress
{
public:
    using Subnet = QPair<QHostAddress, int>;
    explicit ClientAddress(QList<Subnet> trustedProxies = {}) : m_trusted(std::move(trustedProxies)) {}

    // "10.0.0.1", "10.0.0.0/8", "::1": throws std::invalid_argument on garbage.
    static Subnet parseSubnet(const QString &text);

    [[nodiscard]] QString resolve(const QHostAddress &peer, const QByteArray &forwardedFor) const;
    // Whether `address` is one of the configured proxies.
    [[nodiscard]] bool trusted(const QHostAddress &address) const;

private:
    QList<Subnet> m_trusted;
};

} // namespace authrealm
