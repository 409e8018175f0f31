#pragma once

#include "storage/AuditLog.h"

#include <QTextBrowser>

namespace authrealm {

// The detail pane of the audit browser: every stored field of one event,
// the time in UTC and in the local zone, the chain position and hashes, and
// the summary pretty-printed when it holds JSON.
class AuditEventDetails : public QTextBrowser
{
    Q_OBJECT
public:
    explicit AuditEventDetails(QWidget *parent = nullptr);
    void display(const AuditEvent &event);
    void showNothing();
    [[nodiscard]] qint64 shownEventId() const { return m_eventId; }

private:
    qint64 m_eventId = 0;
};

} // namespace authrealm
