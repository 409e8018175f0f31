// The console's Clients view over a real core on every backend: it lists a
// product's OAuth clients, creates one through the dialog and shows the
// secret once with a working Copy button, edits redirect URIs, rotates the
// secret with an overlap, deletes only after confirmation, and shows the
// registry's refusals as errors; every change is audited with the console actor.
#include "AuthRealmCore.h"
#include "ClientDialog.h"
#include "ClientsView.h"
#include "ConsoleActor.h"
#include "RecordedPrompts.h"
#include "TestDatabases.h"
#include "storage/Sql.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include "ApiServer.h"
#include <deque>

using namespace authrealm;

namespace {

// Answers the modal dialogs the next action opens, in order.
class DialogAnswers : public QObject
{
public:
    explicit DialogAnswers(std::deque<std::function<void(QDialog *)>> answers) : m_answers(std::move(answers))
    {
        connect(&m_poll, &QTimer::timeout, this, [this] {
            auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
            if (!dialog || dialog == m_last || m_answers.empty())
                return;
            m_last = dialog;
            auto answer = std::move(m_answers.front());
            m_answers.pop_front();
            answer(dialog);
        });
        m_poll.start(5);
    }
    [[nodiscard]] bool allAnswered() const { return m_answers.empty(); }

private:
    std::deque<std::function<void(QDialog *)>> m_answers;
    QPointer<QDialog> m_last;
    QTimer m_poll;
};

std::function<void(QDialog *)> fillClient(const QString &name, const QString &uris, bool isPublic = false)
{
    return [=](QDialog *dialog) {
        QVERIFY(qobject_cast<ClientDialog *>(dialog));
        dialog->findChild<QLineEdit *>(QStringLiteral("name"))->setText(name);
        dialog->findChild<QPlainTextEdit *>(QStringLiteral("redirectUris"))->setPlainText(uris);
        dialog->findChild<QCheckBox *>(QStringLiteral("public"))->setChecked(isPublic);
        dialog->accept();
    };
}

// Reads the secret, presses Copy, closes.
std::function<void(QDialog *)> takeSecret(QString *secret)
{
    return [secret](QDialog *dialog) {
        QVERIFY(qobject_cast<ClientSecretDialog *>(dialog));
        *secret = dialog->findChild<QLineEdit *>(QStringLiteral("secret"))->text();
        QApplication::clipboard()->clear();
        dialog->findChild<QPushButton *>(QStringLiteral("copy"))->click();
        QCOMPARE(QApplication::clipboard()->text(), *secret);
        dialog->accept();
    };
}

} // namespace

class tst_ClientsView : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;
    test::RecordedPrompts m_prompts;

    const ClientRegistry &clients() { return m_core->clients(); }

    std::unique_ptr<ClientsView> shown(const QString &app)
    {
        auto view = std::make_unique<ClientsView>(*m_core);
        view->resize(1100, 600);
        view->setScope(QStringLiteral("acme"), app);
        view->show();
        return view;
    }

    bool works(const QString &id, const QString &secret)
    {
        ClientCredentials c;
        c.hasBasic = true;
        c.basicId = id;
        c.basicSecret = secret;
        return test::errorOf([&] { (void)clients().authenticate(QStringLiteral("acme"), c, {}); }) == ErrorCode::Internal;
    }

    int consoleEvents(const QString &kind)
    {
        SqlQuery q(m_core->database(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE kind = :k AND actor = :a"));
        q.bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":a"), consoleActor().actor).exec();
        return q.next() ? q.value(0).toInt() : -1;
    }

    QString createThroughView(ClientsView &view, QString *secret)
    {
        DialogAnswers answers({fillClient(QStringLiteral("Shop web"), QStringLiteral("https://shop.example.com/cb\n\nhttp://127.0.0.1/cb\n")),
                               takeSecret(secret)});
        view.newClientAction()->trigger();
        if (!answers.allAnswered())
            return {};
        return clients().list(consoleActor(), QStringLiteral("acme"), QStringLiteral("shop")).constLast().id;
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void init()
    {
        m_prompts.install();
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        AdminActor by = consoleActor();
        by.actor = QStringLiteral("test:setup");
        (void)m_core->admin().createRealm(by, QStringLiteral("acme"), QStringLiteral("Acme"), {});
        (void)m_core->admin().createApp(by, QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Shop"));
        (void)m_core->admin().createApp(by, QStringLiteral("acme"), QStringLiteral("blog"), QStringLiteral("Blog"));
    }
    void cleanup()
    {
        setConsolePromptsForTesting({});
        m_core.reset();
        m_scratch.reset();
    }

    // For a person to look at: AUTHREALM_UI_SNAPSHOT_DIR=dir writes the view
    // and the create dialog as PNGs (skipped otherwise).
    void writeSnapshots()
    {
        const QString dir = qEnvironmentVariable("AUTHREALM_UI_SNAPSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set AUTHREALM_UI_SNAPSHOT_DIR to write the snapshots");
        auto view = shown(QStringLiteral("shop"));
        QString secret;
        QVERIFY(!createThroughView(*view, &secret).isEmpty());
        QVERIFY(view->grab().save(dir + QStringLiteral("/clients-view.png")));
        DialogAnswers answers({[&](QDialog *dialog) {
            QVERIFY(dialog->grab().save(dir + QStringLiteral("/client-dialog.png")));
            dialog->reject();
        }});
        view->newClientAction()->trigger();
        QVERIFY(answers.allAnswered());
    }

    // The promise end to end: a client made in the console lets an
    // unmodified openid-client app (node, tests/oidc) sign in through the
    // hosted page. The npm packages come from CTest's oidc_rp_npm fixture.
    void createdClientSignsInWithOpenidClient()
    {
        const QString oidcDir = QStringLiteral(AUTHREALM_OIDC_TESTS_DIR);
        if (!QFileInfo::exists(oidcDir + QStringLiteral("/node_modules/openid-client/package.json")))
            QSKIP("the npm packages of tests/oidc are not installed (CTest fixture oidc_rp_npm)");
        QTcpServer probe; // a free port, so the issuer can name it before the server starts
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        CoreOptions options = test::coreOptions(m_scratch->config(), nullptr); // the real clock: node checks exp
        options.publicBaseUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
        m_core.reset();
        m_core = std::make_unique<AuthRealmCore>(options);
        AdminActor by = consoleActor();
        const User user = m_core->admin().createUser(by, QStringLiteral("acme"), QStringLiteral("reader@example.com"),
                                                     QStringLiteral("Correct-Horse-Battery-9"), QStringLiteral("Reader"));
        m_core->admin().setMembership(by, QStringLiteral("acme"), user.id, Membership{QStringLiteral("shop"), {}});
        auto view = shown(QStringLiteral("shop"));
        QString secret;
        const QString clientId = createThroughView(*view, &secret);
        QVERIFY(!clientId.isEmpty());
        ServerOptions serverOptions;
        serverOptions.port = port;
        serverOptions.ioThreads = 2;
        ApiServer server(*m_core, serverOptions);
        QCOMPARE(server.start(), port);
        QProcess node;
        node.setProcessChannelMode(QProcess::MergedChannels);
        QStringList args;
        QProcess version;
        version.start(QStringLiteral("node"), {QStringLiteral("-p"), QStringLiteral("process.versions.node.split('.')[0]")});
        QVERIFY(version.waitForFinished(30000));
        if (version.readAll().trimmed().toInt() < 19)
            args << QStringLiteral("--experimental-global-webcrypto"); // Debian 12's Node 18
        args << oidcDir + QStringLiteral("/sign-in-once.mjs") << options.publicBaseUrl + QStringLiteral("/realms/acme") << clientId << secret
             << QStringLiteral("http://127.0.0.1/cb") << QStringLiteral("reader@example.com") << QStringLiteral("Correct-Horse-Battery-9");
        node.start(QStringLiteral("node"), args);
        QVERIFY(node.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(node.state() == QProcess::NotRunning, 120000);
        const QByteArray output = node.readAll();
        server.stop();
        QVERIFY2(node.exitStatus() == QProcess::NormalExit && node.exitCode() == 0, output.constData());
        QVERIFY2(output.contains("email=reader@example.com"), output.constData());
    }

    void realmScopeAsksForAProduct()
    {
        auto view = shown({});
        QCOMPARE(view->table()->rowCount(), 0);
        QVERIFY(!view->newClientAction()->isEnabled());
        QVERIFY(!view->deleteClientAction()->isEnabled());
    }

    void listsOnlyTheProductsClients()
    {
        ClientRegistry::Draft d;
        d.appId = QStringLiteral("blog");
        d.name = QStringLiteral("Blog app");
        d.redirectUris = {QStringLiteral("https://blog.example/cb")};
        (void)clients().create(consoleActor(), QStringLiteral("acme"), d);
        d.appId = QStringLiteral("shop");
        d.name = QStringLiteral("Shop app");
        d.confidential = false;
        (void)clients().create(consoleActor(), QStringLiteral("acme"), d);
        auto view = shown(QStringLiteral("shop"));
        QCOMPARE(view->table()->rowCount(), 1);
        QCOMPARE(view->table()->item(0, ClientsView::ColumnName)->text(), QStringLiteral("Shop app"));
        QCOMPARE(view->table()->item(0, ClientsView::ColumnKind)->text(), QStringLiteral("public"));
        view->table()->selectRow(0);
        QVERIFY(!view->rotateSecretAction()->isEnabled()); // a public client has no secret
        QVERIFY(view->deleteClientAction()->isEnabled());
    }

    void createShowsTheSecretOnceWithCopy()
    {
        auto view = shown(QStringLiteral("shop"));
        QString secret;
        const QString id = createThroughView(*view, &secret);
        QVERIFY(!id.isEmpty());
        QVERIFY(secret.size() >= 43);
        QVERIFY(works(id, secret));
        QCOMPARE(view->table()->rowCount(), 1);
        QCOMPARE(view->table()->item(0, ClientsView::ColumnId)->text(), id);
        QVERIFY(!view->table()->item(0, ClientsView::ColumnRedirects)->text().contains(secret));
        const OAuthClient c = *clients().find(QStringLiteral("acme"), id);
        QCOMPARE(c.redirectUris, (QStringList{"https://shop.example.com/cb", "http://127.0.0.1/cb"}));
        QVERIFY(c.firstParty);
        QCOMPARE(consoleEvents(QStringLiteral("client.created")), 1);
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void publicClientGetsNoSecretDialog()
    {
        auto view = shown(QStringLiteral("shop"));
        DialogAnswers answers({fillClient(QStringLiteral("SPA"), QStringLiteral("http://localhost:3000/cb"), true),
                               [](QDialog *dialog) {
                                   dialog->reject();
                                   QFAIL("a public client has no secret to show");
                               }});
        view->newClientAction()->trigger();
        QTest::qWait(50);
        QCOMPARE(view->table()->rowCount(), 1);
        QCOMPARE(clients().list(consoleActor(), QStringLiteral("acme"), QStringLiteral("shop")).constFirst().tokenEndpointAuthMethod,
                 QStringLiteral("none"));
    }

    void refusedRedirectUriIsShownAsAnError()
    {
        auto view = shown(QStringLiteral("shop"));
        DialogAnswers answers({fillClient(QStringLiteral("Evil"), QStringLiteral("javascript:alert(1)"))});
        view->newClientAction()->trigger();
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY(m_prompts.errors.constFirst().contains(QStringLiteral("javascript")));
        QCOMPARE(view->table()->rowCount(), 0);
    }

    void editRedirectUris()
    {
        auto view = shown(QStringLiteral("shop"));
        QString secret;
        const QString id = createThroughView(*view, &secret);
        view->table()->selectRow(0);
        DialogAnswers answers({[](QDialog *dialog) {
            QVERIFY(!dialog->findChild<QCheckBox *>(QStringLiteral("public"))->isEnabled());
            dialog->findChild<QPlainTextEdit *>(QStringLiteral("redirectUris"))->setPlainText(QStringLiteral("https://shop.example.com/new"));
            dialog->accept();
        }});
        view->editClientAction()->trigger();
        QCOMPARE(clients().find(QStringLiteral("acme"), id)->redirectUris, QStringList{"https://shop.example.com/new"});
        QCOMPARE(view->table()->item(0, ClientsView::ColumnRedirects)->text(), QStringLiteral("https://shop.example.com/new"));
        QCOMPARE(consoleEvents(QStringLiteral("client.updated")), 1);
        QVERIFY(works(id, secret)); // editing keeps the secret
    }

    void rotateKeepsTheOldSecretForTheChosenOverlap()
    {
        auto view = shown(QStringLiteral("shop"));
        QString first;
        const QString id = createThroughView(*view, &first);
        view->table()->selectRow(0);

        m_prompts.choices = {}; // closed without an answer: nothing happens
        view->rotateSecretAction()->trigger();
        QCOMPARE(consoleEvents(QStringLiteral("client.secret_rotated")), 0);

        view->table()->selectRow(0);
        m_prompts.choices = {0}; // one hour
        QString second;
        DialogAnswers answers({takeSecret(&second)});
        view->rotateSecretAction()->trigger();
        QVERIFY(answers.allAnswered());
        QVERIFY(second != first);
        QVERIFY(works(id, first));
        QVERIFY(works(id, second));
        m_clock->advanceSeconds(3601);
        QVERIFY(!works(id, first));
        QVERIFY(works(id, second));
        QCOMPARE(consoleEvents(QStringLiteral("client.secret_rotated")), 1);
    }

    void deleteOnlyAfterConfirmation()
    {
        auto view = shown(QStringLiteral("shop"));
        QString secret;
        const QString id = createThroughView(*view, &secret);
        view->table()->selectRow(0);
        m_prompts.confirm = false;
        view->deleteClientAction()->trigger();
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QVERIFY(m_prompts.confirmations.constFirst().contains(id));
        QVERIFY(clients().find(QStringLiteral("acme"), id));

        view->table()->selectRow(0);
        m_prompts.confirm = true;
        view->deleteClientAction()->trigger();
        QVERIFY(!clients().find(QStringLiteral("acme"), id));
        QCOMPARE(view->table()->rowCount(), 0);
        QCOMPARE(consoleEvents(QStringLiteral("client.deleted")), 1);
    }
};

QTEST_MAIN(tst_ClientsView)
#include "tst_clientsview.moc"
