#include "storage/DataLocation.h"

#include <QDir>
#include <QStandardPaths>

namespace authrealm {

QString defaultDataDir()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)).filePath(QStringLiteral("authrealm"));
}

SecretBox loadKeyEncryptionKey(const QString &keyFile)
{
    const QByteArray fromEnv = qgetenv("AUTHREALM_MASTER_KEY");
    if (!fromEnv.isEmpty())
        return SecretBox::fromBase64(QString::fromLatin1(fromEnv));
    return SecretBox::loadOrCreateKeyFile(keyFile);
}

} // namespace authrealm
