#!/usr/bin/env bash
# Refreshes po/mano.pot from the client sources and merges it into every catalog.
# After running it, translate the new or fuzzy entries (msgfmt --statistics shows them).
set -euo pipefail
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 -c++ --package-name=mano \
  --keyword=Tr --keyword=TrFormat --keyword=N_ --keyword=Fail --keyword=Bad:2 \
  --keyword=WrongType:4 --keyword=Expect:2 --keyword=sub:2 \
  -o po/mano.pot client/src/*.cpp client/src/ledger/*.cpp
for po in po/*.po; do
  msgmerge --quiet --no-fuzzy-matching --update --backup=none "$po" po/mano.pot
  printf '%s: ' "$po"; msgfmt --check --statistics -o /dev/null "$po"
done
