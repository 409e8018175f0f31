#pragma once

#include "ConsoleConnection.h"

#include <QWizard>
#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace authrealm {

class AuthRealmCore;

// The console's first run: create (or open) a local data folder, give the
// administrator a password, optionally create a first realm and product,
// and choose whether to start the identity server. Each page does its work
// when the user presses Next, so a problem shows on the page that caused it.
class FirstRunWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { FolderPage, AdminPage, RealmPage, ServerPage };

    explicit FirstRunWizard(const QString &suggestedFolder, QWidget *parent = nullptr);
    ~FirstRunWizard() override;

    // The opened database (after the folder page); the caller takes it over.
    [[nodiscard]] std::unique_ptr<AuthRealmCore> takeCore();
    [[nodiscard]] const ConsoleConnection &connection() const { return m_connection; }
    [[nodiscard]] bool startServer() const;
    [[nodiscard]] QString listenAddress() const;
    // What went wrong on the current page, empty when nothing did (for tests).
    [[nodiscard]] QString problem() const;

private:
    friend class WizardFolderPage;
    friend class WizardAdminPage;
    friend class WizardRealmPage;
    friend class WizardServerPage;

    std::unique_ptr<AuthRealmCore> m_core;
    ConsoleConnection m_connection;
};

} // namespace authrealm
