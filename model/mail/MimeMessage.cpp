#include "mail/MimeMessage.h"

#include "crypto/Random.h"

#include <QDateTime>
#include <QLocale>

namespace authrealm {

namespace {
QByteArray oneLine(const QString &text)
{
    QString clean = text;
    clean.replace(u'\r', u' ');
    clean.replace(u'\n', u' ');
    return clean.toUtf8();
}

// Encoded-word for any non-trivial header text: also keeps quotes and
// commas in a display name from changing the address list.
QByteArray encodedWord(const QString &text)
{
    return "=?UTF-8?B?" + oneLine(text).toBase64() + "?=";
}
} // namespace

QByteArray MimeMessage::toBytes() const
{
    QByteArray out;
    const QByteArray from = oneLine(fromAddress);
    out += "From: " + (fromName.isEmpty() ? from : encodedWord(fromName) + " <" + from + ">") + "\r\n";
    out += "To: <" + oneLine(to) + ">\r\n";
    out += "Subject: " + encodedWord(subject) + "\r\n";
    out += "Date: " + QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(dateMs, Qt::UTC), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss")).toLatin1()
            + " +0000\r\n";
    out += "Message-ID: <" + oneLine(messageId) + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "\r\n";
    QString text = body;
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    text.replace(u'\n', QStringLiteral("\r\n"));
    const QByteArray encoded = text.toUtf8().toBase64();
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        out += encoded.mid(i, 76) + "\r\n";
    return out;
}

QString MimeMessage::newMessageId(const QString &domain)
{
    return randomToken(16) + u'@' + (domain.isEmpty() ? QStringLiteral("authrealm.invalid") : domain);
}

} // namespace authrealm
