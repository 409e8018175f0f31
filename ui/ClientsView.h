#pragma once

#include "ScopedView.h"
#include "oidc/OAuthClient.h"

class QAction;
class QLabel;
class QTableWidget;

namespace authrealm {

// The OAuth clients of one product: list, create (the secret is shown once,
// with a Copy button), edit the redirect URIs, rotate the secret, delete.
// Every change is one audited ClientRegistry call by the console's actor,
// the same code the admin API runs. At realm scope it asks for a product.
class ClientsView : public ScopedView
{
    Q_OBJECT
public:
    explicit ClientsView(AuthRealmCore &core, QWidget *parent = nullptr);

    enum Column { ColumnName, ColumnId, ColumnKind, ColumnRedirects, ColumnFirstParty, ColumnCount };

    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] QAction *newClientAction() const { return m_newClient; }
    [[nodiscard]] QAction *editClientAction() const { return m_editClient; }
    [[nodiscard]] QAction *rotateSecretAction() const { return m_rotateSecret; }
    [[nodiscard]] QAction *deleteClientAction() const { return m_deleteClient; }

public slots:
    void newClient();
    void editClient();
    void rotateSecret();
    void deleteClient();

protected:
    void load() override;
    [[nodiscard]] QWidget *focusTarget() const override;

private:
    void updateActions();
    void showSecret(const QString &clientId, const QString &secret);
    [[nodiscard]] const OAuthClient *currentClient() const;

    QLabel *m_title;
    QTableWidget *m_table;
    QAction *m_newClient;
    QAction *m_editClient;
    QAction *m_rotateSecret;
    QAction *m_deleteClient;
    QList<OAuthClient> m_clients;
};

} // namespace authrealm
