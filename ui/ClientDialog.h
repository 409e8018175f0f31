#pragma once

#include "oidc/ClientRegistry.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPlainTextEdit;

namespace authrealm {

// Asks for an OAuth client of a product: its name, public or confidential
// (fixed once created), redirect URIs one per line, and first-party (no
// consent screen). Validation is the registry's: errors come back from it.
class ClientDialog : public QDialog
{
    Q_OBJECT
public:
    // `existing` null: a new client of `appId`.
    ClientDialog(const QString &appId, const OAuthClient *existing, QWidget *parent = nullptr);
    // The draft to create or to update with (the existing client's other settings kept).
    [[nodiscard]] ClientRegistry::Draft draft() const;

private:
    ClientRegistry::Draft m_base;
    QLineEdit *m_name;
    QCheckBox *m_public;
    QPlainTextEdit *m_redirectUris;
    QCheckBox *m_firstParty;
};

// Shows a new client secret once, with a Copy button: it is never shown again.
class ClientSecretDialog : public QDialog
{
    Q_OBJECT
public:
    ClientSecretDialog(const QString &clientId, const QString &secret, QWidget *parent = nullptr);
};

} // namespace authrealm
