#pragma once

#include "ScopedView.h"
#include "mail/OutboxStore.h"

#include <QHash>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace authrealm {

// The realm's account emails, newest first, a page at a time (keyset on the
// id; scrolling to the end loads older ones), and a read-only preview of the
// selected mail's text. A realm without SMTP keeps its mails here ("stored"),
// so a desktop user reads verification and reset links and sign-in codes
// here. Opening a body is an audited MailAdmin read as the console actor.
class OutboxView : public ScopedView
{
    Q_OBJECT
public:
    explicit OutboxView(AuthRealmCore &core, QWidget *parent = nullptr);

    static constexpr int kPageSize = 100;

    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] QPlainTextEdit *preview() const { return m_preview; }
    [[nodiscard]] QPushButton *moreButton() const { return m_more; }

public slots:
    // Appends the next older page.
    void loadMore();

protected:
    void load() override;

private:
    void appendPage(const QList<OutboxMail> &mails);
    void showSelected();

    QList<OutboxMail> m_mails;
    bool m_exhausted = false;
    QHash<qint64, QString> m_bodies; // opened this load: reselecting does not audit again
    QLabel *m_title;
    QLabel *m_count;
    QTableWidget *m_table;
    QLabel *m_previewHeader;
    QPlainTextEdit *m_preview;
    QPushButton *m_more;
};

} // namespace authrealm
