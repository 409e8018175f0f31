#include "MailCatcher.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTcpServer>
#include <QThread>

namespace authrealm::test {

namespace {
QString decodeHeader(const QByteArray &value)
{
    static const QRegularExpression word(QStringLiteral("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?="), QRegularExpression::CaseInsensitiveOption);
    QString text = QString::fromUtf8(value).trimmed();
    QString out;
    qsizetype last = 0;
    auto it = word.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        out += QString::fromUtf8(QByteArray::fromBase64(m.captured(1).toLatin1()));
        last = m.capturedEnd();
    }
    out += text.mid(last);
    return out;
}

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}
} // namespace

MailCatcher::MailCatcher()
{
    const QString address = qEnvironmentVariable("AUTHREALM_TEST_SMTP");
    const QString dir = qEnvironmentVariable("AUTHREALM_TEST_SMTP_DIR");
    if (!address.isEmpty() && !dir.isEmpty()) {
        m_host = address.section(u':', 0, 0);
        m_port = address.section(u':', 1).toInt();
        m_dir = dir;
        if (m_port <= 0)
            m_error = QStringLiteral("AUTHREALM_TEST_SMTP must be HOST:PORT");
        return;
    }
    if (qEnvironmentVariable("AUTHREALM_REQUIRE_SMTP") == u"1") {
        m_error = QStringLiteral("AUTHREALM_REQUIRE_SMTP=1 but AUTHREALM_TEST_SMTP / AUTHREALM_TEST_SMTP_DIR are not set");
        return;
    }
    // Our own catcher, for a plain ctest run.
    m_ownDir = std::make_unique<QTemporaryDir>();
    m_dir = m_ownDir->filePath(QStringLiteral("mail"));
    const QString ready = m_ownDir->filePath(QStringLiteral("ready"));
    const QString python = QFileInfo::exists(QStringLiteral("/usr/bin/python3")) ? QStringLiteral("/usr/bin/python3") : QStringLiteral("python3");
    for (int attempt = 0; attempt < 3 && m_port == 0; ++attempt) {
        const int port = freePort();
        m_ownProcess = std::make_unique<QProcess>();
        m_ownProcess->setProcessChannelMode(QProcess::MergedChannels);
        m_ownProcess->start(python, {QStringLiteral(AUTHREALM_SOURCE_DIR "/tests/support/smtp_catcher.py"), QStringLiteral("--listen"),
                                     QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--dir"), m_dir,
                                     QStringLiteral("--ready-file"), ready});
        QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired() && m_ownProcess->state() != QProcess::NotRunning && !QFileInfo(ready).size())
            QThread::msleep(50);
        if (QFileInfo(ready).size() > 0) {
            m_host = QStringLiteral("127.0.0.1");
            m_port = port;
        } else {
            m_error = QStringLiteral("could not start tests/support/smtp_catcher.py (needs python3-aiosmtpd): %1")
                          .arg(QString::fromUtf8(m_ownProcess->readAll()).left(500));
            m_ownProcess->kill();
            m_ownProcess->waitForFinished(3000);
        }
    }
}

MailCatcher::~MailCatcher()
{
    if (m_ownProcess && m_ownProcess->state() != QProcess::NotRunning) {
        m_ownProcess->terminate();
        if (!m_ownProcess->waitForFinished(5000))
            m_ownProcess->kill();
        m_ownProcess->waitForFinished(2000);
    }
}

MailCatcher::Mail MailCatcher::parse(const QByteArray &raw)
{
    Mail mail;
    mail.raw = raw;
    const qsizetype split = raw.indexOf("\r\n\r\n");
    const QByteArray head = split >= 0 ? raw.left(split) : raw;
    QByteArray body = split >= 0 ? raw.mid(split + 4) : QByteArray();
    bool base64 = false;
    for (const QByteArray &line : head.split('\n')) {
        const QByteArray l = line.trimmed();
        const qsizetype colon = l.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = l.left(colon).toLower();
        const QByteArray value = l.mid(colon + 1).trimmed();
        if (name == "x-envelope-to")
            mail.envelopeTo = QString::fromUtf8(value);
        else if (name == "from")
            mail.from = decodeHeader(value);
        else if (name == "subject")
            mail.subject = decodeHeader(value);
        else if (name == "content-transfer-encoding")
            base64 = value.toLower() == "base64";
    }
    if (base64)
        body = QByteArray::fromBase64(body);
    mail.body = QString::fromUtf8(body).replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    return mail;
}

QList<MailCatcher::Mail> MailCatcher::mailsTo(const QString &address) const
{
    QList<Mail> out;
    QDir dir(m_dir);
    const QStringList files = dir.entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        Mail mail = parse(f.readAll());
        mail.file = name;
        if (mail.envelopeTo.compare(address, Qt::CaseInsensitive) == 0)
            out.append(mail);
    }
    return out;
}

QList<MailCatcher::Mail> MailCatcher::waitForMails(const QString &address, int count, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        QList<Mail> mails = mailsTo(address);
        if (mails.size() >= count || deadline.hasExpired())
            return mails;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(20);
    }
}

QString MailCatcher::firstLink(const QString &body)
{
    static const QRegularExpression link(QStringLiteral("https?://\\S+"));
    const auto m = link.match(body);
    return m.hasMatch() ? m.captured(0) : QString();
}

QString MailCatcher::linkToken(const QString &body)
{
    const QString link = firstLink(body);
    const qsizetype at = link.indexOf(QStringLiteral("token="));
    return at < 0 ? QString() : link.mid(at + 6);
}

QString MailCatcher::sixDigitCode(const QString &body)
{
    static const QRegularExpression code(QStringLiteral("^\\s*(\\d{6})\\s*$"), QRegularExpression::MultilineOption);
    const auto m = code.match(body);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace authrealm::test
