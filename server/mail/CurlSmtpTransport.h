#pragma once

#include "mail/MailTransport.h"

namespace authrealm {

// SMTP delivery through libcurl: plain, STARTTLS (required, never
// opportunistic) or implicit TLS, with certificate verification, optional
// AUTH, and bounded connect/transfer timeouts so a dead server cannot hold
// the sender thread.
class CurlSmtpTransport final : public MailTransport
{
public:
    CurlSmtpTransport();
    void send(const SmtpSettings &smtp, const QString &recipient, const QByteArray &message) override;

    int connectTimeoutSeconds = 10;
    int totalTimeoutSeconds = 60;
};

} // namespace authrealm
