#!/usr/bin/env bash
# The translation catalogs of mano's two text domains, kept in step with the sources:
#   mano     the command line (client/src, client/src/ledger)   po/mano.pot, po/*.po
#   mano-ui  the terminal UI (client/src/ui)                     client/src/ui/po/mano-ui.pot, *.po
#
#   po/update.sh          refreshes both .pot files from the sources (xgettext) and merges
#                         them into every catalog; then translate the new or fuzzy entries
#                         (msgfmt --statistics shows them).
#   po/update.sh --pot    refreshes only the two .pot files (the catalogs are left alone).
#   po/update.sh --check  changes nothing: extracts the messages into a temporary folder and
#                         fails (exit 1) when a catalog lacks a translation of one, listing
#                         each missing msgid under the catalog that lacks it. A ctest runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
LANGS="es fr ar"

# extract <domain> <pot file>
extract() {
  local domain=$1 pot=$2
  if [ "$domain" = mano ]; then
    xgettext --from-code=UTF-8 -c++ --package-name=mano \
      --keyword=Tr --keyword=TrFormat --keyword=N_ --keyword=Fail --keyword=Bad:2 \
      --keyword=WrongType:4 --keyword=Expect:2 --keyword=sub:2,2t --keyword=sub:3,3t \
      --keyword=TrN:1,2 --keyword=TrFormatN:1,2 \
      -o "$pot" client/src/*.cpp client/src/ledger/*.cpp
  else
    xgettext --from-code=UTF-8 -c++ --package-name=mano-ui \
      --keyword=T --keyword=TF --keyword=TFN:1,2 --keyword=N_ \
      -o "$pot" client/src/ui/*.cpp
  fi
}

# po_dir <domain>
po_dir() { if [ "$1" = mano ]; then echo po; else echo client/src/ui/po; fi; }

if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  failed=0
  for domain in mano mano-ui; do
    extract "$domain" "$tmp/$domain.pot"
    count=$(grep -c '^msgid ' "$tmp/$domain.pot" || true)
    if [ "$count" -lt 20 ]; then
      echo "xgettext found only $count messages for $domain: is the keyword list right?"
      failed=1
    fi
    for lang in $LANGS; do
      catalog="$(po_dir "$domain")/$lang.po"
      msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/merged.po" "$catalog" \
        "$tmp/$domain.pot"
      # Untranslated or fuzzy after the merge = the catalog has no usable translation.
      missing=$( { msgattrib --untranslated --no-obsolete --no-wrap "$tmp/merged.po";
                   msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/merged.po"; } |
                 grep '^msgid ' | grep -v '^msgid ""$' || true)
      if [ -n "$missing" ]; then
        echo "$catalog lacks a translation of:"
        printf '%s\n' "$missing" | sed 's/^/  /'
        failed=1
      fi
    done
  done
  if [ "$failed" = 0 ]; then echo "every message of mano and mano-ui is translated in $LANGS"; fi
  exit "$failed"
fi

for domain in mano mano-ui; do
  dir=$(po_dir "$domain")
  extract "$domain" "$dir/$domain.pot"
  if [ "${1:-}" = "--pot" ]; then continue; fi
  for lang in $LANGS; do
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$dir/$lang.po" "$dir/$domain.pot"
    printf '%s: ' "$dir/$lang.po"; msgfmt --check --statistics -o /dev/null "$dir/$lang.po"
  done
done
