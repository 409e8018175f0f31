#pragma once

#include <QList>
#include <QString>

namespace authrealm {

class Clock;
class Database;

// A server serving this database: written by every running ApiServer and
// refreshed by a heartbeat, so the console can say "another AuthRealm server
// on host X already serves this database" for SQLite and PostgreSQL alike.
struct ServerInstance
{
    QString id;
    QString host;
    qint64 pid = 0;
    QString listen;      // "127.0.0.1:8080"
    QString kind;        // "authrealmd" or "console"
    qint64 startedAt = 0;
    qint64 lastSeen = 0;
};

class ServerRegistry
{
public:
    // A server missing three heartbeats is gone (crashed or killed).
    static constexpr qint64 kHeartbeatMs = 10'000;
    static constexpr qint64 kStaleAfterMs = 3 * kHeartbeatMs;

    ServerRegistry(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

    // Registers this process's server (and forgets stale rows of others).
    void announce(const ServerInstance &instance) const;
    void heartbeat(const QString &instanceId) const;
    void withdraw(const QString &instanceId) const;
    // Servers with a heartbeat younger than kStaleAfterMs, except `exceptId`.
    [[nodiscard]] QList<ServerInstance> live(const QString &exceptId = {}) const;

private:
    const Database &m_db;
    const Clock &m_clock;
};

} // namespace authrealm
