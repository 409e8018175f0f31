#include "PasswordKeychain.h"

#ifdef AUTHREALM_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>
#endif

namespace authrealm {

#ifdef AUTHREALM_HAVE_QTKEYCHAIN
namespace {

const QString kService = QStringLiteral("AuthRealm console");

// QtKeychain jobs are asynchronous; the console asks at moments where it
// needs the answer before going on, so wait (with a bound: a keychain that
// never answers must not hang the window).
bool runJob(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
    job.start();
    if (!finished)
        loop.exec();
    return finished && job.error() == QKeychain::NoError;
}

} // namespace

bool PasswordKeychain::available()
{
    return true; // built in; whether a keychain answers shows on first use
}

std::optional<QString> PasswordKeychain::read(const QString &key)
{
    QKeychain::ReadPasswordJob job(kService);
    job.setKey(key);
    if (!runJob(job))
        return std::nullopt;
    return job.textData();
}

bool PasswordKeychain::write(const QString &key, const QString &password)
{
    QKeychain::WritePasswordJob job(kService);
    job.setKey(key);
    job.setTextData(password);
    return runJob(job);
}

void PasswordKeychain::remove(const QString &key)
{
    QKeychain::DeletePasswordJob job(kService);
    job.setKey(key);
    runJob(job);
}

#else

bool PasswordKeychain::available()
{
    return false;
}

std::optional<QString> PasswordKeychain::read(const QString &)
{
    return std::nullopt;
}

bool PasswordKeychain::write(const QString &, const QString &)
{
    return false;
}

void PasswordKeychain::remove(const QString &) {}

#endif

} // namespace authrealm
