#!/usr/bin/env bash
# Build AuthRealm and run the headless server on the embedded SQLite default.
#   scripts/run.sh                          serve on 127.0.0.1:8080, data in ~/.local/share/authrealm
#   scripts/run.sh --listen 0.0.0.0:9000    any `authrealmd serve` option is passed through
#   AUTHREALM_ADMIN_PASSWORD=... scripts/run.sh   create the admin account without a setup code
# The server prints its URL and either a one-time setup code or how to sign in as admin.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh >&2
exec "${AUTHREALM_BUILD_DIR:-build}/bin/authrealmd" serve "$@"
