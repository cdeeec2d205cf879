#!/usr/bin/env bash
# README command (1): install what is missing, build, and start the main job on an
# embedded default: a local manod on loopback (127.0.0.1:8787) loaded with sample tasks
# of every kind, and mano logged into it with work claimed, ready to answer.
# State lives in $MANO_DEMO_DIR (default ~/.local/share/mano-demo); run it again to reuse it.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
bash tools/setup/install-deps.sh
# Only the two programs the demo runs (and their translations): the test suite is README
# command (2)'s business.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target mano manod
bin=$root/build/bin
demo=${MANO_DEMO_DIR:-$HOME/.local/share/mano-demo}
port=${MANO_DEMO_PORT:-8787}
mkdir -p "$demo" && chmod 700 "$demo"
export MANO_HOME=$demo/client

if [ ! -f "$demo/manod.db" ]; then
  "$bin/manod" init --db "$demo/manod.db"
  (umask 077; "$bin/manod" worker add --db "$demo/manod.db" demo | tail -n 1 > "$demo/token")
  "$bin/manod" import --db "$demo/manod.db" tools/manod/samples/tasks.jsonl
fi
if [ -f "$demo/manod.pid" ] && kill -0 "$(cat "$demo/manod.pid")" 2>/dev/null; then
  echo "demo: manod already running (pid $(cat "$demo/manod.pid"))"
else
  nohup "$bin/manod" serve --db "$demo/manod.db" --listen "127.0.0.1:$port" \
    > "$demo/manod.log" 2>&1 &
  echo $! > "$demo/manod.pid"
  for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
# Log in when there is no demo account yet, or when it points at another port (a second run
# with another MANO_DEMO_PORT); the same server keeps its key, so no --replace-key.
if ! "$bin/mano" accounts 2>/dev/null | grep -q "^demo  *http://127.0.0.1:$port "; then
  "$bin/mano" login --server "http://127.0.0.1:$port" --name demo --token-file "$demo/token"
fi
# The samples hold ten tasks covering all six kinds: claim them all (claim lists them).
"$bin/mano" claim --account demo --count 10 || "$bin/mano" list
cat <<MSG

mano is ready. In this shell:
  export MANO_HOME=$MANO_HOME PATH=$bin:\$PATH
  mano show ID          # a task and its form
  mano answer ID --set FIELD=VALUE
  mano submit ID && mano sync
manod runs in the background (pid $(cat "$demo/manod.pid"), log $demo/manod.log).
MSG
