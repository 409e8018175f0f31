// What a new user meets first in the console, and what keeps one keystroke
// from stopping the server: the first-run wizard accepts the suggested data
// folder, a remembered folder that vanished is asked about (never silently
// recreated), keyboard focus stays in the view after Revoke/Apply, and
// stopping a serving server asks. Runs under QT_QPA_PLATFORM=offscreen.
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleApp.h"
#include "ConsoleWindow.h"
#include "FirstRunWizard.h"
#include "MissingDataFolder.h"
#include "RealmSettingsView.h"
#include "RecordedPrompts.h"
#include "SessionsView.h"
#include "LazyTable.h"
#include "TestDatabases.h"
#include "items/SessionListModel.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QLibraryInfo>
#include <QTranslator>

using namespace authrealm;
using namespace authrealm::test;

namespace {

QLineEdit *folderField(QWidget *wizard)
{
    for (QLineEdit *edit : wizard->findChildren<QLineEdit *>()) {
        if (edit->accessibleName() == FirstRunWizard::tr("Data folder"))
            return edit;
    }
    return nullptr;
}

template<typename Button>
Button *buttonNamed(QWidget *parent, const QString &accessibleName)
{
    for (Button *button : parent->findChildren<Button *>()) {
        if (button->accessibleName() == accessibleName)
            return button;
    }
    return nullptr;
}

bool folderHasDatabase(const QString &folder)
{
    return QFile::exists(QDir(folder).filePath(QStringLiteral("authrealm.db")));
}

} // namespace

class tst_ConsoleFirstRun : public QObject
{
    Q_OBJECT

    RecordedPrompts m_prompts;
    std::unique_ptr<ScratchDatabase> m_scratch;
    std::unique_ptr<AuthRealmCore> m_core;

    // A realm with a user who has one session, the console window on it,
    // active, with the hosted server serving on a free port.
    std::unique_ptr<ConsoleWindow> servingWindow()
    {
        m_scratch = std::make_unique<ScratchDatabase>();
        m_core = std::make_unique<AuthRealmCore>(coreOptions(m_scratch->config(), nullptr));
        const AdminActor actor = consoleActor();
        m_core->admin().createRealm(actor, QStringLiteral("acme"), QStringLiteral("Acme"), {});
        m_core->admin().createApp(actor, QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Shop"));
        const QString userId = m_core->admin().createUser(actor, QStringLiteral("acme"), QStringLiteral("ada@example.com"), {}, {}).id;
        Session s;
        s.id = QStringLiteral("sess-1");
        s.realmId = QStringLiteral("acme");
        s.userId = userId;
        s.appId = QStringLiteral("shop");
        s.createdAt = m_core->clock().nowMs() - 60000;
        s.lastUsedAt = m_core->clock().nowMs() - 1000;
        s.expiresAt = m_core->clock().nowMs() + 86400000;
        s.ip = QStringLiteral("192.0.2.1");
        s.userAgent = QStringLiteral("curl/8.0");
        m_core->sessions().createSession(s, QStringLiteral("refresh-hash-1"), s.expiresAt);

        auto window = std::make_unique<ConsoleWindow>(*m_core, ConsoleConnection{});
        window->show();
        window->activateWindow();
        if (!QTest::qWaitForWindowActive(window.get()))
            qWarning("the console window did not become active");
        window->setListenAddress(QStringLiteral("127.0.0.1:0"));
        window->selectScope(QStringLiteral("acme"));
        if (!window->startServer())
            qWarning("the hosted server did not start");
        return window;
    }

private slots:
    void initTestCase()
    {
        // Settings (remembered folder, window state) go to a throwaway location.
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void initTestCase_data() { addBackendRows(); }
    void init() { m_prompts.install(); }
    void cleanup()
    {
        m_core.reset();
        m_scratch.reset();
        QSettings().clear();
    }

    // ---- the wizard's first page ------------------------------------------

    void wizardAcceptsTheSuggestedFolder_data()
    {
        QTest::addColumn<QString>("edit");
        QTest::addColumn<bool>("nextEnabled");
        QTest::newRow("defaults untouched") << "none" << true;
        QTest::newRow("same text set again") << "setText" << true;
        QTest::newRow("same text retyped") << "retype" << true;
        QTest::newRow("emptied") << "clear" << false;
        QTest::newRow("only spaces") << "spaces" << false;
    }
    void wizardAcceptsTheSuggestedFolder()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("the wizard creates a local data folder (SQLite)");
        QFETCH(QString, edit);
        QFETCH(bool, nextEnabled);
        QTemporaryDir dir;
        const QString suggested = QDir::toNativeSeparators(dir.filePath(QStringLiteral("authrealm")));
        FirstRunWizard wizard(suggested);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QLineEdit *folder = folderField(&wizard);
        QVERIFY(folder);
        QCOMPARE(folder->text(), suggested);
        if (edit == u"setText") {
            folder->setText(suggested);
        } else if (edit == u"retype") {
            folder->selectAll();
            QTest::keyClick(folder, Qt::Key_Backspace);
            QTest::keyClicks(folder, suggested);
            QCOMPARE(folder->text(), suggested);
        } else if (edit == u"clear") {
            folder->clear();
        } else if (edit == u"spaces") {
            folder->setText(QStringLiteral("   "));
        }
        QAbstractButton *next = wizard.button(QWizard::NextButton);
        QCOMPARE(next->isEnabled(), nextEnabled);
        if (!nextEnabled)
            return;
        QTest::mouseClick(next, Qt::LeftButton);
        QCOMPARE(wizard.currentId(), int(FirstRunWizard::AdminPage));
        QVERIFY2(wizard.problem().isEmpty(), qPrintable(wizard.problem()));
        QVERIFY(folderHasDatabase(QDir::fromNativeSeparators(suggested)));
    }

    void wizardFolderLabelIsAMnemonic()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("one language check is enough");
        FirstRunWizard wizard(QDir::tempPath());
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QLineEdit *folder = folderField(&wizard);
        QLabel *label = nullptr;
        for (QLabel *candidate : wizard.findChildren<QLabel *>()) {
            if (candidate->text() == FirstRunWizard::tr("&Data folder:"))
                label = candidate;
        }
        QVERIFY2(label, "the folder row has its own label");
        // Without a buddy QLabel paints the "&" instead of underlining D.
        QCOMPARE(label->buddy(), folder);
    }

    // Every wrapped text of every page is given the height it needs, in each
    // language (the intro text was cut off).
    void wizardTextIsNotClipped_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << "en";
        QTest::newRow("de") << "de";
        QTest::newRow("fr") << "fr";
    }
    void wizardTextIsNotClipped()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("the wizard creates a local data folder (SQLite)");
        QFETCH(QString, language);
        QTranslator translator;
        QTranslator qtTranslator; // Qt's own strings (the wizard's buttons), as ConsoleApp loads them
        if (language != u"en") {
            QVERIFY(translator.load(QLocale(language), QStringLiteral("authrealm"), QStringLiteral("_"), QStringLiteral(":/i18n")));
            QCoreApplication::installTranslator(&translator);
            if (qtTranslator.load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                                  QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
                QCoreApplication::installTranslator(&qtTranslator);
        }
        QTemporaryDir dir;
        FirstRunWizard wizard(dir.filePath(QStringLiteral("data")));
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        // AUTHREALM_SCREENSHOTS=DIR also saves each page, for a look by eye.
        const QString shots = qEnvironmentVariable("AUTHREALM_SCREENSHOTS");
        for (int page = 0; page < 4; ++page) {
            QApplication::processEvents();
            if (!shots.isEmpty())
                wizard.grab().save(QStringLiteral("%1/wizard-%2-%3.png").arg(shots, language).arg(page));
            int checked = 0;
            for (QLabel *label : wizard.findChildren<QLabel *>()) {
                if (!label->isVisible() || !label->wordWrap() || label->text().isEmpty())
                    continue;
                ++checked;
                const int needed = label->heightForWidth(label->width());
                QVERIFY2(label->height() >= needed,
                         qPrintable(QStringLiteral("page %1: \"%2…\" is %3 px high but needs %4 at %5 px wide")
                                        .arg(page)
                                        .arg(label->text().left(40))
                                        .arg(label->height())
                                        .arg(needed)
                                        .arg(label->width())));
            }
            QVERIFY(checked > 0);
            if (wizard.currentId() == FirstRunWizard::AdminPage) {
                for (QLineEdit *edit : wizard.currentPage()->findChildren<QLineEdit *>())
                    edit->setText(QStringLiteral("correct horse battery"));
            }
            if (page < 3) {
                wizard.next();
                QVERIFY2(wizard.problem().isEmpty(), qPrintable(wizard.problem()));
            }
        }
        QCoreApplication::removeTranslator(&translator);
    }

    // ---- focus after an action, and the server toggle ----------------------

    void focusStaysInTheViewAfterAnAction_data()
    {
        QTest::addColumn<QString>("action");
        QTest::newRow("revoke session") << "revoke";
        QTest::newRow("revoke all of user") << "revokeAll";
        QTest::newRow("apply settings") << "apply";
        QTest::newRow("discard settings") << "discard";
    }
    void focusStaysInTheViewAfterAnAction()
    {
        QFETCH(QString, action);
        const auto window = servingWindow();
        QVERIFY(window->serverRunning());
        QWidget *view = nullptr;
        QAbstractButton *button = nullptr;
        if (action.startsWith(u"revoke")) {
            QVERIFY(window->showView(QStringLiteral("sessions")));
            auto *sessions = qobject_cast<SessionsView *>(window->view(QStringLiteral("sessions")));
            QTRY_COMPARE(sessions->model()->rowCount(), 1);
            sessions->table()->selectRow(0);
            QAction *target = action == u"revoke" ? sessions->revokeAction() : sessions->revokeUserAction();
            for (QToolButton *candidate : sessions->findChildren<QToolButton *>()) {
                if (candidate->defaultAction() == target)
                    button = candidate;
            }
            view = sessions;
        } else {
            QVERIFY(window->showView(QStringLiteral("settings")));
            auto *settings = qobject_cast<RealmSettingsView *>(window->view(QStringLiteral("settings")));
            auto *lifetime = qobject_cast<QSpinBox *>(settings->editorFor(QStringLiteral("accessTokenLifetime")));
            QVERIFY(lifetime);
            lifetime->setValue(lifetime->value() + 60);
            button = buttonNamed<QPushButton>(settings, action == u"apply" ? RealmSettingsView::tr("Apply settings")
                                                                          : RealmSettingsView::tr("Discard changes"));
            view = settings;
        }
        QVERIFY(button);
        QVERIFY(button->isEnabled());
        button->setFocus(Qt::TabFocusReason);
        QCOMPARE(QApplication::focusWidget(), button);
        QTest::keyClick(button, Qt::Key_Space); // the person presses the button with the keyboard

        QVERIFY(!button->isEnabled()); // the action disabled its own button
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        QVERIFY2(focus != window->serverToggle(), "focus landed on Start/Stop server");
        QVERIFY2(view->isAncestorOf(focus), qPrintable(focus->metaObject()->className()));
        QVERIFY(focus->isEnabled());
        // The next Space goes to the view, not to the server.
        QTest::keyClick(focus, Qt::Key_Space);
        QVERIFY(window->serverRunning());
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void stoppingTheServerAsks_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<bool>("answer");
        QTest::newRow("Space on the button, No") << "space" << false;
        QTest::newRow("Space on the button, Yes") << "space" << true;
        QTest::newRow("Ctrl+R, No") << "ctrl+r" << false;
        QTest::newRow("Ctrl+R, Yes") << "ctrl+r" << true;
    }
    void stoppingTheServerAsks()
    {
        QFETCH(QString, how);
        QFETCH(bool, answer);
        const auto window = servingWindow();
        QVERIFY(window->serverRunning());
        const auto press = [&] {
            if (how == u"space") {
                window->serverToggle()->setFocus(Qt::TabFocusReason);
                QTest::keyClick(window->serverToggle(), Qt::Key_Space);
            } else {
                QTest::keyClick(window.get(), Qt::Key_R, Qt::ControlModifier);
            }
        };
        m_prompts.confirm = answer;
        press();
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QCOMPARE(window->serverRunning(), !answer);
        if (!answer)
            return;
        // Starting again does not ask.
        press();
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QVERIFY(window->serverRunning());
    }

    // ---- a remembered data folder that no longer exists --------------------

    void missingRememberedFolderAsks_data()
    {
        QTest::addColumn<QList<int>>("answers");
        QTest::addColumn<QString>("located"); // "data": a real data folder, "empty": a folder without a database
        QTest::addColumn<QString>("opens");   // "missing", "located", or "" (quit)
        QTest::addColumn<int>("questions");
        using A = MissingDataFolder;
        QTest::newRow("locate") << QList<int>{A::Locate} << "data" << "located" << 1;
        QTest::newRow("locate, cancel the picker, quit") << QList<int>{A::Locate, A::Quit} << "" << "" << 2;
        QTest::newRow("locate a folder without a database, then quit") << QList<int>{A::Locate, A::Quit} << "empty" << "" << 2;
        QTest::newRow("create new") << QList<int>{A::CreateNew} << "" << "missing" << 1;
        QTest::newRow("quit") << QList<int>{A::Quit} << "" << "" << 1;
        QTest::newRow("box closed") << QList<int>{-1} << "" << "" << 1;
    }
    void missingRememberedFolderAsks()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("data folders are SQLite");
        QFETCH(QList<int>, answers);
        QFETCH(QString, located);
        QFETCH(QString, opens);
        QFETCH(int, questions);
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("gone"));
        const QString data = dir.filePath(QStringLiteral("elsewhere"));
        { AuthRealmCore existing(ConsoleConnection::dataFolder(data).coreOptions()); }
        const QString empty = dir.filePath(QStringLiteral("empty"));
        QVERIFY(QDir().mkpath(empty));
        m_prompts.choices = answers;
        if (located == u"data")
            m_prompts.folders = {data};
        else if (located == u"empty")
            m_prompts.folders = {empty};

        const ConsoleConnection remembered = ConsoleConnection::dataFolder(missing);
        QVERIFY(MissingDataFolder::isMissing(remembered));
        QVERIFY(!MissingDataFolder::isMissing(ConsoleConnection::dataFolder(data)));
        const std::optional<ConsoleConnection> result = MissingDataFolder::resolve(remembered);
        QCOMPARE(m_prompts.questions.size(), questions);
        QVERIFY(m_prompts.questions.constFirst().contains(QDir::toNativeSeparators(missing)));
        QVERIFY2(!QFileInfo::exists(missing), "deciding created nothing");
        QCOMPARE(m_prompts.errors.size(), located == u"empty" ? 1 : 0);
        if (opens.isEmpty()) {
            QVERIFY(!result);
        } else {
            QVERIFY(result);
            QCOMPARE(result->folder, opens == u"located" ? QDir(data).absolutePath() : remembered.folder);
        }
    }

    // The console's start-up with a remembered folder that vanished: each answer
    // does what it says, and only "create" makes a database (without serving it).
    void startWithAVanishedRememberedFolder_data()
    {
        QTest::addColumn<int>("answer");
        QTest::addColumn<bool>("opened");
        QTest::newRow("quit") << int(MissingDataFolder::Quit) << false;
        QTest::newRow("create new") << int(MissingDataFolder::CreateNew) << true;
        QTest::newRow("locate") << int(MissingDataFolder::Locate) << true;
    }
    void startWithAVanishedRememberedFolder()
    {
        if (currentBackend() != QStringLiteral("sqlite"))
            QSKIP("data folders are SQLite");
        QFETCH(int, answer);
        QFETCH(bool, opened);
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("gone"));
        const QString data = dir.filePath(QStringLiteral("elsewhere"));
        { AuthRealmCore existing(ConsoleConnection::dataFolder(data).coreOptions()); }
        ConsoleConnection::dataFolder(missing).save();
        QSettings().setValue(QStringLiteral("server/autoStart"), true);
        QSettings().setValue(QStringLiteral("server/listen"), QStringLiteral("127.0.0.1:0"));
        m_prompts.choices = {answer};
        m_prompts.folders = {data};

        ConsoleApp console;
        QCOMPARE(console.start({}), opened);
        QCOMPARE(m_prompts.questions.size(), 1);
        QCOMPARE(folderHasDatabase(missing), answer == MissingDataFolder::CreateNew);
        if (!opened) {
            QVERIFY(!console.window());
            QCOMPARE(ConsoleConnection::last()->folder, QDir(missing).absolutePath()); // still remembered for next time
            return;
        }
        const QString expected = QDir(answer == MissingDataFolder::Locate ? data : missing).absolutePath();
        QCOMPARE(ConsoleConnection::last()->folder, expected);
        // A database made just now is not served before anyone looked at it;
        // a located one is served as remembered.
        QCOMPARE(console.window()->serverRunning(), answer == MissingDataFolder::Locate);
    }
};

QTEST_MAIN(tst_ConsoleFirstRun)
#include "tst_consolefirstrun.moc"
