#!/usr/bin/env bash
# Build AuthRealm with warnings as errors and run the whole test suite against
# SQLite and a throwaway PostgreSQL cluster.
#
#   scripts/test.sh                 everything (what CI runs)
#   scripts/test.sh -R tst_storage  extra arguments go to ctest
#
# The PostgreSQL cluster lives in a `mktemp -d` folder, listens on a Unix socket
# in that folder and on 127.0.0.1:<free port>, trusts local connections, and is
# stopped and deleted on every exit path. PostgreSQL refuses to run as root, so
# as root the cluster runs as the system user $AUTHREALM_PG_USER (default
# authrealm-test, created if missing). The suite sees:
#   AUTHREALM_TEST_POSTGRES=postgres://<user>@127.0.0.1:<port>/postgres  (superuser)
#   AUTHREALM_REQUIRE_POSTGRES=1   (fail instead of skipping when PostgreSQL is unreachable)
# It also starts a loopback SMTP catcher (tests/support/smtp_catcher.py, aiosmtpd)
# that writes every received mail as .eml into a `mktemp -d` folder, stopped and
# deleted on every exit path too. The suite sees:
#   AUTHREALM_TEST_SMTP=127.0.0.1:<port>   AUTHREALM_TEST_SMTP_DIR=<folder>
#   AUTHREALM_REQUIRE_SMTP=1       (fail instead of skipping when it is missing)
# Extra CMake arguments: AUTHREALM_CMAKE_ARGS (appended after the test settings).
# shellcheck disable=SC2317,SC2012  # trap handlers; fixed PostgreSQL paths
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'test.sh: %s\n' "$*" >&2; }

pg_tmp=""
pg_data=""
pg_user=""
final_printed=0
as_pg_user=()
smtp_tmp=""
smtp_pid=""

stop_smtp() {
    if [[ -n "$smtp_pid" ]]; then
        log "stopping the SMTP catcher"
        kill -TERM "$smtp_pid" 2>/dev/null || true
        wait "$smtp_pid" 2>/dev/null || true
    fi
    smtp_pid=""
    if [[ -n "$smtp_tmp" && -d "$smtp_tmp" ]]; then
        rm -rf -- "$smtp_tmp"
    fi
    smtp_tmp=""
}

stop_cluster() {
    if [[ -n "$pg_data" && -f "$pg_data/postmaster.pid" ]]; then
        log "stopping PostgreSQL"
        if ! (cd "$pg_tmp" && "${as_pg_user[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w -t 30 stop >/dev/null 2>&1); then
            # pg_ctl could not stop it: end the postmaster we started by its pid.
            local pid
            pid=$(head -n1 "$pg_data/postmaster.pid" 2>/dev/null || true)
            if [[ "$pid" =~ ^[0-9]+$ ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    if [[ -n "$pg_tmp" && -d "$pg_tmp" ]]; then
        rm -rf -- "$pg_tmp"
    fi
    pg_tmp=""
    pg_data=""
}

on_exit() {
    local status=$?
    trap - EXIT INT TERM
    stop_smtp
    stop_cluster
    if (( ! final_printed )); then
        printf 'test.sh: FAILED (exit status %d before the tests finished)\n' "$status"
    fi
    exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. dependencies and build ------------------------------------------------
bash scripts/install-deps.sh --test

build_dir=${AUTHREALM_BUILD_DIR:-build}
AUTHREALM_CMAKE_ARGS="-DAUTHREALM_WERROR=ON -DAUTHREALM_BUILD_TESTS=ON -DAUTHREALM_BUILD_CONSOLE=ON ${AUTHREALM_CMAKE_ARGS:-}" \
AUTHREALM_BUILD_DIR="$build_dir" \
    bash scripts/build.sh

# --- 2. throwaway PostgreSQL cluster ---------------------------------------------
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_bin=$(pg_config --bindir)
    else
        log "PostgreSQL server binaries (initdb, pg_ctl) not found"
        exit 1
    fi
fi

if (( EUID == 0 )); then
    pg_user=${AUTHREALM_PG_USER:-authrealm-test}
    if ! id -u "$pg_user" >/dev/null 2>&1; then
        log "creating system user $pg_user for the test cluster"
        useradd --system --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$pg_user"
    fi
    as_pg_user=(runuser -u "$pg_user" --)
else
    pg_user=$(id -un)
    as_pg_user=()
fi

pg_tmp=$(mktemp -d "${TMPDIR:-/tmp}/authrealm-pg.XXXXXX")
pg_data="$pg_tmp/data"
chmod 700 "$pg_tmp"
if (( EUID == 0 )); then
    chown "$pg_user:" "$pg_tmp"
fi

# Run every PostgreSQL command from inside the cluster folder: the unprivileged
# user may not be allowed to enter the repository's directory.
(cd "$pg_tmp" && "${as_pg_user[@]}" "$pg_bin/initdb" -D "$pg_data" -U "$pg_user" \
    --auth=trust --no-locale -E UTF8 --no-sync >"$pg_tmp/initdb.log" 2>&1) || {
    log "initdb failed:"; cat "$pg_tmp/initdb.log" >&2; exit 1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

started=0
for attempt in 1 2 3; do
    pg_port=$(free_port)
    # Settings live in an included file, so pg_ctl needs no -o quoting.
    cat >"$pg_data/authrealm-test.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
logging_collector = off
EOF
    if (( EUID == 0 )); then chown "$pg_user:" "$pg_data/authrealm-test.conf"; fi
    grep -q "^include_if_exists = 'authrealm-test.conf'" "$pg_data/postgresql.conf" ||
        echo "include_if_exists = 'authrealm-test.conf'" >>"$pg_data/postgresql.conf"
    if (cd "$pg_tmp" && "${as_pg_user[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_tmp/postgres.log" \
            -w -t 60 start >/dev/null 2>&1); then
        started=1
        break
    fi
    log "PostgreSQL did not start on port $pg_port (attempt $attempt)"
done
if (( ! started )); then
    log "PostgreSQL failed to start; server log:"
    cat "$pg_tmp/postgres.log" >&2 || true
    exit 1
fi

export AUTHREALM_TEST_POSTGRES="postgres://${pg_user}@127.0.0.1:${pg_port}/postgres"
export AUTHREALM_REQUIRE_POSTGRES=1

# Sanity check through exactly the URL the suite will use.
if command -v psql >/dev/null 2>&1; then
    pg_version=$(psql "$AUTHREALM_TEST_POSTGRES" -XAtqc 'show server_version' 2>&1) || {
        log "cannot connect to $AUTHREALM_TEST_POSTGRES: $pg_version"; exit 1; }
    log "PostgreSQL $pg_version up as '$pg_user' at $AUTHREALM_TEST_POSTGRES (socket dir $pg_tmp)"
else
    log "PostgreSQL up as '$pg_user' at $AUTHREALM_TEST_POSTGRES (socket dir $pg_tmp)"
fi

if [[ -n "${AUTHREALM_TEST_PG_HOOK:-}" ]]; then
    # Debugging aid: run a command while the cluster is up (e.g. a psql session).
    bash -c "$AUTHREALM_TEST_PG_HOOK"
fi

# --- 3. SMTP catcher ------------------------------------------------------------
# Debian's aiosmtpd lives in the system Python; a pyenv/venv python3 may lack it.
smtp_python=python3
if [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
    smtp_python=/usr/bin/python3
fi
smtp_tmp=$(mktemp -d "${TMPDIR:-/tmp}/authrealm-smtp.XXXXXX")
smtp_started=0
for attempt in 1 2 3; do
    smtp_port=$(free_port)
    rm -f "$smtp_tmp/ready"
    "$smtp_python" tests/support/smtp_catcher.py --listen "127.0.0.1:$smtp_port" --dir "$smtp_tmp/mail" \
        --ready-file "$smtp_tmp/ready" >"$smtp_tmp/catcher.log" 2>&1 &
    smtp_pid=$!
    for _ in $(seq 1 100); do
        [[ -s "$smtp_tmp/ready" ]] && break
        kill -0 "$smtp_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ -s "$smtp_tmp/ready" ]]; then
        smtp_started=1
        break
    fi
    log "SMTP catcher did not start on port $smtp_port (attempt $attempt)"
    kill -TERM "$smtp_pid" 2>/dev/null || true
    wait "$smtp_pid" 2>/dev/null || true
    smtp_pid=""
done
if (( ! smtp_started )); then
    log "SMTP catcher failed to start:"; cat "$smtp_tmp/catcher.log" >&2 || true
    exit 1
fi
export AUTHREALM_TEST_SMTP="127.0.0.1:$smtp_port"
export AUTHREALM_TEST_SMTP_DIR="$smtp_tmp/mail"
export AUTHREALM_REQUIRE_SMTP=1
log "SMTP catcher up at $AUTHREALM_TEST_SMTP, mails in $AUTHREALM_TEST_SMTP_DIR"

# --- 4. tests ------------------------------------------------------------------
test_count=$(ctest --test-dir "$build_dir" -N "$@" | sed -n 's/^Total Tests: *\([0-9]*\).*/\1/p')
if [[ -z "$test_count" || "$test_count" -eq 0 ]]; then
    final_printed=1
    echo "test.sh: FAILED (ctest found no tests in $build_dir)"
    exit 1
fi
log "running $test_count tests"

set +e
QT_QPA_PLATFORM=offscreen ctest --test-dir "$build_dir" --output-on-failure -j2 \
    --no-tests=error --timeout 600 "$@"
ctest_status=$?
set -e

final_printed=1
if (( ctest_status == 0 )); then
    echo "test.sh: PASSED ($test_count tests, SQLite + PostgreSQL $pg_port, SMTP catcher $smtp_port)"
else
    echo "test.sh: FAILED (ctest exit code $ctest_status, $test_count tests)"
fi
exit "$ctest_status"
