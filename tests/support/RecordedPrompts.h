#pragma once

#include "ConsoleActor.h"

#include <QStringList>

namespace authrealm::test {

// Stands in for the console's modal boxes in widget tests: answers every
// confirmation with `confirm` and records what each one named, and records
// the error messages that would have been shown.
struct RecordedPrompts
{
    bool confirm = true;
    QStringList confirmations;
    QStringList errors;
    // Questions with several answers: answered in order from `choices`, then
    // with -1 (the box closed without an answer); each question is recorded.
    QList<int> choices;
    QStringList questions;
    // Folder pickers: answered in order from `folders`, then cancelled.
    QStringList folders;

    // Resets the answers and records, and routes the console's prompts here.
    void install()
    {
        confirm = true;
        confirmations.clear();
        errors.clear();
        choices.clear();
        questions.clear();
        folders.clear();
        setConsolePromptsForTesting({[this](const QString &, const QString &what) {
                                         confirmations.append(what);
                                         return confirm;
                                     },
                                     [this](const QString &, const QString &message) { errors.append(message); },
                                     [this](const QString &question, const QStringList &) {
                                         questions.append(question);
                                         return choices.isEmpty() ? -1 : choices.takeFirst();
                                     },
                                     [this](const QString &) { return folders.isEmpty() ? QString() : folders.takeFirst(); }});
    }
};

} // namespace authrealm::test
