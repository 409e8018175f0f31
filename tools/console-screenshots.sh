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
trap 'rm -rf "$DATA"' EXIT
mkdir -p "$OUT"

$BIN/authrealmd import docs/examples/acme-realm.json --data "$DATA" >/dev/null 2>&1
cat > "$DATA/globex.json" <<'JSON'
{"realm": "globex", "displayName": "Globex Corporation",
 "apps": [{"id": "storefront", "displayName": "Storefront",
           "features": [{"featureKey": "orders", "scopes": ["orders:read", "orders:write"]},
                        {"featureKey": "reviews", "isEnabled": false, "scopes": ["reviews:write"]}],
           "roles": [{"name": "Clerk", "scopes": ["orders:read"]}]},
          {"id": "wedding-rsvp", "displayName": "Fiza & Zaim RSVP", "roles": [{"name": "Guest", "scopes": ["rsvp:write"]}]}]}
JSON
$BIN/authrealmd import "$DATA/globex.json" --data "$DATA" >/dev/null 2>&1
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
COMMIT;
SQL
for view in realms users audit; do
    HOME="$DATA/home" QT_QPA_PLATFORM=offscreen $BIN/authrealm --data "$DATA" --view "$view" --screenshot "$OUT/$view.png" 2>/dev/null
    echo "$OUT/$view.png"
done
# The audit browser on its own at 1280x800, once its first page and chart
# are in, with an event selected (the console's window above is smaller).
if [[ -x $BIN/authrealm-bench-console ]]; then
    HOME="$DATA/home" QT_QPA_PLATFORM=offscreen $BIN/authrealm-bench-console --data "$DATA" --realm globex \
        --screenshot "$OUT/audit-browser.png" 2>/dev/null
    echo "$OUT/audit-browser.png"
fi
