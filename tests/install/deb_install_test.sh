#!/usr/bin/env bash
# The .deb files, installed as a new user would: built by tools/setup/package.sh, checked
# (mano does not depend on libmicrohttpd; lintian reports no error), installed with apt into
# a clean Debian 12 root (debootstrap minbase from deb.debian.org, cached as a tar in
# $MANO_INSTALL_TEST_CACHE), where manod init + worker add + import + serve and one mano
# login/claim/answer/submit/sync round trip run; then purged (and their dependencies
# autoremoved), after which no file may be left that was not there before, except the
# worker's data folder. Needs root and the network; runs only with MANO_LONG=1 (or
# MANO_INSTALL_TEST=1): a few minutes. Args: SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
if [ "${MANO_LONG:-0}" != 1 ] && [ "${MANO_INSTALL_TEST:-0}" != 1 ]; then
  echo "deb_install_test: skipped (MANO_LONG=1 or MANO_INSTALL_TEST=1 runs it)"; exit 77
fi
[ "$(id -u)" = 0 ] || { echo "deb_install_test: needs root (chroot)"; exit 77; }
fail() { echo "deb_install_test: $*" >&2; exit 1; }
start=$(date +%s)
# MANO_DEB_DIR: test the .deb files already built there instead of building them.
debs=${MANO_DEB_DIR:-$build/deb-build}
[ -n "${MANO_DEB_DIR:-}" ] || bash "$src/tools/setup/package.sh" "$debs" >/dev/null
mano_deb=$(ls "$debs"/mano_*.deb) manod_deb=$(ls "$debs"/manod_*.deb)
depends=$(dpkg-deb -f "$mano_deb" Depends)
echo "mano Depends: $depends"; echo "manod Depends: $(dpkg-deb -f "$manod_deb" Depends)"
grep -q libmicrohttpd <<<"$depends" && fail "mano depends on libmicrohttpd"
grep -q '\./lib/systemd/system/manod.service$' <<<"$(dpkg-deb -c "$manod_deb")" || fail "no unit in manod"
grep -q '\./usr/share/man/man1/mano.1.gz$' <<<"$(dpkg-deb -c "$mano_deb")" || fail "no man page in mano"
if command -v lintian >/dev/null; then
  lintian --no-tag-display-limit "$mano_deb" "$manod_deb" | tee "$debs/lintian.txt" || true
  grep -q '^E: ' "$debs/lintian.txt" && fail "lintian errors (see $debs/lintian.txt)"
fi

cache=${MANO_INSTALL_TEST_CACHE:-/var/cache/mano-install-test}
tarball=$cache/bookworm-minbase.tar
if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  debootstrap --variant=minbase --include=man-db bookworm "$cache/root.tmp" \
    http://deb.debian.org/debian >/dev/null
  tar -C "$cache/root.tmp" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$cache/root.tmp"
fi
root=$(mktemp -d /var/tmp/mano-install-test.XXXXXX)
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root" "$root.before"
}
trap cleanup EXIT
tar -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
in_root useradd --create-home worker
snapshot() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./tmp -o -path ./run \
    -o -path ./var/cache -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/log \) \
    -prune -o -print | sort)
}
snapshot >"$root.before"
cp "$mano_deb" "$manod_deb" "$root/tmp/"
in_root apt-get -o Dpkg::Use-Pty=0 -qq update >/dev/null
DEBIAN_FRONTEND=noninteractive in_root apt-get -o Dpkg::Use-Pty=0 -qq install -y --no-install-recommends \
  "/tmp/$(basename "$mano_deb")" "/tmp/$(basename "$manod_deb")" >/dev/null
in_root mano --version | grep -q "^mano " || fail "mano --version"
in_root manod --version | grep -q "^manod " || fail "manod --version"
[ "$(in_root man -w mano)" = /usr/share/man/man1/mano.1.gz ] || fail "man -w mano"
[ "$(in_root man -w 8 manod)" = /usr/share/man/man8/manod.8.gz ] || fail "man -w manod"

# The server, in /tmp/srv of the root, on a free loopback port.
mkdir -p "$root/tmp/srv" && cp -r "$src/tools/manod/samples/." "$root/tmp/srv/"
in_root manod init --db /tmp/srv/manod.db >/dev/null
in_root manod worker add --db /tmp/srv/manod.db alice | tail -n 1 >"$root/tmp/srv/token"
chmod 644 "$root/tmp/srv/token"
in_root manod import --db /tmp/srv/manod.db /tmp/srv/tasks.jsonl >/dev/null
chroot "$root" env -i PATH=/usr/bin:/bin manod serve --db /tmp/srv/manod.db \
  --listen 127.0.0.1:0 --port-file /tmp/srv/port >"$root/tmp/srv/log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -s "$root/tmp/srv/port" ] && break; sleep 0.1; done
port=$(cat "$root/tmp/srv/port") || fail "manod did not start: $(cat "$root/tmp/srv/log")"
as_worker() { chroot --userspec=worker:worker "$root" env -i PATH=/usr/bin:/bin HOME=/home/worker LANG=C.UTF-8 "$@"; }
as_worker mano login --server "http://127.0.0.1:$port" --name t --token-file /tmp/srv/token
as_worker mano claim --kind relevance --count 1
id=$(as_worker mano list --json | grep -oE '"id": *"?[^",}]+' | head -n 1 | sed -E 's/.*: *"?//')
[ -n "$id" ] || fail "no assignment claimed"
as_worker mano answer "$id" --set score=2
as_worker mano submit "$id"
as_worker mano sync
in_root manod assignments --db /tmp/srv/manod.db | grep -q submitted || fail "manod has no submitted result"
kill "$server_pid"; wait "$server_pid" || true; server_pid=
rm -rf "$root/tmp/srv" "$root/tmp/"*.deb

DEBIAN_FRONTEND=noninteractive in_root apt-get -o Dpkg::Use-Pty=0 -qq purge -y mano manod >/dev/null
DEBIAN_FRONTEND=noninteractive in_root apt-get -o Dpkg::Use-Pty=0 -qq autoremove --purge -y >/dev/null
left=$(comm -13 "$root.before" <(snapshot) |
  grep -v -e '^\./home/worker/\.local/share/mano' -e '^\./home/worker/\.local/share$' \
    -e '^\./home/worker/\.local$' || true)
rm -f "$root.before"
[ -z "$left" ] || fail "left behind after purge: $left"
echo "deb_install_test: ok in $(( $(date +%s) - start )) s"
