#include "ClientDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace authrealm {

ClientDialog::ClientDialog(const QString &appId, const OAuthClient *existing, QWidget *parent) : QDialog(parent)
{
    m_base.appId = appId;
    if (existing) {
        m_base.extraAppIds = existing->appIds.mid(1);
        m_base.confidential = existing->confidential;
        m_base.postLogoutRedirectUris = existing->postLogoutRedirectUris;
        m_base.grantTypes = existing->grantTypes;
        m_base.allowedScopes = existing->allowedScopes;
        m_base.idTokenAlgorithm = existing->idTokenAlgorithm;
        m_base.tokenEndpointAuthMethod = existing->tokenEndpointAuthMethod;
        m_base.jwks = existing->jwks;
        m_base.accessTokenLifetime = existing->accessTokenLifetime;
        m_base.refreshTokenLifetime = existing->refreshTokenLifetime;
    }
    setWindowTitle(existing ? tr("Edit client %1").arg(existing->name) : tr("New client"));
    m_name = new QLineEdit(existing ? existing->name : QString(), this);
    m_name->setObjectName(QStringLiteral("name"));
    m_name->setAccessibleName(tr("Client name"));
    m_name->setPlaceholderText(tr("for example: Shop web app"));
    m_public = new QCheckBox(tr("Public client (single-page or native app: no secret, PKCE)"), this);
    m_public->setObjectName(QStringLiteral("public"));
    m_public->setChecked(existing && !existing->confidential);
    m_public->setEnabled(!existing); // a client cannot change kind: create a new one
    m_redirectUris = new QPlainTextEdit(existing ? existing->redirectUris.join(u'\n') : QString(), this);
    m_redirectUris->setObjectName(QStringLiteral("redirectUris"));
    m_redirectUris->setAccessibleName(tr("Redirect URIs"));
    m_redirectUris->setPlaceholderText(tr("one per line, for example: https://shop.example.com/callback"));
    m_redirectUris->setTabChangesFocus(true);
    m_firstParty = new QCheckBox(tr("First-party (people are not asked to consent)"), this);
    m_firstParty->setObjectName(QStringLiteral("firstParty"));
    m_firstParty->setChecked(!existing || existing->firstParty);
    auto *hint = new QLabel(tr("Redirect URIs must match exactly: https, or http only on 127.0.0.1, [::1] or localhost "
                               "(where any port is accepted)."), this);
    hint->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(QString(), m_public);
    form->addRow(tr("&Redirect URIs:"), m_redirectUris);
    form->addRow(QString(), m_firstParty);
    form->addRow(hint);
    form->addRow(buttons);
    setMinimumWidth(520);
}

ClientRegistry::Draft ClientDialog::draft() const
{
    ClientRegistry::Draft d = m_base;
    d.name = m_name->text().trimmed();
    d.confidential = !m_public->isChecked();
    d.redirectUris.clear();
    for (const QString &line : m_redirectUris->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        if (!line.trimmed().isEmpty())
            d.redirectUris.append(line.trimmed());
    }
    d.firstParty = m_firstParty->isChecked();
    return d;
}

ClientSecretDialog::ClientSecretDialog(const QString &clientId, const QString &secret, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Client secret"));
    auto *id = new QLineEdit(clientId, this);
    id->setObjectName(QStringLiteral("clientId"));
    id->setReadOnly(true);
    id->setAccessibleName(tr("Client ID"));
    auto *value = new QLineEdit(secret, this);
    value->setObjectName(QStringLiteral("secret"));
    value->setReadOnly(true);
    value->setAccessibleName(tr("Client secret"));
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("copy"));
    connect(copy, &QPushButton::clicked, this, [secret] { QGuiApplication::clipboard()->setText(secret); });
    auto *warning = new QLabel(tr("Copy the secret now and keep it safe: it is shown only this once. "
                                  "If it is lost, rotate the secret."), this);
    warning->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);

    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(value, 1);
    secretRow->addWidget(copy);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Client ID:"), id);
    form->addRow(tr("&Secret:"), secretRow);
    form->addRow(warning);
    form->addRow(buttons);
    setMinimumWidth(560);
}

} // namespace authrealm
