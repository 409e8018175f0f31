#pragma once

#include <QString>
#include <optional>

namespace authrealm {

// The OS keychain (Secret Service, KWallet, macOS Keychain, Windows
// Credential Store) through QtKeychain when the build has it. Without it, or
// when no keychain answers (a headless session), nothing is stored and the
// console asks for the password each time: never a plain-text fallback.
class PasswordKeychain
{
public:
    [[nodiscard]] static bool available();
    [[nodiscard]] static std::optional<QString> read(const QString &key);
    // Returns false (and stores nothing) when the keychain refused.
    static bool write(const QString &key, const QString &password);
    static void remove(const QString &key);
};

} // namespace authrealm
