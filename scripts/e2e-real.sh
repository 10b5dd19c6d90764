#!/usr/bin/env bash
# npm run e2e:real — a real server from the public corpus, end to end:
#   mosquitto 2.0.11 (Debian bookworm source; it never sets SO_KEEPALIVE) gets keepalive from
#   `ka-codemod fix`, is built with its own Makefile, started on loopback, a client connects, and
#   `ss -tnoe` must show the server side of that connection with timer:(keepalive,...).
# Needs root for `apt-get build-dep mosquitto` (skip with KA_SKIP_BUILD_DEP=1 when the build
# dependencies are there already). KA_KEEP=1 keeps the work directory. Loopback only, bounded.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
corpus_src=/work/corpus/c/mosquitto/mosquitto-2.0.11
idle=${KA_IDLE:-60}
work="$(mktemp -d /tmp/ka-e2e-real.XXXXXX)"
broker_pid=""
cleanup() {
  if [[ -n "$broker_pid" ]]; then kill "$broker_pid" 2>/dev/null || true; fi
  if [[ "${KA_KEEP:-0}" != 1 ]]; then rm -rf "$work"; else echo "e2e:real: kept $work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

step "build dependencies"
if [[ "${KA_SKIP_BUILD_DEP:-0}" != 1 && $(id -u) == 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get build-dep -y -qq mosquitto >/dev/null
  echo "apt-get build-dep mosquitto: ok"
else
  echo "skipped (KA_SKIP_BUILD_DEP=1 or not root)"
fi

step "sources"
if [[ -d "$corpus_src" ]]; then
  cp -a "$corpus_src" "$work/src-orig"
  echo "from the corpus: $corpus_src"
else
  (cd "$work" && apt-get source -qq mosquitto >/dev/null)
  mv "$work"/mosquitto-2.*/ "$work/src-orig"
  echo "apt-get source mosquitto"
fi
cp -a "$work/src-orig" "$work/mosquitto"
cd "$work/mosquitto"

step "ka-codemod fix --idle $idle src lib"
(cd "$repo" && flock /tmp/ka-build.lock npx tsc -b)
cli="$repo/packages/cli/dist/bin.js"
if [[ -f "$cli" ]]; then
  node "$cli" fix --lang c --idle "$idle" src lib 2>&1 | grep -v 'could not be parsed' || true
else
  # No CLI build: drive the engine directly (plan, then write only files unchanged on disk).
  node --input-type=module -e "
    import { cEngine } from '$repo/packages/c/dist/index.js';
    import { discoverFiles, writeIfUnchanged, DEFAULT_OPTIONS } from '$repo/packages/core/dist/index.js';
    const found = await discoverFiles({ paths: ['src', 'lib'], cwd: process.cwd(), extensions: cEngine.extensions });
    const plan = await cEngine.plan({ root: found.root, files: found.files, options: { ...DEFAULT_OPTIONS, idleSeconds: $idle } });
    for (const f of plan.files) { await writeIfUnchanged(f.path, f.before, f.after, { within: found.within }); console.log(f.changes.join('\\n')); }
  "
fi
diff -ru "$work/src-orig" "$work/mosquitto" > "$work/keepalive.patch" || true
cat "$work/keepalive.patch"
grep -q 'SO_KEEPALIVE' "$work/keepalive.patch" || { echo "e2e:real: FAIL: the codemod changed nothing"; exit 1; }

step "second run changes nothing"
if [[ -f "$cli" ]]; then
  again="$(node "$cli" fix --dry-run --lang c --idle "$idle" src lib 2>/dev/null | grep -c '^+++' || true)"
  echo "files a second run would change: $again"
  [[ "$again" == 0 ]] || { echo "e2e:real: FAIL: not idempotent"; exit 1; }
fi

step "build with mosquitto's own Makefile (make binary)"
if ! make -j2 WITH_DOCS=no binary > "$work/build.log" 2>&1; then
  tail -30 "$work/build.log"; echo "e2e:real: FAIL: build"; exit 1
fi
echo "built $(ls -1 src/mosquitto)"
echo "compiler warnings on the inserted lines: $(grep -cE 'enable_tcp_keepalive|SO_KEEPALIVE|TCP_KEEP' "$work/build.log" || true)"

step "start on loopback, connect, ss -tnoe"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" > "$work/mosquitto.conf"
timeout 60 ./src/mosquitto -c "$work/mosquitto.conf" > "$work/broker.log" 2>&1 &
broker_pid=$!
for _ in $(seq 1 50); do ss -tln "( sport = :$port )" | grep -q LISTEN && break; sleep 0.1; done
timeout 10 node -e '
  const s = require("net").connect(Number(process.argv[1]), "127.0.0.1", () => setTimeout(() => s.destroy(), 3000));
' "$port" &
client_pid=$!
sleep 1
ss_out="$(ss -tnoe state established "( sport = :$port )")"
echo "\$ ss -tnoe state established '( sport = :$port )'"
echo "$ss_out"
wait "$client_pid" || true
if grep -q 'timer:(keepalive' <<<"$ss_out"; then
  echo; echo "e2e:real: PASS: the broker's side of the connection has a keepalive timer (idle ${idle}s)"
else
  cat "$work/broker.log"; echo "e2e:real: FAIL: no keepalive timer on the server side"; exit 1
fi
