#include "TotpEnrolmentDialog.h"

#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "QrCode.h"
#include "admin/AdminService.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace authrealm {

TotpEnrolmentDialog::TotpEnrolmentDialog(AuthRealmCore &core, const QString &realmId, const QString &userId, const QString &who,
                                         QWidget *parent)
    : QDialog(parent), m_core(core), m_realmId(realmId), m_userId(userId)
{
    setWindowTitle(tr("Set up two-step sign-in for %1").arg(who));
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildScanPage());
    m_pages->addWidget(buildCodesPage());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    // Wide enough for the key on one line and the explanations in two or three.
    setMinimumWidth(fontMetrics().averageCharWidth() * 64);
}

QWidget *TotpEnrolmentDialog::buildScanPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(tr("Ask the user to scan this code with their authenticator app "
                                "(or to type the key below), then to read out the 6-digit code the app shows."),
                             page);
    intro->setWordWrap(true);

    m_qrLabel = new QLabel(page);
    m_qrLabel->setAlignment(Qt::AlignCenter);
    m_qrLabel->setAccessibleName(tr("QR code of the authenticator key"));

    auto *keyCaption = new QLabel(tr("Key for manual entry:"), page);
    m_secretLabel = new QLabel(page);
    m_secretLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secretLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_secretLabel->setAccessibleName(tr("Authenticator key"));

    m_code = new QLineEdit(page);
    m_code->setPlaceholderText(tr("6-digit code"));
    m_code->setAccessibleName(tr("Current code from the authenticator app"));
    m_code->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9 ]{0,7}")), m_code));
    auto *codeCaption = new QLabel(tr("&Code:"), page);
    codeCaption->setBuddy(m_code);

    m_confirm = new QPushButton(tr("&Turn on"), page);
    m_confirm->setDefault(true);
    m_confirm->setEnabled(false);
    connect(m_code, &QLineEdit::textChanged, this,
            [this](const QString &text) { m_confirm->setEnabled(QString(text).remove(u' ').size() == 6); });
    connect(m_confirm, &QPushButton::clicked, this, &TotpEnrolmentDialog::confirmCode);
    auto *cancel = new QPushButton(tr("Cancel"), page);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);

    auto *codeRow = new QHBoxLayout;
    codeRow->addWidget(codeCaption);
    codeRow->addWidget(m_code, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_confirm);
    buttons->addWidget(cancel);

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addWidget(m_qrLabel, 1);
    layout->addWidget(keyCaption);
    layout->addWidget(m_secretLabel);
    layout->addLayout(codeRow);
    layout->addLayout(buttons);
    return page;
}

QWidget *TotpEnrolmentDialog::buildCodesPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(tr("Two-step sign-in is on. These backup codes each sign in once when the phone is lost. "
                                "Give them to the user now: <b>they will not be shown again.</b>"),
                             page);
    intro->setWordWrap(true);
    m_codesText = new QPlainTextEdit(page);
    m_codesText->setReadOnly(true);
    m_codesText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_codesText->setAccessibleName(tr("Backup codes"));
    auto *copy = new QPushButton(tr("&Copy"), page);
    copy->setAccessibleName(tr("Copy the backup codes"));
    connect(copy, &QPushButton::clicked, this, &TotpEnrolmentDialog::copyBackupCodes);
    auto *done = new QPushButton(tr("&Done"), page);
    done->setDefault(true);
    connect(done, &QPushButton::clicked, this, &QDialog::accept);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(copy);
    buttons->addStretch(1);
    buttons->addWidget(done);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addWidget(m_codesText, 1);
    layout->addLayout(buttons);
    return page;
}

bool TotpEnrolmentDialog::begin()
{
    MfaEnrolment enrolment;
    if (!runConsoleAction(parentWidget(), tr("Two-step sign-in not set up"),
                          [&] { enrolment = m_core.admin().beginTotpEnrolment(consoleActor(), m_realmId, m_userId); }))
        return false;
    m_secret = enrolment.secret;
    m_uri = enrolment.uri;
    m_qr = QrCode::image(enrolment.uri, kQrScale);
    m_qrLabel->setPixmap(QPixmap::fromImage(m_qr));
    m_qrLabel->setMinimumSize(m_qr.size());
    // Groups of four, as authenticator apps show keys.
    QString grouped;
    for (qsizetype i = 0; i < m_secret.size(); i += 4)
        grouped += (i ? QStringLiteral(" ") : QString()) + m_secret.mid(i, 4);
    m_secretLabel->setText(grouped);
    m_pages->setCurrentIndex(0);
    m_code->setFocus();
    return true;
}

bool TotpEnrolmentDialog::confirmCode()
{
    QStringList codes;
    const QString typed = m_code->text();
    if (!runConsoleAction(this, tr("Code not accepted"),
                          [&] { codes = m_core.admin().confirmTotpEnrolment(consoleActor(), m_realmId, m_userId, typed); })) {
        m_code->clear();
        m_code->setFocus();
        return false;
    }
    m_backupCodes = codes;
    m_codesText->setPlainText(codes.join(u'\n'));
    m_pages->setCurrentIndex(1);
    // The secret has done its job: do not leave it on screen.
    m_secretLabel->clear();
    m_qrLabel->clear();
    return true;
}

void TotpEnrolmentDialog::copyBackupCodes()
{
    QApplication::clipboard()->setText(m_backupCodes.join(u'\n'));
}

} // namespace authrealm
