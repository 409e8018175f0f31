#include "ClientAddress.h"

#include <stdexcept>

namespace authrealm {

namespace {
QHostAddress normalized(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}
} // namespace

ClientAddress::Subnet ClientAddress::parseSubnet(const QString &text)
{
    if (text.contains(u'/')) {
        const Subnet subnet = QHostAddress::parseSubnet(text);
        if (subnet.first.isNull())
            throw std::invalid_argument("not an address or subnet");
        return subnet;
    }
    const QHostAddress address(text);
    if (address.isNull())
        throw std::invalid_argument("not an address or subnet");
    return {address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128};
}

bool ClientAddress::trusted(const QHostAddress &address) const
{
    const QHostAddress a = normalized(address);
    for (const Subnet &subnet : m_trusted) {
        if (a.isInSubnet(subnet))
            return true;
    }
    return false;
}

QString ClientAddress::resolve(const QHostAddress &peer, const QByteArray &forwardedFor) const
{
    QHostAddress current = normalized(peer);
    if (forwardedFor.isEmpty() || !trusted(current))
        return current.toString();
    // Walk from the nearest hop outwards; the first untrusted hop is the client.
    const QList<QByteArray> hops = forwardedFor.split(',');
    for (auto it = hops.crbegin(); it != hops.crend(); ++it) {
        const QHostAddress hop(QString::fromLatin1(it->trimmed()));
        if (hop.isNull())
            return current.toString();
        current = normalized(hop);
        if (!trusted(current))
            return current.toString();
    }
    return current.toString();
}

} // namespace authrealm
