#!/usr/bin/env bash
# Builds the Debian packages mano_<version>_<arch>.deb and manod_<version>_<arch>.deb into
# build-deb/ (or $1), with Debian's hardening flags (dpkg-buildflags) and Depends computed by
# dpkg-shlibdeps. Only the two programs, their translations and man pages are compiled.
# Run as root on Debian 12 (installs what is missing); then: apt install ./build-deb/*.deb
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/setup/install-deps.sh
dir=${1:-build-deb}
eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
# Given explicitly (the environment counts only at a build folder's first configure); CMake
# does not read CPPFLAGS, where Debian keeps -D_FORTIFY_SOURCE=2.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_C_FLAGS="$CPPFLAGS $CFLAGS" -DCMAKE_CXX_FLAGS="$CPPFLAGS $CXXFLAGS" \
  -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS" \
  -DMANO_BUILD_TESTS=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
cmake --build "$dir" -j"$(nproc)" --target mano manod mano_man manod_man
rm -f "$dir"/*.deb
(cd "$dir" && cpack -G DEB >/dev/null)
ls "$dir"/*.deb
