#pragma once

#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <optional>

namespace authrealm::test {

// The loopback SMTP server the mail tests deliver to. scripts/test.sh starts
// one (AUTHREALM_TEST_SMTP=host:port, AUTHREALM_TEST_SMTP_DIR=folder of .eml
// files); without it the tests start tests/support/smtp_catcher.py
// themselves. With AUTHREALM_REQUIRE_SMTP=1 a missing catcher is an error.
class MailCatcher
{
public:
    MailCatcher();
    ~MailCatcher();
    MailCatcher(const MailCatcher &) = delete;
    MailCatcher &operator=(const MailCatcher &) = delete;

    [[nodiscard]] bool available() const { return m_port > 0; }
    [[nodiscard]] const QString &error() const { return m_error; }
    [[nodiscard]] const QString &host() const { return m_host; }
    [[nodiscard]] int port() const { return m_port; }

    struct Mail
    {
        QString file;
        QString envelopeTo;
        QString from;
        QString subject; // decoded
        QString body;    // decoded text
        QByteArray raw;
    };
    // Every mail delivered to `address`, oldest first.
    [[nodiscard]] QList<Mail> mailsTo(const QString &address) const;
    // Waits (spinning the event loop) until at least `count` mails reached `address`.
    [[nodiscard]] QList<Mail> waitForMails(const QString &address, int count, int timeoutMs = 15000) const;

    [[nodiscard]] static Mail parse(const QByteArray &raw);
    // The value of token= in the first link of the body.
    [[nodiscard]] static QString linkToken(const QString &body);
    [[nodiscard]] static QString firstLink(const QString &body);
    // The first line that is a six-digit code.
    [[nodiscard]] static QString sixDigitCode(const QString &body);

private:
    QString m_host;
    int m_port = 0;
    QString m_dir;
    QString m_error;
    std::unique_ptr<QTemporaryDir> m_ownDir;
    std::unique_ptr<QProcess> m_ownProcess;
};

} // namespace authrealm::test
