#!/usr/bin/env bash
# `cmake --install` of this build into a DESTDIR with prefix /usr puts every file where
# Debian puts it, and nothing else; the installed mano finds its translations there; the
# unit is sandboxed and reads /etc/default/manod; the completion script parses.
# Args: BUILD_DIR
set -euo pipefail
build=$1
fail() { echo "install_layout_test: $*" >&2; exit 1; }
dest=$(mktemp -d); trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$build" --prefix /usr >/dev/null
expected="/etc/default/manod
/lib/systemd/system/manod.service
/usr/bin/mano
/usr/bin/manod
/usr/share/bash-completion/completions/mano
/usr/share/bash-completion/completions/manod
/usr/share/doc/mano/CLI.md
/usr/share/doc/mano/README.md
/usr/share/doc/mano/changelog.gz
/usr/share/doc/mano/copyright
/usr/share/doc/manod/PROTOCOL.md
/usr/share/doc/manod/README.md
/usr/share/doc/manod/changelog.gz
/usr/share/doc/manod/copyright"
for lang in ar es fr; do
  expected+=$'\n'"/usr/share/locale/$lang/LC_MESSAGES/mano-ui.mo"
  expected+=$'\n'"/usr/share/locale/$lang/LC_MESSAGES/mano.mo"
done
expected+=$'\n/usr/share/man/man1/mano.1.gz\n/usr/share/man/man8/manod.8.gz'
actual=$(cd "$dest" && find . -type f | sed 's/^\.//' | sort)
diff <(sort <<<"$expected") <(echo "$actual") || fail "installed files differ (< expected, > installed)"
# Installed, mano reads its catalogs from <bin>/../share/locale.
LANGUAGE=es LANG=es_ES.UTF-8 "$dest/usr/bin/mano" --help | grep -q "Muestra esta ayuda y sale" ||
  fail "the installed mano does not find its Spanish catalog"
"$dest/usr/bin/manod" --version | grep -q "^manod " || fail "installed manod --version"
unit=$dest/lib/systemd/system/manod.service
for key in DynamicUser=yes StateDirectory=manod NoNewPrivileges=yes ProtectSystem=strict \
  PrivateTmp=yes "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX" \
  EnvironmentFile=-/etc/default/manod "ExecStart=/usr/bin/manod serve"; do
  grep -q "^$key" "$unit" || fail "manod.service lacks $key"
done
grep -q "^MANOD_LISTEN=" "$dest/etc/default/manod" || fail "/etc/default/manod lacks MANOD_LISTEN"
grep -q "^MANOD_DB=" "$dest/etc/default/manod" || fail "/etc/default/manod lacks MANOD_DB"
if command -v systemd-analyze >/dev/null; then
  # Only the complaints about this unit's syntax count (its programs are not in /usr here).
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v -e "is not executable" -e "man manod(8)" || true)
  [ -z "$out" ] || fail "systemd-analyze verify: $out"
fi
bash -n "$dest/usr/share/bash-completion/completions/mano" || fail "completion script"
# Completion from the installed programs: commands and the options of a nested command.
out=$(PATH=$dest/usr/bin:$PATH bash -c '
  source "$0"
  COMP_WORDS=(manod worker add --d); COMP_CWORD=3; _mano_complete; echo "${COMPREPLY[*]}"
  COMP_WORDS=(mano cla); COMP_CWORD=1; _mano_complete; echo "${COMPREPLY[*]}"' \
  "$dest/usr/share/bash-completion/completions/mano")
[ "$out" = $'--db\nclaim' ] || fail "completion gave: $out"
echo "install_layout_test: $(wc -l <<<"$actual") files in place"
