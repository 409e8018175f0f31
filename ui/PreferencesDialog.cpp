#include "PreferencesDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QSystemTrayIcon>
#include <QVBoxLayout>

namespace authrealm {

PreferencesDialog::PreferencesDialog(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    m_language = new QComboBox(this);
    m_language->setAccessibleName(tr("Language"));
    m_language->addItem(tr("System default (%1)").arg(QLocale::system().nativeLanguageName()), QString());
    for (const QString &code : shippedLanguages()) {
        const QLocale locale(code);
        m_language->addItem(locale.nativeLanguageName(), code);
    }
    m_language->setCurrentIndex(std::max(0, m_language->findData(language())));
    const QSettings settings;
    m_tray = new QCheckBox(tr("Keep the server running in the &tray when the window is closed"), this);
    m_tray->setChecked(settings.value(QStringLiteral("tray/keepRunning"), false).toBool());
    if (!QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray->setEnabled(false);
        m_tray->setToolTip(tr("This desktop has no system tray."));
    }
    m_autoStart = new QCheckBox(tr("&Start the server when the console opens"), this);
    m_autoStart->setChecked(settings.value(QStringLiteral("server/autoStart"), false).toBool());
    auto *note = new QLabel(tr("A new language applies the next time the console starts."), this);
    note->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), note);
    form->addRow(m_tray);
    form->addRow(m_autoStart);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void PreferencesDialog::accept()
{
    QSettings settings;
    settings.setValue(QStringLiteral("ui/language"), m_language->currentData().toString());
    settings.setValue(QStringLiteral("tray/keepRunning"), m_tray->isChecked());
    settings.setValue(QStringLiteral("server/autoStart"), m_autoStart->isChecked());
    QDialog::accept();
}

QString PreferencesDialog::language()
{
    return QSettings().value(QStringLiteral("ui/language")).toString();
}

QStringList PreferencesDialog::shippedLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("de"), QStringLiteral("fr")};
}

} // namespace authrealm
