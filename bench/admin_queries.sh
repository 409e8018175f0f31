#!/usr/bin/env bash
# Admin list latency at scale: seeds a SQLite database with 1,000,000 users and
# 10,000,000 audit events (BENCH_USERS / BENCH_EVENTS to change), starts
# authrealmd on it, and measures the admin user list and the event query with
# wrk (p50/p99 over BENCH_DURATION seconds, 2 connections). Prints figures;
# asserts nothing. Re-uses the seeded database in BENCH_CACHE if present.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bin/authrealmd
USERS=${BENCH_USERS:-1000000}
EVENTS=${BENCH_EVENTS:-10000000}
DURATION=${BENCH_DURATION:-10}
CACHE=${BENCH_CACHE:-/tmp/authrealm-bench-large-$USERS-$EVENTS}
[[ -x $BIN ]] || { echo "build first: scripts/build.sh" >&2; exit 1; }
command -v wrk >/dev/null && command -v sqlite3 >/dev/null || { echo "needs wrk and sqlite3 (scripts/install-deps.sh --bench)" >&2; exit 1; }

log() { printf '[admin-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [[ ! -f $CACHE/authrealm.db ]]; then
    rm -rf "$CACHE"; mkdir -p "$CACHE"
    echo '{"realm":"big","apps":[{"id":"shop","roles":[{"name":"Buyer","scopes":["orders:read"]}]}]}' > "$CACHE/realm.json"
    $BIN import "$CACHE/realm.json" --data "$CACHE" >/dev/null 2>&1
    log "seeding $USERS users and $EVENTS events (one-off; cached in $CACHE)"
    start=$(date +%s)
    sqlite3 "$CACHE/authrealm.db" <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $USERS)
INSERT INTO users (id, realm_id, email, email_key, display_name, status, created_at, updated_at)
SELECT printf('u-%08d', i), 'big', printf('user%08d@example.com', i), printf('user%08d@example.com', i), printf('User %d', i),
       CASE WHEN i % 50 = 0 THEN 'suspended' ELSE 'active' END, 1764547200000 + i, 1764547200000 + i FROM n;
COMMIT;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $EVENTS)
INSERT INTO audit_events (realm_id, app_id, occurred_at, kind, actor, target_type, target_id, ip, user_agent, outcome, summary)
SELECT 'big', 'shop', 1764547200000 + i * (2592000000 / $EVENTS),
       CASE WHEN i % 10 = 0 THEN 'login.failure' WHEN i % 97 = 0 THEN 'pat.denied' WHEN i % 3 = 0 THEN 'refresh.success' ELSE 'login.success' END,
       printf('user:u-%08d', 1 + i % $USERS), 'user', printf('u-%08d', 1 + i % $USERS), printf('198.51.100.%d', i % 250), 'bench',
       CASE WHEN i % 10 = 0 THEN 'failure' ELSE 'success' END, 'seeded' FROM n;
-- Rows inserted behind AuditLog's back: rebuild the chart's hourly rollup (schema v10) from them.
DELETE FROM audit_rollup;
INSERT INTO audit_rollup (realm_id, hour_start, app_id, kind, outcome, events)
SELECT realm_id, occurred_at - occurred_at % 3600000, app_id, kind, outcome, COUNT(*) FROM audit_events GROUP BY 1, 2, 3, 4, 5;
COMMIT;
ANALYZE;
SQL
    log "seeded in $(( $(date +%s) - start )) s; database $(du -h "$CACHE/authrealm.db" | cut -f1)"
fi

AUTHREALM_ADMIN_PASSWORD=bench-admin-password $BIN serve --data "$CACHE" --listen 127.0.0.1:$PORT >"$CACHE/server.log" 2>&1 &
SERVER_PID=$!
# The first start on an older cached database migrates it (index builds on 10M rows take a while).
for _ in $(seq 1500); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
TOKEN=$(curl -sf http://127.0.0.1:$PORT/realms/master/authRealm/login -H 'Content-Type: application/json' \
        -d '{"email":"admin","password":"bench-admin-password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
B=http://127.0.0.1:$PORT
DEEP=$(python3 -c 'import base64; print(base64.urlsafe_b64encode(b"user00900000@example.com").decode().rstrip("="))')
EV_CURSOR=$(curl -sf "$B/admin/events?realm=big&limit=200&until=1765900000000" -H "Authorization: Bearer $TOKEN" \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])')

measure() { # name url
    local out
    out=$(wrk -t1 -c2 -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$2" 2>&1)
    local p50 p99 rps errs
    p50=$(awk '/ 50%/{print $2}' <<<"$out"); p99=$(awk '/ 99%/{print $2}' <<<"$out")
    rps=$(awk '/Requests\/sec/{print $2}' <<<"$out"); errs=$(awk '/Non-2xx/{print $NF}' <<<"$out")
    printf '%-58s %10s %10s %10s %8s\n' "$1" "$p50" "$p99" "$rps" "${errs:-0}"
}
echo
echo "Admin queries on $USERS users / $EVENTS events (SQLite, $(nproc) cores, wrk -t1 -c2 ${DURATION}s)"
printf '%-58s %10s %10s %10s %8s\n' scenario p50 p99 req/s non-2xx
measure "users: first page (limit 50)" "$B/admin/realms/big/users?limit=50"
measure "users: page deep in the list (cursor at 90%)" "$B/admin/realms/big/users?limit=50&cursor=$DEEP"
measure "users: email prefix search q=user0042" "$B/admin/realms/big/users?limit=50&q=user0042"
measure "users: status=suspended" "$B/admin/realms/big/users?limit=50&status=suspended"
measure "events: newest page (limit 50)" "$B/admin/events?realm=big&limit=50"
measure "events: kind=login.failure" "$B/admin/events?realm=big&limit=50&kind=login.failure"
measure "events: rare kind=pat.denied" "$B/admin/events?realm=big&limit=50&kind=pat.denied"
measure "events: one day (since/until)" "$B/admin/events?realm=big&limit=50&since=1765000000000&until=1765086400000"
measure "events: next page by cursor" "$B/admin/events?realm=big&limit=50&cursor=$EV_CURSOR"
measure "events: one actor" "$B/admin/events?realm=big&limit=50&actor=user:u-00000042"
echo "peak server RSS: $(awk '/VmHWM/{print $2, $3}' /proc/$SERVER_PID/status)"
