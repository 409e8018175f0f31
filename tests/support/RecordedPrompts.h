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

    // Resets the answers and records, and routes the console's prompts here.
    void install()
    {
        confirm = true;
        confirmations.clear();
        errors.clear();
        setConsolePromptsForTesting({[this](const QString &, const QString &what) {
                                         confirmations.append(what);
                                         return confirm;
                                     },
                                     [this](const QString &, const QString &message) { errors.append(message); }});
    }
};

} // namespace authrealm::test
