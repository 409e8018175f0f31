#include "oidc/ClientRegistry.h"

#include "core/DomainError.h"

// Placeholder bodies so the tree links while the registry is written (branch "clients").
namespace authrealm {
namespace {
[[noreturn]] void notYet() { throw DomainError(ErrorCode::Internal, QStringLiteral("OAuth clients are not available yet")); }
} // namespace
ClientRegistry::Created ClientRegistry::create(const AdminActor &, const QString &, const Draft &) const { notYet(); }
OAuthClient ClientRegistry::update(const AdminActor &, const QString &, const QString &, const Draft &) const { notYet(); }
QString ClientRegistry::rotateSecret(const AdminActor &, const QString &, const QString &, qint64) const { notYet(); }
void ClientRegistry::remove(const AdminActor &, const QString &, const QString &) const { notYet(); }
QList<OAuthClient> ClientRegistry::list(const AdminActor &, const QString &, const QString &) const { notYet(); }
OAuthClient ClientRegistry::get(const AdminActor &, const QString &, const QString &) const { notYet(); }
std::optional<OAuthClient> ClientRegistry::find(const QString &, const QString &) const { notYet(); }
OAuthClient ClientRegistry::authenticate(const QString &, const ClientCredentials &, const QStringList &) const { notYet(); }
} // namespace authrealm
