#!/usr/bin/env bash
# CTest entry point of the OpenID relying-party suite (tests/oidc/README.md).
#
#   run-suite.sh --install-only                  npm ci when node_modules is missing or the lock changed
#   run-suite.sh BACKEND AUTHREALMD ARTIFACTS    BACKEND: sqlite | postgres
#
# The npm packages go to tests/oidc/node_modules (gitignored), installed with
# `npm ci` from the committed package-lock.json (so the npm cache serves repeat
# runs offline); a stamp with the lock's hash skips the install next time.
# postgres without $AUTHREALM_TEST_POSTGRES: exit 77 (CTest shows "skipped"),
# unless AUTHREALM_REQUIRE_POSTGRES=1, which fails instead.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

install_packages() {
    local stamp="$here/node_modules/.authrealm-lock.sha256" want
    want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
    # Two suites (SQLite, PostgreSQL) may start together: one installs, the other waits.
    exec 9>"$here/.npm-install.lock"
    flock 9
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    echo "run-suite.sh: npm ci in $here" >&2
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --prefer-offline --loglevel=error)
    echo "$want" >"$stamp"
}

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "run-suite.sh: $tool is missing: run scripts/install-deps.sh --test" >&2; exit 1; }
done

if [[ "${1:-}" == "--install-only" ]]; then
    install_packages
    exit 0
fi

backend=$1 authrealmd=$2 artifacts=$3
if [[ "$backend" == postgres && -z "${AUTHREALM_TEST_POSTGRES:-}" ]]; then
    if [[ "${AUTHREALM_REQUIRE_POSTGRES:-}" == 1 ]]; then
        echo "run-suite.sh: AUTHREALM_REQUIRE_POSTGRES=1 but AUTHREALM_TEST_POSTGRES is not set" >&2
        exit 1
    fi
    echo "SKIP: no PostgreSQL for the relying-party suite (AUTHREALM_TEST_POSTGRES is not set; scripts/test.sh starts one)"
    exit 77
fi
for need in /usr/bin/chromium /usr/sbin/apache2 /usr/lib/apache2/modules/mod_auth_openidc.so; do
    [[ -e "${AUTHREALM_CHROMIUM:-}" && "$need" == /usr/bin/chromium ]] && continue
    [[ -e "$need" ]] || { echo "run-suite.sh: $need is missing: run scripts/install-deps.sh --test" >&2; exit 1; }
done
install_packages
exec node "$here/harness.mjs" --backend "$backend" --authrealmd "$authrealmd" --artifacts "$artifacts"
