#pragma once

// Shared by AuditLog.cpp (append, query, verify) and AuditRetention.cpp
// (prune, archives): row mapping, the chain head and the prune anchor.
// Not part of the model's interface.

#include "storage/AuditLog.h"
#include "storage/Sql.h"

#include <QByteArray>
#include <QString>

namespace authrealm::auditdetail {

extern const QString kColumns;

struct ChainHead
{
    bool exists = false;
    qint64 seq = 0;
    QString hash;
};

// Where the kept part of a pruned chain starts: the seq and hash of the
// newest event prune() removed, kept in deployment_settings under
// "audit_anchor:<realm>" as "<seq>:<hash>". verify() starts at anchor.seq + 1
// and requires that event's prev_hash to equal anchor.hash, so deleting more
// rows after a prune is still noticed. Like the chain itself the anchor is not
// keyed: moving it forward over deleted rows passes only if it is set to the
// exact seq and hash of the newest deleted row, i.e. an attacker must rewrite
// it consistently with the events (and it then disagrees with the archive's
// last line and with the "audit.pruned" events in the chain). Changing only
// its seq, only its hash, or deleting it breaks verify().
struct Anchor
{
    bool exists = false;
    bool malformed = false;
    qint64 seq = 0;
    QString hash;
    friend bool operator==(const Anchor &, const Anchor &) = default;
};

AuditEvent eventFromRow(const SqlQuery &q);
ChainHead readHead(const Database &db, const QString &realmId, bool lockForAppend);
QString anchorName(const QString &realmId);
Anchor readAnchor(const Database &db, const QString &realmId);
void writeAnchor(const Database &db, const QString &realmId, qint64 seq, const QString &hash);
QByteArray archiveLine(const AuditEvent &e);
bool readArchiveLine(const QByteArray &line, AuditEvent &e, QString &why);
bool isUnchained(const AuditEvent &e);

} // namespace authrealm::auditdetail
