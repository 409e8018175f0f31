#!/usr/bin/env bash
# Install AuthRealm's build (and optionally test/benchmark) dependencies with apt
# on Debian 12 / Ubuntu. Idempotent: when everything is present it installs
# nothing, does not run `apt-get update`, and prints nothing.
#
#   scripts/install-deps.sh            build dependencies
#   scripts/install-deps.sh --test     + PostgreSQL server, Xvfb, sqlite3, curl, python3, oathtool, and for
#                                        the OpenID relying-party suite (tests/oidc): chromium, apache2,
#                                        libapache2-mod-auth-openidc, nodejs, npm
#   scripts/install-deps.sh --bench    + the same tools plus wrk
set -euo pipefail

want_test=0
want_bench=0
for arg in "$@"; do
    case "$arg" in
        --test) want_test=1 ;;
        --bench) want_test=1; want_bench=1 ;;
        -h|--help)
            sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

packages=(
    build-essential cmake ninja-build pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6sql6-psql
    qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools
    libsodium-dev libssl-dev libgl-dev libcurl4-openssl-dev libzxcvbn-dev libqrencode-dev
    libqt6svg6 qtkeychain-qt6-dev qt6-translations-l10n
)
if (( want_test || want_bench )); then
    packages+=(postgresql xvfb xauth wrk sqlite3 curl python3 python3-aiosmtpd oathtool
               chromium apache2 libapache2-mod-auth-openidc nodejs npm)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: this script needs apt/dpkg (Debian 12 or Ubuntu)." >&2
    echo "Install by hand: ${packages[*]}" >&2
    exit 1
fi

missing=()
for pkg in "${packages[@]}"; do
    # A Node.js from elsewhere (e.g. NodeSource's nodejs, which bundles npm and
    # conflicts with Debian's npm package) counts as present.
    if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v "${pkg/nodejs/node}" >/dev/null 2>&1; then
        continue
    fi
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

(( ${#missing[@]} == 0 )) && exit 0

if (( EUID == 0 )); then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    echo "install-deps.sh: missing packages (${missing[*]}) and not root, no sudo available." >&2
    exit 1
fi

echo "install-deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
