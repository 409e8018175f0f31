// The console's management views (products, sessions, signing keys, realm
// settings, user detail) over a real core on every backend: each shows what
// the database holds, each action changes the database through AdminService
// and is audited with the console actor, destructive actions do nothing when
// the confirmation is refused, and errors reach the error prompt instead of
// escaping. Ends with a revocation from the console that a running server
// honours at once.
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "LazyTable.h"
#include "ProductsView.h"
#include "RealmSettingsView.h"
#include "SessionsView.h"
#include "SigningKeysView.h"
#include "RecordedPrompts.h"
#include "TestDatabases.h"
#include "TestServer.h"
#include "UserDetailView.h"
#include "items/SessionListModel.h"
#include "storage/Sql.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <deque>

using namespace authrealm;

namespace {

// Answers the modal dialogs the next action opens, in order: each gets one
// function that fills it in and accepts or rejects it.
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

std::function<void(QDialog *)> typeText(const QString &text)
{
    return [text](QDialog *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        QVERIFY(input);
        input->setTextValue(text);
        input->accept();
    };
}

QString actorName()
{
    return consoleActor().actor;
}

} // namespace

class tst_ManagementViews : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;
    test::RecordedPrompts m_prompts;
    QString m_alice;
    QString m_bob;

    AuthRealmCore &core() { return *m_core; }
    const AdminService &admin() { return m_core->admin(); }

    static AdminActor setupActor()
    {
        AdminActor by = consoleActor();
        by.actor = QStringLiteral("test:setup");
        return by;
    }

    // Console-attributed audit events of one kind.
    int consoleEvents(const QString &kind)
    {
        SqlQuery q(core().database(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE kind = :k AND actor = :a"));
        q.bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":a"), actorName()).exec();
        return q.next() ? q.value(0).toInt() : -1;
    }

    Session addSession(const QString &userId, const QString &id, qint64 lastUsedAgoMs, const QString &ip, const QString &agent)
    {
        Session s;
        s.id = id;
        s.realmId = QStringLiteral("acme");
        s.userId = userId;
        s.appId = QStringLiteral("shop");
        s.createdAt = m_clock->nowMs() - 3600000;
        s.lastUsedAt = m_clock->nowMs() - lastUsedAgoMs;
        s.expiresAt = m_clock->nowMs() + 86400000;
        s.ip = ip;
        s.userAgent = agent;
        core().sessions().createSession(s, QStringLiteral("refresh-hash-") + id, s.expiresAt);
        return s;
    }

    [[nodiscard]] bool sessionActive(const QString &id)
    {
        const auto s = core().sessions().session(id);
        return s && s->revokedAt == 0;
    }

    template<typename View>
    std::unique_ptr<View> shown(const QString &realm, const QString &app = {})
    {
        auto view = std::make_unique<View>(core());
        view->resize(1280, 800);
        view->setScope(realm, app);
        view->show();
        return view;
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void init()
    {
        m_prompts.install();
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        const AdminActor by = setupActor();
        admin().createRealm(by, QStringLiteral("acme"), QStringLiteral("Acme"), {});
        admin().createApp(by, QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Shop"));
        admin().createApp(by, QStringLiteral("acme"), QStringLiteral("blog"), QStringLiteral("Blog"));
        admin().saveFeature(by, Feature{QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("reports"), true,
                                        {QStringLiteral("reports:read"), QStringLiteral("reports:write")}});
        admin().saveFeature(by, Feature{QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("beta"), false, {QStringLiteral("beta:use")}});
        admin().saveRole(by, Role{QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Clerk"),
                                  {QStringLiteral("orders:read"), QStringLiteral("reports:read")}});
        m_alice = admin().createUser(by, QStringLiteral("acme"), QStringLiteral("alice@example.com"), QStringLiteral("CorrectHorse9!"),
                                     QStringLiteral("Alice Liddell")).id;
        m_bob = admin().createUser(by, QStringLiteral("acme"), QStringLiteral("bob@example.com"), {}, {}).id;
        admin().setMembership(by, QStringLiteral("acme"), m_alice, Membership{QStringLiteral("shop"), {QStringLiteral("Clerk")}});
        addSession(m_alice, QStringLiteral("sess-a1"), 60000, QStringLiteral("198.51.100.7"), QStringLiteral("Firefox on Linux"));
        addSession(m_alice, QStringLiteral("sess-a2"), 5000, QStringLiteral("203.0.113.9"), QStringLiteral("Safari on iPhone"));
        addSession(m_bob, QStringLiteral("sess-b1"), 1000, QStringLiteral("192.0.2.44"), QStringLiteral("curl/8.0"));
        SqlQuery(core().database(), QStringLiteral("INSERT INTO personal_access_tokens (id, realm_id, app_id, user_id, name, token_hash, scopes, "
                                                   "created_at, expires_at) VALUES ('pat-1', 'acme', 'shop', :u, 'nightly export', 'h1', "
                                                   "'reports:read', :c, :e)"))
            .bind(QStringLiteral(":u"), m_alice).bind(QStringLiteral(":c"), m_clock->nowMs()).bind(QStringLiteral(":e"), m_clock->nowMs() + 86400000)
            .exec();
    }

    void cleanup()
    {
        setConsolePromptsForTesting({});
        m_core.reset();
        m_scratch.reset();
    }

    // ---- signing keys ------------------------------------------------------

    void signingKeysShowTheRealmsKeysAndRotate()
    {
        auto view = shown<SigningKeysView>(QStringLiteral("acme"));
        auto keys = core().keys().keys(QStringLiteral("acme"));
        QCOMPARE(view->table()->rowCount(), keys.size());
        QCOMPARE(view->table()->item(0, 0)->text(), keys.constFirst().kid);
        QCOMPARE(view->table()->item(0, 1)->text(), keys.constFirst().algorithm);
        QCOMPARE(view->table()->item(0, 3)->text(), QStringLiteral("active"));

        m_prompts.confirm = false;
        view->rotateAction()->trigger();
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QVERIFY(m_prompts.confirmations.constFirst().contains(QStringLiteral("acme")));
        QCOMPARE(core().keys().keys(QStringLiteral("acme")).size(), keys.size());
        QCOMPARE(consoleEvents(QStringLiteral("admin.key.rotated")), 0);

        m_prompts.confirm = true;
        view->rotateAction()->trigger();
        keys = core().keys().keys(QStringLiteral("acme"));
        QCOMPARE(keys.size(), 2);
        QCOMPARE(consoleEvents(QStringLiteral("admin.key.rotated")), 1);
        QCOMPARE(view->table()->rowCount(), 2);
        int active = 0;
        for (int row = 0; row < 2; ++row)
            active += view->table()->item(row, 3)->text() == QStringLiteral("active");
        QCOMPARE(active, 1);
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void viewsLoadOnlyWhileVisible()
    {
        SigningKeysView view(core());
        view.setScope(QStringLiteral("acme"), {});
        QCOMPARE(view.table()->rowCount(), 0); // hidden: nothing read yet
        view.show();
        QCOMPARE(view.table()->rowCount(), 1);
    }

    // ---- realm settings ----------------------------------------------------

    void settingsShowStoredValuesWithFittingEditors()
    {
        admin().updateSettings(setupActor(), QStringLiteral("acme"),
                               QJsonObject{{QStringLiteral("accessTokenLifetime"), 1200}, {QStringLiteral("signingAlgorithm"), QStringLiteral("EdDSA")}});
        auto view = shown<RealmSettingsView>(QStringLiteral("acme"));
        QCOMPARE(view->table()->rowCount(), RealmSettings::definitions().size());
        const RealmSettings stored = core().realms().settings(QStringLiteral("acme"));
        for (const SettingDefinition &def : RealmSettings::definitions())
            QCOMPARE(RealmSettings::toStored(view->editedValue(def.name)), RealmSettings::toStored(stored.value(def.name)));
        auto *lifetime = qobject_cast<QSpinBox *>(view->editorFor(QStringLiteral("accessTokenLifetime")));
        QVERIFY(lifetime);
        QCOMPARE(lifetime->minimum(), 60);
        QCOMPARE(lifetime->maximum(), 86400);
        QCOMPARE(lifetime->value(), 1200);
        QVERIFY(qobject_cast<QCheckBox *>(view->editorFor(QStringLiteral("registrationEnabled"))));
        auto *algorithm = qobject_cast<QComboBox *>(view->editorFor(QStringLiteral("signingAlgorithm")));
        QVERIFY(algorithm);
        QCOMPARE(algorithm->count(), 3);
        // Values that differ from the default stand out; the others do not.
        const auto nameItem = [&](const QString &name) {
            for (int row = 0; row < view->table()->rowCount(); ++row) {
                if (view->table()->item(row, RealmSettingsView::Name)->data(Qt::UserRole).toString() == name)
                    return view->table()->item(row, RealmSettingsView::Name);
            }
            return static_cast<QTableWidgetItem *>(nullptr);
        };
        QVERIFY(nameItem(QStringLiteral("accessTokenLifetime"))->font().bold());
        QVERIFY(!nameItem(QStringLiteral("refreshTokenLifetime"))->font().bold());
    }

    void settingsApplyAndResetToDefault()
    {
        auto view = shown<RealmSettingsView>(QStringLiteral("acme"));
        qobject_cast<QSpinBox *>(view->editorFor(QStringLiteral("accessTokenLifetime")))->setValue(600);
        qobject_cast<QCheckBox *>(view->editorFor(QStringLiteral("registrationEnabled")))->setChecked(true);
        QCOMPARE(view->pendingChanges().size(), 2);
        QCOMPARE(core().realms().settings(QStringLiteral("acme")).accessTokenLifetime(), 900); // not before Apply
        view->apply();
        QVERIFY(m_prompts.errors.isEmpty());
        RealmSettings stored = core().realms().settings(QStringLiteral("acme"));
        QCOMPARE(stored.accessTokenLifetime(), 600);
        QCOMPARE(stored.registrationEnabled(), true);
        QCOMPARE(consoleEvents(QStringLiteral("admin.realm.settings_changed")), 1);
        QVERIFY(view->pendingChanges().isEmpty());

        view->resetToDefault(QStringLiteral("accessTokenLifetime"));
        QCOMPARE(view->editedValue(QStringLiteral("accessTokenLifetime")).toLongLong(), 900);
        view->apply();
        QCOMPARE(core().realms().settings(QStringLiteral("acme")).accessTokenLifetime(), 900);
        QCOMPARE(core().realms().settings(QStringLiteral("acme")).registrationEnabled(), true);
        QCOMPARE(consoleEvents(QStringLiteral("admin.realm.settings_changed")), 2);
    }

    void settingsErrorsReachThePrompt()
    {
        auto view = shown<RealmSettingsView>(QStringLiteral("acme"));
        qobject_cast<QSpinBox *>(view->editorFor(QStringLiteral("accessTokenLifetime")))->setValue(600);
        core().realms().deleteRealm(QStringLiteral("acme")); // gone underneath the console
        view->apply();
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY(m_prompts.errors.constFirst().contains(QStringLiteral("Realm not found")));
    }

    // ---- products ----------------------------------------------------------

    void productsListTheRealmsProducts()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"));
        const auto apps = core().realms().apps(QStringLiteral("acme"));
        QCOMPARE(view->productTable()->rowCount(), apps.size());
        for (int row = 0; row < apps.size(); ++row) {
            QCOMPARE(view->productTable()->item(row, 0)->text(), apps.at(row).id);
            QCOMPARE(view->productTable()->item(row, 1)->text(), apps.at(row).displayName);
        }
        QVERIFY(view->newProductAction()->isEnabled());
        QSignalSpy activated(view.get(), &ProductsView::productActivated);
        emit view->productTable()->cellActivated(0, 0);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.constFirst().at(1).toString(), apps.constFirst().id);
    }

    void newProduct_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("created");
        QTest::newRow("valid") << "newsletter" << true;
        QTest::newRow("space in id") << "news letter" << false;
        QTest::newRow("duplicate") << "shop" << false;
    }
    void newProduct()
    {
        QFETCH(QString, id);
        QFETCH(bool, created);
        auto view = shown<ProductsView>(QStringLiteral("acme"));
        const auto before = core().realms().apps(QStringLiteral("acme")).size();
        DialogAnswers answers({typeText(id), typeText(QStringLiteral("Newsletter"))});
        view->newProductAction()->trigger();
        QVERIFY(answers.allAnswered());
        QCOMPARE(core().realms().apps(QStringLiteral("acme")).size(), before + (created ? 1 : 0));
        QCOMPARE(consoleEvents(QStringLiteral("admin.app.created")), created ? 1 : 0);
        QCOMPARE(m_prompts.errors.size(), created ? 0 : 1);
        QCOMPARE(view->productTable()->rowCount(), int(before + (created ? 1 : 0)));
    }

    void featuresShowAndSwitch()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        QTableWidget *table = view->featureTable();
        const auto features = core().realms().features(QStringLiteral("acme"), QStringLiteral("shop"));
        QCOMPARE(table->rowCount(), features.size());
        int betaRow = -1;
        int reportsRow = -1;
        for (int row = 0; row < features.size(); ++row) {
            QCOMPARE(table->item(row, ProductsView::FeatureKey)->text(), features.at(row).key);
            QCOMPARE(table->item(row, ProductsView::FeatureOn)->checkState() == Qt::Checked, features.at(row).enabled);
            (features.at(row).key == QStringLiteral("beta") ? betaRow : reportsRow) = row;
        }
        QVERIFY(table->item(reportsRow, ProductsView::FeatureScopes)->text().contains(QStringLiteral("reports:write")));

        table->item(betaRow, ProductsView::FeatureOn)->setCheckState(Qt::Checked); // turning on needs no confirmation
        QCOMPARE(m_prompts.confirmations.size(), 0);
        QVERIFY(core().realms().features(QStringLiteral("acme"), QStringLiteral("shop")).at(betaRow).enabled);
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.enabled")), 1);

        m_prompts.confirm = false;
        table->item(reportsRow, ProductsView::FeatureOn)->setCheckState(Qt::Unchecked);
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QVERIFY(core().realms().features(QStringLiteral("acme"), QStringLiteral("shop")).at(reportsRow).enabled);
        QCOMPARE(table->item(reportsRow, ProductsView::FeatureOn)->checkState(), Qt::Checked); // switched back
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.disabled")), 0);

        m_prompts.confirm = true;
        table->item(reportsRow, ProductsView::FeatureOn)->setCheckState(Qt::Unchecked);
        QVERIFY(!core().realms().features(QStringLiteral("acme"), QStringLiteral("shop")).at(reportsRow).enabled);
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.disabled")), 1);
    }

    void addFeature_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("scopes");
        QTest::addColumn<bool>("saved");
        QTest::newRow("valid") << "exports" << "exports:run exports:read" << true;
        QTest::newRow("bad key") << "no spaces allowed" << "x:y" << false;
        QTest::newRow("bad scope") << "exports" << "exp\"orts" << false;
        QTest::newRow("existing key") << "beta" << "beta:use" << false;
    }
    void addFeature()
    {
        QFETCH(QString, key);
        QFETCH(QString, scopes);
        QFETCH(bool, saved);
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        DialogAnswers answers({[&](QDialog *dialog) {
            dialog->findChild<QLineEdit *>(QStringLiteral("key"))->setText(key);
            dialog->findChild<QLineEdit *>(QStringLiteral("scopes"))->setText(scopes);
            dialog->accept();
        }});
        view->addFeatureAction()->trigger();
        QVERIFY(answers.allAnswered());
        QCOMPARE(core().realms().features(QStringLiteral("acme"), QStringLiteral("shop")).size(), saved ? 3 : 2);
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.saved")), saved ? 1 : 0);
        QCOMPARE(m_prompts.errors.size(), saved ? 0 : 1);
        QCOMPARE(view->featureTable()->rowCount(), saved ? 3 : 2);
        if (saved)
            QVERIFY(view->scopeColumns().contains(QStringLiteral("exports:run")));
    }

    void editFeature()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        int reportsRow = -1;
        for (int row = 0; row < view->featureTable()->rowCount(); ++row) {
            if (view->featureTable()->item(row, ProductsView::FeatureKey)->text() == QStringLiteral("reports"))
                reportsRow = row;
        }
        const auto editTo = [&](const QString &scopes, bool on) {
            view->featureTable()->selectRow(reportsRow);
            DialogAnswers answers({[&](QDialog *dialog) {
                QVERIFY(dialog->findChild<QLineEdit *>(QStringLiteral("key"))->isReadOnly());
                dialog->findChild<QLineEdit *>(QStringLiteral("scopes"))->setText(scopes);
                dialog->findChild<QCheckBox *>(QStringLiteral("enabled"))->setChecked(on);
                dialog->accept();
            }});
            view->editFeatureAction()->trigger();
            QVERIFY(answers.allAnswered());
        };
        const auto reports = [&] {
            for (const Feature &f : core().realms().features(QStringLiteral("acme"), QStringLiteral("shop"))) {
                if (f.key == QStringLiteral("reports"))
                    return f;
            }
            return Feature{};
        };
        editTo(QStringLiteral("reports:read reports:export"), true);
        QCOMPARE(reports().scopes, QStringList({QStringLiteral("reports:read"), QStringLiteral("reports:export")}));
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.saved")), 1);
        QVERIFY(m_prompts.confirmations.isEmpty());

        // Off through the dialog asks like the check box does.
        m_prompts.confirm = false;
        editTo(QStringLiteral("reports:read"), false);
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QVERIFY(reports().enabled);
        QCOMPARE(reports().scopes.size(), 2);
        m_prompts.confirm = true;
        editTo(QStringLiteral("reports:read"), false);
        QVERIFY(!reports().enabled);
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.saved")), 2);
    }

    void deleteFeatureAsksFirst()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        view->featureTable()->selectRow(0);
        const QString key = view->featureTable()->item(0, ProductsView::FeatureKey)->text();
        QVERIFY(view->deleteFeatureAction()->isEnabled());
        m_prompts.confirm = false;
        view->deleteFeatureAction()->trigger();
        QCOMPARE(core().realms().features(QStringLiteral("acme"), QStringLiteral("shop")).size(), 2);
        m_prompts.confirm = true;
        view->featureTable()->selectRow(0);
        view->deleteFeatureAction()->trigger();
        const auto left = core().realms().features(QStringLiteral("acme"), QStringLiteral("shop"));
        QCOMPARE(left.size(), 1);
        QVERIFY(left.constFirst().key != key);
        QCOMPARE(consoleEvents(QStringLiteral("admin.feature.deleted")), 1);
    }

    void roleMatrixShowsAndGrantsScopes()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        QTableWidget *matrix = view->roleMatrix();
        const auto roles = core().realms().roles(QStringLiteral("acme"), QStringLiteral("shop"));
        QCOMPARE(matrix->rowCount(), roles.size());
        // Columns: every scope of a feature or a role.
        const QStringList scopes = view->scopeColumns();
        for (const char *scope : {"beta:use", "orders:read", "reports:read", "reports:write"})
            QVERIFY2(scopes.contains(QString::fromLatin1(scope)), scope);
        for (int row = 0; row < roles.size(); ++row) {
            for (int i = 0; i < scopes.size(); ++i)
                QCOMPARE(matrix->item(row, 1 + i)->checkState() == Qt::Checked, roles.at(row).scopes.contains(scopes.at(i)));
        }
        int clerk = -1;
        for (int row = 0; row < roles.size(); ++row) {
            if (roles.at(row).name == QStringLiteral("Clerk"))
                clerk = row;
        }
        const int writeColumn = 1 + int(scopes.indexOf(QStringLiteral("reports:write")));
        matrix->item(clerk, writeColumn)->setCheckState(Qt::Checked);
        QVERIFY(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Clerk"))->scopes.contains(QStringLiteral("reports:write")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.role.saved")), 1);
        matrix->item(clerk, 1 + int(scopes.indexOf(QStringLiteral("orders:read"))))->setCheckState(Qt::Unchecked);
        QCOMPARE(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Clerk"))->scopes,
                 QStringList({QStringLiteral("reports:read"), QStringLiteral("reports:write")}));
        QCOMPARE(consoleEvents(QStringLiteral("admin.role.saved")), 2);

        // A click on the (centred) box grants, as a person would do it.
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        const QModelIndex beta = matrix->model()->index(clerk, 1 + int(scopes.indexOf(QStringLiteral("beta:use"))));
        matrix->scrollTo(beta);
        QTest::mouseClick(matrix->viewport(), Qt::LeftButton, {}, matrix->visualRect(beta).center());
        QVERIFY(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Clerk"))->scopes.contains(QStringLiteral("beta:use")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.role.saved")), 3);
    }

    void systemRolesCannotBeRenamedOrDeleted()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        const auto roles = core().realms().roles(QStringLiteral("acme"), QStringLiteral("shop"));
        for (int row = 0; row < roles.size(); ++row) {
            view->roleMatrix()->setCurrentCell(row, 0);
            QCOMPARE(view->renameRoleAction()->isEnabled(), !roles.at(row).system);
            QCOMPARE(view->deleteRoleAction()->isEnabled(), !roles.at(row).system);
            if (roles.at(row).system) {
                view->deleteRole(); // even when called directly: nothing happens
                view->renameRole();
                QVERIFY(m_prompts.confirmations.isEmpty());
            }
        }
        QCOMPARE(core().realms().roles(QStringLiteral("acme"), QStringLiteral("shop")).size(), roles.size());
        QCOMPARE(roles.size(), 3); // owner, member, Clerk
    }

    void rolesCreateRenameDelete()
    {
        auto view = shown<ProductsView>(QStringLiteral("acme"), QStringLiteral("shop"));
        {
            DialogAnswers answers({typeText(QStringLiteral("Auditor"))});
            view->newRoleAction()->trigger();
        }
        QVERIFY(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Auditor")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.role.saved")), 1);
        {
            DialogAnswers answers({typeText(QStringLiteral("Clerk"))}); // exists: refused, scopes untouched
            view->newRoleAction()->trigger();
        }
        QCOMPARE(m_prompts.errors.size(), 1);
        QCOMPARE(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Clerk"))->scopes.size(), 2);
        {
            DialogAnswers answers({typeText(QStringLiteral("bad name!"))});
            view->newRoleAction()->trigger();
        }
        QCOMPARE(m_prompts.errors.size(), 2);

        const auto rowOf = [&](const QString &name) {
            for (int row = 0; row < view->roleMatrix()->rowCount(); ++row) {
                if (view->roleMatrix()->item(row, 0)->text() == name)
                    return row;
            }
            return -1;
        };
        view->roleMatrix()->setCurrentCell(rowOf(QStringLiteral("Clerk")), 0);
        {
            DialogAnswers answers({typeText(QStringLiteral("Cashier"))});
            view->renameRoleAction()->trigger();
        }
        QVERIFY(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Cashier")));
        QCOMPARE(core().users().membership(m_alice, QStringLiteral("shop"))->roles, QStringList{QStringLiteral("Cashier")});
        QCOMPARE(consoleEvents(QStringLiteral("admin.role.renamed")), 1);

        // Held by alice: deletion is refused by the model, and said so.
        view->roleMatrix()->setCurrentCell(rowOf(QStringLiteral("Cashier")), 0);
        view->deleteRoleAction()->trigger();
        QCOMPARE(m_prompts.errors.size(), 3);
        QVERIFY(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Cashier")));

        view->roleMatrix()->setCurrentCell(rowOf(QStringLiteral("Auditor")), 0);
        m_prompts.confirm = false;
        view->deleteRoleAction()->trigger();
        QVERIFY(core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Auditor")));
        m_prompts.confirm = true;
        view->deleteRoleAction()->trigger();
        QVERIFY(!core().realms().role(QStringLiteral("acme"), QStringLiteral("shop"), QStringLiteral("Auditor")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.role.deleted")), 1);
    }

    // ---- sessions ----------------------------------------------------------

    void sessionsShowTheRealmsActiveSessions()
    {
        (void)core().sessions().revokeSession(QStringLiteral("sess-a1"), QStringLiteral("test"), m_clock->nowMs());
        auto view = shown<SessionsView>(QStringLiteral("acme"));
        SessionListModel *model = view->model();
        QCOMPARE(model->rowCount(), 2); // the revoked one is not listed
        // Most recently used first.
        QCOMPARE(model->index(0, SessionListModel::Email).data().toString(), QStringLiteral("bob@example.com"));
        QCOMPARE(model->index(0, SessionListModel::Address).data().toString(), QStringLiteral("192.0.2.44"));
        QCOMPARE(model->index(0, SessionListModel::UserAgent).data().toString(), QStringLiteral("curl/8.0"));
        QCOMPARE(model->index(1, SessionListModel::Email).data().toString(), QStringLiteral("alice@example.com"));
        QCOMPARE(model->index(1, SessionListModel::App).data().toString(), QStringLiteral("shop"));

        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QSignalSpy activated(view.get(), &ScopedView::userActivated);
        const QModelIndex second = model->index(1, SessionListModel::Email);
        const QPoint centre = view->table()->visualRect(second).center();
        QTest::mouseClick(view->table()->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(view->table()->viewport(), Qt::LeftButton, {}, centre);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.constFirst().at(0).toString(), QStringLiteral("acme"));
        QCOMPARE(activated.constFirst().at(1).toString(), m_alice);
        // The keyboard does the same: Return on the current row.
        view->table()->setFocus();
        view->table()->setCurrentIndex(model->index(0, SessionListModel::Email));
        QTest::keyClick(view->table(), Qt::Key_Return);
        QCOMPARE(activated.size(), 2);
        QCOMPARE(activated.at(1).at(1).toString(), m_bob);
    }

    void sessionsRevokeSelectedAndAllOfUser()
    {
        auto view = shown<SessionsView>(QStringLiteral("acme"));
        QVERIFY(!view->revokeAction()->isEnabled());
        view->table()->selectRow(0); // bob's
        QVERIFY(view->revokeAction()->isEnabled());
        m_prompts.confirm = false;
        view->revokeAction()->trigger();
        QVERIFY(sessionActive(QStringLiteral("sess-b1")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.session.revoked")), 0);

        m_prompts.confirm = true;
        view->table()->selectRow(0);
        view->revokeAction()->trigger();
        QVERIFY(!sessionActive(QStringLiteral("sess-b1")));
        QVERIFY(core().revocations().isRevoked(QStringLiteral("sess-b1")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.session.revoked")), 1);
        QCOMPARE(view->model()->rowCount(), 2);

        view->table()->selectRow(0); // one of alice's
        view->revokeUserAction()->trigger();
        QVERIFY(!sessionActive(QStringLiteral("sess-a1")));
        QVERIFY(!sessionActive(QStringLiteral("sess-a2")));
        QVERIFY(core().revocations().isRevoked(QStringLiteral("sess-a2")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.session.revoked_all")), 1);
        QCOMPARE(view->model()->rowCount(), 0);
        QVERIFY(m_prompts.errors.isEmpty());
    }

    // ---- user detail -------------------------------------------------------

    void userDetailShowsWhatTheModelHolds()
    {
        UserDetailView view(core());
        view.resize(1280, 800);
        view.show();
        QSignalSpy shownUsers(&view, &UserDetailView::userShown);
        view.setUser(QStringLiteral("acme"), m_alice);
        QCOMPARE(shownUsers.size(), 1);
        QCOMPARE(shownUsers.constFirst().at(1).toString(), m_alice);
        const User alice = *core().users().user(QStringLiteral("acme"), m_alice);
        QStringList texts;
        for (QLabel *label : view.findChildren<QLabel *>())
            texts.append(label->text());
        QVERIFY(texts.contains(alice.email));
        QVERIFY(texts.contains(alice.displayName));
        QCOMPARE(view.statusBox()->currentData().toString(), QStringLiteral("active"));

        QCOMPARE(view.membershipTable()->rowCount(), 1);
        QVERIFY(view.membershipTable()->item(0, 0)->text().contains(QStringLiteral("shop")));
        QCOMPARE(view.membershipTable()->item(0, 1)->text(), QStringLiteral("Clerk"));
        QVERIFY(view.membershipTable()->item(0, 2)->text().contains(QStringLiteral("orders:read")));

        auto sessions = core().sessions().activeSessions(m_alice, m_clock->nowMs());
        std::sort(sessions.begin(), sessions.end(), [](const Session &a, const Session &b) { return a.lastUsedAt > b.lastUsedAt; });
        QCOMPARE(sessions.constFirst().id, QStringLiteral("sess-a2")); // most recently used first
        QCOMPARE(view.sessionTable()->rowCount(), sessions.size());
        for (int row = 0; row < sessions.size(); ++row) {
            QCOMPARE(view.sessionTable()->item(row, 1)->text(), sessions.at(row).userAgent);
            QCOMPARE(view.sessionTable()->item(row, 2)->text(), sessions.at(row).ip);
            QVERIFY(view.findChild<QPushButton *>(QStringLiteral("revoke-session-") + sessions.at(row).id));
        }
        QCOMPARE(view.tokenTable()->rowCount(), 1);
        QCOMPARE(view.tokenTable()->item(0, 0)->text(), QStringLiteral("nightly export"));
        QCOMPARE(view.tokenTable()->item(0, 2)->text(), QStringLiteral("reports:read"));

        // Another realm in the navigation: the user is not shown there.
        view.setScope(QStringLiteral("master"), {});
        QCOMPARE(view.sessionTable()->rowCount(), 0);
        QCOMPARE(shownUsers.size(), 2);
        QCOMPARE(shownUsers.constLast().at(1).toString(), QString());
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void userStatusChangeAsksAndEndsSessions_data()
    {
        QTest::addColumn<QString>("status");
        QTest::newRow("suspended") << "suspended";
        QTest::newRow("deactivated") << "deactivated";
    }
    void userStatusChangeAsksAndEndsSessions()
    {
        QFETCH(QString, status);
        UserDetailView view(core());
        view.show();
        view.setUser(QStringLiteral("acme"), m_alice);
        const int index = view.statusBox()->findData(status);
        m_prompts.confirm = false;
        view.statusBox()->setCurrentIndex(index);
        view.changeStatus(index);
        QCOMPARE(core().users().user(QStringLiteral("acme"), m_alice)->status, UserStatus::Active);
        QCOMPARE(view.statusBox()->currentData().toString(), QStringLiteral("active"));
        QVERIFY(sessionActive(QStringLiteral("sess-a1")));

        m_prompts.confirm = true;
        view.statusBox()->setCurrentIndex(index);
        view.changeStatus(index);
        QCOMPARE(userStatusName(core().users().user(QStringLiteral("acme"), m_alice)->status), status);
        QVERIFY(!sessionActive(QStringLiteral("sess-a1")));
        QVERIFY(core().revocations().isRevoked(QStringLiteral("sess-a2")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.status_changed")), 1);
        QCOMPARE(view.sessionTable()->rowCount(), 0);

        // Reactivating is not destructive: no question.
        m_prompts.confirmations.clear();
        view.statusBox()->setCurrentIndex(0);
        view.changeStatus(0);
        QVERIFY(m_prompts.confirmations.isEmpty());
        QCOMPARE(core().users().user(QStringLiteral("acme"), m_alice)->status, UserStatus::Active);
    }

    void setPassword_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("good") << "An0ther-Secret-Phrase" << true;
        QTest::newRow("too short") << "short" << false;
    }
    void setPassword()
    {
        QFETCH(QString, password);
        QFETCH(bool, accepted);
        UserDetailView view(core());
        view.show();
        view.setUser(QStringLiteral("acme"), m_alice);
        const QString hashBefore = core().users().user(QStringLiteral("acme"), m_alice)->passwordHash;
        DialogAnswers answers({[&](QDialog *dialog) {
            dialog->findChild<QLineEdit *>(QStringLiteral("password"))->setText(password);
            dialog->findChild<QLineEdit *>(QStringLiteral("repeat"))->setText(password);
            dialog->accept();
        }});
        view.setPasswordAction()->trigger();
        QVERIFY(answers.allAnswered());
        QCOMPARE(core().users().user(QStringLiteral("acme"), m_alice)->passwordHash != hashBefore, accepted);
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.password_reset")), accepted ? 1 : 0);
        QCOMPARE(m_prompts.errors.size(), accepted ? 0 : 1);
        if (!accepted)
            QVERIFY(m_prompts.errors.constFirst().contains(QStringLiteral("at least")));
        QCOMPARE(sessionActive(QStringLiteral("sess-a1")), !accepted);
    }

    void setPasswordNeedsBothFieldsToAgree()
    {
        UserDetailView view(core());
        view.show();
        view.setUser(QStringLiteral("acme"), m_alice);
        bool okEnabled = true;
        DialogAnswers answers({[&](QDialog *dialog) {
            dialog->findChild<QLineEdit *>(QStringLiteral("password"))->setText(QStringLiteral("An0ther-Secret-Phrase"));
            dialog->findChild<QLineEdit *>(QStringLiteral("repeat"))->setText(QStringLiteral("An0ther-Secret-Phrasf"));
            for (QPushButton *button : dialog->findChildren<QPushButton *>()) {
                if (button->text() == QStringLiteral("Set password"))
                    okEnabled = button->isEnabled();
            }
            dialog->reject();
        }});
        view.setPasswordAction()->trigger();
        QVERIFY(!okEnabled);
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.password_reset")), 0);
    }

    void membershipsAddEditRemove()
    {
        UserDetailView view(core());
        view.show();
        view.setUser(QStringLiteral("acme"), m_alice);
        DialogAnswers add({[](QDialog *dialog) {
            auto *product = dialog->findChild<QComboBox *>(QStringLiteral("product"));
            QCOMPARE(product->count(), 1); // only the product alice is not in yet
            QCOMPARE(product->currentData().toString(), QStringLiteral("blog"));
            auto *roles = dialog->findChild<QListWidget *>(QStringLiteral("roles"));
            for (int i = 0; i < roles->count(); ++i)
                roles->item(i)->setCheckState(roles->item(i)->data(Qt::UserRole).toString() == QStringLiteral("owner") ? Qt::Checked : Qt::Unchecked);
            dialog->accept();
        }});
        view.addMembershipAction()->trigger();
        QCOMPARE(core().users().membership(m_alice, QStringLiteral("blog"))->roles, QStringList{QStringLiteral("owner")});
        QCOMPARE(consoleEvents(QStringLiteral("admin.membership.set")), 1);
        QCOMPARE(view.membershipTable()->rowCount(), 2);
        QVERIFY(!view.addMembershipAction()->isEnabled()); // member of every product now

        int shopRow = -1;
        for (int row = 0; row < 2; ++row) {
            if (view.membershipTable()->item(row, 0)->text().contains(QStringLiteral("(shop)")))
                shopRow = row;
        }
        view.membershipTable()->selectRow(shopRow);
        DialogAnswers edit({[](QDialog *dialog) {
            auto *roles = dialog->findChild<QListWidget *>(QStringLiteral("roles"));
            for (int i = 0; i < roles->count(); ++i) {
                const QString name = roles->item(i)->data(Qt::UserRole).toString();
                QCOMPARE(roles->item(i)->checkState() == Qt::Checked, name == QStringLiteral("Clerk")); // what alice holds now
                roles->item(i)->setCheckState(name == QStringLiteral("member") || name == QStringLiteral("Clerk") ? Qt::Checked : Qt::Unchecked);
            }
            dialog->accept();
        }});
        view.editMembershipAction()->trigger();
        QStringList roles = core().users().membership(m_alice, QStringLiteral("shop"))->roles;
        roles.sort();
        QCOMPARE(roles, QStringList({QStringLiteral("Clerk"), QStringLiteral("member")}));
        QCOMPARE(consoleEvents(QStringLiteral("admin.membership.set")), 2);

        view.membershipTable()->selectRow(shopRow);
        m_prompts.confirm = false;
        view.removeMembershipAction()->trigger();
        QVERIFY(core().users().membership(m_alice, QStringLiteral("shop")));
        m_prompts.confirm = true;
        view.membershipTable()->selectRow(shopRow);
        view.removeMembershipAction()->trigger();
        QVERIFY(!core().users().membership(m_alice, QStringLiteral("shop")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.membership.removed")), 1);
        QCOMPARE(view.membershipTable()->rowCount(), 1);
    }

    void userSessionsAndTokensRevoke()
    {
        UserDetailView view(core());
        view.show();
        view.setUser(QStringLiteral("acme"), m_alice);
        auto *revokeA1 = view.findChild<QPushButton *>(QStringLiteral("revoke-session-sess-a1"));
        QVERIFY(revokeA1);
        m_prompts.confirm = false;
        QTest::mouseClick(revokeA1, Qt::LeftButton);
        QVERIFY(sessionActive(QStringLiteral("sess-a1")));
        m_prompts.confirm = true;
        QTest::mouseClick(revokeA1, Qt::LeftButton);
        QVERIFY(!sessionActive(QStringLiteral("sess-a1")));
        QVERIFY(sessionActive(QStringLiteral("sess-a2")));
        QCOMPARE(consoleEvents(QStringLiteral("admin.session.revoked")), 1);
        QCOMPARE(view.sessionTable()->rowCount(), 1);

        view.revokeAllAction()->trigger();
        QVERIFY(!sessionActive(QStringLiteral("sess-a2")));
        QVERIFY(sessionActive(QStringLiteral("sess-b1"))); // bob untouched
        QCOMPARE(consoleEvents(QStringLiteral("admin.session.revoked_all")), 1);
        QVERIFY(!view.revokeAllAction()->isEnabled());

        auto *revokeToken = view.findChild<QPushButton *>(QStringLiteral("revoke-token-pat-1"));
        QVERIFY(revokeToken);
        m_prompts.confirm = false;
        QTest::mouseClick(revokeToken, Qt::LeftButton);
        QCOMPARE(admin().personalAccessTokens(setupActor(), QStringLiteral("acme"), m_alice).size(), 1);
        m_prompts.confirm = true;
        QTest::mouseClick(revokeToken, Qt::LeftButton);
        QCOMPARE(admin().personalAccessTokens(setupActor(), QStringLiteral("acme"), m_alice).size(), 0);
        QCOMPARE(consoleEvents(QStringLiteral("admin.pat.revoked")), 1);
        QCOMPARE(view.tokenTable()->rowCount(), 0);
        QVERIFY(m_prompts.errors.isEmpty());
    }

    // ---- end to end --------------------------------------------------------

    void revokedFromTheConsoleAHostedServerRefusesAtOnce()
    {
        // A server hosted over the same core, as the console does.
        test::TestServer server;
        QFile file(QStringLiteral(AUTHREALM_SOURCE_DIR "/docs/examples/acme-realm.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        server.core().transfer().importRealm(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("test"));
        const QJsonObject credentials{{QStringLiteral("email"), QStringLiteral("guest@example.com")},
                                      {QStringLiteral("password"), QStringLiteral("SecurePassword123!")}};
        const test::HttpResult login = server.post(QStringLiteral("/realms/acme/authRealm/login"), credentials);
        QCOMPARE(login.status, 200);
        const QByteArray access = login.json.value(QStringLiteral("accessToken")).toString().toLatin1();
        const QString refresh = login.json.value(QStringLiteral("refreshToken")).toString();
        QCOMPARE(server.get(QStringLiteral("/realms/acme/v1/tenant/me"), access).status, 200);

        const auto guest = server.core().users().findByLogin(QStringLiteral("acme"), QStringLiteral("guest@example.com"));
        QVERIFY(guest);
        const auto sessions = server.core().sessions().activeSessions(guest->id, server.clock().nowMs());
        QCOMPARE(sessions.size(), 1);
        UserDetailView view(server.core());
        view.show();
        view.setUser(QStringLiteral("acme"), guest->id);
        QCOMPARE(view.sessionTable()->rowCount(), 1);
        auto *revoke = view.findChild<QPushButton *>(QStringLiteral("revoke-session-") + sessions.constFirst().id);
        QVERIFY(revoke);
        QTest::mouseClick(revoke, Qt::LeftButton);
        QVERIFY(m_prompts.errors.isEmpty());
        QCOMPARE(view.sessionTable()->rowCount(), 0);

        const test::HttpResult refreshed = server.post(QStringLiteral("/realms/acme/authRealm/refresh"), {{QStringLiteral("refreshToken"), refresh}});
        QCOMPARE(refreshed.status, 401);
        QCOMPARE(refreshed.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_refresh_token"));
        QCOMPARE(server.get(QStringLiteral("/realms/acme/v1/tenant/me"), access).status, 401);
    }
};

QTEST_MAIN(tst_ManagementViews)
#include "tst_managementviews.moc"
