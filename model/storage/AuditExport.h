#pragma once

#include "storage/AuditLog.h"

#include <QByteArray>
#include <functional>

class QIODevice;

namespace authrealm {

enum class AuditExportFormat {
    Csv,       // RFC 4180: CRLF lines, a header row, quoted where needed
    JsonArray, // one JSON array of event objects
    JsonLines, // one event object per line
};

struct AuditExportResult
{
    qint64 events = 0;
    bool cancelled = false; // progress() asked to stop; the output holds a well-formed prefix
};

// Writes the events matching filter (cursor and limit ignored), newest first,
// to out, a page at a time through the same keyset as the browser, so the
// size of the log never matters for memory. progress(eventsWritten,
// occurredAtOfLastEvent) is called after every page; returning false stops
// the export (a JSON array is still closed). A failed write throws
// DomainError(StorageUnavailable) naming the device's error.
AuditExportResult exportAuditEvents(const AuditLog &audit, const AuditQuery &filter, AuditExportFormat format, QIODevice &out,
                                    const std::function<bool(qint64, qint64)> &progress = {});

// One CSV field: a cell a spreadsheet would run as a formula (starting with
// = + - @, tab or CR) gets a leading apostrophe, and a field with a comma,
// quote or line break is quoted with its quotes doubled. Public for tests.
[[nodiscard]] QByteArray csvField(const QString &value);

} // namespace authrealm
