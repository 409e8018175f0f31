#pragma once

#include "admin/AdminActor.h"

#include <QStringList>
#include <functional>

class QWidget;

namespace authrealm {

class DomainError;

// The person at the console: a master administrator named after the OS
// account ("console:<login>"), so every change made here is audited with a
// human actor, exactly like the same change over the admin API.
[[nodiscard]] AdminActor consoleActor();

// Asks before a destructive action; `what` names everything it affects.
[[nodiscard]] bool confirmDestructive(QWidget *parent, const QString &title, const QString &what);

// Shows a storage or validation error as a readable message (never a crash
// or a silent no-op). Use around every console action:
//   runConsoleAction(this, tr("Revoke session"), [&] { ... });
// Returns false when the action threw.
template<typename F>
bool runConsoleAction(QWidget *parent, const QString &title, F &&action);

void showActionError(QWidget *parent, const QString &title, const QString &message);

// Asks a question with several answers (the first is the default); returns
// the index of the one chosen, or -1 when the box was closed without one.
[[nodiscard]] int askChoice(QWidget *parent, const QString &title, const QString &question, const QStringList &answers);

// Lets the user pick an existing folder; empty when cancelled.
[[nodiscard]] QString chooseFolder(QWidget *parent, const QString &title, const QString &startIn);

// Widget tests run without a person to click: they answer confirmations and
// collect error messages here instead of modal boxes. Pass {} to restore.
struct ConsolePromptsForTesting
{
    std::function<bool(const QString &title, const QString &what)> confirm;
    std::function<void(const QString &title, const QString &message)> error;
    std::function<int(const QString &question, const QStringList &answers)> choose;
    std::function<QString(const QString &title)> folder;
};
void setConsolePromptsForTesting(ConsolePromptsForTesting prompts);

} // namespace authrealm

#include "core/DomainError.h"

#include <exception>

namespace authrealm {

template<typename F>
bool runConsoleAction(QWidget *parent, const QString &title, F &&action)
{
    try {
        action();
        return true;
    } catch (const DomainError &error) {
        showActionError(parent, title, error.message());
    } catch (const std::exception &error) {
        showActionError(parent, title, QString::fromUtf8(error.what()));
    }
    return false;
}

} // namespace authrealm
