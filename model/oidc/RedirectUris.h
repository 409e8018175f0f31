#pragma once

#include <QString>
#include <QStringList>
#include <optional>

namespace authrealm::RedirectUris {

// Why a redirect URI cannot be registered (RFC 9700 §2.1, §4.1): not an
// absolute https URL (http only for loopback 127.0.0.1, [::1] or localhost),
// javascript:/data:/file: or other dangerous schemes, wildcards, a fragment,
// userinfo, path traversal, control characters. nullopt when it is fine.
// Private-use schemes of native apps (com.example.app:/cb) are allowed.
[[nodiscard]] std::optional<QString> problem(const QString &uri);

// Whether `presented` is one of `registered`: exact string comparison, except
// that a registered loopback http URI matches the same URI on any port
// (RFC 8252 §7.3). No normalisation of case, percent-encoding or dots.
[[nodiscard]] bool matches(const QStringList &registered, const QString &presented);

} // namespace authrealm::RedirectUris
