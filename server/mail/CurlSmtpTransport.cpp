#include "mail/CurlSmtpTransport.h"

#include <QHostAddress>

#include <cstring>
#include <curl/curl.h>
#include <memory>
#include <mutex>

namespace authrealm {

namespace {
struct Upload
{
    const QByteArray *data;
    qsizetype offset = 0;
};

size_t readChunk(char *buffer, size_t size, size_t count, void *userData)
{
    auto *upload = static_cast<Upload *>(userData);
    const size_t room = size * count;
    const size_t left = size_t(upload->data->size() - upload->offset);
    const size_t n = std::min(room, left);
    std::memcpy(buffer, upload->data->constData() + upload->offset, n);
    upload->offset += qsizetype(n);
    return n;
}

struct CurlDeleter
{
    void operator()(CURL *c) const { curl_easy_cleanup(c); }
};
struct ListDeleter
{
    void operator()(curl_slist *l) const { curl_slist_free_all(l); }
};
} // namespace

CurlSmtpTransport::CurlSmtpTransport()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void CurlSmtpTransport::send(const SmtpSettings &smtp, const QString &recipient, const QByteArray &message)
{
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        throw MailTransportError(QStringLiteral("libcurl could not start a transfer"));
    const bool v6 = QHostAddress(smtp.host).protocol() == QAbstractSocket::IPv6Protocol;
    const QByteArray url = (smtp.security == SmtpSettings::Security::Tls ? QByteArrayLiteral("smtps://") : QByteArrayLiteral("smtp://"))
            + (v6 ? '[' + smtp.host.toUtf8() + ']' : smtp.host.toUtf8()) + ':' + QByteArray::number(smtp.port);
    const QByteArray from = '<' + smtp.fromAddress.toUtf8() + '>';
    const QByteArray to = '<' + recipient.toUtf8() + '>';
    std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, to.constData()));
    const QByteArray user = smtp.username.toUtf8();
    const QByteArray password = smtp.password.toUtf8();
    Upload upload{&message};
    char errorBuffer[CURL_ERROR_SIZE] = {};

    CURL *c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.constData());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readChunk);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.size()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, long(connectTimeoutSeconds));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, long(totalTimeoutSeconds));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_USE_SSL, long(smtp.security == SmtpSettings::Security::None ? CURLUSESSL_NONE : CURLUSESSL_ALL));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!user.isEmpty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(c, CURLOPT_PASSWORD, password.constData());
    }
    const CURLcode result = curl_easy_perform(c);
    if (result != CURLE_OK) {
        // curl's words name the step (connect, TLS, AUTH, RCPT); they never contain the password.
        const QString detail = errorBuffer[0] ? QString::fromUtf8(errorBuffer) : QString::fromUtf8(curl_easy_strerror(result));
        throw MailTransportError(QStringLiteral("SMTP %1:%2: %3").arg(smtp.host).arg(smtp.port).arg(detail.trimmed()));
    }
}

} // namespace authrealm
