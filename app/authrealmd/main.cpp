#include "DaemonCommand.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("authrealmd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AUTHREALM_VERSION));
    return authrealm::runDaemon(QCoreApplication::arguments());
}
