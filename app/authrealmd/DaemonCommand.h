#pragma once

#include <QStringList>

namespace authrealm {

// The authrealmd command line: serve (default), import FILE, export REALM.
// Returns the process exit code; runs the event loop for "serve".
int runDaemon(const QStringList &arguments);

} // namespace authrealm
