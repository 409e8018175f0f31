// Placeholder replaced by the audit-chain work.
#include <QTest>
class tst_AuditChain : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(tst_AuditChain)
#include "tst_auditchain.moc"
