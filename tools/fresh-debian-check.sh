#!/usr/bin/env bash
# Does the README's set-up work on a machine that has nothing installed?
# Builds a minimal Debian 12 root with mmdebstrap, clones the committed HEAD of
# this checkout into it, and runs the README's install + build there
# (scripts/install-deps.sh --test, then scripts/build.sh). A package that this
# machine happens to have but the scripts do not install shows up here.
#
#   tools/fresh-debian-check.sh                        install + build (the README's first command, without serving)
#   FRESH_RUN='bash scripts/test.sh' tools/fresh-debian-check.sh   the whole suite in the fresh root
#   FRESH_KEEP=1 tools/fresh-debian-check.sh           keep the root afterwards for a look
#   FRESH_MIRROR=http://deb.debian.org/debian          the Debian mirror (default: that one)
#
# Needs root, mmdebstrap (installed with apt when missing) and 10-20 minutes
# on 2 cores, most of it the build. Uncommitted changes are not part of the
# check: it clones what is committed.
set -uo pipefail
proj=$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null) \
    || { echo "fresh-debian-check: run it inside the project's checkout" >&2; exit 2; }
(( EUID == 0 )) || { echo "fresh-debian-check: needs root (mmdebstrap, chroot, mounts)" >&2; exit 2; }
run=${FRESH_RUN:-"bash scripts/install-deps.sh --test && bash scripts/build.sh"}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
if ! command -v mmdebstrap >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null \
        || { echo "fresh-debian-check: cannot install mmdebstrap" >&2; exit 1; }
fi
root=$(mktemp -d /tmp/fresh-debian.XXXX)
log=$root.log
cleanup() {
    for m in proc sys dev; do umount -l "$root/$m" 2>/dev/null; done
    if [[ "${FRESH_KEEP:-0}" == 1 ]]; then echo "fresh-debian-check: root kept at $root"; else rm -rf "$root"; fi
}
trap cleanup EXIT
echo "fresh-debian-check: making a minimal Debian 12 root (log: $log)"
mmdebstrap --variant=minbase --include=ca-certificates,git,sudo bookworm "$root" "$mirror" >"$log" 2>&1 \
    || { echo "fresh-debian-check: mmdebstrap failed: $(tail -1 "$log")"; exit 1; }
head=$(git -C "$proj" rev-parse --short HEAD) # what the clone holds, even if HEAD moves meanwhile
git clone -q "$proj" "$root/root/project" || { echo "fresh-debian-check: git clone failed"; exit 1; }
for m in proc sys dev; do mount --rbind "/$m" "$root/$m"; done
# The network this runs on may pass HTTPS through a proxy whose CA only this
# host trusts (seen: npm ci failing with SELF_SIGNED_CERT_IN_CHAIN). Trust the
# host's locally added CAs in the root too, for OpenSSL and for Node.js (which
# otherwise reads only its bundled list); a new user's own machine needs none.
extra_ca=""
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >>"$log" 2>&1
    extra_ca="NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt"
fi
echo "fresh-debian-check: running in the fresh root: $run"
start=$(date +%s)
if chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 $extra_ca \
        /bin/bash -c "cd /root/project && $run" >>"$log" 2>&1; then
    echo "fresh-debian-check: PASSED in $(( $(date +%s) - start )) s (committed HEAD $head)"
else
    echo "fresh-debian-check: FAILED at committed HEAD $head; the first errors:"
    grep -m8 -E 'Could NOT find Qt6|CMake Error|error:|^E: |FAILED|Failed' "$log" | cut -c1-200
    echo "(whole log: $log)"
    exit 1
fi
