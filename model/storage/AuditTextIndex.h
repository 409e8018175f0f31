#pragma once

#include <QList>
#include <QString>
#include <QVariant>

#include <optional>
#include <utility>

namespace authrealm {

class Database;

// The index behind the audit log's free-text filter (AuditQuery::text: a
// case-insensitive substring of summary, kind, actor or target id). It only
// narrows: it names the events that may contain the text and the query's own
// LIKE decides, so a filter finds the same events with or without it.
//
// SQLite: the FTS5 trigram table audit_text (schema v9). Appends do not touch
// it; catchUp() indexes what was appended since its last run, in batches (the
// server runs it every second), and the events above its mark are simply all
// candidates. PostgreSQL: a pg_trgm GIN index on kPostgresExpression that the
// database keeps itself.
class AuditTextIndex
{
public:
    // With more candidates than this the text is common: a scan in time order
    // fills a page sooner than fetching and sorting every candidate.
    static constexpr int kMaxCandidates = 50000;
    // What the PostgreSQL index covers; the query must repeat it verbatim.
    static constexpr char kPostgresExpression[] = "summary || ' ' || kind || ' ' || actor || ' ' || target_id";

    // The events that may match, as "with" (a WITH clause or empty) and
    // "from" (a FROM clause joining the candidates to audit_events), with
    // their bindings; the caller adds its WHERE and ORDER BY.
    struct Candidates
    {
        QString with;
        QString from;
        QList<std::pair<QString, QVariant>> binds;
    };

    explicit AuditTextIndex(const Database &db) : m_db(db) {}

    // Nothing when the index cannot narrow the text: shorter than a trigram,
    // no index (PostgreSQL without pg_trgm), or more than maxCandidates.
    [[nodiscard]] std::optional<Candidates> candidates(const QString &text, int maxCandidates = kMaxCandidates) const;

    // SQLite: indexes the events appended since the last run, one transaction
    // per batchRows, until none are left, budgetMs has passed or maxBatches
    // are done (0: no limit). Returns how many it indexed. PostgreSQL keeps
    // its index itself: 0.
    qint64 catchUp(qint64 budgetMs = 0, int batchRows = 1000, int maxBatches = 0) const;
    // Events not indexed yet (always 0 on PostgreSQL).
    [[nodiscard]] qint64 backlog() const;

private:
    const Database &m_db;
};

} // namespace authrealm
