#include "ConsoleActor.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QString>
#include <QtGlobal>

namespace authrealm {

namespace {

ConsolePromptsForTesting &testPrompts()
{
    static ConsolePromptsForTesting prompts;
    return prompts;
}

QString osLogin()
{
    for (const char *name : {"USER", "LOGNAME", "USERNAME"}) {
        const QString value = qEnvironmentVariable(name);
        if (!value.isEmpty())
            return value;
    }
    return QStringLiteral("desktop");
}

} // namespace

AdminActor consoleActor()
{
    AdminActor actor;
    actor.actor = QStringLiteral("console:") + osLogin();
    actor.grants = {AdminGrant{AdminGrant::Layer::Master, {}, {}}};
    actor.userAgent = QStringLiteral("AuthRealm console");
    return actor;
}

bool confirmDestructive(QWidget *parent, const QString &title, const QString &what)
{
    if (testPrompts().confirm)
        return testPrompts().confirm(title, what);
    const auto answer = QMessageBox::warning(parent, title, what, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Yes;
}

void showActionError(QWidget *parent, const QString &title, const QString &message)
{
    if (testPrompts().error) {
        testPrompts().error(title, message);
        return;
    }
    QMessageBox::warning(parent, title, message);
}

int askChoice(QWidget *parent, const QString &title, const QString &question, const QStringList &answers)
{
    if (testPrompts().choose)
        return testPrompts().choose(question, answers);
    QMessageBox box(QMessageBox::Question, title, question, QMessageBox::NoButton, parent);
    QList<QAbstractButton *> buttons;
    for (const QString &answer : answers)
        buttons.append(box.addButton(answer, QMessageBox::ActionRole));
    if (!buttons.isEmpty())
        box.setDefaultButton(qobject_cast<QPushButton *>(buttons.constFirst()));
    box.exec();
    return int(buttons.indexOf(box.clickedButton()));
}

QString chooseFolder(QWidget *parent, const QString &title, const QString &startIn)
{
    if (testPrompts().folder)
        return testPrompts().folder(title);
    return QFileDialog::getExistingDirectory(parent, title, startIn);
}

void setConsolePromptsForTesting(ConsolePromptsForTesting prompts)
{
    testPrompts() = std::move(prompts);
}

} // namespace authrealm
