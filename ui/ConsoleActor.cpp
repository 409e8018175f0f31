#include "ConsoleActor.h"

#include <QMessageBox>
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

void setConsolePromptsForTesting(ConsolePromptsForTesting prompts)
{
    testPrompts() = std::move(prompts);
}

} // namespace authrealm
