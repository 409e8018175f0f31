#pragma once

#include <QList>
#include <QString>

namespace authrealm {

class Database;
class Clock;

struct AuditEvent
{
    qint64 id = 0;
    QString realmId;
    QString appId;
    qint64 occurredAt = 0;
    QString kind;        // e.g. "login.success", "refresh.reuse_detected"
    QString actor;       // "user:<id>", "system", "console:<name>"
    QString targetType;  // "user", "session", "realm"
    QString targetId;
    QString ip;
    QString userAgent;
    QString outcome;     // "success", "failure", "denied"
    QString summary;
};

// Append-only record of authentication events and admin changes. Never holds
// a secret; control characters in any field are neutralised so user input
// cannot forge lines in an export or a log viewer.
class AuditLog
{
public:
    AuditLog(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

    void record(AuditEvent event) const;
    // Newest first; for tests and the CLI until the full browser exists.
    [[nodiscard]] QList<AuditEvent> recent(const QString &realmId, int limit) const;

    [[nodiscard]] static QString sanitize(const QString &text, int maxLength = 512);

private:
    const Database &m_db;
    const Clock &m_clock;
};

} // namespace authrealm
