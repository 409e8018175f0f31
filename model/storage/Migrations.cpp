#include "storage/Migrations.h"

#include "core/DomainError.h"
#include "storage/AuditTextIndex.h"
#include "storage/Sql.h"

#include <QLoggingCategory>
#include <QSqlError>
#include <QStringList>

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

namespace authrealm {
namespace {

struct Migration
{
    int version;
    const char *description;
    QStringList statements;
};

// The only place where the two SQL dialects differ in DDL. A statement that
// starts with {{SQLITE}} or {{POSTGRES}} runs on that backend only (empty
// result: skip it).
QString forDialect(QString sql, const SqlDialect &dialect)
{
    const bool pg = dialect.isPostgres();
    for (const auto &[marker, onlyOnPostgres] : {std::pair{QStringLiteral("{{SQLITE}}"), false}, std::pair{QStringLiteral("{{POSTGRES}}"), true}}) {
        if (sql.startsWith(marker)) {
            if (onlyOnPostgres != pg)
                return {};
            sql.remove(0, marker.size());
        }
    }
    sql.replace(QStringLiteral("{{SERIAL_PK}}"), dialect.serialPrimaryKey());
    return sql;
}

const QList<Migration> &migrations()
{
    static const QList<Migration> steps = {
        {1, "realms, users, apps, roles, memberships, sessions, refresh tokens, signing keys, audit events",
         {
             QStringLiteral("CREATE TABLE deployment_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
             QStringLiteral("CREATE TABLE realms (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, created_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE realm_settings (realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (realm_id, name))"),
             QStringLiteral("CREATE TABLE users (id TEXT PRIMARY KEY, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "email TEXT NOT NULL, email_key TEXT NOT NULL, username TEXT, username_key TEXT, "
                            "display_name TEXT NOT NULL DEFAULT '', password_hash TEXT, "
                            "status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','deactivated')), "
                            "created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE UNIQUE INDEX users_realm_email ON users (realm_id, email_key)"),
             QStringLiteral("CREATE UNIQUE INDEX users_realm_username ON users (realm_id, username_key)"),
             QStringLiteral("CREATE TABLE apps (realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, id TEXT NOT NULL, "
                            "display_name TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (realm_id, id))"),
             QStringLiteral("CREATE TABLE roles (realm_id TEXT NOT NULL, app_id TEXT NOT NULL, name TEXT NOT NULL, "
                            "scopes TEXT NOT NULL DEFAULT '', PRIMARY KEY (realm_id, app_id, name), "
                            "FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE)"),
             QStringLiteral("CREATE TABLE memberships (realm_id TEXT NOT NULL, app_id TEXT NOT NULL, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, created_at BIGINT NOT NULL, "
                            "PRIMARY KEY (user_id, app_id), "
                            "FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE)"),
             QStringLiteral("CREATE INDEX memberships_app ON memberships (realm_id, app_id, user_id)"),
             QStringLiteral("CREATE TABLE membership_roles (realm_id TEXT NOT NULL, app_id TEXT NOT NULL, user_id TEXT NOT NULL, "
                            "role_name TEXT NOT NULL, PRIMARY KEY (user_id, app_id, role_name), "
                            "FOREIGN KEY (user_id, app_id) REFERENCES memberships (user_id, app_id) ON DELETE CASCADE, "
                            "FOREIGN KEY (realm_id, app_id, role_name) REFERENCES roles (realm_id, app_id, name) ON DELETE CASCADE)"),
             QStringLiteral("CREATE INDEX membership_roles_role ON membership_roles (realm_id, app_id, role_name)"),
             QStringLiteral("CREATE TABLE sessions (id TEXT PRIMARY KEY, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, app_id TEXT NOT NULL, "
                            "created_at BIGINT NOT NULL, last_used_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, "
                            "ip TEXT NOT NULL DEFAULT '', user_agent TEXT NOT NULL DEFAULT '', "
                            "revoked_at BIGINT, revoke_reason TEXT)"),
             QStringLiteral("CREATE INDEX sessions_user ON sessions (user_id, revoked_at)"),
             QStringLiteral("CREATE INDEX sessions_revoked ON sessions (revoked_at)"),
             QStringLiteral("CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, "
                            "session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, "
                            "created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)"),
             QStringLiteral("CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)"),
             QStringLiteral("CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "algorithm TEXT NOT NULL, private_key TEXT NOT NULL, public_jwk TEXT NOT NULL, "
                            "status TEXT NOT NULL CHECK (status IN ('active','retired')), created_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE INDEX signing_keys_realm ON signing_keys (realm_id, status)"),
             QStringLiteral("CREATE TABLE audit_events (id {{SERIAL_PK}}, realm_id TEXT NOT NULL, app_id TEXT NOT NULL DEFAULT '', "
                            "occurred_at BIGINT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL DEFAULT '', "
                            "target_type TEXT NOT NULL DEFAULT '', target_id TEXT NOT NULL DEFAULT '', "
                            "ip TEXT NOT NULL DEFAULT '', user_agent TEXT NOT NULL DEFAULT '', "
                            "outcome TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX audit_events_realm_time ON audit_events (realm_id, occurred_at, id)"),
         }},
        {2, "features, system roles, personal access tokens, admin grants, API keys, hash-chained audit log",
         {
             QStringLiteral("CREATE TABLE features (realm_id TEXT NOT NULL, app_id TEXT NOT NULL, feature_key TEXT NOT NULL, "
                            "is_enabled INTEGER NOT NULL DEFAULT 1, scopes TEXT NOT NULL DEFAULT '', "
                            "PRIMARY KEY (realm_id, app_id, feature_key), "
                            "FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE)"),
             QStringLiteral("ALTER TABLE roles ADD COLUMN is_system INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE TABLE personal_access_tokens (id TEXT PRIMARY KEY, realm_id TEXT NOT NULL, app_id TEXT NOT NULL, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL, "
                            "token_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, "
                            "expires_at BIGINT NOT NULL, last_used_at BIGINT, revoked_at BIGINT, "
                            "FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE)"),
             QStringLiteral("CREATE INDEX personal_access_tokens_user ON personal_access_tokens (user_id, created_at)"),
             QStringLiteral("CREATE TABLE admin_grants (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
                            "layer TEXT NOT NULL CHECK (layer IN ('master','realm','app')), realm_id TEXT NOT NULL DEFAULT '', "
                            "app_id TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, PRIMARY KEY (user_id, layer, realm_id, app_id))"),
             QStringLiteral("CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, "
                            "layer TEXT NOT NULL CHECK (layer IN ('master','realm','app')), realm_id TEXT NOT NULL DEFAULT '', "
                            "app_id TEXT NOT NULL DEFAULT '', scopes TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL DEFAULT '', "
                            "created_at BIGINT NOT NULL, last_used_at BIGINT, revoked_at BIGINT)"),
             QStringLiteral("ALTER TABLE audit_events ADD COLUMN seq BIGINT NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE audit_events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE audit_events ADD COLUMN hash TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE INDEX audit_events_chain ON audit_events (realm_id, seq)"),
             QStringLiteral("CREATE INDEX audit_events_time ON audit_events (occurred_at, id)"),
             QStringLiteral("CREATE TABLE audit_heads (realm_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)"),
             // The bootstrap administrator of a version-1 database becomes the master admin.
             QStringLiteral("INSERT INTO admin_grants (user_id, layer, realm_id, app_id, created_at) "
                            "SELECT id, 'master', '', '', created_at FROM users WHERE realm_id = 'master' AND username_key = 'admin'"),
         }},
        {3, "audit event indexes for the browser's filters (actor, target, kind, app)",
         {
             QStringLiteral("CREATE INDEX audit_events_actor ON audit_events (realm_id, actor, occurred_at, id)"),
             QStringLiteral("CREATE INDEX audit_events_target ON audit_events (realm_id, target_id, occurred_at, id)"),
             QStringLiteral("CREATE INDEX audit_events_kind ON audit_events (realm_id, kind, occurred_at, id)"),
             QStringLiteral("CREATE INDEX audit_events_app ON audit_events (realm_id, app_id, occurred_at, id)"),
         }},
        {4, "server instances (who else serves this database), user indexes for the console's name search and sorting",
         {
             QStringLiteral("CREATE TABLE server_instances (id TEXT PRIMARY KEY, host TEXT NOT NULL, pid BIGINT NOT NULL, "
                            "listen TEXT NOT NULL, kind TEXT NOT NULL, started_at BIGINT NOT NULL, last_seen BIGINT NOT NULL)"),
             // The console's user list sorts and searches by name and by creation time.
             QStringLiteral("CREATE INDEX users_realm_name ON users (realm_id, lower(display_name), id)"),
             QStringLiteral("CREATE INDEX users_realm_created ON users (realm_id, created_at, id)"),
         }},
        {5, "session index for the console's realm-wide session list (newest use first, keyset paged)",
         {
             // Partial: revoked sessions pile up over the years and the list never shows them.
             QStringLiteral("CREATE INDEX sessions_realm_last_used ON sessions (realm_id, last_used_at, id) WHERE revoked_at IS NULL"),
         }},
        {6, "account emails: verified flag and locale of users, SMTP settings, mail templates, mail outbox, "
            "account tokens (verification, reset, email codes), rate-limit counters",
         {
             QStringLiteral("ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("CREATE TABLE smtp_settings (realm_id TEXT PRIMARY KEY REFERENCES realms(id) ON DELETE CASCADE, "
                            "host TEXT NOT NULL, port INTEGER NOT NULL, "
                            "security TEXT NOT NULL CHECK (security IN ('none','starttls','tls')), "
                            "username TEXT NOT NULL DEFAULT '', password_sealed TEXT NOT NULL DEFAULT '', "
                            "from_address TEXT NOT NULL, from_name TEXT NOT NULL DEFAULT '', updated_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE mail_templates (realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "kind TEXT NOT NULL, locale TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL, "
                            "updated_at BIGINT NOT NULL, PRIMARY KEY (realm_id, kind, locale))"),
             QStringLiteral("CREATE TABLE mail_outbox (id {{SERIAL_PK}}, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "user_id TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL, "
                            "body_sealed TEXT NOT NULL, "
                            "state TEXT NOT NULL CHECK (state IN ('pending','sent','failed','stored')), "
                            "attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, "
                            "last_error TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, sent_at BIGINT)"),
             QStringLiteral("CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at)"),
             QStringLiteral("CREATE INDEX mail_outbox_realm ON mail_outbox (realm_id, id)"),
             QStringLiteral("CREATE TABLE account_tokens (id TEXT PRIMARY KEY, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
                            "purpose TEXT NOT NULL CHECK (purpose IN ('verify_email','reset_password','email_code')), "
                            "token_hash TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, "
                            "used_at BIGINT, failed_attempts INTEGER NOT NULL DEFAULT 0)"),
             QStringLiteral("CREATE INDEX account_tokens_hash ON account_tokens (token_hash)"),
             QStringLiteral("CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose, created_at)"),
             QStringLiteral("CREATE TABLE rate_counters (realm_id TEXT NOT NULL, bucket TEXT NOT NULL, window_start BIGINT NOT NULL, "
                            "hits INTEGER NOT NULL, PRIMARY KEY (realm_id, bucket, window_start))"),
         }},
        {7, "sign-in security: TOTP credentials and backup codes, MFA challenges, sign-in failure counters, "
            "session amr/mfa_at, per-app token lifetimes",
         {
             // The secret is sealed with the key-encryption key; confirmed_at stays NULL while enrolment is pending.
             QStringLiteral("CREATE TABLE totp_credentials (user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, "
                            "realm_id TEXT NOT NULL, secret_sealed TEXT NOT NULL, created_at BIGINT NOT NULL, confirmed_at BIGINT, "
                            "last_used_step BIGINT NOT NULL DEFAULT -1)"),
             QStringLiteral("CREATE TABLE totp_backup_codes (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
                            "code_hash TEXT NOT NULL, created_at BIGINT NOT NULL, used_at BIGINT, PRIMARY KEY (user_id, code_hash))"),
             QStringLiteral("CREATE TABLE mfa_challenges (id_hash TEXT PRIMARY KEY, realm_id TEXT NOT NULL, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, app_id TEXT NOT NULL, "
                            "amr TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, "
                            "failures INTEGER NOT NULL DEFAULT 0, consumed_at BIGINT)"),
             QStringLiteral("CREATE INDEX mfa_challenges_expiry ON mfa_challenges (expires_at)"),
             // kind 'account': subject is a keyed hash of the lower-cased login, whether the account exists or not;
             // kind 'source': subject is the client address.
             QStringLiteral("CREATE TABLE sign_in_failures (realm_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('account','source')), "
                            "subject TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, window_start BIGINT NOT NULL, "
                            "last_failure_at BIGINT NOT NULL DEFAULT 0, locked_until BIGINT NOT NULL DEFAULT 0, "
                            "PRIMARY KEY (realm_id, kind, subject))"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd'"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN mfa_at BIGINT NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE INDEX sessions_user_created ON sessions (user_id, created_at, id)"),
             QStringLiteral("ALTER TABLE apps ADD COLUMN access_token_lifetime BIGINT"),
             QStringLiteral("ALTER TABLE apps ADD COLUMN refresh_token_lifetime BIGINT"),
             QStringLiteral("ALTER TABLE apps ADD COLUMN session_max_lifetime BIGINT"),
         }},
        // The console's events-over-time chart groups a realm's events by time
        // and category: with kind and outcome in the index it reads only the
        // index (about half the time of visiting 10M table rows on SQLite).
        {8, "covering index for the audit chart (realm, time, kind, outcome, app)",
         {
             QStringLiteral("CREATE INDEX IF NOT EXISTS audit_events_histogram ON audit_events (realm_id, occurred_at, kind, outcome, app_id)"),
         }},
        // The audit browser's free text (see AuditTextIndex). SQLite: an FTS5
        // trigram index over the four searched columns, filled in batches
        // behind the appends (an FTS insert per event would cost every login
        // and refresh a segment flush), so it starts empty and
        // "audit_text_indexed_through" says how far it got; rows deleted or
        // changed below that mark leave it through the triggers. detail=none
        // keeps it about as big as the table: it yields candidates that the
        // query's LIKE then confirms. PostgreSQL: a pg_trgm GIN index,
        // maintained by the database; without the extension (not installable
        // by this role) the search scans as before.
        {9, "free-text index of the audit log",
         {
             QStringLiteral("{{SQLITE}}CREATE VIRTUAL TABLE audit_text USING fts5(summary, kind, actor, target_id, content='audit_events', "
                            "content_rowid='id', tokenize='trigram', detail='none')"),
             QStringLiteral("{{SQLITE}}INSERT INTO deployment_settings (name, value) VALUES ('audit_text_indexed_through', '0')"),
             QStringLiteral("{{SQLITE}}CREATE TRIGGER audit_events_text_delete AFTER DELETE ON audit_events "
                            "WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM deployment_settings WHERE name = 'audit_text_indexed_through') "
                            "BEGIN INSERT INTO audit_text (audit_text, rowid, summary, kind, actor, target_id) "
                            "VALUES ('delete', old.id, old.summary, old.kind, old.actor, old.target_id); END"),
             QStringLiteral("{{SQLITE}}CREATE TRIGGER audit_events_text_update AFTER UPDATE OF id, summary, kind, actor, target_id ON audit_events "
                            "BEGIN INSERT INTO audit_text (audit_text, rowid, summary, kind, actor, target_id) "
                            "SELECT 'delete', old.id, old.summary, old.kind, old.actor, old.target_id "
                            "WHERE old.id <= (SELECT CAST(value AS INTEGER) FROM deployment_settings WHERE name = 'audit_text_indexed_through'); "
                            "INSERT INTO audit_text (rowid, summary, kind, actor, target_id) "
                            "SELECT new.id, new.summary, new.kind, new.actor, new.target_id "
                            "WHERE new.id <= (SELECT CAST(value AS INTEGER) FROM deployment_settings WHERE name = 'audit_text_indexed_through'); END"),
             QStringLiteral("{{POSTGRES}}DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_trgm; "
                            "EXCEPTION WHEN OTHERS THEN RAISE WARNING 'pg_trgm is not available (%); the audit free-text search will scan', SQLERRM; "
                            "END $$"),
             QStringLiteral("{{POSTGRES}}DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN "
                            "CREATE INDEX audit_events_text ON audit_events USING gin ((")
                                + QLatin1String(AuditTextIndex::kPostgresExpression) + QStringLiteral(") gin_trgm_ops); "
                            "END IF; END $$"),
         }},
        // Even the covering index is a 10 s GROUP BY over 10M events: the chart reads
        // whole hours from this rollup instead (AuditRollup.h), which AuditLog
        // keeps exact as it records and prunes. Filled once from the events
        // already stored (event times are positive ms, so the truncating %
        // gives the hour's start).
        {10, "hourly audit rollup for the chart",
         {
             QStringLiteral("CREATE TABLE audit_rollup (realm_id TEXT NOT NULL, hour_start BIGINT NOT NULL, app_id TEXT NOT NULL, "
                            "kind TEXT NOT NULL, outcome TEXT NOT NULL, events BIGINT NOT NULL, "
                            "PRIMARY KEY (realm_id, hour_start, app_id, kind, outcome))"),
             QStringLiteral("INSERT INTO audit_rollup (realm_id, hour_start, app_id, kind, outcome, events) "
                            "SELECT realm_id, occurred_at - occurred_at % 3600000, app_id, kind, outcome, COUNT(*) "
                            "FROM audit_events GROUP BY 1, 2, 3, 4, 5"),
         }},
        // AuthRealm 2.0, the OpenID Connect provider (model/oidc). Every secret
        // column holds a keyed hash (TokenHasher), never the value.
        {11, "OpenID Connect: OAuth clients and their secrets, authorization requests and codes, browser (SSO) sessions, "
             "consents, client-assertion jtis, initial access tokens; sessions bound to a client; signing-key purpose",
         {
             // app_ids: the products this client may sign people in to (space-separated, app_id first).
             QStringLiteral("CREATE TABLE oauth_clients (id TEXT PRIMARY KEY, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "app_id TEXT NOT NULL, app_ids TEXT NOT NULL, name TEXT NOT NULL, confidential INTEGER NOT NULL, "
                            "redirect_uris TEXT NOT NULL DEFAULT '', post_logout_redirect_uris TEXT NOT NULL DEFAULT '', "
                            "grant_types TEXT NOT NULL, allowed_scopes TEXT NOT NULL, id_token_alg TEXT NOT NULL DEFAULT 'RS256', "
                            "token_auth_method TEXT NOT NULL, jwks TEXT NOT NULL DEFAULT '', first_party INTEGER NOT NULL DEFAULT 1, "
                            "access_token_lifetime BIGINT NOT NULL DEFAULT 0, refresh_token_lifetime BIGINT NOT NULL DEFAULT 0, "
                            "registration_token_hash TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, "
                            "FOREIGN KEY (realm_id, app_id) REFERENCES apps (realm_id, id) ON DELETE CASCADE)"),
             QStringLiteral("CREATE INDEX oauth_clients_app ON oauth_clients (realm_id, app_id)"),
             // expires_at NULL: the current secret; a rotated-out one keeps working until it.
             QStringLiteral("CREATE TABLE oauth_client_secrets (client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE, "
                            "secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT, PRIMARY KEY (client_id, secret_hash))"),
             QStringLiteral("CREATE TABLE oauth_assertion_jtis (client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE, "
                            "jti TEXT NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (client_id, jti))"),
             QStringLiteral("CREATE TABLE oauth_initial_access_tokens (id TEXT PRIMARY KEY, "
                            "realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, token_hash TEXT NOT NULL UNIQUE, "
                            "app_id TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, "
                            "expires_at BIGINT NOT NULL, uses_left INTEGER NOT NULL, revoked_at BIGINT)"),
             // The SSO cookie's session: id is public (the ID token's sid), the cookie holds a secret whose hash is here.
             QStringLiteral("CREATE TABLE browser_sessions (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, "
                            "realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, auth_time BIGINT NOT NULL, "
                            "amr TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, "
                            "ended_at BIGINT)"),
             QStringLiteral("CREATE INDEX browser_sessions_user ON browser_sessions (user_id)"),
             // An authorization request between /authorize and the code: the validated parameters (JSON), the
             // browser it belongs to (hash of a cookie), the form's CSRF token, and how far sign-in got.
             QStringLiteral("CREATE TABLE oauth_auth_requests (id_hash TEXT PRIMARY KEY, "
                            "realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE, params TEXT NOT NULL, "
                            "binding_hash TEXT NOT NULL, csrf_hash TEXT NOT NULL, user_id TEXT, amr TEXT NOT NULL DEFAULT '', "
                            "browser_session TEXT, auth_time BIGINT NOT NULL DEFAULT 0, app_id TEXT, created_at BIGINT NOT NULL, "
                            "expires_at BIGINT NOT NULL, completed_at BIGINT)"),
             QStringLiteral("CREATE INDEX oauth_auth_requests_expiry ON oauth_auth_requests (expires_at)"),
             QStringLiteral("CREATE TABLE oauth_codes (code_hash TEXT PRIMARY KEY, realm_id TEXT NOT NULL REFERENCES realms(id) ON DELETE CASCADE, "
                            "client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE, "
                            "user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, app_id TEXT NOT NULL, "
                            "redirect_uri TEXT NOT NULL, scope TEXT NOT NULL, nonce TEXT NOT NULL DEFAULT '', "
                            "code_challenge TEXT NOT NULL DEFAULT '', browser_session TEXT NOT NULL DEFAULT '', "
                            "auth_time BIGINT NOT NULL, amr TEXT NOT NULL, acr TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, "
                            "expires_at BIGINT NOT NULL, used_at BIGINT, session_id TEXT)"),
             QStringLiteral("CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at)"),
             QStringLiteral("CREATE TABLE oauth_consents (user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, "
                            "client_id TEXT NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE, realm_id TEXT NOT NULL, "
                            "scope TEXT NOT NULL, granted_at BIGINT NOT NULL, PRIMARY KEY (user_id, client_id))"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN client_id TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN browser_session TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN scope TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE sessions ADD COLUMN auth_time BIGINT NOT NULL DEFAULT 0"),
             QStringLiteral("CREATE INDEX sessions_browser ON sessions (browser_session)"),
             // 'access': the realm's one access-token key; 'id': one ID-token key per algorithm.
             QStringLiteral("ALTER TABLE signing_keys ADD COLUMN purpose TEXT NOT NULL DEFAULT 'access'"),
         }},
    };
    return steps;
}

void ensureVersionTable(const Database &db)
{
    SqlQuery(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")).exec();
}

int readVersion(const Database &db)
{
    SqlQuery q(db, QStringLiteral("SELECT MAX(version) FROM schema_version"));
    q.exec();
    return q.next() && !q.value(0).isNull() ? q.value(0).toInt() : 0;
}

bool versionTableExists(const Database &db)
{
    const QStringList tables = db.connection().tables(QSql::Tables);
    return tables.contains(QStringLiteral("schema_version"));
}

} // namespace

int Migrations::latestVersion()
{
    return migrations().constLast().version;
}

int Migrations::currentVersion(const Database &db)
{
    return versionTableExists(db) ? readVersion(db) : 0;
}

void Migrations::apply(const Database &db, int targetVersion)
{
    Transaction tx(db);
    // Two server processes starting together must not both create the schema.
    if (const QString lock = db.sql().migrationLock(); !lock.isEmpty())
        SqlQuery(db, lock).exec();
    ensureVersionTable(db);
    const int current = readVersion(db);
    const int latest = latestVersion();
    if (current > latest) {
        throw DomainError(ErrorCode::Conflict,
                          QStringLiteral("The database %1 has schema version %2, but this AuthRealm only knows up to version %3. "
                                         "It was written by a newer AuthRealm: upgrade AuthRealm instead of using this build.")
                              .arg(db.config().displayName())
                              .arg(current)
                              .arg(latest));
    }
    bool applied = false;
    for (const Migration &step : migrations()) {
        if (step.version <= current || (targetVersion > 0 && step.version > targetVersion))
            continue;
        applied = true;
        qCInfo(lcStorage) << "applying schema migration" << step.version << "-" << step.description;
        for (const QString &statement : step.statements) {
            const QString sql = forDialect(statement, db.sql());
            if (!sql.isEmpty())
                SqlQuery(db, sql).exec();
        }
        SqlQuery(db, QStringLiteral("DELETE FROM schema_version")).exec();
        SqlQuery(db, QStringLiteral("INSERT INTO schema_version (version) VALUES (:v)")).bind(QStringLiteral(":v"), step.version).exec();
    }
    tx.commit();
    // New indexes have no statistics; without them SQLite may pick an index
    // that needs a full sort over millions of audit rows.
    if (const QString analyze = db.sql().analyzeAfterMigration(); applied && !analyze.isEmpty())
        SqlQuery(db, analyze).exec();
}

} // namespace authrealm
