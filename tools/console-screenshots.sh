#!/usr/bin/env bash
# Starts the console on a demo database and saves a PNG of each main view, for
# looking at what a user sees (offscreen platform; no display needed).
# The demo: realms acme and globex with products, 5,000 users, a month of
# sign-in events with a burst of failed sign-ins, and one realm imported from
# docs/examples. Usage: tools/console-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-screenshots}
BIN=build/bin
[[ -x $BIN/authrealm && -x $BIN/authrealmd ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs sqlite3 (scripts/install-deps.sh --bench)" >&2; exit 1; }
DATA=$(mktemp -d)
mkdir -p "$OUT"
# The console remembers the folder it opened in its settings
# ($XDG_CONFIG_HOME/AuthRealm/authrealm.conf) and finds its default data
# folder under $XDG_DATA_HOME: with only HOME replaced, a run overwrote the
# user's remembered folder with this temporary one, deleted at exit. Every
# program below runs with all of the XDG base directories in here.
REAL_SETTINGS=${XDG_CONFIG_HOME:-$HOME/.config}/AuthRealm/authrealm.conf
settings_before=$(cat "$REAL_SETTINGS" 2>/dev/null | sha256sum)
check_settings() {
    [[ $(cat "$REAL_SETTINGS" 2>/dev/null | sha256sum) == "$settings_before" ]] ||
        echo "warning: $REAL_SETTINGS changed during the run" >&2
}
trap 'rm -rf "$DATA"; check_settings' EXIT
mkdir -p "$DATA/home" "$DATA/config" "$DATA/share" "$DATA/state" "$DATA/cache" "$DATA/runtime"
chmod 700 "$DATA/runtime"
isolated() {
    env HOME="$DATA/home" XDG_CONFIG_HOME="$DATA/config" XDG_DATA_HOME="$DATA/share" XDG_STATE_HOME="$DATA/state" \
        XDG_CACHE_HOME="$DATA/cache" XDG_RUNTIME_DIR="$DATA/runtime" \
        QT_QPA_PLATFORM=offscreen "$@"
}

isolated $BIN/authrealmd import docs/examples/acme-realm.json --data "$DATA" >/dev/null 2>&1
cat > "$DATA/globex.json" <<'JSON'
{"realm": "globex", "displayName": "Globex Corporation",
 "apps": [{"id": "storefront", "displayName": "Storefront",
           "features": [{"featureKey": "orders", "scopes": ["orders:read", "orders:write"]},
                        {"featureKey": "reviews", "isEnabled": false, "scopes": ["reviews:write"]}],
           "roles": [{"name": "Clerk", "scopes": ["orders:read"]}]},
          {"id": "wedding-rsvp", "displayName": "Fiza & Zaim RSVP", "roles": [{"name": "Guest", "scopes": ["rsvp:write"]}]}]}
JSON
isolated $BIN/authrealmd import "$DATA/globex.json" --data "$DATA" >/dev/null 2>&1
now=$(($(date +%s) * 1000)); month=$((30 * 86400 * 1000))
sqlite3 "$DATA/authrealm.db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
INSERT INTO users (id, realm_id, email, email_key, display_name, status, created_at, updated_at)
SELECT printf('demo-%05d', i), CASE WHEN i % 3 = 0 THEN 'acme' ELSE 'globex' END,
       printf('person%05d@example.com', i), printf('person%05d@example.com', i), printf('Person %d', i),
       CASE WHEN i % 40 = 0 THEN 'suspended' ELSE 'active' END, $now - $month + i * 1000, $now - $month + i * 1000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, user_agent, outcome, summary)
SELECT 'globex', 'storefront', $now - $month + i * ($month / 20000),
       CASE WHEN i BETWEEN 15000 AND 15600 THEN 'login.failure' WHEN i % 9 = 0 THEN 'refresh.success' ELSE 'login.success' END,
       printf('user:demo-%05d', 1 + i % 5000), 'user', printf('demo-%05d', 1 + i % 5000),
       CASE WHEN i BETWEEN 15000 AND 15600 THEN '203.0.113.66' ELSE printf('198.51.100.%d', i % 200) END, 'demo',
       CASE WHEN i BETWEEN 15000 AND 15600 THEN 'failure' ELSE 'success' END,
       CASE WHEN i BETWEEN 15000 AND 15600 THEN 'wrong password (burst)' ELSE 'demo event' END FROM n;
-- Rows inserted behind AuditLog's back: rebuild the chart's hourly rollup (schema v10) from them.
DELETE FROM audit_rollup;
INSERT INTO audit_rollup (realm_id, hour_start, app_id, kind, outcome, events)
SELECT realm_id, occurred_at - occurred_at % 3600000, app_id, kind, outcome, COUNT(*) FROM audit_events GROUP BY 1, 2, 3, 4, 5;
-- Sessions (about 1,200 in globex) and a signed-in user with a membership and
-- a personal access token, for the Sessions and user detail views.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1800)
INSERT INTO sessions (id, realm_id, user_id, app_id, created_at, last_used_at, expires_at, ip, user_agent)
SELECT printf('demo-session-%05d', i), u.realm_id, u.id, CASE WHEN u.realm_id = 'globex' THEN 'storefront' ELSE 'plantaerium' END,
       $now - (i % 97) * 3600000 - 7200000, $now - (i % 97) * 3600000 - i * 1000, $now + $month,
       printf('198.51.100.%d', i % 250),
       CASE i % 4 WHEN 0 THEN 'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0' WHEN 1 THEN 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1'
                  WHEN 2 THEN 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36' ELSE 'curl/8.5.0' END
FROM n JOIN users u ON u.id = printf('demo-%05d', 1 + i % 5000);
INSERT INTO sessions (id, realm_id, user_id, app_id, created_at, last_used_at, expires_at, ip, user_agent) VALUES
 ('demo-session-u1-a', 'globex', 'demo-00001', 'storefront', $now - 86400000, $now - 120000, $now + $month, '203.0.113.24',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15'),
 ('demo-session-u1-b', 'globex', 'demo-00001', 'storefront', $now - 3 * 86400000, $now - 7200000, $now + $month, '198.51.100.77',
  'Mozilla/5.0 (Linux; Android 15; Pixel 8) Chrome/131.0 Mobile Safari/537.36'),
 ('demo-session-u1-c', 'globex', 'demo-00001', 'storefront', $now - 9 * 86400000, $now - 5 * 86400000, $now + $month, '192.0.2.10',
  'order-sync/2.3 (+https://globex.example)');
INSERT INTO memberships (realm_id, app_id, user_id, created_at) VALUES ('globex', 'storefront', 'demo-00001', $now - $month);
INSERT INTO membership_roles (realm_id, app_id, user_id, role_name) VALUES ('globex', 'storefront', 'demo-00001', 'Clerk');
INSERT INTO personal_access_tokens (id, realm_id, app_id, user_id, name, token_hash, scopes, created_at, expires_at, last_used_at)
VALUES ('demo-pat-1', 'globex', 'storefront', 'demo-00001', 'nightly order export', 'demo-not-a-real-hash', 'orders:read',
        $now - 86400000, $now + $month, $now - 3600000);
COMMIT;
SQL
shoot() { # NAME ARGS...: one PNG of the console window (1200×760)
    local name=$1; shift
    isolated $BIN/authrealm --data "$DATA" "$@" --screenshot "$OUT/$name.png" 2>/dev/null || true
    echo "$OUT/$name.png"
}
for view in users sessions products keys settings outbox audit; do
    shoot "$view" --realm globex --view "$view"
done
shoot product --realm globex --app storefront --view products
shoot user --realm globex --user person00001@example.com
# The audit browser on its own at 1280x800, once its first page and chart
# are in, with an event selected (the console's window above is smaller).
if [[ -x $BIN/authrealm-bench-console ]]; then
    isolated $BIN/authrealm-bench-console --data "$DATA" --realm globex \
        --screenshot "$OUT/audit-browser.png" 2>/dev/null
    echo "$OUT/audit-browser.png"
fi
