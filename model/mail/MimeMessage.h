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

    // A fresh id for `domain`: 128 random bits and nothing else, so no header
    // tells how many mails the server queued before this one (an outbox row
    // number here showed whether a registration's email had an account).
    [[nodiscard]] static QString newMessageId(const QString &domain);
};

} // namespace authrealm
