#!/usr/bin/env bash
# AuthRealm benchmark: argon2id bound, password logins over HTTP (SQLite),
# /healthz latency during the login flood, refresh-token rotations (SQLite and,
# when available, a throwaway PostgreSQL cluster), error rates, CPU per request
# and peak server RSS. Prints one table. See bench/README.md.
#
# Environment:
#   BENCH_DURATION        seconds per HTTP scenario          (default 15)
#   BENCH_RUNS            runs per scenario, median reported (default 3)
#   BENCH_BOUND_SECONDS   seconds for the argon2id bound     (default 5)
#   BENCH_LOGIN_THREADS / BENCH_LOGIN_CONNECTIONS  wrk -t/-c for logins (2 / 16)
#   BENCH_CHAINS          refresh chains (= wrk threads = connections) (default 8)
#   BENCH_USERS           users in the bench realm           (default 64)
#   BENCH_POSTGRES        auto | 0 (skip PostgreSQL)         (default auto)
#   BENCH_INSTALL         1: apt-get install wrk/postgresql when missing (default 1)
#   AUTHREALMD, AUTHREALM_BENCH_ARGON2  binaries (default build/bin/...)
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="$ROOT/bench"
AUTHREALMD="${AUTHREALMD:-$ROOT/build/bin/authrealmd}"
ARGON2_BENCH="${AUTHREALM_BENCH_ARGON2:-$ROOT/build/bin/authrealm-bench-argon2}"

DURATION="${BENCH_DURATION:-15}"
RUNS="${BENCH_RUNS:-3}"
BOUND_SECONDS="${BENCH_BOUND_SECONDS:-5}"
LOGIN_THREADS="${BENCH_LOGIN_THREADS:-2}"
LOGIN_CONNS="${BENCH_LOGIN_CONNECTIONS:-16}"
CHAINS="${BENCH_CHAINS:-8}"
USERS="${BENCH_USERS:-64}"
WANT_PG="${BENCH_POSTGRES:-auto}"
INSTALL="${BENCH_INSTALL:-1}"
NPROC="$(nproc)"
REALM=bench
PASSWORD='SecurePassword123!'
PG_USER=authrealm-bench
CLK_TCK="$(getconf CLK_TCK)"

(( USERS >= CHAINS )) || USERS=$CHAINS
(( LOGIN_CONNS >= LOGIN_THREADS )) || LOGIN_CONNS=$LOGIN_THREADS
(( DURATION >= 3 )) || DURATION=3

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup ---
TMP_ROOT=""
SERVER_PIDS=()
CHILD_PIDS=()
PG_CTL=""
PG_DATA=""
cleanup() {
    local rc=$?
    set +e
    for pid in "${CHILD_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${SERVER_PIDS[@]}" "${CHILD_PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [[ -n "$PG_CTL" && -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
        run_as_pg "$PG_CTL" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1
    fi
    [[ -n "$TMP_ROOT" && -d "$TMP_ROOT" ]] && rm -rf "$TMP_ROOT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP_ROOT="$(mktemp -d /tmp/authrealm-bench.XXXXXX)"
chmod 755 "$TMP_ROOT"

# ----------------------------------------------------------- prerequisites ---
apt_install() {
    [[ "$INSTALL" == 1 ]] || return 1
    local sudo=""
    [[ $EUID -eq 0 ]] || sudo="sudo"
    log "installing $* with apt-get"
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

command -v wrk >/dev/null || apt_install wrk || die "wrk is missing (apt-get install wrk)"
command -v curl >/dev/null || apt_install curl || die "curl is missing"
[[ -x "$AUTHREALMD" ]] || die "$AUTHREALMD not found: cmake --build $ROOT/build"
[[ -x "$ARGON2_BENCH" ]] || die "$ARGON2_BENCH not found: cmake --build $ROOT/build"

free_port() {
    local port
    for _ in $(seq 200); do
        port=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
           && ! grep -qi ":$(printf '%04X' "$port") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
            echo "$port"; return 0
        fi
    done
    die "no free port found"
}

# ------------------------------------------------------------ statistics ---
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else printf "%.6g\n", (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { local d="$1"; shift; printf '%s\n' "$@" | sort -g | awk -v d="$d" 'NR==1{lo=$1} {hi=$1} END {if (NR>1) printf "%.*f..%.*f", d, lo, d, hi}'; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "n/a" || v == "") print "n/a"; else printf "%.*f", d, v }'; }
# key=value from a BENCH line
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
vm_hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ------------------------------------------------------------ realm data ---
make_realm() {
    local seed="$TMP_ROOT/seed" hash
    mkdir -p "$seed"
    cat >"$seed/realm.json" <<EOF
{"realm": "seed", "apps": [{"id": "benchapp", "roles": [{"name": "Reader", "scopes": ["bench:read"]}]}],
 "users": [{"email": "seed@example.com", "password": "$PASSWORD", "memberships": [{"app": "benchapp", "roles": ["Reader"]}]}]}
EOF
    "$AUTHREALMD" import "$seed/realm.json" --data "$seed/data" >"$seed/import.log" 2>&1 \
        || { cat "$seed/import.log" >&2; die "seed import failed"; }
    hash="$("$AUTHREALMD" export seed --data "$seed/data" 2>/dev/null \
            | sed -n 's/.*"passwordHash": *"\([^"]*\)".*/\1/p' | head -n1)"
    [[ "$hash" == '$argon2id$'* ]] || die "could not obtain an argon2id hash from export"
    {
        printf '{"realm": "%s", "displayName": "Bench", "settings": {"accessTokenLifetime": 900},\n' "$REALM"
        printf ' "apps": [{"id": "benchapp", "displayName": "Bench", "roles": [{"name": "Reader", "scopes": ["bench:read", "bench:write"]}]}],\n'
        printf ' "users": [\n'
        local i
        for (( i = 0; i < USERS; i++ )); do
            printf '  {"email": "bench-%d@example.com", "passwordHash": "%s", "memberships": [{"app": "benchapp", "roles": ["Reader"]}]}%s\n' \
                "$i" "$hash" "$([[ $i -lt $((USERS - 1)) ]] && echo ,)"
        done
        printf ' ]}\n'
    } >"$TMP_ROOT/realm.json"
}

# ---------------------------------------------------------------- servers ---
# start_server NAME PORT ARGS... ; sets SERVER_PID
start_server() {
    local name="$1" port="$2"; shift 2
    local logf="$TMP_ROOT/$name.log"
    AUTHREALM_ADMIN_PASSWORD="bench-admin-$RANDOM$RANDOM-Pw!" \
        "$AUTHREALMD" serve --listen "127.0.0.1:$port" "$@" >"$logf" 2>&1 &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
    for _ in $(seq 100); do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$logf" >&2; log "$name server exited at startup"; return 1; }
        curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
        sleep 0.1
    done
    tail -n 20 "$logf" >&2
    log "$name server did not answer /healthz"
    return 1
}

check_alive() { # NAME PID
    if ! kill -0 "$2" 2>/dev/null; then
        log "SERVER PROBLEM: the $1 server (pid $2) is gone; log tail:"
        tail -n 30 "$TMP_ROOT/$1.log" >&2
        die "$1 server died during the benchmark"
    fi
}

# login_tokens PORT COUNT FILE: one fresh refresh token per line (user i)
login_tokens() {
    local port="$1" n="$2" out="$3" i body tok
    : >"$out"
    for (( i = 0; i < n; i++ )); do
        body="$(curl -sS -X POST -H 'Content-Type: application/json' \
                -d "{\"email\":\"bench-$i@example.com\",\"password\":\"$PASSWORD\"}" \
                "http://127.0.0.1:$port/realms/$REALM/authRealm/login")"
        tok="$(sed -n 's/.*"refreshToken" *: *"\([^"]*\)".*/\1/p' <<<"$body")"
        [[ -n "$tok" ]] || die "seed login for bench-$i failed: ${body:0:200}"
        echo "$tok" >>"$out"
    done
}

# start_wrk OUTFILE WRK-ARGS... : wrk in the background (WRK_PID); the
# environment passes the Lua parameters. wrk_result OUTFILE prints its BENCH line.
start_wrk() {
    local out="$1"; shift
    BENCH_LUA_DIR="$BENCH_DIR/lua" wrk --timeout 10s "$@" >"$out" 2>&1 &
    WRK_PID=$!
    CHILD_PIDS+=("$WRK_PID")
}
wrk_result() {
    local line
    line="$(grep '^BENCH ' "$1" | tail -n1 || true)"
    [[ -n "$line" ]] || { cat "$1" >&2; die "wrk produced no result ($1)"; }
    echo "$line"
}

# errors = non-2xx + socket errors; total = responses + connect errors + timeouts
err_rate() {
    local l="$1"
    awk -v req="$(field "$l" requests)" -v ok="$(field "$l" ok)" \
        -v sock="$(field "$l" sockerr)" -v con="$(field "$l" connect)" -v to="$(field "$l" timeout)" \
        'BEGIN { tot = req + con + to; bad = (req - ok) + sock; if (tot == 0) print 0; else printf "%.6f", bad / tot }'
}
rate_of() { # BENCH-line -> 2xx per second
    awk -v ok="$(field "$1" ok)" -v d="$(field "$1" duration_us)" 'BEGIN { printf "%.2f", ok / (d / 1e6) }'
}

# --------------------------------------------------------------- PostgreSQL ---
run_as_pg() {
    if [[ $EUID -eq 0 ]]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

stop_postgres() {
    if [[ -n "$PG_CTL" && -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
        run_as_pg "$PG_CTL" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

PG_URL=""
setup_postgres() {
    [[ "$WANT_PG" != 0 ]] || return 1
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
    if [[ -z "$bindir" ]]; then
        apt_install postgresql || { log "PostgreSQL unavailable: skipping"; return 1; }
        bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
        [[ -n "$bindir" ]] || return 1
    fi
    local pguser
    if [[ $EUID -eq 0 ]]; then
        id "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
        pguser="$PG_USER"
    else
        pguser="$(id -un)"
    fi
    local dir="$TMP_ROOT/pg"
    mkdir -p "$dir"
    [[ $EUID -ne 0 ]] || chown "$PG_USER" "$dir"
    PG_DATA="$dir/data"
    PG_PORT="$(free_port)"
    run_as_pg "$bindir/initdb" -D "$PG_DATA" -U "$pguser" -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; log "initdb failed: skipping PostgreSQL"; return 1; }
    PG_CTL="$bindir/pg_ctl"
    run_as_pg "$PG_CTL" -D "$PG_DATA" -l "$dir/postgres.log" -w -t 30 \
        -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 \
        || { cat "$dir/postgres.log" >&2; log "PostgreSQL did not start: skipping"; return 1; }
    run_as_pg "$bindir/createdb" -h "$dir" -p "$PG_PORT" -U "$pguser" authrealm \
        || { log "createdb failed: skipping PostgreSQL"; return 1; }
    PG_URL="postgres://$pguser@127.0.0.1:$PG_PORT/authrealm"
    PG_VERSION="$("$bindir/postgres" --version | awk '{print $3}')"
}

# ================================================================= main ===
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "machine: $NPROC cores; $RUNS run(s) of ${DURATION}s per scenario; logins wrk -t$LOGIN_THREADS -c$LOGIN_CONNS; $CHAINS refresh chains"
make_realm

SQLITE_DIR="$TMP_ROOT/sqlite"
"$AUTHREALMD" import "$TMP_ROOT/realm.json" --data "$SQLITE_DIR" >"$TMP_ROOT/import-sqlite.log" 2>&1 \
    || { cat "$TMP_ROOT/import-sqlite.log" >&2; die "import into SQLite failed"; }
SQLITE_PORT="$(free_port)"
start_server sqlite "$SQLITE_PORT" --data "$SQLITE_DIR" || die "the SQLite server did not start"
SQLITE_PID=$SERVER_PID
log "SQLite server pid $SQLITE_PID on 127.0.0.1:$SQLITE_PORT"

HAVE_PG=0
PG_NOTE="skipped (PostgreSQL not available; BENCH_POSTGRES=$WANT_PG)"
if setup_postgres; then
    PG_KEY="$TMP_ROOT/pg-master.key"
    if ! "$AUTHREALMD" import "$TMP_ROOT/realm.json" --database "$PG_URL" --key-file "$PG_KEY" \
            >"$TMP_ROOT/import-pg.log" 2>&1; then
        log "SERVER PROBLEM: 'authrealmd import' into PostgreSQL failed:"
        sed 's/^/    /' "$TMP_ROOT/import-pg.log" >&2
        PG_NOTE="FAILED: import into PostgreSQL: $(grep -m1 -iE 'error|failed' "$TMP_ROOT/import-pg.log" | cut -c1-110)"
        stop_postgres
    else
        PGS_PORT="$(free_port)"
        if start_server postgres "$PGS_PORT" --database "$PG_URL" --key-file "$PG_KEY" --data "$TMP_ROOT/pg-srvdata"; then
            PG_SERVER_PID=$SERVER_PID
            HAVE_PG=1
            log "PostgreSQL $PG_VERSION on port $PG_PORT; server pid $PG_SERVER_PID on 127.0.0.1:$PGS_PORT"
        else
            log "SERVER PROBLEM: authrealmd did not start on PostgreSQL"
            PG_NOTE="FAILED: authrealmd serve on PostgreSQL did not start (see log above)"
            stop_postgres
        fi
    fi
fi

declare -a B_RATE L_RATE L_P50 L_P99 L_ERR L_RATIO L_CPU H_P50 H_P99 H_ERR R_RATE R_P50 R_P99 R_ERR R_CPU P_RATE P_P50 P_P99 P_ERR P_CPU
L_TOT=0; L_503=0; L_OTHER=0; L_SOCK=0; L_CODES=""
H_TOT=0; H_BAD=0
R_TOT=0; R_BAD=0; R_CODES=""
P_TOT=0; P_BAD=0; P_CODES=""

HEALTH_DURATION=$(( DURATION - 2 ))

for (( run = 1; run <= RUNS; run++ )); do
    # 1. argon2id bound (servers idle), measured before and after the login
    #    flood; the ratio uses their mean, so both see similar machine noise.
    bound_a="$("$ARGON2_BENCH" "$BOUND_SECONDS" "$NPROC" | tail -n1)"

    # 2 + 3. login flood with a /healthz sampler running alongside
    out="$TMP_ROOT/login-$run.txt"; hout="$TMP_ROOT/healthz-$run.txt"
    c0="$(cpu_ticks "$SQLITE_PID")"
    BENCH_PATH="/realms/$REALM/authRealm/login" BENCH_USERS="$USERS" BENCH_PASSWORD="$PASSWORD" \
        start_wrk "$out" -t"$LOGIN_THREADS" -c"$LOGIN_CONNS" -d"${DURATION}s" \
        -s "$BENCH_DIR/lua/login.lua" "http://127.0.0.1:$SQLITE_PORT"
    lpid=$WRK_PID
    sleep 1
    BENCH_DELAY_MS=5 start_wrk "$hout" -t1 -c2 -d"${HEALTH_DURATION}s" \
        -s "$BENCH_DIR/lua/healthz.lua" "http://127.0.0.1:$SQLITE_PORT/healthz"
    hpid=$WRK_PID
    wait "$hpid" || true
    wait "$lpid" || true
    c1="$(cpu_ticks "$SQLITE_PID")"
    check_alive sqlite "$SQLITE_PID"
    line="$(wrk_result "$out")"
    hline="$(wrk_result "$hout")"

    sleep 2 # let logins still queued in the server finish before measuring again
    bound_b="$("$ARGON2_BENCH" "$BOUND_SECONDS" "$NPROC" | tail -n1)"
    bound="$(awk -v a="$bound_a" -v b="$bound_b" 'BEGIN { printf "%.1f", (a + b) / 2 }')"
    B_RATE+=("$bound")
    log "run $run: argon2id bound $bound_a / $bound_b verifications/s (before / after the login flood)"
    rate="$(rate_of "$line")"
    L_RATE+=("$rate")
    L_P50+=("$(field "$line" p50_us)"); L_P99+=("$(field "$line" p99_us)")
    L_ERR+=("$(err_rate "$line")")
    L_RATIO+=("$(awk -v a="$rate" -v b="$bound" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')")
    L_CPU+=("$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$(field "$line" ok)" 'BEGIN { printf "%.2f", (n > 0 ? t * 1000 / hz / n : 0) }')")
    L_TOT=$(( L_TOT + $(field "$line" requests) ))
    L_503=$(( L_503 + $(field "$line" s503) )); L_OTHER=$(( L_OTHER + $(field "$line" sother) ))
    L_SOCK=$(( L_SOCK + $(field "$line" sockerr) ))
    L_CODES+=" $(field "$line" codes)"
    H_P50+=("$(field "$hline" p50_us)"); H_P99+=("$(field "$hline" p99_us)")
    H_ERR+=("$(err_rate "$hline")")
    H_TOT=$(( H_TOT + $(field "$hline" requests) ))
    H_BAD=$(( H_BAD + $(field "$hline" requests) - $(field "$hline" ok) + $(field "$hline" sockerr) ))
    log "run $run: logins $rate/s (ratio ${L_RATIO[-1]}), p99 $(field "$line" p99_us) us, codes $(field "$line" codes); /healthz p99 $(field "$hline" p99_us) us"

    # 4. refresh rotations, chained, on SQLite then PostgreSQL
    for db in sqlite postgres; do
        if [[ $db == sqlite ]]; then port=$SQLITE_PORT; pid=$SQLITE_PID
        else [[ $HAVE_PG == 1 ]] || continue; port=$PGS_PORT; pid=$PG_SERVER_PID; fi
        tokens="$TMP_ROOT/tokens-$db-$run.txt"
        login_tokens "$port" "$CHAINS" "$tokens"
        out="$TMP_ROOT/refresh-$db-$run.txt"
        c0="$(cpu_ticks "$pid")"
        BENCH_PATH="/realms/$REALM/authRealm/refresh" BENCH_TOKENS="$tokens" \
            start_wrk "$out" -t"$CHAINS" -c"$CHAINS" -d"${DURATION}s" \
            -s "$BENCH_DIR/lua/refresh.lua" "http://127.0.0.1:$port"
        wait "$WRK_PID" || true
        c1="$(cpu_ticks "$pid")"
        check_alive "$db" "$pid"
        line="$(wrk_result "$out")"
        rate="$(rate_of "$line")"
        cpu="$(awk -v t=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$(field "$line" ok)" 'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }')"
        bad=$(( $(field "$line" requests) - $(field "$line" ok) + $(field "$line" sockerr) ))
        if [[ $db == sqlite ]]; then
            R_RATE+=("$rate"); R_P50+=("$(field "$line" p50_us)"); R_P99+=("$(field "$line" p99_us)")
            R_ERR+=("$(err_rate "$line")"); R_CPU+=("$cpu")
            R_TOT=$(( R_TOT + $(field "$line" requests) )); R_BAD=$(( R_BAD + bad )); R_CODES+=" $(field "$line" codes)"
        else
            P_RATE+=("$rate"); P_P50+=("$(field "$line" p50_us)"); P_P99+=("$(field "$line" p99_us)")
            P_ERR+=("$(err_rate "$line")"); P_CPU+=("$cpu")
            P_TOT=$(( P_TOT + $(field "$line" requests) )); P_BAD=$(( P_BAD + bad )); P_CODES+=" $(field "$line" codes)"
        fi
        log "run $run: refresh on $db $rate/s, p99 $(field "$line" p99_us) us, codes $(field "$line" codes)"
    done
done

SQLITE_HWM="$(vm_hwm_kb "$SQLITE_PID")"
[[ $HAVE_PG == 1 ]] && PG_HWM="$(vm_hwm_kb "$PG_SERVER_PID")"

# ------------------------------------------------------------------ table ---
ms() { fmt "$(awk -v u="$1" 'BEGIN { if (u == "n/a") print "n/a"; else print u / 1000 }')" "${2:-1}"; }
pct() { awk -v r="$1" 'BEGIN { printf "%.2f%%", r * 100 }'; }
sum_codes() { tr ' ,' '\n\n' <<<"$1" | awk -F x 'NF == 2 { n[$1] += $2 } END { s = ""; for (c in n) s = s (s ? " " : "") c ":" n[c]; print s }' | tr ' ' '\n' | sort -n | paste -sd' '; }
range() { local r; r="$(minmax "$@")"; [[ -n "$r" ]] && echo " ($r)"; } # DECIMALS VALUES...

echo
echo "AuthRealm benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $NPROC cores, $(uname -r)"
echo "medians of $RUNS run(s) (min..max in parentheses); ${DURATION}s per HTTP scenario; wrk on the same machine"
echo "load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the box skews every figure)"
echo
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "scenario" "throughput" "p50 ms" "p99 ms" "errors (non-2xx/total)" "server CPU ms/req"
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "--------" "----------" "------" "------" "----------------------" "-----------------"
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "argon2id bound (m=19MiB t=2, $NPROC threads)" \
    "$(fmt "$(median "${B_RATE[@]}")") verif/s$(range 1 "${B_RATE[@]}")" "-" "-" "-" "-"
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "password login, SQLite (wrk -t$LOGIN_THREADS -c$LOGIN_CONNS)" \
    "$(fmt "$(median "${L_RATE[@]}")") /s$(range 1 "${L_RATE[@]}")" "$(ms "$(median "${L_P50[@]}")")" "$(ms "$(median "${L_P99[@]}")")" \
    "$(pct "$(median "${L_ERR[@]}")")" "$(median "${L_CPU[@]}")"
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "  ratio logins/s / argon2id bound (>= 0.85)" \
    "$(fmt "$(median "${L_RATIO[@]}")" 3)$(range 3 "${L_RATIO[@]}")" "" "" "" ""
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "/healthz during the login flood (sampler)" \
    "-" "$(ms "$(median "${H_P50[@]}")" 2)" "$(ms "$(median "${H_P99[@]}")" 2)" "$(pct "$(median "${H_ERR[@]}")")" "-"
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "refresh rotation, SQLite ($CHAINS chains)" \
    "$(fmt "$(median "${R_RATE[@]}")") /s$(range 1 "${R_RATE[@]}")" "$(ms "$(median "${R_P50[@]}")" 2)" "$(ms "$(median "${R_P99[@]}")" 2)" \
    "$(pct "$(median "${R_ERR[@]}")")" "$(median "${R_CPU[@]}")"
if [[ $HAVE_PG == 1 ]]; then
printf '%-48s %-26s %-9s %-9s %-24s %s\n' "refresh rotation, PostgreSQL $PG_VERSION ($CHAINS chains)" \
    "$(fmt "$(median "${P_RATE[@]}")") /s$(range 1 "${P_RATE[@]}")" "$(ms "$(median "${P_P50[@]}")" 2)" "$(ms "$(median "${P_P99[@]}")" 2)" \
    "$(pct "$(median "${P_ERR[@]}")")" "$(median "${P_CPU[@]}")"
else
printf '%-48s %s\n' "refresh rotation, PostgreSQL" "$PG_NOTE"
fi
echo
echo "status codes over all runs (code:count):"
echo "  login    $(sum_codes "$L_CODES")   [503 load-shed: $L_503, other non-2xx: $L_OTHER, socket errors: $L_SOCK, total: $L_TOT]"
echo "  healthz  non-2xx+socket errors: $H_BAD of $H_TOT"
echo "  refresh  SQLite $(sum_codes "$R_CODES")   [errors: $R_BAD of $R_TOT]"
[[ $HAVE_PG == 1 ]] && echo "  refresh  PostgreSQL $(sum_codes "$P_CODES")   [errors: $P_BAD of $P_TOT]"
echo
echo "peak server RSS (VmHWM): SQLite server $(( SQLITE_HWM / 1024 )) MiB$( [[ $HAVE_PG == 1 ]] && echo "; PostgreSQL server $(( PG_HWM / 1024 )) MiB")"

# Anything unusual the servers logged (warnings, errors) — for the developers.
for name in sqlite postgres; do
    f="$TMP_ROOT/$name.log"
    [[ -f "$f" ]] || continue
    n="$(grep -ciE 'warn|crit|fatal|error|abort|segv' "$f" || true)"
    if [[ "$n" -gt 0 ]]; then
        echo
        echo "server log ($name): $n warning/error line(s); first ones:"
        grep -iE 'warn|crit|fatal|error|abort|segv' "$f" | sort | uniq -c | sort -rn | head -n 8 | sed 's/^/  /'
    fi
done
