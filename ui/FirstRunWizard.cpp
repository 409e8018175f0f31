#include "FirstRunWizard.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "core/DomainError.h"
#include "storage/Sql.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWizardPage>

namespace authrealm {

namespace {

QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("problem"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

// The page's explanation, in the page rather than QWizard::setSubTitle: the
// wizard header gives its subtitle the height of its size hint, so a longer
// (or translated) text was cut off after two lines. A page's own layout
// honours the label's height for its width.
QLabel *introLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(QStringLiteral("intro"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    return label;
}

void showProblem(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

// Runs one page's work; a DomainError or other exception becomes the page's
// problem text instead of leaving the wizard.
template<typename F>
bool attempt(QLabel *problem, F &&work)
{
    try {
        work();
        showProblem(problem, {});
        return true;
    } catch (const DomainError &e) {
        showProblem(problem, e.message());
    } catch (const std::exception &e) {
        showProblem(problem, QString::fromLocal8Bit(e.what()));
    }
    return false;
}

} // namespace

class WizardFolderPage : public QWizardPage
{
public:
    WizardFolderPage(FirstRunWizard &wizard, const QString &suggested) : m_wizard(wizard)
    {
        setTitle(FirstRunWizard::tr("Where AuthRealm keeps its data"));
        QLabel *intro = introLabel(FirstRunWizard::tr("A data folder holds the database (SQLite) and the key that encrypts signing keys. "
                                                      "Choose a new folder to start fresh, or an existing one to open it. "
                                                      "authrealmd uses the same folder by default."),
                                   this);
        m_folder = new QLineEdit(QDir::toNativeSeparators(suggested), this);
        m_folder->setAccessibleName(FirstRunWizard::tr("Data folder"));
        auto *browse = new QPushButton(FirstRunWizard::tr("&Browse…"), this);
        auto *row = new QHBoxLayout;
        row->addWidget(m_folder, 1);
        row->addWidget(browse);
        m_problem = problemLabel(this);
        // addRow(text, layout) gives the label no buddy, so its "&" would show
        // literally and Alt+D would go nowhere: a label of our own with a buddy.
        auto *label = new QLabel(FirstRunWizard::tr("&Data folder:"), this);
        label->setBuddy(m_folder);
        auto *layout = new QFormLayout(this);
        layout->addRow(intro);
        layout->addRow(label, row);
        layout->addRow(m_problem);
        // Not a mandatory ("folder*") field: QWizard counts a mandatory field as
        // filled only once it differs from its initial value, so the suggested
        // folder, accepted as it is, would keep Next disabled. isComplete()
        // asks for a non-empty folder instead.
        registerField(QStringLiteral("folder"), m_folder);
        connect(m_folder, &QLineEdit::textChanged, this, &QWizardPage::completeChanged);
        connect(browse, &QPushButton::clicked, this, [this] {
            const QString chosen = QFileDialog::getExistingDirectory(this, FirstRunWizard::tr("Data folder"), m_folder->text());
            if (!chosen.isEmpty())
                m_folder->setText(QDir::toNativeSeparators(chosen));
        });
    }

    bool isComplete() const override { return !m_folder->text().trimmed().isEmpty(); }

    bool validatePage() override
    {
        return attempt(m_problem, [&] {
            const QString folder = QDir::fromNativeSeparators(m_folder->text().trimmed());
            if (!QDir().mkpath(folder))
                throw DomainError(ErrorCode::InvalidRequest, FirstRunWizard::tr("Cannot create the folder %1.").arg(folder));
            const ConsoleConnection connection = ConsoleConnection::dataFolder(folder);
            m_wizard.m_core.reset(); // close a folder opened before going Back
            m_wizard.m_core = std::make_unique<AuthRealmCore>(connection.coreOptions());
            m_wizard.m_connection = connection;
        });
    }

    QLabel *m_problem;

private:
    FirstRunWizard &m_wizard;
    QLineEdit *m_folder;
};

class WizardAdminPage : public QWizardPage
{
public:
    explicit WizardAdminPage(FirstRunWizard &wizard) : m_wizard(wizard)
    {
        setTitle(FirstRunWizard::tr("The administrator"));
        m_state = new QLabel(this);
        m_state->setWordWrap(true);
        m_password = new QLineEdit(this);
        m_password->setEchoMode(QLineEdit::Password);
        m_password->setAccessibleName(FirstRunWizard::tr("Administrator password"));
        m_repeat = new QLineEdit(this);
        m_repeat->setEchoMode(QLineEdit::Password);
        m_repeat->setAccessibleName(FirstRunWizard::tr("Repeat the administrator password"));
        m_problem = problemLabel(this);
        auto *layout = new QFormLayout(this);
        layout->addRow(m_state);
        layout->addRow(FirstRunWizard::tr("&Password:"), m_password);
        layout->addRow(FirstRunWizard::tr("&Repeat:"), m_repeat);
        layout->addRow(m_problem);
        registerField(QStringLiteral("adminPassword"), m_password);
        registerField(QStringLiteral("adminRepeat"), m_repeat);
    }

    void initializePage() override
    {
        m_needed = m_wizard.m_core && m_wizard.m_core->bootstrap().adminNeedsPassword();
        m_state->setText(m_needed ? FirstRunWizard::tr("The administrator signs in as \"admin\" in the realm \"master\" "
                                                       "(the admin API and authrealmd's tools). Choose a password of at least 8 characters.")
                                  : FirstRunWizard::tr("This data folder already has an administrator with a password. Nothing to do here."));
        m_password->setVisible(m_needed);
        m_repeat->setVisible(m_needed);
        if (auto *form = qobject_cast<QFormLayout *>(layout())) {
            form->setRowVisible(1, m_needed);
            form->setRowVisible(2, m_needed);
        }
    }

    bool validatePage() override
    {
        if (!m_needed)
            return true;
        return attempt(m_problem, [&] {
            if (m_password->text() != m_repeat->text())
                throw DomainError(ErrorCode::InvalidRequest, FirstRunWizard::tr("The two passwords differ."));
            if (!m_wizard.m_core->bootstrap().setInitialAdminPassword(m_password->text()))
                Bootstrap::throwAlreadySetUp();
            m_needed = false;
        });
    }

    QLabel *m_problem;

private:
    FirstRunWizard &m_wizard;
    QLabel *m_state;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    bool m_needed = true;
};

class WizardRealmPage : public QWizardPage
{
public:
    explicit WizardRealmPage(FirstRunWizard &wizard) : m_wizard(wizard)
    {
        setTitle(FirstRunWizard::tr("A first realm and product"));
        QLabel *intro = introLabel(FirstRunWizard::tr("A realm holds one organisation's users; a product is an application they sign in to, "
                                                      "with its own roles and features. You can add more later."),
                                   this);
        m_create = new QCheckBox(FirstRunWizard::tr("&Create a realm and a product now"), this);
        m_create->setChecked(true);
        m_realmId = new QLineEdit(QStringLiteral("acme"), this);
        m_realmId->setAccessibleName(FirstRunWizard::tr("Realm id"));
        m_realmName = new QLineEdit(QStringLiteral("Acme"), this);
        m_realmName->setAccessibleName(FirstRunWizard::tr("Realm display name"));
        m_appId = new QLineEdit(QStringLiteral("app"), this);
        m_appId->setAccessibleName(FirstRunWizard::tr("Product id"));
        m_appName = new QLineEdit(FirstRunWizard::tr("My product"), this);
        m_appName->setAccessibleName(FirstRunWizard::tr("Product display name"));
        m_problem = problemLabel(this);
        auto *layout = new QFormLayout(this);
        layout->addRow(intro);
        layout->addRow(m_create);
        layout->addRow(FirstRunWizard::tr("Realm &id:"), m_realmId);
        layout->addRow(FirstRunWizard::tr("Realm &name:"), m_realmName);
        layout->addRow(FirstRunWizard::tr("Product i&d:"), m_appId);
        layout->addRow(FirstRunWizard::tr("Product na&me:"), m_appName);
        layout->addRow(m_problem);
        registerField(QStringLiteral("createRealm"), m_create);
        registerField(QStringLiteral("realmId"), m_realmId);
        registerField(QStringLiteral("realmName"), m_realmName);
        registerField(QStringLiteral("appId"), m_appId);
        registerField(QStringLiteral("appName"), m_appName);
        for (QLineEdit *edit : {m_realmId, m_realmName, m_appId, m_appName})
            connect(m_create, &QCheckBox::toggled, edit, &QWidget::setEnabled);
    }

    void initializePage() override
    {
        // An existing folder with realms of its own needs no example realm.
        if (m_wizard.m_core)
            m_create->setChecked(m_wizard.m_core->realms().realms().size() <= 1);
    }

    bool validatePage() override
    {
        if (!m_create->isChecked())
            return true;
        return attempt(m_problem, [&] {
            const AdminActor actor = consoleActor();
            AuthRealmCore &core = *m_wizard.m_core;
            const QString realmId = m_realmId->text().trimmed();
            const QString appId = m_appId->text().trimmed();
            Transaction tx(core.database());
            if (!core.realms().realmExists(realmId))
                core.admin().createRealm(actor, realmId, m_realmName->text().trimmed(), {});
            if (!core.realms().app(realmId, appId))
                core.admin().createApp(actor, realmId, appId, m_appName->text().trimmed());
            tx.commit();
        });
    }

    QLabel *m_problem;

private:
    FirstRunWizard &m_wizard;
    QCheckBox *m_create;
    QLineEdit *m_realmId;
    QLineEdit *m_realmName;
    QLineEdit *m_appId;
    QLineEdit *m_appName;
};

class WizardServerPage : public QWizardPage
{
public:
    WizardServerPage()
    {
        setTitle(FirstRunWizard::tr("The identity server"));
        QLabel *intro = introLabel(FirstRunWizard::tr("The console can run the AuthRealm server inside itself, so your applications can sign users in "
                                                      "while the console is open. authrealmd runs the same server without a window."),
                                   this);
        auto *start = new QCheckBox(FirstRunWizard::tr("&Start the server when the console opens"), this);
        start->setChecked(true);
        auto *listen = new QLineEdit(QStringLiteral("127.0.0.1:8080"), this);
        listen->setAccessibleName(FirstRunWizard::tr("Listen address"));
        auto *layout = new QFormLayout(this);
        layout->addRow(intro);
        layout->addRow(start);
        layout->addRow(FirstRunWizard::tr("&Listen on:"), listen);
        registerField(QStringLiteral("startServer"), start);
        registerField(QStringLiteral("listen"), listen);
        connect(start, &QCheckBox::toggled, listen, &QWidget::setEnabled);
    }
};

FirstRunWizard::FirstRunWizard(const QString &suggestedFolder, QWidget *parent) : QWizard(parent)
{
    setWindowTitle(tr("Welcome to AuthRealm"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(FolderPage, new WizardFolderPage(*this, suggestedFolder));
    setPage(AdminPage, new WizardAdminPage(*this));
    setPage(RealmPage, new WizardRealmPage(*this));
    setPage(ServerPage, new WizardServerPage);
    resize(640, 460);
}

FirstRunWizard::~FirstRunWizard() = default;

std::unique_ptr<AuthRealmCore> FirstRunWizard::takeCore()
{
    return std::move(m_core);
}

bool FirstRunWizard::startServer() const
{
    return field(QStringLiteral("startServer")).toBool();
}

QString FirstRunWizard::listenAddress() const
{
    return field(QStringLiteral("listen")).toString().trimmed();
}

QString FirstRunWizard::problem() const
{
    const auto *label = currentPage() ? currentPage()->findChild<QLabel *>(QStringLiteral("problem")) : nullptr;
    return label ? label->text() : QString();
}

} // namespace authrealm
