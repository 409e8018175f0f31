#pragma once

#include "mail/SmtpSettings.h"

#include <QByteArray>
#include <QString>
#include <stdexcept>

namespace authrealm {

// A delivery attempt that did not work. The message is what the outbox keeps
// as last_error: the transport's words, never credentials or the mail body.
class MailTransportError : public std::runtime_error
{
public:
    explicit MailTransportError(const QString &message) : std::runtime_error(message.toStdString()) {}
};

// Hands one finished RFC 5322 message to a mail server. The model knows only
// this interface; the libcurl SMTP implementation lives with the server.
class MailTransport
{
public:
    virtual ~MailTransport() = default;
    // Throws MailTransportError.
    virtual void send(const SmtpSettings &smtp, const QString &recipient, const QByteArray &message) = 0;
};

} // namespace authrealm
