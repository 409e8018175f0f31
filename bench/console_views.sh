#!/usr/bin/env bash
# Console responsiveness at scale: opens the Users and Audit views (offscreen)
# on the 1,000,000-user / 10,000,000-event SQLite database that
# bench/admin_queries.sh seeds and caches, and prints the time to first rows,
# to a filtered list and to a complete chart (median, min, max of BENCH_RUNS
# runs). Targets: first rows < 100 ms, filter < 200 ms. Prints; asserts nothing.
#
#   bench/console_views.sh                  # uses (or seeds) the admin bench's cache
#   BENCH_CACHE=/path/to/data bench/console_views.sh
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${BENCH_USERS:-1000000}
EVENTS=${BENCH_EVENTS:-10000000}
RUNS=${BENCH_RUNS:-5}
CACHE=${BENCH_CACHE:-/tmp/authrealm-bench-large-$USERS-$EVENTS}
BIN=${AUTHREALM_BENCH_CONSOLE:-build/bin/authrealm-bench-console}
[[ -x $BIN ]] || { echo "build first: cmake --build build --target authrealm-bench-console" >&2; exit 1; }

if [[ ! -f $CACHE/authrealm.db ]]; then
    # The admin bench seeds the database (one-off, several minutes) and caches it.
    echo "[console-bench] no cached database in $CACHE: seeding it with bench/admin_queries.sh" >&2
    BENCH_CACHE=$CACHE BENCH_DURATION=1 bench/admin_queries.sh >/dev/null
fi
echo "[console-bench] load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# The first open of an older cached database migrates it (an index build on
# 10M rows: minutes, once). Let that happen outside the measured runs.
QT_QPA_PLATFORM=offscreen "$BIN" --data "$CACHE" --prepare
QT_QPA_PLATFORM=offscreen "$BIN" --data "$CACHE" --realm big --runs "$RUNS"
echo "[console-bench] load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
