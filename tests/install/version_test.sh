#!/usr/bin/env bash
# `mano --version` and `manod --version` name the project's version, the protocol and the
# commit; the stamp step copes with a source without .git. Args: BIN_DIR VERSION STAMP_SCRIPT
set -euo pipefail
bin=$1 version=$2 stamp=$3
fail() { echo "version_test: $*" >&2; exit 1; }
for prog in mano manod; do
  line=$("$bin/$prog" --version)
  [[ $line =~ ^$prog\ ${version//./\\.}\ \(protocol\ v1(,\ commit\ [0-9a-f]{12}(-dirty)?)?\)$ ]] ||
    fail "$prog --version printed '$line'"
  echo "$line"
done
# From a git checkout the commit is there and is HEAD's.
if git -C "$(dirname "$stamp")" rev-parse --short=12 HEAD >/dev/null 2>&1; then
  head=$(git -C "$(dirname "$stamp")" rev-parse --short=12 HEAD)
  "$bin/mano" --version | grep -q "commit $head" || fail "mano --version does not name HEAD $head"
fi
# Without .git: the fallback commit, or none; and an unchanged text is not rewritten.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake -DSOURCE_DIR="$tmp" -DOUT="$tmp/a.cpp" -DGIT=git -DVERSION=9.8.7 -DFALLBACK= -P "$stamp"
grep -q 'kCommit\[\] = "";' "$tmp/a.cpp" || fail "no .git: commit not empty"
cmake -DSOURCE_DIR="$tmp" -DOUT="$tmp/b.cpp" -DGIT=git -DVERSION=9.8.7 -DFALLBACK=abc123 -P "$stamp"
grep -q 'kCommit\[\] = "abc123";' "$tmp/b.cpp" || fail "no .git: MANO_GIT_COMMIT not used"
touch -d '2000-01-01' "$tmp/b.cpp"
cmake -DSOURCE_DIR="$tmp" -DOUT="$tmp/b.cpp" -DGIT=git -DVERSION=9.8.7 -DFALLBACK=abc123 -P "$stamp"
[ "$(stat -c %Y "$tmp/b.cpp")" -lt 1000000000 ] || fail "unchanged build info was rewritten"
echo "version_test: ok"
