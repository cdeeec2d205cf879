#!/usr/bin/env bash
# The man pages say what the programs' help says: the same long options and the same
# commands, both ways (a page built from an older binary, or an option help2man dropped,
# fails here). Args: BUILD_DIR
set -euo pipefail
build=$1
fail() { echo "man_pages_test: $*" >&2; exit 1; }
for entry in mano:1 manod:8; do
  prog=${entry%:*} section=${entry#*:}
  page=$build/share/man/man$section/$prog.$section.gz
  [ -f "$page" ] || fail "no $page (is help2man installed?)"
  help=$(LC_ALL=C LANGUAGE= "$build/bin/$prog" --help-all)
  text=$(zcat "$page" | sed 's/\\-/-/g; s/\\(em/-/g')
  # Every option of every command, and every command path ("manod worker add").
  opts() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }
  cmds() { grep -oE "^\.?S?S? ?\"?$prog( [a-z][a-z-]*)+:" | sed -E 's/^[^m]*//; s/:$//' | sort -u; }
  diff <(opts <<<"$help") <(opts <<<"$text") >/tmp/man_pages_test.$$ ||
    fail "$prog: options differ between --help-all (<) and $prog($section) (>): $(cat /tmp/man_pages_test.$$)"
  diff <(cmds <<<"$help") <(cmds <<<"$text") >/tmp/man_pages_test.$$ ||
    fail "$prog: commands differ between --help-all (<) and $prog($section) (>): $(cat /tmp/man_pages_test.$$)"
  rm -f /tmp/man_pages_test.$$
  n=$(opts <<<"$help" | wc -l) c=$(cmds <<<"$help" | wc -l)
  [ "$n" -gt 5 ] && [ "$c" -gt 5 ] || fail "$prog: too few options ($n) or commands ($c) found"
  # The page renders without warnings.
  warnings=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null || true)
  [ -z "$warnings" ] || fail "$prog($section): man warns: $warnings"
  echo "$prog($section): $n options and $c commands, as in --help-all"
done
