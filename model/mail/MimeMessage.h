#pragma once

#include <QByteArray>
#include <QString>

namespace authrealm {

// A plain-text UTF-8 email: RFC 2047 encoded subject and sender name, base64
// body (so no line of the body can be read as a header or an SMTP dot line).
struct MimeMessage
{
    QString fromAddress;
    QString fromName;
    QString to;
    QString subject;
    QString body;
    qint64 dateMs = 0;
    QString messageId; // without angle brackets

    [[nodiscard]] QByteArray toBytes() const;
};

} // namespace authrealm
