#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;

namespace authrealm {

// Console preferences, kept in QSettings: the language (system default or a
// shipped translation, applied at the next start), whether closing the window
// keeps the hosted server running in the tray, and whether the server starts
// when the console opens.
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(QWidget *parent = nullptr);
    void accept() override;

    // "" for the system locale, else "en", "de" or "fr".
    [[nodiscard]] static QString language();
    [[nodiscard]] static QStringList shippedLanguages();

private:
    QComboBox *m_language;
    QCheckBox *m_tray;
    QCheckBox *m_autoStart;
};

} // namespace authrealm
