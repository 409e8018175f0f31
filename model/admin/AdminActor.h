#pragma once

#include <QList>
#include <QString>

namespace authrealm {

// One administrative grant. Master administers everything; a realm grant one
// realm; an app grant one app's users, roles and features.
struct AdminGrant
{
    enum class Layer { Master, Realm, App };
    Layer layer = Layer::App;
    QString realmId;
    QString appId;

    [[nodiscard]] static QString layerName(Layer layer);
    [[nodiscard]] static std::optional<Layer> layerFromName(const QString &name);
};

// Who performs an admin action: a signed-in user with grants, or a platform
// API key. Every admin operation asks it before touching anything.
struct AdminActor
{
    QString actor;       // "user:<id>", "apikey:<id>" or "console:<name>" for the audit log
    QList<AdminGrant> grants;
    bool readOnly = false; // API keys holding only "admin:read"
    QString ip;            // for the audit log
    QString userAgent;

    [[nodiscard]] bool isMaster() const;
    [[nodiscard]] bool canAdminRealm(const QString &realmId) const;
    [[nodiscard]] bool canAdminApp(const QString &realmId, const QString &appId) const;
    // Any grant touching the realm (an app admin sees the realm's name).
    [[nodiscard]] bool canSeeRealm(const QString &realmId) const;

    // Throws DomainError(Forbidden): the same answer whether the realm/app
    // exists or not, so grants reveal nothing about other tenants.
    void requireRealm(const QString &realmId) const;
    void requireApp(const QString &realmId, const QString &appId) const;
    void requireMaster() const;
    void requireWrite() const;
};

} // namespace authrealm
