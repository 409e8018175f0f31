#include "ConsoleFormat.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>

namespace authrealm {

QString consoleTime(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("—");
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString humanDuration(qint64 seconds)
{
    if (seconds <= 0)
        return QCoreApplication::translate("ConsoleFormat", "0 s");
    struct Unit { qint64 size; const char *name; };
    static const Unit units[] = {{86400, QT_TRANSLATE_NOOP("ConsoleFormat", "%1 d")},
                                 {3600, QT_TRANSLATE_NOOP("ConsoleFormat", "%1 h")},
                                 {60, QT_TRANSLATE_NOOP("ConsoleFormat", "%1 min")},
                                 {1, QT_TRANSLATE_NOOP("ConsoleFormat", "%1 s")}};
    QStringList parts;
    qint64 rest = seconds;
    for (const Unit &unit : units) {
        if (rest >= unit.size && parts.size() < 2) {
            parts.append(QCoreApplication::translate("ConsoleFormat", unit.name).arg(rest / unit.size));
            rest %= unit.size;
        } else if (!parts.isEmpty()) {
            break; // "1 d 3 h" but never "1 d 0 h 5 min"
        }
    }
    return parts.join(u' ');
}

} // namespace authrealm
