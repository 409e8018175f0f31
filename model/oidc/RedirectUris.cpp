#include "oidc/RedirectUris.h"

// Placeholder so the tree links while the rules are written (branch "clients").
namespace authrealm::RedirectUris {
std::optional<QString> problem(const QString &) { return QStringLiteral("not implemented"); }
bool matches(const QStringList &, const QString &) { return false; }
} // namespace authrealm::RedirectUris
