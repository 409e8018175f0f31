// Bad input at the HTTP boundary, on every backend: control characters (NUL,
// other C0, DEL, C1, a lone surrogate) in JSON strings and keys, in query
// parameters and in the path get a 400 {"error","message"} on every route
// family, never a 5xx, and write nothing; an empty password is a wrong
// password (same answer, counted as a failure).
#include "AdminWorld.h"

#include "storage/Sql.h"

using namespace authrealm;
using namespace authrealm::test::admin;
using test::HttpResult;

namespace {
enum class Caller { Nobody, User, Master };

// The bad characters, as JSON escapes (in a body) and percent-encoded (in a URL).
struct Bad
{
    const char *name;
    const char *json;
    const char *url;
    bool lineBreak; // allowed in multi-line text and passwords
};
const Bad kBad[] = {
    {"NUL", "\\u0000", "%00", false},
    {"SOH", "\\u0001", "%01", false},
    {"ESC", "\\u001b", "%1B", false},
    {"DEL", "\\u007f", "%7F", false},
    {"C1 NEL", "\\u0085", "%C2%85", false},
    {"LF", "\\n", "%0A", true},
    {"lone surrogate", "\\ud800", nullptr, false},
};

qint64 scalar(const Database &db, const QString &sql)
{
    SqlQuery q(db, sql);
    q.exec();
    return q.next() ? q.value(0).toLongLong() : -1;
}

// Rows in every table a request could write to.
QString fingerprint(const Database &db)
{
    QStringList counts;
    for (const char *table : {"users", "realms", "apps", "roles", "features", "personal_access_tokens", "api_keys", "mail_outbox",
                              "mail_templates", "account_tokens", "audit_events", "sessions", "sign_in_failures", "rate_counters"})
        counts.append(QString::number(scalar(db, QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table)))));
    return counts.join(u',');
}
} // namespace

Q_DECLARE_METATYPE(Caller)

class tst_BadInput : public QObject
{
    Q_OBJECT

    SharedWorld m_shared;

    HttpResult send(World &w, Caller caller, const QByteArray &method, const QString &path, const QByteArray &body)
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (caller == Caller::User)
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + w.cred[Plain]));
        if (caller == Caller::Master)
            headers.append(qMakePair(QByteArray("Authorization"), "Bearer " + w.cred[Master]));
        return w.server.request(method, path, body, headers);
    }

private slots:
    void initTestCase_data() { test::addBackendRows(); }
    void cleanup()
    {
        if (QTest::currentTestFailed())
            m_shared.reset();
    }
    void cleanupTestCase() { m_shared.reset(); }

    void controlCharactersAre400_data()
    {
        QTest::addColumn<Caller>("caller");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");

        const QString acme = QStringLiteral("/admin/realms/acme");
        const QString plant = acme + QStringLiteral("/apps/plantaerium");
        // "{X}" marks where the bad character goes. multiLine: LF is fine there.
        struct Json { const char *family; Caller caller; const char *method; QString path; const char *body; bool multiLine = false; };
        const Json jsonRows[] = {
            {"login email", Caller::Nobody, "POST", "/realms/acme/authRealm/login", R"({"email":"guest{X}@example.com","password":"SecurePassword123!"})"},
            {"login tenantId", Caller::Nobody, "POST", "/realms/acme/authRealm/login",
             R"({"email":"guest@example.com","password":"SecurePassword123!","tenantId":"plant{X}aerium"})"},
            {"login field name", Caller::Nobody, "POST", "/realms/acme/authRealm/login", R"({"email":"guest@example.com","pass{X}word":"x","password":"y"})"},
            {"login password NUL-like", Caller::Nobody, "POST", "/realms/acme/authRealm/login", R"({"email":"guest@example.com","password":"Secure{X}Password123!"})", true},
            {"register email", Caller::Nobody, "POST", "/realms/acme/authRealm/register", R"({"email":"new{X}one@example.com","password":"Another-Good-Passphrase-42"})"},
            {"register displayName", Caller::Nobody, "POST", "/realms/acme/authRealm/register",
             R"({"email":"newone@example.com","password":"Another-Good-Passphrase-42","displayName":"Ann{X}"})"},
            {"reset request email", Caller::Nobody, "POST", "/realms/acme/authRealm/forgotPassword", R"({"email":"guest{X}@example.com"})"},
            {"reset token", Caller::Nobody, "POST", "/realms/acme/authRealm/resetPassword",
             R"({"token":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa{X}","newPassword":"Another-Good-Passphrase-42"})"},
            {"email-code request", Caller::Nobody, "POST", "/realms/acme/authRealm/emailCode/request", R"({"email":"guest{X}@example.com"})"},
            {"email-code login", Caller::Nobody, "POST", "/realms/acme/authRealm/emailCode/login", R"({"email":"guest{X}@example.com","code":"123456"})"},
            {"verify email token", Caller::Nobody, "POST", "/realms/acme/authRealm/verifyEmail/confirm", R"({"token":"abc{X}"})"},
            {"refresh token", Caller::Nobody, "POST", "/realms/acme/authRealm/refresh", R"({"refreshToken":"abc{X}"})"},
            {"PAT name", Caller::User, "POST", "/realms/acme/v1/me/tokens", R"({"name":"nightly{X}sync"})"},
            {"PAT scope", Caller::User, "POST", "/realms/acme/v1/me/tokens", R"({"name":"n","scopes":["blogs{X}:read"]})"},
            {"TOTP code", Caller::User, "POST", "/realms/acme/authRealm/totp/confirm", R"({"code":"12{X}3456"})"},
            {"realm id", Caller::Master, "POST", "/admin/realms", R"({"realm":"new{X}realm"})"},
            {"realm displayName", Caller::Master, "POST", "/admin/realms", R"({"realm":"newrealm","displayName":"New{X}Realm"})"},
            {"app displayName", Caller::Master, "POST", acme + "/apps", R"({"id":"newapp","displayName":"New{X}App"})"},
            {"role rename", Caller::Master, "POST", plant + "/roles/TeamLead/rename", R"({"name":"Team{X}Lead"})"},
            {"role scopes", Caller::Master, "PUT", plant + "/roles/Reviewer", R"({"scopes":["blogs{X}:read"]})"},
            {"admin user email", Caller::Master, "POST", acme + "/users", R"({"email":"new{X}@example.com"})"},
            {"admin user displayName", Caller::Master, "POST", acme + "/users", R"({"email":"fresh@example.com","displayName":"F{X}"})"},
            {"api-key name", Caller::Master, "POST", "/admin/api-keys", R"({"name":"k{X}","layer":"realm","realm":"acme","scopes":["admin:read"]})"},
            {"mail subject", Caller::Master, "PUT", acme + "/mailTemplates/reset_password/en", R"({"subject":"Re{X}set","body":"Hello"})"},
            {"mail body", Caller::Master, "PUT", acme + "/mailTemplates/reset_password/en", R"({"subject":"Reset","body":"Hel{X}lo"})", true},
            {"realm setting", Caller::Master, "PATCH", acme + "/settings", R"({"publicUrl":"https:\/\/id.example{X}"})", true},
            {"SMTP host", Caller::Master, "PUT", acme + "/smtp", R"({"host":"mail{X}.example.com","fromAddress":"a@example.com"})"},
        };
        for (const Json &row : jsonRows) {
            for (const Bad &bad : kBad) {
                if (bad.lineBreak && row.multiLine)
                    continue; // tab/LF/CR are text there, not a refusal
                QByteArray body(row.body);
                body.replace("{X}", bad.json);
                QTest::addRow("%s, %s in JSON", row.family, bad.name) << row.caller << QByteArray(row.method) << row.path << body;
            }
        }

        struct Query { const char *family; Caller caller; const char *method; QString path; };
        const Query queryRows[] = {
            {"admin users q", Caller::Master, "GET", acme + "/users?q=a{X}b"},
            {"admin users status", Caller::Master, "GET", acme + "/users?status=act{X}ive"},
            {"events actor", Caller::Master, "GET", "/admin/events?actor=user:a{X}b"},
            {"events q", Caller::Master, "GET", "/admin/events?q=a{X}bc"},
            {"events target", Caller::Master, "GET", "/admin/events?target=a{X}b"},
            {"events kind", Caller::Master, "GET", "/admin/events?kind=login.fail{X}ure"},
            {"events realm", Caller::Master, "GET", "/admin/events?realm=ac{X}me"},
            {"search q", Caller::Master, "GET", "/admin/search?q=gu{X}est"},
            {"outbox state", Caller::Master, "GET", acme + "/outbox?state=pend{X}ing"},
            {"sessions cursor", Caller::User, "GET", "/realms/acme/v1/me/sessions?cursor=a{X}b"},
            {"tenant members, unknown parameter", Caller::User, "GET", "/realms/acme/v1/tenant/members?x=a{X}b"},
            {"query parameter name", Caller::User, "GET", "/realms/acme/v1/tenant/me?a{X}b=1"},
            {"login, parameter on a POST", Caller::Nobody, "POST", "/realms/acme/authRealm/login?next=a{X}b"},
            {"user id in the path", Caller::Master, "GET", acme + "/users/a{X}b"},
            {"role name in the path", Caller::Master, "PUT", plant + "/roles/Re{X}viewer"},
            {"app id in the path", Caller::Master, "GET", acme + "/apps/plant{X}aerium"},
        };
        for (const Query &row : queryRows) {
            for (const Bad &bad : kBad) {
                if (!bad.url)
                    continue;
                QString path = row.path;
                path.replace(QStringLiteral("{X}"), QLatin1String(bad.url));
                const QByteArray body = row.method == QByteArrayView("GET") ? QByteArray()
                                      : row.path.contains(u"/roles/") ? QByteArray(R"({"scopes":[]})")
                                                                      : QByteArray(R"({"email":"guest@example.com","password":"x"})");
                QTest::addRow("%s, %s in URL", row.family, bad.name) << row.caller << QByteArray(row.method) << path << body;
            }
        }
    }
    void controlCharactersAre400()
    {
        QFETCH(Caller, caller);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        World &w = m_shared.get();
        const QString before = fingerprint(w.core().database());
        const HttpResult r = send(w, caller, method, path, body);
        const QByteArray what = method + ' ' + path.toUtf8() + ' ' + body + " -> " + QByteArray::number(r.status) + ' ' + r.body;
        QVERIFY2(r.status == 400, what.constData());
        QVERIFY2(isErrorBody(r), what.constData());
        QCOMPARE(r.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));
        // Refused for the character, not for some other flaw of the row.
        QVERIFY2(r.json.value(QStringLiteral("message")).toString().contains(u"control or invalid character"), what.constData());
        // Nothing written: no row, no audit event, no failure counted.
        QCOMPARE(fingerprint(w.core().database()), before);
    }

    // The realm of a realm-scoped path is checked before any handler runs:
    // a control character there is simply no realm (404), never a 5xx.
    void controlCharacterInTheRealmIs404()
    {
        World &w = m_shared.get();
        const HttpResult r = send(w, Caller::Nobody, "POST", QStringLiteral("/realms/ac%00me/authRealm/login"),
                                  R"({"email":"guest@example.com","password":"x"})");
        QCOMPARE(r.status, 404);
        QVERIFY(isErrorBody(r));
    }

    // Multi-line text keeps its line breaks.
    void mailTemplateBodyKeepsLineBreaks()
    {
        World &w = m_shared.get();
        const HttpResult r = send(w, Caller::Master, "PUT", QStringLiteral("/admin/realms/acme/mailTemplates/reset_password/en"),
                                  R"({"subject":"Reset","body":"Hello,\n\n\tfollow {{link}}\r\n"})");
        QVERIFY2(r.status == 200, r.body.constData());
        QVERIFY(send(w, Caller::Master, "DELETE", QStringLiteral("/admin/realms/acme/mailTemplates/reset_password/en"), {}).status < 300);
    }

    // A control character in the User-Agent is recorded as U+FFFD, not refused and not stored.
    void controlCharacterInTheUserAgentIsReplaced()
    {
        World &w = m_shared.get();
        const HttpResult r = w.server.request("POST", QStringLiteral("/realms/acme/authRealm/login"),
                                              R"({"email":"nobody-ua@example.com","password":"wrong-password"})",
                                              {{"Content-Type", "application/json"}, {"User-Agent", QByteArray("agent\x01x", 7)}});
        QCOMPARE(r.status, 401);
        AuditQuery q;
        q.kinds = {QStringLiteral("login.failure")};
        q.limit = 1;
        const QList<AuditEvent> events = w.core().audit().query(q);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().userAgent, QStringLiteral("agent\uFFFDx"));
    }

    // ---- an empty password is a wrong password ------------------------------
    void emptyPasswordIsAWrongPassword_data()
    {
        QTest::addColumn<QString>("email");
        QTest::newRow("known account") << QStringLiteral("a1@example.com");
        QTest::newRow("unknown account") << QStringLiteral("nobody-at-all@example.com");
    }
    void emptyPasswordIsAWrongPassword()
    {
        QFETCH(QString, email);
        World &w = m_shared.get();
        const Database &db = w.core().database();
        const auto failures = [&db] {
            return scalar(db, QStringLiteral("SELECT COALESCE(SUM(failures), 0) FROM sign_in_failures WHERE kind = 'account'"));
        };
        const auto attempt = [&](const QString &password) {
            return w.server.post(QStringLiteral("/realms/acme/authRealm/login"),
                                 QJsonObject{{QStringLiteral("email"), email}, {QStringLiteral("password"), password}});
        };
        const qint64 start = failures();
        const HttpResult wrong = attempt(QStringLiteral("not-the-password"));
        QCOMPARE(failures(), start + 1);
        const HttpResult empty = attempt(QString());
        QCOMPARE(empty.status, 401);
        QCOMPARE(empty.status, wrong.status);
        QCOMPARE(empty.body, wrong.body);
        QCOMPARE(empty.json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_credentials"));
        // Counted like any wrong password.
        QCOMPARE(failures(), start + 2);
        // The same path through the service: the same audit summary.
        AuditQuery q;
        q.kinds = {QStringLiteral("login.failure")};
        q.limit = 2;
        const QList<AuditEvent> events = w.core().audit().query(q);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).summary, events.at(1).summary);
        // Clear the failures so the account is not locked for later rows.
        SqlQuery(db, QStringLiteral("DELETE FROM sign_in_failures")).exec();
    }
};

QTEST_GUILESS_MAIN(tst_BadInput)
#include "tst_badinput.moc"
