// authrealm-bench-console: how fast the console's Users and Audit views answer
// on a big database (bench/console_views.sh seeds 1M users / 10M events).
// Opens the views offscreen, the way a person would, and prints the median,
// min and max of several runs per scenario. Asserts nothing.
//
//   authrealm-bench-console --data DIR [--realm big] [--runs 5]
//   authrealm-bench-console --data DIR --realm R --screenshot FILE   (audit view at 1280x800)
#include "AuditChart.h"
#include "AuditView.h"
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "storage/AuditTextIndex.h"
#include "storage/DataLocation.h"
#include "UsersView.h"
#include "core/DomainError.h"
#include "items/AuditEventModel.h"
#include "items/UserListModel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace authrealm;

namespace {

// Runs the event loop until done() or the timeout; returns the elapsed ms (-1
// on timeout). Sleeps until an event arrives (every change the predicates
// look at comes as one), so the benchmark does not spin a core the view's
// workers need; a coarse timer only bounds the wait.
double waitUntil(const QElapsedTimer &clock, const std::function<bool()> &done, qint64 timeoutMs = 600000)
{
    QTimer tick;
    tick.start(100);
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return -1;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

struct Figures
{
    QString name;
    QList<double> ms;
};

void print(const Figures &f, double target)
{
    if (f.ms.isEmpty())
        return;
    QList<double> sorted = f.ms;
    std::sort(sorted.begin(), sorted.end());
    const bool timedOut = sorted.contains(-1);
    const double median = sorted.isEmpty() ? -1 : sorted.at(sorted.size() / 2);
    std::printf("%-62s %10.1f %10.1f %10.1f %8s  %s\n", qPrintable(f.name), median, sorted.isEmpty() ? -1 : sorted.constFirst(),
                sorted.isEmpty() ? -1 : sorted.constLast(), target > 0 ? qPrintable(QStringLiteral("< %1").arg(target)) : "-",
                timedOut ? "TIMED OUT" : (target > 0 && median > target ? "over target" : ""));
    std::fflush(stdout);
}

QTableView *tableOf(QWidget *view)
{
    return view->findChild<QTableView *>();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("data"), QStringLiteral("Data folder (authrealm.db, master.key)."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("realm"), QStringLiteral("Realm to open (default big)."), QStringLiteral("REALM"), QStringLiteral("big")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs per scenario (default 5)."), QStringLiteral("N"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("text"), QStringLiteral("Free text to search (default u-00004242)."), QStringLiteral("TEXT"), QStringLiteral("u-00004242")});
    parser.addOption({QStringLiteral("common-text"), QStringLiteral("Free text most events hold (default refresh.succ)."), QStringLiteral("TEXT"),
                      QStringLiteral("refresh.succ")});
    parser.addOption({QStringLiteral("database"), QStringLiteral("Use this database instead of DIR's SQLite (e.g. a PostgreSQL URL); "
                                                                 "the key file stays DIR/master.key."), QStringLiteral("URL")});
    parser.addOption({QStringLiteral("audit-only"), QStringLiteral("Skip the Users view scenarios.")});
    parser.addOption({QStringLiteral("prepare"), QStringLiteral("Only open (and migrate) the database, then quit.")});
    parser.addOption({QStringLiteral("screenshot"), QStringLiteral("Only save a PNG of the audit view to FILE."), QStringLiteral("FILE")});
    parser.process(app);
    if (!parser.isSet(QStringLiteral("data")))
        parser.showHelp(2);

    try {
        const QString dataDir = parser.value(QStringLiteral("data"));
        const QString realm = parser.value(QStringLiteral("realm"));
        const int runs = std::max(1, parser.value(QStringLiteral("runs")).toInt());
        CoreOptions options;
        options.database = parser.isSet(QStringLiteral("database")) ? DatabaseConfig::parse(parser.value(QStringLiteral("database")))
                                                                     : DatabaseConfig::sqliteInFolder(dataDir);
        options.keyEncryptionKey = loadKeyEncryptionKey(QDir(dataDir).filePath(QStringLiteral("master.key")));
        AuthRealmCore core(options);
        if (parser.isSet(QStringLiteral("prepare"))) {
            // A log from before schema v9 has its text index still to fill:
            // what a server does in the background, here in one go and timed.
            QElapsedTimer clock;
            clock.start();
            const qint64 indexed = AuditTextIndex(core.database()).catchUp(0, 20000);
            if (indexed > 0)
                std::fprintf(stderr, "[console-bench] indexed the text of %lld audit events in %.1f s\n", indexed, clock.elapsed() / 1000.0);
            return 0;
        }
        // No modal boxes in a benchmark: print errors instead.
        setConsolePromptsForTesting({[](const QString &, const QString &) { return false; },
                                     [](const QString &title, const QString &message) {
                                         std::fprintf(stderr, "%s: %s\n", qPrintable(title), qPrintable(message));
                                     }});

        if (parser.isSet(QStringLiteral("screenshot"))) {
            AuditView view(core);
            view.resize(1280, 800);
            view.setScope(realm, QString());
            view.show();
            bool ready = false;
            QObject::connect(&view, &AuditView::chartReady, [&] { ready = true; });
            QElapsedTimer clock;
            clock.start();
            waitUntil(clock, [&] { return ready && !view.model()->isLoading(); }, 120000);
            if (view.model()->rowCount() > 2)
                tableOf(&view)->selectRow(2);
            QCoreApplication::processEvents();
            return view.grab().save(parser.value(QStringLiteral("screenshot"))) ? 0 : 1;
        }

        std::printf("Console views on realm \"%s\" (%s), %d runs, %d cores; ms\n", qPrintable(realm), qPrintable(options.database.displayName()), runs,
                    QThread::idealThreadCount());
        std::printf("%-62s %10s %10s %10s %8s\n", "scenario", "median", "min", "max", "target");

        // --- Users: the model alone, then the widget.
        Figures usersModel{QStringLiteral("users: UserListModel first page")};
        Figures usersOpen{QStringLiteral("users: open UsersView to first rows")};
        Figures usersFilter{QStringLiteral("users: type an email prefix (user0042) to rows")};
        const int userRuns = parser.isSet(QStringLiteral("audit-only")) ? 0 : runs;
        for (int run = 0; run < userRuns; ++run) {
            {
                QElapsedTimer clock;
                clock.start();
                UserListModel model(core.users());
                model.setFilter(realm);
                model.fetchMore({});
                usersModel.ms.append(model.rowCount() > 0 ? double(clock.nsecsElapsed()) / 1e6 : -1);
            }
            QElapsedTimer clock;
            clock.start();
            UsersView view(core);
            view.resize(1280, 800);
            view.setScope(realm, {}); // what the navigation tree does
            view.show();
            QTableView *table = tableOf(&view);
            const auto showsRealm = [&] {
                return table->model()->rowCount() > 0 && table->model()->index(0, 0).data().toString().contains(u'@');
            };
            usersOpen.ms.append(waitUntil(clock, showsRealm));
            auto *search = view.findChild<QLineEdit *>(); // the only line edit: the search field
            clock.restart();
            search->setText(QStringLiteral("user0042"));
            usersFilter.ms.append(waitUntil(clock, [&] {
                return table->model()->rowCount() > 0 && table->model()->index(0, 0).data().toString().startsWith(QLatin1String("user0042"));
            }));
        }
        print(usersModel, 100);
        print(usersOpen, 100);
        print(usersFilter, 200);

        // --- Audit.
        Figures auditOpen{QStringLiteral("audit: open AuditView to first rows (all time)")};
        Figures chartFirst{QStringLiteral("audit: chart, first buckets (all time)")};
        Figures chartReady{QStringLiteral("audit: chart ready (all time, every bucket)")};
        Figures kindFirst{QStringLiteral("audit: filter kind=pat.denied to first rows")};
        Figures kindChart{QStringLiteral("audit: filter kind=pat.denied, chart ready")};
        Figures dayFirst{QStringLiteral("audit: last day of data (custom range) to first rows")};
        Figures dayChart{QStringLiteral("audit: last day of data, chart ready")};
        const QString text = parser.value(QStringLiteral("text"));
        Figures textDayFirst{QStringLiteral("audit: free text \"%1\" in the last day of data, first rows").arg(text)};
        Figures textDayDone{QStringLiteral("audit: free text in the last day of data, search done")};
        Figures textFirst{QStringLiteral("audit: free text \"%1\" over all time, first rows").arg(text)};
        Figures textPage{QStringLiteral("audit: free text over all time, search done")};
        const QString commonText = parser.value(QStringLiteral("common-text"));
        Figures commonFirst{QStringLiteral("audit: common free text \"%1\" over all time, first rows").arg(commonText)};
        for (int run = 0; run < runs; ++run) {
            QElapsedTimer clock;
            clock.start();
            auto view = std::make_unique<AuditView>(core);
            bool ready = false;
            QObject::connect(view.get(), &AuditView::chartReady, [&] { ready = true; });
            view->resize(1280, 800);
            view->setScope(realm, QString());
            view->show();
            auditOpen.ms.append(waitUntil(clock, [&] { return view->model()->rowCount() > 0; }));
            chartFirst.ms.append(waitUntil(clock, [&] { return view->chart()->totalEvents() > 0; }));
            chartReady.ms.append(waitUntil(clock, [&] { return ready; }));
            const qint64 newest = view->model()->eventAt(0).occurredAt;

            auto *kind = view->findChild<QComboBox *>(QStringLiteral("kind"));
            ready = false;
            clock.restart();
            kind->setCurrentText(QStringLiteral("pat.denied"));
            emit kind->lineEdit()->editingFinished();
            kindFirst.ms.append(waitUntil(clock, [&] { return view->model()->rowCount() > 0; }));
            kindChart.ms.append(waitUntil(clock, [&] { return ready; }));
            kind->setCurrentText(QString());

            // The newest day that holds the seeded data (the realm's newest event may be a lone recent one).
            AuditQuery seeded;
            seeded.realmIds = {realm};
            seeded.until = newest;
            const QList<AuditEvent> last = core.audit().query(seeded);
            const qint64 dayEnd = (last.isEmpty() ? newest : last.constFirst().occurredAt) + 1;
            ready = false;
            clock.restart();
            view->setTimeRange(dayEnd - 86400000, dayEnd);
            dayFirst.ms.append(waitUntil(clock, [&] { return view->model()->rowCount() > 0; }));
            dayChart.ms.append(waitUntil(clock, [&] { return ready; }));

            auto *search = view->findChild<QLineEdit *>(QStringLiteral("text"));
            ready = false;
            clock.restart();
            search->setText(text);
            emit search->returnPressed();
            textDayFirst.ms.append(waitUntil(clock, [&] { return view->model()->rowCount() > 0 || view->model()->isExhausted(); }));
            textDayDone.ms.append(waitUntil(clock, [&] { return !view->model()->isLoading(); }));

            // A rare text over all time: read through the text index.
            view->setTimePreset(AuditView::TimePreset::AllTime);
            clock.restart();
            view->reload();
            textFirst.ms.append(waitUntil(clock, [&] { return view->model()->rowCount() > 0 || view->model()->isExhausted(); }));
            textPage.ms.append(waitUntil(clock, [&] { return !view->model()->isLoading(); }));

            // Common text (too many candidates for the index): the scan in time
            // slices fills the first page from the newest events.
            clock.restart();
            search->setText(commonText);
            emit search->returnPressed();
            commonFirst.ms.append(waitUntil(clock, [&] { return view->model()->rowCount() > 0 || view->model()->isExhausted(); }));
            view.reset(); // stops the chart and the scan between slices
            std::fprintf(stderr, "[console-bench] audit run %d:", run + 1);
            for (const Figures *f : {&auditOpen, &chartFirst, &chartReady, &kindFirst, &kindChart, &dayFirst, &dayChart, &textDayFirst,
                                     &textDayDone, &textFirst, &textPage, &commonFirst})
                std::fprintf(stderr, " %.0f", f->ms.isEmpty() ? 0.0 : f->ms.constLast());
            std::fprintf(stderr, " ms\n");
        }
        print(auditOpen, 100);
        print(chartFirst, 0);
        print(chartReady, 0);
        print(kindFirst, 200);
        print(kindChart, 0);
        print(dayFirst, 200);
        print(dayChart, 0);
        print(textDayFirst, 200);
        print(textDayDone, 0);
        print(textFirst, 200);
        print(textPage, 0);
        print(commonFirst, 200);
        return 0;
    } catch (const DomainError &e) {
        std::fprintf(stderr, "%s\n", qPrintable(e.message()));
    }
    return 1;
}
