#!/usr/bin/env bash
# Configure and build AuthRealm into build/ (binaries in build/bin/).
# Extra CMake arguments: AUTHREALM_CMAKE_ARGS="-DAUTHREALM_BUILD_CONSOLE=OFF ..."
# Dependency flags (e.g. --test) are passed on to install-deps.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh "$@"

build_dir=${AUTHREALM_BUILD_DIR:-build}
extra_args=()
if [[ -n "${AUTHREALM_CMAKE_ARGS:-}" ]]; then
    # Word-split on purpose: the variable holds several -D options.
    read -r -a extra_args <<<"$AUTHREALM_CMAKE_ARGS"
fi

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${extra_args[@]}"
cmake --build "$build_dir" --parallel
