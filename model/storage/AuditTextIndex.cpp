#include "storage/AuditTextIndex.h"

#include "storage/Sql.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDriver>
#include <QSqlField>
#include <QStringList>

#include <algorithm>
#include <limits>

namespace authrealm {

namespace {

const QString kMarkSql = QStringLiteral("(SELECT CAST(value AS INTEGER) FROM deployment_settings WHERE name = 'audit_text_indexed_through')");

// The needle's distinct trigrams (by code point), at most `limit` of them
// spread evenly over it.
QStringList trigramsOf(const QString &text, qsizetype limit)
{
    const QList<uint> points = text.toUcs4();
    QStringList trigrams;
    for (qsizetype i = 0; i + 3 <= points.size(); ++i) {
        const QString trigram = QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData() + i), 3);
        if (!trigrams.contains(trigram, Qt::CaseInsensitive))
            trigrams.append(trigram);
    }
    if (trigrams.size() <= limit)
        return trigrams;
    QStringList spread;
    for (qsizetype i = 0; i < limit; ++i)
        spread.append(trigrams.at(i * (trigrams.size() - 1) / (limit - 1)));
    return spread;
}

QString ftsString(QString term)
{
    term.replace(u'"', QStringLiteral("\"\""));
    return u'"' + term + u'"';
}

// An FTS5 query for the rows holding the rarest trigrams of text. With
// detail=none FTS5 knows which trigrams a row has but not where, so this
// yields a superset of the rows holding the text (the LIKE decides). Reading
// a trigram every event has ("use" of "user:", "-00" of sequential ids) costs
// more than the rest of the search together, so each trigram's density is
// estimated first from how far back its 1000th newest row lies (a few
// microseconds: FTS5 reads its lists newest first), and only trigrams rarer
// than about 1 in 50 events are joined (or the three rarest, when none is).
// The trigram tokenizer folds case on both sides.
QString trigramQuery(const Database &db, const QString &text)
{
    constexpr int kProbeDepth = 1000;
    constexpr double kRareDensity = 0.02;
    constexpr qsizetype kMaxTerms = 8;
    qint64 mark = 0;
    {
        SqlQuery q(db, QStringLiteral("SELECT %1").arg(kMarkSql));
        q.exec();
        mark = q.next() ? q.value(0).toLongLong() : 0;
    }
    QList<std::pair<double, QString>> byDensity;
    for (const QString &trigram : trigramsOf(text, 24)) {
        SqlQuery probe(db, QStringLiteral("SELECT rowid FROM audit_text WHERE audit_text MATCH :t ORDER BY rowid DESC LIMIT 1 OFFSET :k"));
        probe.bind(QStringLiteral(":t"), ftsString(trigram)).bind(QStringLiteral(":k"), kProbeDepth - 1).exec();
        const double density = probe.next() ? double(kProbeDepth) / double(std::max<qint64>(mark - probe.value(0).toLongLong() + 1, kProbeDepth)) : 0.0;
        byDensity.append({density, ftsString(trigram)});
    }
    std::stable_sort(byDensity.begin(), byDensity.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList terms;
    for (const auto &[density, term] : byDensity) {
        if (density <= kRareDensity && terms.size() < kMaxTerms)
            terms.append(term);
    }
    for (qsizetype i = 0; terms.isEmpty() && i < std::min<qsizetype>(3, byDensity.size()); ++i)
        terms.append(byDensity.at(i).second);
    return terms.join(QStringLiteral(" AND "));
}

// The planner's estimate of the rows matching pattern, from pg_trgm's
// statistics: planning only, so a common pattern costs nothing to reject
// (counting its matches would read much of the index). EXPLAIN cannot be
// prepared, so the pattern goes in as a literal the driver escapes.
double postgresEstimate(const Database &db, const QString &pattern)
{
    QSqlField field(QStringLiteral("pattern"), QMetaType(QMetaType::QString));
    field.setValue(pattern);
    const QString literal = db.connection().driver()->formatValue(field);
    SqlQuery q(db, QStringLiteral("EXPLAIN (FORMAT JSON) SELECT 1 FROM audit_events WHERE (%1) ILIKE %2")
                       .arg(QLatin1String(AuditTextIndex::kPostgresExpression), literal));
    q.exec();
    if (!q.next())
        return std::numeric_limits<double>::infinity();
    const QJsonArray plans = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).array();
    const QJsonValue rows = plans.at(0).toObject().value(QStringLiteral("Plan")).toObject().value(QStringLiteral("Plan Rows"));
    return rows.isDouble() ? rows.toDouble() : std::numeric_limits<double>::infinity();
}

QString containsPattern(QString text)
{
    text.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    return u'%' + text + u'%';
}

// The part of the needle to look up in the pg_trgm index, or nothing when it
// has none. pg_trgm takes trigrams only from words (runs of letters and
// digits; ASCII here, as other letters depend on the database's locale), and
// a GIN scan costs what its longest posting list does: a trigram most events
// have ("000" of sequential ids) made a rare id take 110 ms instead of 6. So
// this is the longest stretch of a word whose every trigram the planner
// thinks is rarer than about 1 in 50 events (the whole needle when no
// trigram is): every event holding the needle holds it too.
std::optional<QString> postgresLookupText(const Database &db, const QString &needle, int maxCandidates)
{
    QList<std::pair<qsizetype, qsizetype>> words; // start, length
    for (qsizetype i = 0; i < needle.size();) {
        qsizetype end = i;
        while (end < needle.size() && needle.at(end).unicode() < 128 && needle.at(end).isLetterOrNumber())
            ++end;
        if (end - i >= 3)
            words.append({i, end - i});
        i = std::max(end, i + 1);
    }
    if (words.isEmpty())
        return std::nullopt; // no trigram: the index would read itself whole
    const double common = std::max(double(maxCandidates), 0.02 * postgresEstimate(db, QStringLiteral("%")));
    QString best;
    int estimates = 0;
    for (const auto &[start, length] : words) {
        qsizetype stretchStart = start;
        for (qsizetype i = start; i + 3 <= start + length; ++i) {
            const bool rare = ++estimates <= 24 && postgresEstimate(db, containsPattern(needle.mid(i, 3))) <= common;
            if (!rare)
                stretchStart = i + 1;
            else if (i + 3 - stretchStart > best.size())
                best = needle.mid(stretchStart, i + 3 - stretchStart);
        }
    }
    return best.isEmpty() ? needle : best;
}

bool postgresIndexExists(const Database &db)
{
    SqlQuery q(db, QStringLiteral("SELECT 1 FROM pg_indexes WHERE tablename = 'audit_events' AND indexname = 'audit_events_text'"));
    q.exec();
    return q.next();
}

} // namespace

std::optional<AuditTextIndex::Candidates> AuditTextIndex::candidates(const QString &text, int maxCandidates) const
{
    const QString needle = text.trimmed();
    Candidates c;
    if (m_db.sql().textIndex() == SqlDialect::TextIndex::Fts5Table) {
        if (needle.toUcs4().size() < 3)
            return std::nullopt;
        // The events above the mark are not indexed yet: all of them are
        // candidates. One statement, so the mark and the index agree.
        const QString select = QStringLiteral("SELECT rowid AS mid FROM audit_text WHERE audit_text MATCH :textq "
                                              "UNION ALL SELECT id FROM audit_events WHERE id > %1").arg(kMarkSql);
        c.binds.append({QStringLiteral(":textq"), trigramQuery(m_db, needle)});
        SqlQuery count(m_db, QStringLiteral("SELECT COUNT(*) FROM (%1 LIMIT :cap) c").arg(select));
        count.bind(QStringLiteral(":textq"), c.binds.constFirst().second).bind(QStringLiteral(":cap"), maxCandidates + 1).exec();
        if (!count.next() || count.value(0).toLongLong() > maxCandidates)
            return std::nullopt;
        // CROSS JOIN keeps SQLite from walking a time index over every event
        // and probing the candidates: it starts from them.
        c.from = QStringLiteral(" FROM (%1) m CROSS JOIN audit_events ON audit_events.id = m.mid").arg(select);
        return c;
    }

    if (!postgresIndexExists(m_db))
        return std::nullopt;
    const std::optional<QString> lookup = postgresLookupText(m_db, needle, maxCandidates);
    if (!lookup)
        return std::nullopt;
    const QString like = containsPattern(*lookup);
    if (postgresEstimate(m_db, like) > maxCandidates)
        return std::nullopt;
    c.binds.append({QStringLiteral(":textq"), like});
    // Materialised, so the planner reads the candidates through the GIN index
    // first instead of walking a time index and testing each row.
    c.with = QStringLiteral("WITH m AS MATERIALIZED (SELECT id AS mid FROM audit_events WHERE (%1) ILIKE :textq) ")
                 .arg(QLatin1String(kPostgresExpression));
    c.from = QStringLiteral(" FROM m JOIN audit_events ON audit_events.id = m.mid");
    return c;
}

qint64 AuditTextIndex::catchUp(qint64 budgetMs, int batchRows, int maxBatches) const
{
    if (!m_db.sql().textIndexNeedsCatchUp())
        return 0;
    QElapsedTimer clock;
    clock.start();
    qint64 indexed = 0;
    for (int batch = 1;; ++batch) {
        // The write lock orders this after every append that took a lower id,
        // so nothing below the new mark can still be on its way.
        Transaction tx(m_db);
        SqlQuery next(m_db, QStringLiteral("SELECT MAX(id), COUNT(*) FROM (SELECT id FROM audit_events WHERE id > %1 ORDER BY id LIMIT :n) t")
                                .arg(kMarkSql));
        next.bind(QStringLiteral(":n"), std::max(batchRows, 1)).exec();
        const qint64 rows = next.next() ? next.value(1).toLongLong() : 0;
        if (rows == 0)
            return indexed;
        const qint64 upTo = next.value(0).toLongLong();
        SqlQuery(m_db, QStringLiteral("INSERT INTO audit_text (rowid, summary, kind, actor, target_id) "
                                      "SELECT id, summary, kind, actor, target_id FROM audit_events WHERE id > %1 AND id <= :upto")
                           .arg(kMarkSql))
            .bind(QStringLiteral(":upto"), upTo)
            .exec();
        SqlQuery(m_db, QStringLiteral("UPDATE deployment_settings SET value = :v WHERE name = 'audit_text_indexed_through'"))
            .bind(QStringLiteral(":v"), QString::number(upTo))
            .exec();
        tx.commit();
        indexed += rows;
        if ((budgetMs > 0 && clock.elapsed() >= budgetMs) || batch == maxBatches)
            return indexed;
    }
}

qint64 AuditTextIndex::backlog() const
{
    if (!m_db.sql().textIndexNeedsCatchUp())
        return 0;
    SqlQuery q(m_db, QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE id > %1").arg(kMarkSql));
    q.exec();
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace authrealm
