// Measures the physical bound for password logins on this machine: argon2id
// verifications per second with the server's parameters, on 1 thread and on
// every core. bench/run.sh compares the HTTP login rate against it.
#include "crypto/PasswordHasher.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QThread>
#include <QtConcurrent>
#include <atomic>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const double seconds = args.size() > 1 ? args.at(1).toDouble() : 5.0;
    const int threads = args.size() > 2 ? args.at(2).toInt() : QThread::idealThreadCount();
    authrealm::PasswordHasher hasher; // OWASP defaults, as the server
    const QString hash = hasher.hash(QStringLiteral("SecurePassword123!"));

    std::atomic<qint64> done{0};
    QElapsedTimer timer;
    timer.start();
    QList<QFuture<void>> workers;
    for (int i = 0; i < threads; ++i) {
        workers.append(QtConcurrent::run([&] {
            while (timer.elapsed() < seconds * 1000) {
                if (hasher.verify(hash, QStringLiteral("SecurePassword123!")))
                    ++done;
            }
        }));
    }
    for (auto &w : workers)
        w.waitForFinished();
    const double rate = done.load() * 1000.0 / double(timer.elapsed());
    QTextStream(stdout) << QString::number(rate, 'f', 1) << '\n';
    return 0;
}
