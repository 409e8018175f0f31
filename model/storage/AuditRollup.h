#pragma once

// The hourly rollup behind the console's chart: audit_rollup holds, per realm,
// hour, app, kind and outcome, how many audit_events rows there are, so the
// chart over millions of events reads thousands of rows (schema v10). Kept
// exact by the only code that adds or removes events, in the same
// transaction as the events. Not part of the model's interface.

#include "storage/AuditLog.h"

#include <QList>
#include <QString>
#include <QVariant>
#include <utility>

namespace authrealm {
class Database;
}

namespace authrealm::auditdetail {

constexpr qint64 kRollupHourMs = 3'600'000;

// The rollup hour of an event time. The same truncating expression as the
// SQL "occurred_at - occurred_at % 3600000" (event times are positive).
[[nodiscard]] constexpr qint64 rollupHour(qint64 occurredAt)
{
    return occurredAt - occurredAt % kRollupHourMs;
}

// Counts one stored event (after sanitize), in the caller's transaction.
void rollupAdd(const Database &db, const AuditEvent &stored);

// Deletes the audit_events rows matching `condition` (an SQL condition over
// audit_events with named placeholders, bound from `binds`) and takes them
// out of the rollup first. Returns the number of rows deleted. Call it inside
// a transaction, so a caller that rejects the count rolls back both.
qint64 removeEvents(const Database &db, const QString &condition, const QList<std::pair<QString, QVariant>> &binds);

} // namespace authrealm::auditdetail
