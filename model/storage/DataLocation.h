#pragma once

#include "crypto/SecretBox.h"
#include "storage/DatabaseConfig.h"

#include <QString>

namespace authrealm {

// Where the embedded default keeps its data, shared by authrealmd and the
// console so both open the same database: $XDG_DATA_HOME/authrealm on Linux.
[[nodiscard]] QString defaultDataDir();

// The key-encryption key: AUTHREALM_MASTER_KEY (base64) if set, else the key
// file (created on first use with mode 0600). It never goes into the database.
[[nodiscard]] SecretBox loadKeyEncryptionKey(const QString &keyFile);

} // namespace authrealm
