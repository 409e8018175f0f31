// The console's shell: the first-run wizard, opening a database, the hosted
// server, creating a user who then signs in over HTTP, and the "another
// server serves this database" notice. Runs under QT_QPA_PLATFORM=offscreen.
#include "ApiServer.h"
#include "AuditChart.h"
#include "AuditView.h"
#include "LazyTable.h"
#include "SessionsView.h"
#include "items/AuditEventModel.h"
#include "items/SessionListModel.h"
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleWindow.h"
#include "FirstRunWizard.h"
#include "NewUserDialog.h"
#include "TestDatabases.h"
#include "UsersView.h"

#include <QComboBox>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>

using namespace authrealm;
using namespace authrealm::test;

namespace {

QLineEdit *field(QWidget *parent, const QString &accessibleName)
{
    for (QLineEdit *edit : parent->findChildren<QLineEdit *>()) {
        if (edit->accessibleName() == accessibleName)
            return edit;
    }
    qFatal("no field named %s", qPrintable(accessibleName));
}

struct Http
{
    int status = 0;
    QJsonObject json;
};

Http post(const QString &url, const QJsonObject &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    Http result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), QJsonDocument::fromJson(reply->readAll()).object()};
    delete reply;
    return result;
}

} // namespace

class tst_Console : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_errors.clear();
        setConsolePromptsForTesting({[](const QString &, const QString &) { return true; },
                                     [this](const QString &title, const QString &message) { m_errors << title + QStringLiteral(": ") + message; }});
    }
    void initTestCase_data() { addBackendRows(); }
    void init() { m_errors.clear(); }

    void wizardCreatesWorkingDataFolder()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("the wizard creates a local data folder (SQLite); PostgreSQL is opened with File → Connect");
        QTemporaryDir dir;
        const QString folder = dir.filePath(QStringLiteral("data"));
        FirstRunWizard wizard(folder);
        wizard.show();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::FolderPage));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::AdminPage));
        QVERIFY(QFile::exists(folder + QStringLiteral("/authrealm.db")));
        QVERIFY(QFile::exists(folder + QStringLiteral("/master.key")));

        // A mismatch and a too-short password keep the wizard on the page with a reason.
        field(&wizard, QStringLiteral("Administrator password"))->setText(QStringLiteral("correct horse battery"));
        field(&wizard, QStringLiteral("Repeat the administrator password"))->setText(QStringLiteral("correct horse battery!"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::AdminPage));
        QVERIFY2(wizard.problem().contains(QStringLiteral("differ")), qPrintable(wizard.problem()));
        field(&wizard, QStringLiteral("Administrator password"))->setText(QStringLiteral("short"));
        field(&wizard, QStringLiteral("Repeat the administrator password"))->setText(QStringLiteral("short"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::AdminPage));
        QVERIFY(!wizard.problem().isEmpty());

        field(&wizard, QStringLiteral("Administrator password"))->setText(QStringLiteral("correct horse battery"));
        field(&wizard, QStringLiteral("Repeat the administrator password"))->setText(QStringLiteral("correct horse battery"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::RealmPage));
        field(&wizard, QStringLiteral("Realm id"))->setText(QStringLiteral("north"));
        field(&wizard, QStringLiteral("Product id"))->setText(QStringLiteral("shop"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::ServerPage));
        wizard.accept();
        QVERIFY(wizard.startServer());

        std::unique_ptr<AuthRealmCore> core = wizard.takeCore();
        QVERIFY(core);
        QVERIFY(!core->bootstrap().adminNeedsPassword());
        QVERIFY(core->realms().realmExists(QStringLiteral("north")));
        QVERIFY(core->realms().app(QStringLiteral("north"), QStringLiteral("shop")).has_value());
        bool audited = false;
        for (const AuditEvent &event : core->audit().recent(QStringLiteral("north"), 20))
            audited = audited || (event.actor.startsWith(QStringLiteral("console:")) && event.kind.startsWith(QStringLiteral("admin.")));
        QVERIFY2(audited, "the realm and product the wizard created are audited with the console actor");

        // The same folder opens again with the same key: the administrator signs in.
        core.reset();
        AuthRealmCore reopened(wizard.connection().coreOptions());
        QVERIFY(!reopened.bootstrap().adminNeedsPassword());
        QVERIFY(reopened.realms().realmExists(QStringLiteral("north")));
    }

    // Another console (or authrealmd's setup code) sets the administrator
    // password while the wizard's page is open: the wizard must not report
    // success for a password that is not the one that stands.
    void wizardReportsAPasswordSetMeanwhile()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("the wizard creates a local data folder (SQLite)");
        QTemporaryDir dir;
        FirstRunWizard wizard(dir.filePath(QStringLiteral("data")));
        wizard.show();
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::AdminPage));
        {
            AuthRealmCore other(wizard.connection().coreOptions());
            QVERIFY(other.bootstrap().setInitialAdminPassword(QStringLiteral("set elsewhere first")));
        }
        field(&wizard, QStringLiteral("Administrator password"))->setText(QStringLiteral("correct horse battery"));
        field(&wizard, QStringLiteral("Repeat the administrator password"))->setText(QStringLiteral("correct horse battery"));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::AdminPage));
        QVERIFY2(wizard.problem().contains(QStringLiteral("already has a password")), qPrintable(wizard.problem()));
    }

    void userCreatedInConsoleSignsInOnHostedServer()
    {
        ScratchDatabase scratch;
        AuthRealmCore core(coreOptions(scratch.config(), nullptr));
        const AdminActor actor = consoleActor();
        core.admin().createRealm(actor, QStringLiteral("acme"), QStringLiteral("Acme"), {});
        core.admin().createApp(actor, QStringLiteral("acme"), QStringLiteral("app"), QStringLiteral("App"));

        ConsoleWindow window(core, ConsoleConnection{});
        window.show(); // views load while visible
        window.setListenAddress(QStringLiteral("127.0.0.1:0"));
        QVERIFY(window.startServer());
        QVERIFY(window.serverRunning());
        QVERIFY(window.selectScope(QStringLiteral("acme")));

        NewUserDialog dialog(core, QStringLiteral("acme"), QString(), &window);
        dialog.emailField()->setText(QStringLiteral("Ada@Example.com"));
        dialog.nameField()->setText(QStringLiteral("Ada"));
        dialog.passwordField()->setText(QStringLiteral("a long enough password"));
        dialog.repeatField()->setText(QStringLiteral("a long enough password"));
        QCOMPARE(dialog.productField()->currentData().toString(), QStringLiteral("app")); // the only product is preselected
        QCOMPARE(dialog.roleField()->currentData().toString(), QStringLiteral("member"));
        dialog.accept();
        QVERIFY2(m_errors.isEmpty(), qPrintable(m_errors.join(u'\n')));
        QVERIFY(!dialog.createdUserId().isEmpty());

        const QString base = QStringLiteral("http://127.0.0.1:%1/realms/acme").arg(window.server()->port());
        const Http login = post(base + QStringLiteral("/authRealm/login"),
                                {{QStringLiteral("email"), QStringLiteral("ada@example.com")},
                                 {QStringLiteral("password"), QStringLiteral("a long enough password")}});
        QCOMPARE(login.status, 200);
        QCOMPARE(login.json.value(QStringLiteral("tenantId")).toString(), QStringLiteral("app"));

        AuditQuery query;
        query.realmIds = {QStringLiteral("acme")};
        query.targetId = dialog.createdUserId();
        QStringList kinds;
        for (const AuditEvent &event : core.audit().query(query))
            kinds << event.kind;
        QVERIFY2(kinds.contains(QStringLiteral("login.success")), qPrintable(kinds.join(u',')));

        // The sign-in shows in the audit browser's list and on its chart.
        QVERIFY(window.showView(QStringLiteral("audit")));
        window.reloadAll(); // F5, as a person would after signing in elsewhere
        auto *audit = qobject_cast<AuditView *>(window.view(QStringLiteral("audit")));
        QVERIFY(audit);
        const auto listShowsLogin = [&] {
            for (int row = 0; row < audit->model()->rowCount(); ++row) {
                if (audit->model()->eventAt(row).kind == QStringLiteral("login.success"))
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(listShowsLogin(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(audit->chart()->totalEvents() >= audit->model()->rowCount(), 20000);
        QVERIFY(audit->chart()->totalEvents() > 0);

        // Revoking the session in the Sessions view ends it on the hosted server.
        QVERIFY(window.showView(QStringLiteral("sessions")));
        auto *sessions = qobject_cast<SessionsView *>(window.view(QStringLiteral("sessions")));
        QVERIFY(sessions);
        QTRY_COMPARE_WITH_TIMEOUT(sessions->model()->rowCount(), 1, 10000);
        sessions->table()->selectRow(0);
        sessions->revokeSelected();
        QVERIFY2(m_errors.isEmpty(), qPrintable(m_errors.join(u'\n')));
        const Http refreshed = post(base + QStringLiteral("/authRealm/refresh"),
                                    {{QStringLiteral("refreshToken"), login.json.value(QStringLiteral("refreshToken")).toString()}});
        QCOMPARE(refreshed.status, 401);
    }

    void refusedUserCreationLosesNothing()
    {
        ScratchDatabase scratch;
        AuthRealmCore core(coreOptions(scratch.config(), nullptr));
        core.admin().createRealm(consoleActor(), QStringLiteral("acme"), QStringLiteral("Acme"), {});
        NewUserDialog dialog(core, QStringLiteral("acme"), QString());
        dialog.emailField()->setText(QStringLiteral("not-an-email"));
        dialog.passwordField()->setText(QStringLiteral("a long enough password"));
        dialog.repeatField()->setText(QStringLiteral("a long enough password"));
        dialog.accept();
        QCOMPARE(m_errors.size(), 1);
        QVERIFY(dialog.createdUserId().isEmpty());
        QVERIFY(core.users().users(QStringLiteral("acme")).isEmpty());
    }

    void noticesAnotherServerOnTheSameDatabase()
    {
        ScratchDatabase scratch;
        AuthRealmCore core(coreOptions(scratch.config(), nullptr));
        ConsoleWindow window(core, ConsoleConnection{});
        QVERIFY(window.otherServersNotice().isEmpty());

        // Our own hosted server is not "another" one.
        window.setListenAddress(QStringLiteral("127.0.0.1:0"));
        QVERIFY(window.startServer());
        window.checkOtherServers();
        QVERIFY(window.otherServersNotice().isEmpty());

        // A second server process on the same database (as authrealmd would be).
        AuthRealmCore other(coreOptions(scratch.config(), nullptr));
        ServerOptions options;
        options.port = 0;
        options.ioThreads = 1;
        ApiServer second(other, options);
        second.start();
        window.checkOtherServers();
        QVERIFY2(window.otherServersNotice().contains(QStringLiteral("authrealmd")), qPrintable(window.otherServersNotice()));
        second.stop();
        window.checkOtherServers();
        QVERIFY(window.otherServersNotice().isEmpty());
    }

    void shipsGermanAndFrench_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("users");
        QTest::newRow("de") << "de" << "&Benutzer";
        QTest::newRow("fr") << "fr" << "&Utilisateurs";
    }
    void shipsGermanAndFrench()
    {
        QFETCH(QString, language);
        QFETCH(QString, users);
        QTranslator translator;
        QVERIFY(translator.load(QLocale(language), QStringLiteral("authrealm"), QStringLiteral("_"), QStringLiteral(":/i18n")));
        QCOMPARE(translator.translate("authrealm::ConsoleWindow", "&Users"), users);
        QVERIFY(!translator.translate("authrealm::FirstRunWizard", "Welcome to AuthRealm").isEmpty());
    }

private:
    QStringList m_errors;
};

QTEST_MAIN(tst_Console)
#include "tst_console.moc"
