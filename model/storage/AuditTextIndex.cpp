#include "storage/AuditTextIndex.h"

#include "storage/Sql.h"

#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>

namespace authrealm {

namespace {

const QString kMarkSql = QStringLiteral("(SELECT CAST(value AS INTEGER) FROM deployment_settings WHERE name = 'audit_text_indexed_through')");

// An FTS5 query for rows holding every trigram of text (up to 16 of them,
// spread over it): with detail=none FTS5 knows which trigrams a row has but
// not where, so this is a superset of the rows holding the text itself. The
// trigram tokenizer folds case on both sides.
QString trigramQuery(const QString &text)
{
    const QList<uint> points = text.toUcs4();
    QStringList trigrams;
    for (qsizetype i = 0; i + 3 <= points.size(); ++i) {
        QString trigram = QString::fromUcs4(reinterpret_cast<const char32_t *>(points.constData() + i), 3);
        trigram.replace(u'"', QStringLiteral("\"\""));
        trigram = u'"' + trigram + u'"';
        if (!trigrams.contains(trigram))
            trigrams.append(trigram);
    }
    constexpr qsizetype kMaxTrigrams = 16;
    if (trigrams.size() > kMaxTrigrams) {
        QStringList spread;
        for (qsizetype i = 0; i < kMaxTrigrams; ++i)
            spread.append(trigrams.at(i * (trigrams.size() - 1) / (kMaxTrigrams - 1)));
        trigrams = spread;
    }
    return trigrams.join(QStringLiteral(" AND "));
}

// pg_trgm takes trigrams from the pattern's words (runs of letters and digits)
// only; a pattern without a word of three makes the index read itself whole.
// ASCII only, as which other letters count as such depends on the database's locale.
bool hasPostgresTrigram(const QString &text)
{
    int run = 0;
    for (const QChar c : text) {
        const bool word = c.unicode() < 128 && c.isLetterOrNumber();
        run = word ? run + 1 : 0;
        if (run >= 3)
            return true;
    }
    return false;
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
    QString select;
    if (m_db.dialect() == Dialect::SQLite) {
        if (needle.toUcs4().size() < 3)
            return std::nullopt;
        // The events above the mark are not indexed yet: all of them are
        // candidates. One statement, so the mark and the index agree.
        select = QStringLiteral("SELECT rowid AS mid FROM audit_text WHERE audit_text MATCH :textq "
                                "UNION ALL SELECT id FROM audit_events WHERE id > %1").arg(kMarkSql);
        c.binds.append({QStringLiteral(":textq"), trigramQuery(needle)});
        // CROSS JOIN keeps SQLite from walking a time index over every event
        // and probing the candidates: it starts from them.
        c.from = QStringLiteral(" FROM (%1) m CROSS JOIN audit_events ON audit_events.id = m.mid").arg(select);
    } else {
        if (!hasPostgresTrigram(needle) || !postgresIndexExists(m_db))
            return std::nullopt;
        QString like = needle;
        like.replace(u'\\', QStringLiteral("\\\\")).replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
        select = QStringLiteral("SELECT id AS mid FROM audit_events WHERE (%1) ILIKE :textq").arg(QLatin1String(kPostgresExpression));
        c.binds.append({QStringLiteral(":textq"), QString(u'%' + like + u'%')});
        // Materialised, so the planner reads the candidates through the GIN
        // index first instead of walking a time index and testing each row.
        c.with = QStringLiteral("WITH m AS MATERIALIZED (%1) ").arg(select);
        c.from = QStringLiteral(" FROM m JOIN audit_events ON audit_events.id = m.mid");
    }

    SqlQuery count(m_db, QStringLiteral("SELECT COUNT(*) FROM (%1 LIMIT :cap) c").arg(select));
    for (const auto &[name, value] : c.binds)
        count.bind(name, value);
    count.bind(QStringLiteral(":cap"), maxCandidates + 1);
    count.exec();
    if (!count.next() || count.value(0).toLongLong() > maxCandidates)
        return std::nullopt;
    return c;
}

qint64 AuditTextIndex::catchUp(qint64 budgetMs, int batchRows, int maxBatches) const
{
    if (m_db.dialect() != Dialect::SQLite)
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
    if (m_db.dialect() != Dialect::SQLite)
        return 0;
    SqlQuery q(m_db, QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE id > %1").arg(kMarkSql));
    q.exec();
    return q.next() ? q.value(0).toLongLong() : 0;
}

} // namespace authrealm
