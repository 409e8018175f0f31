// The console's sign-in security and outbox over a real core on every
// backend: the user detail's two-step sign-in section shows TOTP and lockout
// state from the database, its reset/unlock actions change the database and
// are audited with the console actor (nothing happens when the confirmation
// is refused), the enrolment dialog draws the otpauth URI as a QR code and
// turns TOTP on with a code from the secret, and the outbox view lists the
// realm's mails with a readable preview of the stored reset mail.
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "ConsoleFormat.h"
#include "OutboxView.h"
#include "QrCode.h"
#include "RecordedPrompts.h"
#include "TestDatabases.h"
#include "TotpEnrolmentDialog.h"
#include "UserDetailView.h"
#include "UserSecuritySection.h"
#include "auth/AuthService.h"
#include "auth/MfaService.h"
#include "auth/SignInThrottle.h"
#include "crypto/Totp.h"
#include "mail/Mailer.h"
#include "mail/OutboxStore.h"
#include "storage/Sql.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

#include <qrencode.h>

using namespace authrealm;

class tst_ConsoleSecurity : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::ScratchDatabase> m_scratch;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<AuthRealmCore> m_core;
    test::RecordedPrompts m_prompts;
    QString m_alice;
    const QString m_aliceEmail = QStringLiteral("alice@example.com");
    const QString m_realm = QStringLiteral("acme");

    AuthRealmCore &core() { return *m_core; }
    const AdminService &admin() { return m_core->admin(); }

    static AdminActor setupActor()
    {
        AdminActor by = consoleActor();
        by.actor = QStringLiteral("test:setup");
        return by;
    }

    int consoleEvents(const QString &kind)
    {
        SqlQuery q(core().database(), QStringLiteral("SELECT COUNT(*) FROM audit_events WHERE kind = :k AND actor = :a"));
        q.bind(QStringLiteral(":k"), kind).bind(QStringLiteral(":a"), consoleActor().actor).exec();
        return q.next() ? q.value(0).toInt() : -1;
    }

    QString currentCode(const QString &base32Secret, qint64 stepOffset = 0)
    {
        const std::optional<QByteArray> secret = Totp::base32Decode(base32Secret);
        return secret ? Totp::code(*secret, Totp::stepAt(m_clock->nowSeconds()) + stepOffset) : QString();
    }

    // Turns TOTP on for alice the way a setup script would (not as the console).
    void enableTotpForAlice()
    {
        const MfaEnrolment enrolment = admin().beginTotpEnrolment(setupActor(), m_realm, m_alice);
        QCOMPARE(admin().confirmTotpEnrolment(setupActor(), m_realm, m_alice, currentCode(enrolment.secret)).size(), 10);
    }

    // Fails sign-ins of alice until brute-force protection locks the account.
    void lockAlice()
    {
        for (int i = 0; i < 100; ++i) {
            try {
                const SignInThrottle::Attempt attempt = core().throttle().admit(m_realm, m_aliceEmail, QStringLiteral("198.51.100.7"));
                core().throttle().failed(attempt, ClientInfo{QStringLiteral("198.51.100.7"), {}}, m_alice);
            } catch (const DomainError &) {
                return; // locked
            }
        }
        QFAIL("the account never locked");
    }

    qint64 aliceLockedUntil() { return core().throttle().accountState(m_realm, m_aliceEmail).lockedUntil; }

    std::unique_ptr<UserSecuritySection> section()
    {
        auto s = std::make_unique<UserSecuritySection>(core());
        s->resize(900, 300);
        s->showUser(m_realm, m_alice);
        return s;
    }

    void saveScreenshot(QWidget &widget, const QString &name)
    {
        const QString dir = qEnvironmentVariable("AUTHREALM_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        QCoreApplication::processEvents(); // pending layout requests, as a real event loop would run them
        QVERIFY(widget.grab().save(dir + u'/' + name + QStringLiteral(".png")));
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }

    void init()
    {
        m_prompts.install();
        m_scratch = std::make_unique<test::ScratchDatabase>();
        m_clock = std::make_unique<ManualClock>();
        m_core = std::make_unique<AuthRealmCore>(test::coreOptions(m_scratch->config(), m_clock.get()));
        admin().createRealm(setupActor(), m_realm, QStringLiteral("Acme"), {});
        m_alice = admin().createUser(setupActor(), m_realm, m_aliceEmail, QStringLiteral("CorrectHorse9!"), QStringLiteral("Alice Liddell")).id;
    }

    void cleanup()
    {
        setConsolePromptsForTesting({});
        m_core.reset();
        m_scratch.reset();
    }

    void sectionShowsTotpAndLockStateFromTheDatabase()
    {
        auto s = section();
        QVERIFY(!s->totpOn());
        QCOMPARE(s->totpLabel()->text(), QStringLiteral("Off"));
        QCOMPARE(s->lockLabel()->text(), QStringLiteral("Not locked"));
        QVERIFY(s->setUpButton()->isEnabled());
        QVERIFY(!s->resetButton()->isEnabled());
        QVERIFY(!s->unlockButton()->isEnabled());

        enableTotpForAlice();
        lockAlice();
        s->refresh();
        QVERIFY(s->totpOn());
        QVERIFY(s->totpLabel()->text().startsWith(QStringLiteral("On")));
        QVERIFY(aliceLockedUntil() > m_clock->nowMs());
        QCOMPARE(s->lockedUntil(), aliceLockedUntil());
        QVERIFY2(s->lockLabel()->text().contains(consoleTime(aliceLockedUntil())), qPrintable(s->lockLabel()->text()));
        QVERIFY(s->lockLabel()->text().startsWith(QStringLiteral("Locked until")));
        QVERIFY(!s->setUpButton()->isEnabled());
        QVERIFY(s->resetButton()->isEnabled());
        QVERIFY(s->unlockButton()->isEnabled());
        saveScreenshot(*s, QStringLiteral("user-security-section"));

        // The lock runs out with time: no longer shown as locked.
        m_clock->advanceSeconds(24 * 3600);
        s->refresh();
        QVERIFY(!s->lockLabel()->text().startsWith(QStringLiteral("Locked")));
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void userDetailCarriesTheSection()
    {
        enableTotpForAlice();
        UserDetailView view(core());
        view.resize(1280, 800);
        view.setUser(m_realm, m_alice);
        view.show();
        auto *s = view.findChild<UserSecuritySection *>();
        QVERIFY(s);
        QVERIFY(s->totpOn());
        QVERIFY(s->resetButton()->isEnabled());
        auto *tabs = qobject_cast<QTabWidget *>(s->parentWidget() ? s->parentWidget()->parentWidget() : nullptr);
        QVERIFY(tabs);
        QCOMPARE(tabs->tabText(tabs->indexOf(s)), QStringLiteral("Two-step sign-in"));
        tabs->setCurrentWidget(s);
        QCoreApplication::processEvents();
        saveScreenshot(view, QStringLiteral("user-detail"));
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void resetAndUnlockChangeTheDatabaseAndAreAudited()
    {
        enableTotpForAlice();
        lockAlice();
        auto s = section();

        m_prompts.confirm = false;
        s->resetButton()->click();
        QCOMPARE(m_prompts.confirmations.size(), 1);
        QVERIFY(m_prompts.confirmations.constFirst().contains(m_aliceEmail));
        QVERIFY(core().mfa().enabled(m_alice));
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.mfa_reset")), 0);

        m_prompts.confirm = true;
        s->resetButton()->click();
        QVERIFY(!core().mfa().enabled(m_alice));
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.mfa_reset")), 1);
        QCOMPARE(s->totpLabel()->text(), QStringLiteral("Off"));

        QVERIFY(aliceLockedUntil() > m_clock->nowMs());
        s->unlockButton()->click();
        QCOMPARE(core().throttle().accountState(m_realm, m_aliceEmail).failures, 0);
        QVERIFY(aliceLockedUntil() <= m_clock->nowMs());
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.unlocked")), 1);
        QCOMPARE(s->lockLabel()->text(), QStringLiteral("Not locked"));
        QVERIFY(!s->unlockButton()->isEnabled());
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void enrolmentDialogDrawsTheQrCodeAndTurnsTotpOn()
    {
        TotpEnrolmentDialog dialog(core(), m_realm, m_alice, m_aliceEmail);
        QVERIFY(dialog.begin());
        QVERIFY(!dialog.secret().isEmpty());
        QVERIFY(dialog.uri().startsWith(QStringLiteral("otpauth://totp/")));
        QVERIFY(dialog.uri().contains(QStringLiteral("secret=") + dialog.secret()));
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.mfa_enrolment_started")), 1);

        // The image: the qrencode symbol plus a 4-module quiet zone, each module kQrScale pixels.
        QRcode *symbol = QRcode_encodeString(dialog.uri().toUtf8().constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        QVERIFY(symbol);
        const int width = symbol->width;
        QRcode_free(symbol);
        const int scale = TotpEnrolmentDialog::kQrScale;
        const QImage &qr = dialog.qrImage();
        QCOMPARE(qr.width(), (width + 2 * QrCode::kQuietZone) * scale);
        QCOMPARE(qr.height(), qr.width());
        QCOMPARE(QColor(qr.pixel(0, 0)), QColor(Qt::white));                       // quiet zone
        QCOMPARE(QColor(qr.pixel(4 * scale, 4 * scale)), QColor(Qt::black));       // finder pattern corner
        QCOMPARE(QColor(qr.pixel(5 * scale, 5 * scale)), QColor(Qt::white));       // finder pattern ring
        QCOMPARE(QColor(qr.pixel(7 * scale, 7 * scale)), QColor(Qt::black));       // finder pattern centre
        dialog.resize(dialog.sizeHint());
        dialog.show();
        saveScreenshot(dialog, QStringLiteral("totp-enrolment-scan"));

        // A code of another time step is refused: TOTP stays off.
        dialog.codeEdit()->setText(currentCode(dialog.secret(), 10));
        QVERIFY(!dialog.confirmCode());
        QCOMPARE(m_prompts.errors.size(), 1);
        QVERIFY(!core().mfa().enabled(m_alice));
        QVERIFY(!dialog.confirmed());
        m_prompts.errors.clear();

        dialog.codeEdit()->setText(currentCode(dialog.secret()));
        QVERIFY(dialog.confirmCode());
        QVERIFY(core().mfa().enabled(m_alice));
        QCOMPARE(dialog.backupCodes().size(), MfaService::kBackupCodeCount);
        QCOMPARE(dialog.backupCodeText()->toPlainText().split(u'\n').size(), 10);
        QCOMPARE(consoleEvents(QStringLiteral("admin.user.mfa_enabled")), 1);
        saveScreenshot(dialog, QStringLiteral("totp-enrolment-codes"));

        // A backup code signs alice in once: they are the real ones.
        const User alice = *core().users().user(m_realm, m_alice);
        QCOMPARE(core().mfa().verify(alice, dialog.backupCodes().at(3), {}, QStringLiteral("test")), MfaService::Proof::BackupCode);
        QVERIFY(m_prompts.errors.isEmpty());

        // TOTP on: a second enrolment is refused with a message, not a crash.
        TotpEnrolmentDialog again(core(), m_realm, m_alice, m_aliceEmail);
        QVERIFY(!again.begin());
        QCOMPARE(m_prompts.errors.size(), 1);
    }

    void outboxShowsTheStoredResetMail()
    {
        core().account().forgotPassword(m_realm, m_aliceEmail, ClientInfo{QStringLiteral("203.0.113.5"), {}});
        OutboxView view(core());
        view.resize(1280, 800);
        view.setScope(m_realm, {});
        view.show();
        QCOMPARE(view.table()->rowCount(), 1);
        QCOMPARE(view.table()->item(0, 2)->text(), m_aliceEmail);
        QCOMPARE(view.table()->item(0, 3)->text(), QStringLiteral("reset_password"));
        QVERIFY(view.table()->item(0, 5)->text().startsWith(QStringLiteral("stored")));
        QVERIFY(view.preview()->toPlainText().isEmpty());

        view.table()->selectRow(0);
        const QString text = view.preview()->toPlainText();
        const QString linkStart = core().mailer().link(m_realm, QStringLiteral("resetPassword"), {});
        QVERIFY2(text.contains(linkStart), qPrintable(text));
        QCOMPARE(consoleEvents(QStringLiteral("admin.outbox.mail_opened")), 1);
        saveScreenshot(view, QStringLiteral("outbox"));

        // The link in the preview is the real one: it resets the password.
        const QRegularExpressionMatch match =
            QRegularExpression(QRegularExpression::escape(linkStart) + QStringLiteral("([A-Za-z0-9_%-]+)")).match(text);
        QVERIFY(match.hasMatch());
        core().account().resetPassword(m_realm, QUrl::fromPercentEncoding(match.captured(1).toLatin1()),
                                       QStringLiteral("Another-Horse-42"), {});
        QVERIFY(m_prompts.errors.isEmpty());
    }

    void outboxPagesByKeyset()
    {
        for (int i = 0; i < OutboxView::kPageSize + 30; ++i) {
            OutboxMail mail;
            mail.realmId = m_realm;
            mail.userId = m_alice;
            mail.kind = QStringLiteral("verify_email");
            mail.recipient = m_aliceEmail;
            mail.subject = QStringLiteral("Mail %1").arg(i);
            mail.body = QStringLiteral("body %1").arg(i);
            (void)core().outbox().enqueue(mail, false, m_clock->nowMs());
        }
        OutboxView view(core());
        view.resize(1280, 800);
        view.setScope(m_realm, {});
        view.show();
        QCOMPARE(view.table()->rowCount(), OutboxView::kPageSize);
        QVERIFY(view.moreButton()->isEnabled());
        QCOMPARE(view.table()->item(0, 4)->text(), QStringLiteral("Mail %1").arg(OutboxView::kPageSize + 29)); // newest first
        view.moreButton()->click();
        QCOMPARE(view.table()->rowCount(), OutboxView::kPageSize + 30);
        QVERIFY(!view.moreButton()->isEnabled());
        qint64 previous = std::numeric_limits<qint64>::max();
        for (int row = 0; row < view.table()->rowCount(); ++row) {
            const qint64 id = view.table()->item(row, 0)->text().toLongLong();
            QVERIFY(id < previous);
            previous = id;
        }
        view.table()->selectRow(OutboxView::kPageSize + 29);
        QCOMPARE(view.preview()->toPlainText(), QStringLiteral("body 0"));

        // Another realm's mails never show.
        admin().createRealm(setupActor(), QStringLiteral("other"), QStringLiteral("Other"), {});
        view.setScope(QStringLiteral("other"), {});
        QCOMPARE(view.table()->rowCount(), 0);
        QVERIFY(m_prompts.errors.isEmpty());
    }
};

QTEST_MAIN(tst_ConsoleSecurity)
#include "tst_consolesecurity.moc"
