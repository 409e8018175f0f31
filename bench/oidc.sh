#!/usr/bin/env bash
# OAuth throughput: client_credentials tokens/s and introspections/s of AuthRealm
# (SQLite, fresh folder) and of node-oidc-provider (npm, configured alike: ES256
# JWT access tokens via resource indicators, one confidential client_secret_basic
# client, in-memory adapter), under the same wrk load; prints both rates, p99
# latencies and the ratio. Target: AuthRealm >= 10x on client_credentials, p99 < 50 ms.
# See bench/README.md. Do not run it while something else builds.
#
# Environment:
#   BENCH_DURATION        seconds per scenario            (default 10)
#   BENCH_THREADS / BENCH_CONNECTIONS  wrk -t / -c        (default 2 / 32)
#   AUTHREALMD            binary (default build/bin/authrealmd)
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$ROOT/bench"
AUTHREALMD="${AUTHREALMD:-$ROOT/build/bin/authrealmd}"
DURATION="${BENCH_DURATION:-10}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-32}"
(( CONNS >= THREADS )) || CONNS=$THREADS
export BENCH_LUA_DIR="$BENCH_DIR/lua"

log() { printf '[oidc-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

TMP_ROOT=""
PIDS=()
cleanup() {
    local rc=$?
    set +e
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [[ -n "$TMP_ROOT" ]] && rm -rf -- "$TMP_ROOT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk curl python3 node npm; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh --bench)"
done
[[ -x "$AUTHREALMD" ]] || die "$AUTHREALMD not built (cmake --build build --target authrealmd)"

# node-oidc-provider from the committed lock, installed once.
op_dir="$BENCH_DIR/oidc-provider"
stamp="$op_dir/node_modules/.authrealm-lock.sha256"
want=$(sha256sum "$op_dir/package-lock.json" | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    log "npm ci in $op_dir"
    (cd "$op_dir" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
    echo "$want" >"$stamp"
fi

TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/authrealm-oidc-bench.XXXXXX")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)'"$1"')'; }
wait_http() { # URL PID
    for _ in $(seq 300); do
        curl -fso /dev/null "$1" && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# ------------------------------------------------------------- AuthRealm ---
admin_password="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ar_port=$(free_port)
ar="http://127.0.0.1:$ar_port"
AUTHREALM_ADMIN_PASSWORD="$admin_password" "$AUTHREALMD" serve --data "$TMP_ROOT/data" \
    --listen "127.0.0.1:$ar_port" --public-url "$ar" >"$TMP_ROOT/authrealmd.log" 2>&1 &
PIDS+=($!)
wait_http "$ar/readyz" "${PIDS[-1]}" || { cat "$TMP_ROOT/authrealmd.log" >&2; die "authrealmd did not start"; }
log "authrealmd at $ar"

post_json() { # PATH BODY [TOKEN]
    curl -fsS -X POST "$ar$1" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} -d "$2"
}
admin=$(post_json /realms/master/authRealm/login "{\"email\":\"admin\",\"password\":\"$admin_password\"}" | json '["accessToken"]')
post_json /admin/realms '{"realm":"bench","displayName":"OIDC bench","settings":{}}' "$admin" >/dev/null
post_json /admin/realms/bench/apps '{"id":"api","displayName":"API"}' "$admin" >/dev/null
curl -fsS -X PUT "$ar/admin/realms/bench/apps/api/roles/reader" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $admin" -d '{"scopes":["api:read"]}' >/dev/null
client=$(post_json /admin/realms/bench/apps/api/clients '{"name":"bench","confidential":true,"tokenEndpointAuthMethod":"client_secret_basic","grantTypes":["client_credentials"],"allowedScopes":["api:read"],"redirectUris":[]}' "$admin") \
    || die "could not create the client_credentials client (POST /admin/realms/bench/apps/api/clients)"
ar_id=$(json '["clientId"]' <<<"$client")
ar_secret=$(json '["clientSecret"]' <<<"$client")
ar_basic=$(printf '%s:%s' "$ar_id" "$ar_secret" | base64 -w0)
ar_token=$(curl -fsS -u "$ar_id:$ar_secret" -d grant_type=client_credentials -d scope=api:read "$ar/realms/bench/oauth2/token" | json '["access_token"]') \
    || die "client_credentials failed on $ar/realms/bench/oauth2/token"

# ------------------------------------------------------- node-oidc-provider ---
op_port=$(free_port)
op="http://127.0.0.1:$op_port"
op_id=bench-client
op_secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
op_basic=$(printf '%s:%s' "$op_id" "$op_secret" | base64 -w0)
NODE_ENV=production node "$op_dir/server.mjs" "$op_port" "$op_id" "$op_secret" >"$TMP_ROOT/oidc-provider.log" 2>&1 &
PIDS+=($!)
wait_http "$op/.well-known/openid-configuration" "${PIDS[-1]}" || { cat "$TMP_ROOT/oidc-provider.log" >&2; die "oidc-provider did not start"; }
op_token=$(curl -fsS -u "$op_id:$op_secret" -d grant_type=client_credentials -d scope=api:read \
    -d resource=urn:authrealm:bench:opaque "$op/token" | json '["access_token"]')
log "oidc-provider $(node -p "require('$op_dir/node_modules/oidc-provider/package.json').version") at $op"

# ---------------------------------------------------------------- the load ---
run_wrk() { # NAME URL PATH BASIC BODY EXPECT -> "rate p99_ms errors"
    local out line
    out=$(BENCH_PATH="$3" BENCH_BASIC="$4" BENCH_BODY="$5" BENCH_EXPECT="$6" \
        wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --latency -s "$BENCH_LUA_DIR/oauth_form.lua" "$2" 2>&1) || die "wrk failed: $out"
    line=$(grep '^BENCH ' <<<"$out") || die "no BENCH line from wrk: $out"
    python3 - "$line" <<'PY'
import sys
f = dict(kv.split('=', 1) for kv in sys.argv[1].split()[1:])
ok, dur = int(f['ok']), int(f['duration_us']) / 1e6
errors = int(f['sother']) + int(f['s503']) + int(f['sockerr'])
print(f"{ok / dur:.0f} {int(f['p99_us']) / 1000:.1f} {errors}")
PY
}

log "load: wrk -t$THREADS -c$CONNS, ${DURATION}s per scenario, load average $(cut -d' ' -f1-3 /proc/loadavg)"
read -r ar_cc ar_cc_p99 ar_cc_err < <(run_wrk cc "$ar" /realms/bench/oauth2/token "$ar_basic" "grant_type=client_credentials&scope=api%3Aread" '"access_token"')
read -r op_cc op_cc_p99 op_cc_err < <(run_wrk cc "$op" /token "$op_basic" "grant_type=client_credentials&scope=api%3Aread" '"access_token"')
read -r ar_in ar_in_p99 ar_in_err < <(run_wrk introspect "$ar" /realms/bench/oauth2/introspect "$ar_basic" "token=$ar_token" '"active":true')
read -r op_in op_in_p99 op_in_err < <(run_wrk introspect "$op" /token/introspection "$op_basic" "token=$op_token" '"active":true')
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { python3 -c "print(f'{$1 / $2:.1f}x' if $2 > 0 else 'n/a')"; }
printf '%-28s %12s %12s %8s\n' "scenario" "AuthRealm" "oidc-provider" "ratio"
printf '%-28s %10s/s %10s/s %8s\n' "client_credentials tokens" "$ar_cc" "$op_cc" "$(ratio "$ar_cc" "$op_cc")"
printf '%-28s %9s ms %9s ms\n' "  p99 latency" "$ar_cc_p99" "$op_cc_p99"
printf '%-28s %10s/s %10s/s %8s\n' "introspections" "$ar_in" "$op_in" "$(ratio "$ar_in" "$op_in")"
printf '%-28s %9s ms %9s ms\n' "  p99 latency" "$ar_in_p99" "$op_in_p99"
printf '%-28s %12s %12s\n' "failed answers (cc/introspect)" "$ar_cc_err/$ar_in_err" "$op_cc_err/$op_in_err"
printf 'target: client_credentials >= 10x oidc-provider: %s; AuthRealm p99 < 50 ms: %s\n' \
    "$(python3 -c "print('met' if $op_cc > 0 and $ar_cc >= 10 * $op_cc else 'NOT met')")" \
    "$(python3 -c "print('met' if $ar_cc_p99 < 50 and $ar_in_p99 < 50 else 'NOT met')")"
