#include "DaemonCommand.h"

#include "ApiServer.h"
#include "AuthRealmCore.h"
#include "storage/DataLocation.h"
#include "core/DomainError.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTextStream>

#include <algorithm>
#include <csignal>
#include <memory>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace authrealm {

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}
QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

// The operating-system account running the command: whoever can run the CLI
// on the database is its administrator, and the audit log names them.
QString osLogin()
{
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    const QString fromEnv = qEnvironmentVariable("USER");
    return fromEnv.isEmpty() ? QStringLiteral("uid-%1").arg(::geteuid()) : fromEnv;
}

// The CLI acts through the same audited admin services as the console and the
// admin API, as a master administrator named "cli:<os user>".
AdminActor cliActor()
{
    AdminActor actor;
    actor.actor = QStringLiteral("cli:") + osLogin();
    actor.grants = {AdminGrant{AdminGrant::Layer::Master, {}, {}}};
    actor.userAgent = QStringLiteral("authrealmd ") + QCoreApplication::applicationVersion();
    return actor;
}

struct Options
{
    CoreOptions core;
    ServerOptions server;
    QString adminPasswordFile;
    QString dataDir;
};

void addOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(QStringLiteral(
        "AuthRealm identity server.\n\n"
        "Commands:\n"
        "  serve            run the server (the default)\n"
        "  import FILE      import a realm from a JSON file (docs/realm-format.md)\n"
        "  export REALM     print a realm as JSON (no plaintext secrets)\n"
        "  audit verify REALM\n"
        "                   check the realm's audit hash chain; exit status 3 if it was tampered with\n"
        "  audit prune REALM [--older-than-days N] [--archive FILE]\n"
        "                   delete the realm's audit events older than N days (default: its\n"
        "                   auditRetentionDays setting), first writing them to the new file FILE\n"
        "                   (JSON Lines); the kept chain still verifies\n"
        "  audit verify-archive FILE\n"
        "                   check the hash chain inside an archive written by audit prune; exit status 3 if broken\n"
        "  outbox list [--realm REALM] [--limit N]\n"
        "                   the newest account emails in the outbox (all realms unless --realm; default 20)\n"
        "  outbox show ID   print one outbox email with its body (reset links, sign-in codes): how a desktop\n"
        "                   user without an SMTP server reads them"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("serve | import | export | audit verify | audit prune | audit verify-archive | outbox list | outbox show"), QStringLiteral("[command]"));
    parser.addOptions({
        {QStringLiteral("data"), QStringLiteral("Keep the SQLite database and key file in DIR (default: %1).").arg(defaultDataDir()), QStringLiteral("DIR")},
        {QStringLiteral("database"), QStringLiteral("sqlite:PATH or postgres://user[:password]@host[:port]/db"), QStringLiteral("URL")},
        {QStringLiteral("key-file"), QStringLiteral("Key-encryption key file (default: DIR/master.key). AUTHREALM_MASTER_KEY (base64) overrides it."), QStringLiteral("PATH")},
        {QStringLiteral("listen"), QStringLiteral("Address and port to serve on (default 127.0.0.1:8080)."), QStringLiteral("HOST:PORT")},
        {QStringLiteral("public-url"), QStringLiteral("The URL clients use to reach this server; it becomes the token issuer (default http://HOST:PORT)."), QStringLiteral("URL")},
        {QStringLiteral("default-realm"), QStringLiteral("Realm served at the unprefixed paths (default: master, or AUTHREALM_DEFAULT_REALM)."), QStringLiteral("NAME")},
        {QStringLiteral("admin-password-file"), QStringLiteral("Read the initial admin password from FILE (or set AUTHREALM_ADMIN_PASSWORD)."), QStringLiteral("FILE")},
        {QStringLiteral("threads"), QStringLiteral("I/O threads (default: one per core)."), QStringLiteral("N")},
        {QStringLiteral("password-threads"), QStringLiteral("argon2id worker threads (default: one per core)."), QStringLiteral("N")},
        {QStringLiteral("trusted-proxy"), QStringLiteral("Believe X-Forwarded-For only from this address or subnet (repeatable)."), QStringLiteral("CIDR")},
        {QStringLiteral("idle-timeout"), QStringLiteral("Close a keep-alive connection idle for this many seconds (default 15)."), QStringLiteral("SECONDS")},
        {QStringLiteral("request-timeout"), QStringLiteral("Answer 408 and close when a request has not fully arrived within this many seconds (default 10)."), QStringLiteral("SECONDS")},
        {QStringLiteral("max-connections"), QStringLiteral("Open connections in total; more get 503 (default 4096)."), QStringLiteral("N")},
        {QStringLiteral("max-connections-per-source"), QStringLiteral("Open connections per client address, trusted proxies excepted; more get 503 (default 256)."), QStringLiteral("N")},
        {QStringLiteral("argon2-memory"), QStringLiteral("argon2id memory in KiB (default 19456 = 19 MiB, OWASP)."), QStringLiteral("KIB")},
        {QStringLiteral("argon2-iterations"), QStringLiteral("argon2id passes (default 2)."), QStringLiteral("N")},
        {QStringLiteral("max-access-token-lifetime"), QStringLiteral("Upper bound on access-token lifetime in seconds for every realm and app (default 86400)."), QStringLiteral("SECONDS")},
        {QStringLiteral("max-refresh-token-lifetime"), QStringLiteral("Upper bound on refresh-token lifetime in seconds (default 31536000)."), QStringLiteral("SECONDS")},
        {QStringLiteral("max-session-lifetime"), QStringLiteral("Upper bound on a sign-in session's absolute lifetime in seconds (default 31536000)."), QStringLiteral("SECONDS")},
        {QStringLiteral("output"), QStringLiteral("export: write to FILE instead of standard output."), QStringLiteral("FILE")},
        {QStringLiteral("older-than-days"), QStringLiteral("audit prune: remove events older than N days (default: the realm's auditRetentionDays)."), QStringLiteral("N")},
        {QStringLiteral("archive"), QStringLiteral("audit prune: first write the removed events to FILE, which must not exist yet."), QStringLiteral("FILE")},
        {QStringLiteral("realm"), QStringLiteral("outbox list: only this realm's emails."), QStringLiteral("REALM")},
        {QStringLiteral("limit"), QStringLiteral("outbox list: at most N emails (default 20)."), QStringLiteral("N")},
    });
}

int positiveInt(const QCommandLineParser &parser, const QString &name, int fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value <= 0)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("--%1 needs a positive number").arg(name));
    return value;
}

Options readOptions(const QCommandLineParser &parser)
{
    Options o;
    o.dataDir = parser.isSet(QStringLiteral("data")) ? parser.value(QStringLiteral("data")) : defaultDataDir();
    o.core.database = parser.isSet(QStringLiteral("database")) ? DatabaseConfig::parse(parser.value(QStringLiteral("database")))
                                                                : DatabaseConfig::sqliteInFolder(o.dataDir);
    const QString keyFile = parser.isSet(QStringLiteral("key-file")) ? parser.value(QStringLiteral("key-file"))
                                                                     : QDir(o.dataDir).filePath(QStringLiteral("master.key"));
    o.core.keyEncryptionKey = loadKeyEncryptionKey(keyFile);

    const QString listen = parser.isSet(QStringLiteral("listen")) ? parser.value(QStringLiteral("listen")) : QStringLiteral("127.0.0.1:8080");
    const qsizetype colon = listen.lastIndexOf(u':');
    bool portOk = false;
    const int port = colon > 0 ? listen.mid(colon + 1).toInt(&portOk) : 0;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    const QHostAddress address(host);
    if (!portOk || port < 0 || port > 65535 || address.isNull())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("--listen needs HOST:PORT with a numeric address, e.g. 127.0.0.1:8080 or [::]:8080"));
    o.server.address = address;
    o.server.port = quint16(port);
    o.server.ioThreads = positiveInt(parser, QStringLiteral("threads"), 0);
    o.server.passwordThreads = positiveInt(parser, QStringLiteral("password-threads"), 0);
    // Seconds on the command line, milliseconds inside (tests use fractions of a second).
    constexpr int kMaxTimeoutSeconds = 24 * 3600;
    o.server.idleTimeoutMs = std::min(positiveInt(parser, QStringLiteral("idle-timeout"), o.server.idleTimeoutMs / 1000), kMaxTimeoutSeconds) * 1000;
    o.server.requestTimeoutMs = std::min(positiveInt(parser, QStringLiteral("request-timeout"), o.server.requestTimeoutMs / 1000), kMaxTimeoutSeconds) * 1000;
    o.server.maxConnections = positiveInt(parser, QStringLiteral("max-connections"), o.server.maxConnections);
    o.server.maxConnectionsPerSource = positiveInt(parser, QStringLiteral("max-connections-per-source"), o.server.maxConnectionsPerSource);
    for (const QString &proxy : parser.values(QStringLiteral("trusted-proxy"))) {
        try {
            o.server.trustedProxies.append(ClientAddress::parseSubnet(proxy));
        } catch (const std::exception &) {
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("--trusted-proxy \"%1\" is not an address or CIDR subnet").arg(proxy));
        }
    }
    o.core.argon2.memoryKiB = quint32(positiveInt(parser, QStringLiteral("argon2-memory"), int(o.core.argon2.memoryKiB)));
    o.core.argon2.iterations = quint32(positiveInt(parser, QStringLiteral("argon2-iterations"), int(o.core.argon2.iterations)));
    o.core.lifetimeBounds.maxAccessTokenLifetime =
        positiveInt(parser, QStringLiteral("max-access-token-lifetime"), int(o.core.lifetimeBounds.maxAccessTokenLifetime));
    o.core.lifetimeBounds.maxRefreshTokenLifetime =
        positiveInt(parser, QStringLiteral("max-refresh-token-lifetime"), int(o.core.lifetimeBounds.maxRefreshTokenLifetime));
    o.core.lifetimeBounds.maxSessionLifetime =
        positiveInt(parser, QStringLiteral("max-session-lifetime"), int(o.core.lifetimeBounds.maxSessionLifetime));

    const QString shownHost = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + host + u']' : host;
    o.core.publicBaseUrl = parser.isSet(QStringLiteral("public-url")) ? parser.value(QStringLiteral("public-url"))
                                                                      : QStringLiteral("http://%1:%2").arg(shownHost).arg(port);
    const QByteArray envRealm = qgetenv("AUTHREALM_DEFAULT_REALM");
    o.core.defaultRealm = parser.isSet(QStringLiteral("default-realm")) ? parser.value(QStringLiteral("default-realm"))
                        : !envRealm.isEmpty() ? QString::fromUtf8(envRealm) : QStringLiteral("master");
    o.adminPasswordFile = parser.value(QStringLiteral("admin-password-file"));
    return o;
}

QString initialAdminPassword(const Options &options)
{
    if (!options.adminPasswordFile.isEmpty()) {
        QFile file(options.adminPasswordFile);
        if (!file.open(QIODevice::ReadOnly))
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Cannot read %1: %2").arg(options.adminPasswordFile, file.errorString()));
        QString password = QString::fromUtf8(file.readAll());
        while (password.endsWith(u'\n') || password.endsWith(u'\r'))
            password.chop(1);
        return password;
    }
    return qEnvironmentVariable("AUTHREALM_ADMIN_PASSWORD");
}

// SIGINT/SIGTERM end the event loop cleanly (self-pipe: only write() is
// async-signal-safe).
int g_signalPipe[2] = {-1, -1};
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

int serve(Options options)
{
    AuthRealmCore core(options.core);
    const QString password = initialAdminPassword(options);
    // Never claim the given password works when another one stands (set
    // earlier, or by a concurrent setup): say so, and keep serving.
    if (!password.isEmpty() && (!core.bootstrap().adminNeedsPassword() || !core.bootstrap().setInitialAdminPassword(password)))
        err() << "authrealmd: the administrator already has a password; the initial password given was not used.\n";

    ApiServer server(core, options.server);
    const quint16 port = server.start();
    const QString base = options.core.publicBaseUrl;
    out() << "AuthRealm " << QCoreApplication::applicationVersion() << " serving on " << options.server.address.toString() << ':' << port
          << "\n  database:      " << options.core.database.displayName()
          << "\n  public URL:    " << base
          << "\n  default realm: " << core.defaultRealm() << '\n';
    if (core.bootstrap().adminNeedsPassword()) {
        const QString code = core.bootstrap().issueSetupCode();
        out() << "\nThe administrator account has no password yet. Finish setup with this one-time code:\n"
              << "  curl -X POST " << base << "/_/setup -H 'Content-Type: application/json' \\\n"
              << "       -d '{\"code\":\"" << code << "\",\"password\":\"<choose a password of 8+ characters>\"}'\n";
    }
    out() << "\nSign in as the administrator:\n"
          << "  curl -X POST " << base << "/realms/master/authRealm/login -H 'Content-Type: application/json' \\\n"
          << "       -d '{\"email\":\"admin\",\"password\":\"<the admin password>\"}'\n"
          << "Stop with Ctrl+C.\n";
    out().flush();

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [] { QCoreApplication::quit(); });
    const int code = QCoreApplication::exec();
    server.stop();
    out() << "AuthRealm stopped.\n";
    out().flush();
    return code;
}

int importFile(Options options, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("%1 is not a JSON object: %2 at offset %3").arg(path, error.errorString()).arg(error.offset));
    AuthRealmCore core(options.core);
    const RealmTransfer::Summary summary = core.transfer().importRealm(doc.object(), QStringLiteral("cli:import"));
    out() << "Imported realm \"" << summary.realmId << "\": " << summary.apps << " apps, " << summary.roles << " roles, "
          << summary.users << " users.\n";
    return 0;
}

int exportRealm(Options options, const QString &realm, const QString &outputPath)
{
    AuthRealmCore core(options.core);
    const QByteArray json = QJsonDocument(core.transfer().exportRealm(realm, cliActor().actor)).toJson(QJsonDocument::Indented);
    if (outputPath.isEmpty()) {
        out() << QString::fromUtf8(json);
        return 0;
    }
    QFile file(outputPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Cannot write %1: %2").arg(outputPath, file.errorString()));
    // The export holds password hashes: keep it private to the owner.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(json);
    return 0;
}

// Exit status 3 (not 1) on a broken chain, so scripts can tell tampering from
// a failure to check.
int verifyAudit(Options options, const QString &realm)
{
    AuthRealmCore core(options.core);
    const ChainCheck check = core.audit().verify(realm);
    if (check.intact && check.eventsChecked == 0 && check.unchainedEvents == 0 && !core.realms().realmExists(realm))
        throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("No realm \"%1\" and no audit events for it").arg(realm));
    if (!check.intact) {
        out() << "Audit chain of realm \"" << realm << "\" is BROKEN at ";
        if (check.brokenEventId > 0)
            out() << "event " << check.brokenEventId << " (seq " << check.brokenSeq << ")";
        else
            out() << "seq " << check.brokenSeq;
        out() << ": " << check.reason << "\n"
              << check.eventsChecked << " events checked.\n";
        return 3;
    }
    out() << "Audit chain of realm \"" << realm << "\" is intact: " << check.eventsChecked << " events.\n";
    if (check.anchorSeq > 0)
        out() << "Events up to seq " << check.anchorSeq << " were pruned; the chain continues from anchor " << check.anchorHash << ".\n";
    if (check.unchainedEvents > 0)
        out() << check.unchainedEvents << " older events predate the chain (schema v1) and cannot be verified.\n";
    return 0;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

int pruneAudit(Options options, const QString &realm, const QCommandLineParser &parser)
{
    AuthRealmCore core(options.core);
    if (!core.realms().realmExists(realm))
        throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("No realm \"%1\"").arg(realm));
    qint64 days = 0;
    if (parser.isSet(QStringLiteral("older-than-days"))) {
        bool ok = false;
        days = parser.value(QStringLiteral("older-than-days")).toLongLong(&ok);
        if (!ok || days < 0 || days > 36500)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("--older-than-days needs a number of days from 0 to 36500"));
    } else {
        days = core.realms().settings(realm).value(QStringLiteral("auditRetentionDays")).toLongLong();
        if (days <= 0)
            throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("Realm \"%1\" keeps its audit events forever (auditRetentionDays is 0); "
                                                                        "give --older-than-days N to prune anyway").arg(realm));
    }
    const qint64 cutoff = core.clock().nowMs() - days * 86'400'000;
    const PruneResult result = core.audit().prune(realm, cutoff, parser.value(QStringLiteral("archive")), 0, QStringLiteral("cli:audit-prune"));
    if (result.eventsRemoved == 0 && result.unchainedRemoved == 0) {
        out() << "Realm \"" << realm << "\" has no audit events from before " << isoTime(cutoff) << ": nothing pruned.\n";
        return 0;
    }
    out() << "Pruned " << result.eventsRemoved << " audit events of realm \"" << realm << "\" from before " << isoTime(cutoff);
    if (result.eventsRemoved > 0)
        out() << " (seq " << result.firstSeq << " to " << result.lastSeq << ")";
    out() << ".\n";
    if (result.unchainedRemoved > 0)
        out() << "Also removed " << result.unchainedRemoved << " older events that predate the chain.\n";
    if (result.eventsRemoved > 0)
        out() << "The chain now starts after seq " << result.lastSeq << " (anchor " << result.lastHash << ").\n";
    if (!result.archivePath.isEmpty())
        out() << "Archived to " << result.archivePath << "; check it with: authrealmd audit verify-archive " << result.archivePath << "\n";
    return 0;
}

// Needs no database. Exit status 3 on a broken archive, as for audit verify.
int verifyArchive(const QString &path)
{
    const ArchiveCheck check = AuditLog::verifyArchive(path);
    if (!check.intact) {
        out() << "Audit archive " << path << " is BROKEN at line " << check.brokenLine << ": " << check.reason << "\n"
              << check.eventsChecked << " events checked.\n";
        return 3;
    }
    out() << "Audit archive " << path << " of realm \"" << check.realmId << "\" is intact: " << check.eventsChecked << " events";
    if (check.eventsChecked > 0)
        out() << ", seq " << check.firstSeq << " to " << check.lastSeq;
    out() << ".\n";
    if (check.eventsChecked > 0) {
        if (check.firstSeq == 1)
            out() << "It starts the realm's chain.\n";
        else
            out() << "It continues from the archive or anchor ending at seq " << check.firstSeq - 1 << " with hash " << check.firstPrevHash << ".\n";
        out() << "Its last hash, " << check.lastHash << ", must be the realm's anchor after this prune (or where the next archive starts).\n";
    }
    if (check.unchainedEvents > 0)
        out() << check.unchainedEvents << " events predate the chain (schema v1) and cannot be verified.\n";
    return 0;
}

int listOutbox(Options options, const QCommandLineParser &parser)
{
    AuthRealmCore core(options.core);
    const QString realm = parser.value(QStringLiteral("realm"));
    if (!realm.isEmpty() && !core.realms().realmExists(realm))
        throw DomainError(ErrorCode::RealmNotFound, QStringLiteral("No realm \"%1\"").arg(realm));
    const int limit = positiveInt(parser, QStringLiteral("limit"), 20);
    const QList<OutboxMail> mails = core.outbox().list(realm, {}, limit);
    if (mails.isEmpty()) {
        out() << "The outbox" << (realm.isEmpty() ? QString() : QStringLiteral(" of realm \"%1\"").arg(realm)) << " is empty.\n";
        return 0;
    }
    out() << QStringLiteral("%1  %2  %3  %4  %5  %6\n").arg(QStringLiteral("ID"), 6).arg(QStringLiteral("CREATED (UTC)"), -20)
                 .arg(QStringLiteral("STATE"), -7).arg(QStringLiteral("REALM"), -12).arg(QStringLiteral("TO"), -30).arg(QStringLiteral("SUBJECT"));
    for (const OutboxMail &m : mails) {
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6\n").arg(m.id, 6).arg(isoTime(m.createdAt).left(19), -20).arg(m.state, -7)
                     .arg(m.realmId, -12).arg(m.recipient, -30).arg(m.subject);
        if (!m.lastError.isEmpty())
            out() << "        attempts " << m.attempts << ", last error: " << m.lastError << '\n';
    }
    out() << "Show one with: authrealmd outbox show ID\n";
    return 0;
}

int showOutbox(Options options, const QString &idText)
{
    bool ok = false;
    const qint64 id = idText.toLongLong(&ok);
    if (!ok || id <= 0)
        throw DomainError(ErrorCode::InvalidRequest, QStringLiteral("outbox show needs the numeric id shown by outbox list"));
    AuthRealmCore core(options.core);
    // Which realm the mail belongs to, from the listing (no body opened):
    // opening goes through MailAdmin, which audits it as the console does.
    const QList<OutboxMail> listed = core.outbox().list({}, {}, 1, id + 1);
    if (listed.isEmpty() || listed.constFirst().id != id)
        throw DomainError(ErrorCode::NotFound, QStringLiteral("No outbox email %1").arg(id));
    const OutboxMail opened = core.mailAdmin().openOutboxMail(cliActor(), listed.constFirst().realmId, id);
    const OutboxMail *m = &opened;
    out() << "Id:       " << m->id << "\nRealm:    " << m->realmId << "\nKind:     " << m->kind << "\nTo:       " << m->recipient
          << "\nSubject:  " << m->subject << "\nCreated:  " << isoTime(m->createdAt) << "\nState:    " << m->state
          << " (" << m->attempts << " attempt(s))";
    if (m->sentAt)
        out() << ", sent " << isoTime(m->sentAt);
    if (!m->lastError.isEmpty())
        out() << "\nError:    " << m->lastError;
    out() << "\n\n" << m->body;
    if (!m->body.endsWith(u'\n'))
        out() << '\n';
    return 0;
}

} // namespace

int runDaemon(const QStringList &arguments)
{
    QCommandLineParser parser;
    addOptions(parser);
    parser.process(arguments); // handles --help and --version, exits on unknown options
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0, QStringLiteral("serve"));
    try {
        if (command == u"audit" && positional.size() == 3 && positional.at(1) == u"verify-archive")
            return verifyArchive(positional.at(2));
        Options options = readOptions(parser);
        if (command == u"serve" && positional.size() <= 1)
            return serve(std::move(options));
        if (command == u"import" && positional.size() == 2)
            return importFile(std::move(options), positional.at(1));
        if (command == u"export" && positional.size() == 2)
            return exportRealm(std::move(options), positional.at(1), parser.value(QStringLiteral("output")));
        if (command == u"audit" && positional.size() == 3 && positional.at(1) == u"verify")
            return verifyAudit(std::move(options), positional.at(2));
        if (command == u"audit" && positional.size() == 3 && positional.at(1) == u"prune")
            return pruneAudit(std::move(options), positional.at(2), parser);
        if (command == u"outbox" && positional.size() == 2 && positional.at(1) == u"list")
            return listOutbox(std::move(options), parser);
        if (command == u"outbox" && positional.size() == 3 && positional.at(1) == u"show")
            return showOutbox(std::move(options), positional.at(2));
        err() << "Unknown command or wrong arguments. Usage: authrealmd [serve] | import FILE | export REALM [--output FILE] | audit verify REALM\n"
              << "       | audit prune REALM [--older-than-days N] [--archive FILE] | audit verify-archive FILE\n"
              << "       | outbox list [--realm REALM] [--limit N] | outbox show ID\n"
              << "See authrealmd --help.\n";
        return 2;
    } catch (const DomainError &e) {
        err() << "authrealmd: " << e.message() << '\n';
        return 1;
    } catch (const std::exception &e) {
        err() << "authrealmd: " << e.what() << '\n';
        return 1;
    }
}

} // namespace authrealm
