#pragma once

#include <QDialog>
#include <QImage>
#include <QStringList>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

namespace authrealm {

class AuthRealmCore;

// Sets up two-step sign-in for a user sitting at the admin's desk: shows the
// enrolment as a QR code (and the base32 secret for manual entry), takes a
// current code from their authenticator app to confirm, then shows the ten
// backup codes once. Both steps are audited AdminService calls made as the
// console actor.
class TotpEnrolmentDialog : public QDialog
{
    Q_OBJECT
public:
    TotpEnrolmentDialog(AuthRealmCore &core, const QString &realmId, const QString &userId, const QString &who,
                        QWidget *parent = nullptr);

    // Starts the enrolment (a new secret). False, after showing why, when it
    // cannot (e.g. TOTP is already on): do not exec() the dialog then.
    bool begin();

    [[nodiscard]] const QImage &qrImage() const { return m_qr; }
    [[nodiscard]] const QString &secret() const { return m_secret; }
    [[nodiscard]] const QString &uri() const { return m_uri; }
    [[nodiscard]] const QStringList &backupCodes() const { return m_backupCodes; }
    [[nodiscard]] QLineEdit *codeEdit() const { return m_code; }
    [[nodiscard]] QPlainTextEdit *backupCodeText() const { return m_codesText; }
    [[nodiscard]] bool confirmed() const { return !m_backupCodes.isEmpty(); }

    static constexpr int kQrScale = 5;

public slots:
    // Checks the typed code; on success shows the backup codes.
    bool confirmCode();
    void copyBackupCodes();

private:
    QWidget *buildScanPage();
    QWidget *buildCodesPage();

    AuthRealmCore &m_core;
    QString m_realmId;
    QString m_userId;
    QString m_secret;
    QString m_uri;
    QImage m_qr;
    QStringList m_backupCodes;
    QStackedWidget *m_pages;
    QLabel *m_qrLabel;
    QLabel *m_secretLabel;
    QLineEdit *m_code;
    QPushButton *m_confirm;
    QPlainTextEdit *m_codesText;
};

} // namespace authrealm
