#pragma once

// A small, varied audit log shared by the audit browser's model and widget
// tests: every filter of the browser has rows that match and rows that don't.
#include "AuthRealmCore.h"
#include "TestDatabases.h"
#include "core/Clock.h"
#include "storage/AuditLog.h"
#include "storage/Sql.h"

#include <functional>

namespace authrealm::test {

constexpr qint64 kAuditStart = 1'767'225'600'000; // 2026-01-01T00:00:00Z
constexpr qint64 kAuditHour = 3'600'000;
constexpr int kAuditEvents = 240;                 // one an hour for ten days in "acme"

// Event i of "acme", one an hour from kAuditStart.
inline AuditEvent auditFixtureEvent(int i)
{
    static const char *const kinds[] = {"login.failure", "pat.denied", "admin.user.created", "refresh.failure", "login.success", "login.success"};
    static const char *const outcomes[] = {"denied", "denied", "success", "denied", "success", "success"};
    QString summary = QStringLiteral("event number %1").arg(i);
    if (i == 10)
        summary = QStringLiteral("=HYPERLINK(\"http://evil.example\")");
    else if (i == 11)
        summary = QStringLiteral("Wrong, \"quoted\" password");
    else if (i == 12)
        summary = QStringLiteral("100% sure_thing");
    else if (i == 13)
        summary = QStringLiteral("{\"reason\":\"locked\",\"attempts\":5}");
    else if (i == 14)
        summary = QStringLiteral("-2+3 @cell");
    AuditEvent e = AuditEvent::of(QStringLiteral("acme"), QLatin1String(kinds[i % 6]), QStringLiteral("user:u-%1").arg(i % 7),
                                  QLatin1String(outcomes[i % 6]))
                       .inApp(i % 2 == 0 ? QStringLiteral("shop") : QStringLiteral("blog"))
                       .target(QStringLiteral("user"), QStringLiteral("u-%1").arg(i % 5))
                       .from(QStringLiteral("198.51.100.%1").arg(i % 250), QStringLiteral("Agent/%1").arg(i % 3))
                       .says(summary);
    e.occurredAt = kAuditStart + i * kAuditHour;
    return e;
}

// Records the fixture: kAuditEvents events in "acme" and 20 in "globex".
inline void seedAuditFixture(const Database &db, const AuditLog &audit)
{
    Transaction tx(db);
    for (int i = 0; i < kAuditEvents; ++i)
        audit.record(auditFixtureEvent(i));
    for (int i = 0; i < 20; ++i) {
        AuditEvent e = AuditEvent::of(QStringLiteral("globex"), QStringLiteral("login.failure"), QStringLiteral("user:g-%1").arg(i),
                                      QStringLiteral("denied"))
                           .says(QStringLiteral("globex event %1").arg(i));
        e.occurredAt = kAuditStart + i * kAuditHour + 1;
        audit.record(e);
    }
    tx.commit();
}

// A scratch database on the current backend holding the fixture, with a core
// over it and its clock a month after the fixture starts: what the audit
// tests' init() sets up.
struct SeededAudit
{
    ScratchDatabase scratch;
    ManualClock clock{kAuditStart + 30 * 24 * kAuditHour};
    AuthRealmCore core{coreOptions(scratch.config(), &clock)};
    SeededAudit() { seedAuditFixture(core.database(), core.audit()); }
};

// What a filter should match, decided in C++ over the fixture (newest first),
// to compare the SQL against.
inline QList<int> expectedFixtureRows(const std::function<bool(const AuditEvent &)> &matches)
{
    QList<int> rows;
    for (int i = kAuditEvents - 1; i >= 0; --i) {
        if (matches(auditFixtureEvent(i)))
            rows.append(i);
    }
    return rows;
}

} // namespace authrealm::test
