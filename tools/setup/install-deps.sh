#!/usr/bin/env bash
# Installs every Debian 12 package mano needs to build, run and test. Run as root.
# Does nothing (and needs no network) when everything is already there.
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config git ca-certificates
  libsqlite3-dev libcurl4-openssl-dev libssl-dev libzstd-dev libsodium-dev
  libmicrohttpd-dev libgnutls28-dev libncurses-dev libcli11-dev catch2 gettext rapidjson-dev zlib1g-dev
  libtomlplusplus-dev libutf8proc-dev
  help2man dpkg-dev file
  sqlite3 tmux iproute2 procps python3 clang libclang-rt-14-dev
  libexpat1-dev libssl-dev
  libpq-dev postgresql-15
  libchafa-dev libglib2.0-dev libpng-dev libjpeg62-turbo-dev
)
# Node.js and npm run tus-js-client in the suite (tests/js). A machine with another build of
# Node that brings its own npm (NodeSource's nodejs) keeps it: Debian's npm would conflict.
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]}; run this as root" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  apt-get update
  # The tests start PostgreSQL privately (tests/support/postgres_process.h): keep the package
  # from creating (and starting) a system cluster of its own.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-common
    sed -i 's/^#\?create_main_cluster.*/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
