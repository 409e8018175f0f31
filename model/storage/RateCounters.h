#pragma once

#include <QString>

namespace authrealm {

class Database;

// Fixed-window counters in the database, so limits hold across restarts and
// across several server processes. Buckets are opaque strings chosen by the
// caller (e.g. a keyed hash of an email address, never the address itself).
class RateCounters
{
public:
    explicit RateCounters(const Database &db) : m_db(db) {}

    // Counts one hit in the window containing `now` and returns whether the
    // count (including this hit) is within `limit`.
    [[nodiscard]] bool hit(const QString &realmId, const QString &bucket, qint64 now, qint64 windowMs, int limit) const;
    // Forgets windows that ended before `before`.
    void prune(qint64 before) const;

private:
    const Database &m_db;
};

} // namespace authrealm
