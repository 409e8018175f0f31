#pragma once

#include <QString>

namespace authrealm {

// How the console shows times and durations: UTC like the audit log, so the
// same instant reads the same in the console, the API and the logs.
[[nodiscard]] QString consoleTime(qint64 ms);          // "2026-11-22 09:41" or "—" for 0 (never)
[[nodiscard]] QString humanDuration(qint64 seconds);   // "15 min", "14 d", "1 h 30 min"

} // namespace authrealm
