#include "AuditView.h"

#include "AuthRealmCore.h"
#include "core/DomainError.h"
#include "LazyTable.h"
#include "items/AuditEventModel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace authrealm {

AuditView::AuditView(AuthRealmCore &core, QWidget *parent)
    : QWidget(parent), m_core(core), m_model(new AuditEventModel(core.audit(), this))
{
    m_realm = new QComboBox(this);
    m_realm->setAccessibleName(tr("Realm"));
    m_kinds = new QLineEdit(this);
    m_kinds->setPlaceholderText(tr("Kinds, e.g. login.failure,pat.denied"));
    m_kinds->setAccessibleName(tr("Event kinds"));
    m_kinds->setClearButtonEnabled(true);
    m_actor = new QLineEdit(this);
    m_actor->setPlaceholderText(tr("Actor, e.g. user:<id>"));
    m_actor->setAccessibleName(tr("Actor"));
    m_actor->setClearButtonEnabled(true);
    m_outcome = new QComboBox(this);
    m_outcome->setAccessibleName(tr("Outcome"));
    m_outcome->addItem(tr("Any outcome"), QString());
    for (const char *o : {"success", "failure", "denied"})
        m_outcome->addItem(QLatin1String(o), QLatin1String(o));
    auto *verify = new QPushButton(tr("Verify chain"), this);
    m_chain = new QLabel(this);
    m_table = new LazyTable(m_model, AuditEventModel::Summary, tr("Audit events"), this);

    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Realm:"), this));
    filters->addWidget(m_realm);
    filters->addWidget(m_kinds, 2);
    filters->addWidget(m_actor, 1);
    filters->addWidget(m_outcome);
    filters->addWidget(verify);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_chain);

    connect(m_realm, &QComboBox::currentIndexChanged, this, &AuditView::applyFilter);
    connect(m_kinds, &QLineEdit::editingFinished, this, &AuditView::applyFilter);
    connect(m_actor, &QLineEdit::editingFinished, this, &AuditView::applyFilter);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &AuditView::applyFilter);
    connect(verify, &QPushButton::clicked, this, &AuditView::verifyChain);
    reload();
}

void AuditView::reload()
{
    refillRealms(m_realm, m_core.realms());
    applyFilter();
}

void AuditView::applyFilter()
{
    AuditQuery query;
    if (!m_realm->currentText().isEmpty())
        query.realmIds = {m_realm->currentText()};
    query.kinds = m_kinds->text().split(u',', Qt::SkipEmptyParts);
    for (QString &kind : query.kinds)
        kind = kind.trimmed();
    query.actor = m_actor->text().trimmed();
    query.outcome = m_outcome->currentData().toString();
    try {
        m_model->setQuery(query);
        m_table->showFirstPage();
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Cannot read the database"), e.message());
    }
}

void AuditView::verifyChain()
{
    const QString realm = m_realm->currentText();
    try {
        const ChainCheck check = m_core.audit().verify(realm);
        m_chain->setText(check.intact ? tr("Chain of realm \"%1\" is intact: %2 events checked.").arg(realm).arg(check.eventsChecked)
                                      : tr("Chain of realm \"%1\" is BROKEN at seq %2 (event %3): %4")
                                            .arg(realm).arg(check.brokenSeq).arg(check.brokenEventId).arg(check.reason));
    } catch (const DomainError &e) {
        QMessageBox::warning(this, tr("Cannot verify the chain"), e.message());
    }
}

} // namespace authrealm
