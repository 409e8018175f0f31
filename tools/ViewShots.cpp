// Renders each management view of the console to a PNG at 1280×800 over an
// existing data folder (tools/console-screenshots.sh makes a demo one), for
// looking at what a user sees. Offscreen platform; no display needed.
#include "AuthRealmCore.h"
#include "ConsoleActor.h"
#include "DataLocation.h"
#include "FeatureDialog.h"
#include "MembershipDialog.h"
#include "ProductsView.h"
#include "RealmSettingsView.h"
#include "SessionsView.h"
#include "SetPasswordDialog.h"
#include "SigningKeysView.h"
#include "UserDetailView.h"
#include "core/DomainError.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTabWidget>

using namespace authrealm;

namespace {

void shoot(QWidget &view, const QString &file, QSize size = {1280, 800})
{
    view.resize(size);
    view.show();
    // Let layouts and lazy loads settle before grabbing.
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    view.grab().save(file);
    view.hide();
    qInfo("%s", qPrintable(file));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Save a PNG of each console management view."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("data"), QStringLiteral("Data folder to open."), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Folder for the PNGs (default: screenshots)."), QStringLiteral("DIR"),
                      QStringLiteral("screenshots")});
    parser.addOption({QStringLiteral("realm"), QStringLiteral("Realm to show."), QStringLiteral("REALM")});
    parser.addOption({QStringLiteral("app"), QStringLiteral("Product to show in the products view."), QStringLiteral("APP")});
    parser.addOption({QStringLiteral("user"), QStringLiteral("User id for the user detail view."), QStringLiteral("ID")});
    parser.process(app);
    if (!parser.isSet(QStringLiteral("data")) || !parser.isSet(QStringLiteral("realm"))) {
        parser.showHelp(2);
    }
    try {
        const QString dataDir = parser.value(QStringLiteral("data"));
        const QString realm = parser.value(QStringLiteral("realm"));
        const QDir out(parser.value(QStringLiteral("out")));
        QDir().mkpath(out.path());
        CoreOptions options;
        options.database = DatabaseConfig::sqliteInFolder(dataDir);
        options.keyEncryptionKey = loadKeyEncryptionKey(QDir(dataDir).filePath(QStringLiteral("master.key")));
        AuthRealmCore core(options);

        {
            ProductsView view(core);
            view.setScope(realm, {});
            shoot(view, out.filePath(QStringLiteral("products-realm.png")));
            if (parser.isSet(QStringLiteral("app"))) {
                view.setScope(realm, parser.value(QStringLiteral("app")));
                shoot(view, out.filePath(QStringLiteral("products-app.png")));
            }
        }
        {
            SessionsView view(core);
            view.setScope(realm, {});
            shoot(view, out.filePath(QStringLiteral("sessions.png")));
        }
        {
            SigningKeysView view(core);
            view.setScope(realm, {});
            shoot(view, out.filePath(QStringLiteral("signing-keys.png")));
        }
        {
            RealmSettingsView view(core);
            view.setScope(realm, {});
            shoot(view, out.filePath(QStringLiteral("realm-settings.png")));
        }
        if (parser.isSet(QStringLiteral("user"))) {
            UserDetailView view(core);
            view.setUser(realm, parser.value(QStringLiteral("user")));
            auto *tabs = view.findChild<QTabWidget *>();
            for (int tab = 0; tab < tabs->count(); ++tab) {
                tabs->setCurrentIndex(tab);
                shoot(view, out.filePath(QStringLiteral("user-detail-%1.png").arg(tab + 1)));
            }
        }
        // The dialogs the views open, at their own size.
        {
            FeatureDialog dialog(Feature{realm, parser.value(QStringLiteral("app")), QStringLiteral("reports"), true,
                                         {QStringLiteral("reports:read"), QStringLiteral("reports:write")}});
            shoot(dialog, out.filePath(QStringLiteral("dialog-feature.png")), dialog.sizeHint());
        }
        {
            SetPasswordDialog dialog(QStringLiteral("Person 1 <person00001@example.com>"));
            shoot(dialog, out.filePath(QStringLiteral("dialog-password.png")), dialog.sizeHint());
        }
        {
            MembershipDialog dialog(core, realm, core.admin().apps(consoleActor(), realm), {});
            shoot(dialog, out.filePath(QStringLiteral("dialog-membership.png")), dialog.sizeHint());
        }
        return 0;
    } catch (const DomainError &e) {
        qCritical("%s", qPrintable(e.message()));
    } catch (const std::exception &e) {
        qCritical("%s", e.what());
    }
    return 1;
}
