#!/usr/bin/env bash
# npm run e2e:real:js — real npm packages, end to end, with their own tests.
#
# For each project (KA_PROJECTS, default: pino-socket mllp-node nodejs-tcp-ping; graphite on request,
# see its recipe):
#   1. `npm pack NAME@VERSION`, checked against the pinned sha512 integrity; unpacked, its
#      dependencies (devDependencies included) installed with `npm install`; git init + commit;
#   2. the package's own tests, unmodified, with the command its package.json or build file names,
#      in a network namespace of their own with only loopback (`unshare -n`: some of them listen on
#      every interface), after the package's own build where it has one (TypeScript: `tsc`);
#      a small program using the package against a peer on 127.0.0.1 runs under strace: before the
#      rewrite, no connected TCP socket of the package has SO_KEEPALIVE;
#   3. `ka-codemod fix --lang ts` on the package's sources (its tests, benchmarks and examples left
#      out, as a maintainer would: they are not the library); a second `fix --dry-run` must change
#      nothing; TypeScript sources must still compile with the package's own `tsc`; the rewrite is
#      committed and shown;
#   4. the same build and tests again: they must pass again, with the same count;
#   5. the same program under `strace -f -e trace=socket,connect,accept,accept4,listen,setsockopt,close`:
#      every connected TCP socket of the package (client and accepted side) has SO_KEEPALIVE, and
#      `ss -tnoe` shows timer:(keepalive,…) on the package's side of the held connection.
# Needs root for `unshare -n` (without it the tests run in the host's network, with a line saying
# so). KA_KEEP=1 keeps the work directory. Needs the npm registry. About 2-5 minutes.
# The whole script is one compound command: bash reads it completely before running any of it.
{
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
projects=(${KA_PROJECTS:-pino-socket mllp-node nodejs-tcp-ping})
work="$(mktemp -d /tmp/ka-e2e-real-js.XXXXXX)"
cli="$repo/packages/cli/dist/bin.js"
hold=${KA_HOLD_MS:-3000}
peer_pid=""
summary=()
failed=0

cleanup() {
  if [[ -n "$peer_pid" ]]; then kill "$peer_pid" 2>/dev/null || true; fi
  if [[ "${KA_KEEP:-0}" != 1 ]]; then rm -rf "$work"; else echo "e2e:real:js: kept $work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s: %s\n' "$project" "$*"; }
fail() { echo "e2e:real:js: FAIL: $project: $*"; summary+=("$project: FAIL: $*"); failed=1; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_listen() { for _ in $(seq 1 100); do ss -tln "( sport = :$1 )" | grep -q LISTEN && return 0; sleep 0.1; done; return 1; }
# The projects' own tests run in a network namespace with only loopback up.
if unshare -n true 2> /dev/null; then isolated() { unshare -n bash -c 'ip link set lo up && exec "$@"' _ "$@"; }
else echo "e2e:real:js: unshare -n is not allowed here: the packages' tests run in this host's network"; isolated() { "$@"; }; fi
stop_peer() { if [[ -n "$peer_pid" ]]; then kill "$peer_pid" 2>/dev/null; wait "$peer_pid" 2>/dev/null; peer_pid=""; fi; }

# ---- the peer on 127.0.0.1 (plain Node, not traced) -------------------------------------------
# `peer server PORT`: accepts connections and reads them; answers an MLLP frame with an MLLP ACK.
# `peer client PORT HOLD FILE`: connects, sends FILE's HL7 message framed as MLLP, holds HOLD ms.
peer() {
  node - "$@" <<'EOF'
const net = require('net');
const fs = require('fs');
const [role, port, holdMs, file] = process.argv.slice(2);
const VT = '\x0b', FS = '\x1c', CR = '\r';
if (role === 'server') {
  net.createServer((c) => {
    c.on('error', () => {});
    c.on('data', (d) => { if (String(d).startsWith(VT)) c.write(VT + 'MSH|^~\\&|PEER\rMSA|AA|1' + FS + CR); });
  }).listen(Number(port), '127.0.0.1');
} else {
  const msg = fs.readFileSync(file, 'utf8').split('\n').join('\r');
  const c = net.connect(Number(port), '127.0.0.1', () => c.write(VT + msg + FS + CR));
  c.on('error', (e) => { console.error(`peer: ${e.message}`); process.exit(1); });
  setTimeout(() => c.end(), Number(holdMs));
}
EOF
}

# Follows fds through an strace log (socket/accept open one, connect marks it, close ends it) and
# prints one line: connected TCP sockets by side and how many have SO_KEEPALIVE. Exit 1 when any
# connected TCP socket lacks it (or none was seen), unless `before` (then it only counts).
keepalive_of() { # keepalive_of STRACE_LOG before|after
  node - "$@" <<'EOF'
const fs = require('fs');
const [file, when] = process.argv.slice(2);
const done = [], open = new Map(), pending = new Map();
for (let line of fs.readFileSync(file, 'utf8').split('\n')) {
  const pid = /^(\d+)\s+/.exec(line)?.[1] ?? '';
  line = line.replace(/^\d+\s+/, '');
  if (line.endsWith('<unfinished ...>')) { pending.set(pid, line.replace(/\s*<unfinished \.\.\.>$/, '')); continue; }
  const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(line);
  if (resumed) line = (pending.get(pid) ?? `${resumed[1]}(`) + resumed[2];
  const call = /^(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
  if (!call) continue;
  const [, name, args, retText] = call;
  const ret = Number(retText), fd = Number(args.split(',')[0]);
  const finish = (n) => { if (open.has(n)) done.push(open.get(n)); open.delete(n); };
  if (name === 'socket' && ret >= 0) { finish(ret); open.set(ret, { tcp: /AF_INET6?/.test(args) && /SOCK_STREAM/.test(args), connected: false, keepalive: false, idle: null, via: 'client' }); }
  else if ((name === 'accept4' || name === 'accept') && ret >= 0) { finish(ret); open.set(ret, { tcp: open.get(fd)?.tcp ?? false, connected: true, keepalive: false, idle: null, via: 'accepted' }); }
  else if (name === 'connect') { const l = open.get(fd); if (l && (ret === 0 || /EINPROGRESS/.test(line))) l.connected = true; }
  else if (name === 'setsockopt' && ret === 0) {
    const l = open.get(fd); if (!l) continue;
    if (/SOL_SOCKET, SO_KEEPALIVE, \[1\]/.test(args)) l.keepalive = true;
    const idle = /TCP_KEEPIDLE, \[(\d+)\]/.exec(args); if (idle) l.idle = Number(idle[1]);
  } else if (name === 'close' && ret === 0) finish(fd);
}
done.push(...open.values());
const lives = done.filter((l) => l.tcp && l.connected);
const side = (v) => lives.filter((l) => l.via === v);
const ka = lives.filter((l) => l.keepalive);
const idles = [...new Set(ka.map((l) => l.idle))].join('/');
console.log(`${lives.length} connected TCP sockets (${side('client').length} client, ${side('accepted').length} accepted), ${ka.length} with SO_KEEPALIVE${ka.length ? ` (TCP_KEEPIDLE ${idles} s)` : ''}`);
process.exit(when === 'before' || (lives.length > 0 && ka.length === lives.length) ? 0 : 1);
EOF
}

# ---- per project: pinned tarball, sources to rewrite, tests (one summary line), demo -----------
# demo_X PORT: a program using the package, run from the package's folder; `role_X` says which side
# of the connection held for ss is the package's (client: its local end dials PORT; server: it
# listens on PORT); `peer_X` the peer's role.

# pino-socket: a pino transport shipping logs over TCP/UDP/TLS (lib/TcpConnection.js dials with
# net.createConnection or tls.connect). Tests: ESLint (neostandard) over the tree, then node:test
# files through borp, each starting its own server on 127.0.0.1.
spec_pino_socket=pino-socket@8.0.0
integrity_pino_socket=sha512-PGtegfnmcUFJsRQSK26F/Wn37v/GPn8ZgCrd20dFRLUMgXAOrayk9qQlAwgJe/K2hOPJrzNU6sV13SbZgFiSWg==
exclude_pino_socket="test/** benchmark/**"
tests_pino_socket() {
  if npm test > "$1" 2>&1; then
    echo "npm test: eslint . clean; borp, $(grep -c '^passed: ' "$1") test files: $(grep -E '^(Passed|Failed|Total): ' "$1" | paste -sd' ')"
  else echo "npm test: FAILED ($(grep -m3 -E '^failed: |^Failed: |error' "$1" | paste -sd' '))"; return 1; fi
}
demo_pino_socket() {
  node -e '
const transport = require("./lib/pino-transport.js");
(async () => {
  const t = await transport({ mode: "tcp", address: "127.0.0.1", port: Number(process.argv[1]), sourceStream: false });
  t.write(JSON.stringify({ level: 30, msg: "hello over tcp" }) + "\n");
  setTimeout(() => { t.end(); setTimeout(() => process.exit(0), 200); }, Number(process.argv[2]));
})();' "$1" "$hold"
}
role_pino_socket=client
peer_pino_socket=server

# mllp-node: an HL7 MLLP server (net.createServer) whose send() dials other MLLP servers with
# `new net.connect(…)`, written in ES5. Tests: its Gruntfile's jshint (ES5 rules: an arrow function
# fails it) and mochaTest (mocha test/*.js) tasks; its default task also runs jsbeautifier, which
# rewrites files, and package.json's "test" script is the npm placeholder that exits 1.
spec_mllp_node=mllp-node@2.0.0
integrity_mllp_node=sha512-qcuHIICS1vbBgd5R7WVZqkl2o3zG9vPzEnS6OxnMHw2wK0j3yGudT7DU8EEIufLzDDNIgOgp4ciN87HZqYtTaw==
exclude_mllp_node="test/** example.js gruntfile.js"
tests_mllp_node() {
  if npx grunt jshint mochaTest > "$1" 2>&1; then echo "grunt jshint mochaTest: jshint$(grep -oE ' [0-9]+ files lint free' "$1"); mocha test/*.js:$(grep -E '^\s+[0-9]+ (passing|pending|failing)' "$1" | sed -E 's/ \([0-9.]+m?s\)//' | tr -s ' ' | paste -sd',')"
  else echo "grunt jshint mochaTest: FAILED ($(grep -E '^>> [0-9]+ errors?|^\s+[0-9]+ (passing|failing)|is only available' "$1" | tr -s ' ' | paste -sd' '))"; return 1; fi
}
demo_mllp_node() {
  node -e '
const { MLLPServer } = require(".");
const fs = require("fs");
const port = Number(process.argv[1]);
const server = new MLLPServer("127.0.0.1", port, () => {});
// its send() to itself: a client socket and an accepted one; the peer then holds a connection
const hl7 = fs.readFileSync("test/fixtures/test.txt", "utf8").split("\n").join("\r");
setTimeout(() => server.send("127.0.0.1", port, hl7, (err, ack) => console.log(err ? `send: ${err.message}` : `ack: ${ack}`)), 200);
setTimeout(() => process.exit(0), Number(process.argv[2]) + 1500);' "$1" "$hold"
}
role_mllp_node=server
peer_mllp_node=client

# nodejs-tcp-ping: a TCP ping written in TypeScript (src/index.ts: new Socket(), connected, timed,
# destroyed). Built with its own tsc (TypeScript 2.9, target ES5) into lib/, which its tests load;
# the rewrite goes to src/ (lib/ is the build's output). Installed with --ignore-scripts and tested
# with `npm test --ignore-scripts`: its pretest runs `snyk test`, a network service, and snyk's
# install script downloads a binary. It ships no lockfile, and its "@types/node": "^10.5.2" now
# resolves to typings TypeScript 2.9 cannot parse: the range's own floor is installed (--no-save).
# Each ping's socket is destroyed as soon as it connects, so no
# connection stays open for ss: its evidence is strace's.
spec_nodejs_tcp_ping=nodejs-tcp-ping@1.0.3
integrity_nodejs_tcp_ping=sha512-pimp+np2V2tjzjuKgIvtQJi6IjoamwGQ9FImtL1BVLvuhqGGUaCB06MuFC7rynFmG/uKFuuzg+FYqbfmcA9D8A==
exclude_nodejs_tcp_ping="test/** lib/**"
install_nodejs_tcp_ping=--ignore-scripts
pins_nodejs_tcp_ping=@types/node@10.5.2
build_nodejs_tcp_ping() { npm run build; }
tests_nodejs_tcp_ping() {
  if npm test --ignore-scripts > "$1" 2>&1; then echo "npm test --ignore-scripts (mocha):$(grep -E '^\s+[0-9]+ (passing|pending|failing)' "$1" | sed -E 's/ \([0-9.]+m?s\)//' | tr -s ' ' | paste -sd',')"
  else echo "npm test: FAILED ($(grep -E '^\s+[0-9]+ (passing|failing)' "$1" | tr -s ' ' | paste -sd','))"; return 1; fi
}
demo_nodejs_tcp_ping() {
  node -e '
const { tcpPing } = require(".");
tcpPing({ host: "127.0.0.1", port: Number(process.argv[1]), attempts: 3, timeout: 1000 })
  .then((r) => console.log(`pings: ${r.filter((x) => x.ping !== null).length} of ${r.length} answered`));' "$1"
}
role_nodejs_tcp_ping=client
peer_nodejs_tcp_ping=server
held_nodejs_tcp_ping=0

# graphite: a Carbon plaintext client (lib/LazySocket.js dials with net.createConnection).
# Tests: `npm run test:unit` (urun over test/unit); its integration tests fail on Node 20 as shipped
# (a write callback called twice listens twice: ERR_SERVER_ALREADY_LISTEN).
# Not in the default list, on purpose: test/unit/test-LazySocket.js replaces net.createConnection
# with a sinon fake that has no setKeepAlive, so after the rewrite LazySocket#write throws there
# (4 of its 6 cases fail); the demo shows keepalive on the real socket. Merging the rewrite means
# teaching the fake the method.
spec_graphite=graphite@0.1.5
integrity_graphite=sha512-g9VXbvn2X8sk1TRehz30wy3LM62UoMw7njY8coA7kdf91wneNpZJqrE5LfLv4VUIcknrcjOP5WC105Wa8UVNcQ==
exclude_graphite="test/**"
tests_graphite() {
  local status; npm run test:unit > "$1" 2>&1; local rc=$?
  # urun's last status: [elapsed failed-files done/total …]
  status=$(tr '\r' '\n' < "$1" | grep -oE '^\[[0-9:]+ [0-9]+ [0-9]+/[0-9]+' | tail -1 | cut -d' ' -f2-)
  if (( rc == 0 )); then echo "npm run test:unit (urun test/unit): ${status#* } files passed, ${status%% *} failed"
  else echo "npm run test:unit: FAILED (${status#* } files passed, ${status%% *} failed; $(grep -E '[0-9]+ fail \| [0-9]+ pass' "$1" | sed -E 's/ \| [0-9]+ ms//' | paste -sd' '))"; return 1; fi
}
demo_graphite() {
  node -e '
const graphite = require(".");
const client = graphite.createClient(`plaintext://127.0.0.1:${process.argv[1]}/`);
client.write({ e2e: { keepalive: 1 } }, (err) => console.log(err ? `write: ${err.message}` : "written"));
setTimeout(() => { client.end(); setTimeout(() => process.exit(0), 200); }, Number(process.argv[2]));' "$1" "$hold"
}
role_graphite=client
peer_graphite=server

# ---- the loop ---------------------------------------------------------------------------------

(cd "$repo" && flock /tmp/ka-build.lock npx tsc -b && node scripts/bundle-cli.mjs > /dev/null) || { echo "e2e:real:js: FAIL: build of ka-codemod"; exit 1; }
[[ -f "$cli" ]] || { echo "e2e:real:js: FAIL: no CLI build at $cli"; exit 1; }

# demo_under_strace ID WHEN LOGS: runs the demo against the peer; prints the strace summary line
# and, after the rewrite, the ss line of the package's side of the held connection.
demo_under_strace() {
  local id=$1 when=$2 logs=$3 port role_var="role_$1" peer_var="peer_$1"
  port=$(free_port)
  local trace="$logs/demo-$when.strace" peer_side filter
  if [[ "${!peer_var}" == server ]]; then
    peer server "$port" > "$logs/peer-$when.log" 2>&1 &
    peer_pid=$!
    wait_listen "$port" || { echo "the peer did not listen"; stop_peer; return 1; }
  fi
  strace -f -qq -o "$trace" -e trace=socket,connect,accept,accept4,listen,setsockopt,close \
    bash -c "$(declare -f "demo_$id"); hold=$hold; demo_$id $port" > "$logs/demo-$when.log" 2>&1 &
  local demo=$!
  if [[ "${!peer_var}" == client ]]; then
    wait_listen "$port" || { echo "the package did not listen"; wait "$demo"; return 1; }
    peer client "$port" "$hold" test/fixtures/test.txt > "$logs/peer-$when.log" 2>&1 &
    peer_pid=$!
  fi
  if [[ "${!role_var}" == client ]]; then filter="( dport = :$port )"; else filter="( sport = :$port )"; fi
  local ss_lines=""
  for _ in $(seq 1 30); do
    sleep 0.1
    ss_lines="$(ss -tnoe state established "$filter" | grep -v '^Recv-Q' | tr -s ' ')"
    [[ -n "$ss_lines" ]] && break
  done
  sleep 0.5
  ss_lines="$(ss -tnoe state established "$filter" | grep -v '^Recv-Q' | tr -s ' ')"
  wait "$demo"
  local rc=$?
  [[ "${!peer_var}" == client ]] && wait "$peer_pid" 2>/dev/null
  stop_peer
  sed 's/^/  demo: /' "$logs/demo-$when.log" | head -5
  [[ $rc == 0 ]] || { echo "the demo exited with $rc"; return 1; }
  local line; line=$(keepalive_of "$trace" "$when")
  local ka_rc=$?
  echo "strace: $line"
  local held_var="held_$id"
  if [[ "$when" == after ]]; then
    grep -m4 -E 'SO_KEEPALIVE|TCP_KEEPIDLE' "$trace" | sed 's/^/  strace: /'
    if [[ "${!held_var:-1}" == 0 ]]; then echo "ss: not checked (the package closes each connection as soon as it is made)"; return "$ka_rc"; fi
    echo "\$ ss -tnoe state established '$filter'"
    echo "${ss_lines:-(no established connection seen)}"
    [[ -n "$ss_lines" ]] || return 1
    if grep -qv 'timer:(keepalive' <<<"$ss_lines"; then echo "a connection without a keepalive timer"; return 1; fi
  fi
  return "$ka_rc"
}

run_project() {
  local id=${project//-/_}
  local spec_var="spec_$id" integrity_var="integrity_$id" exclude_var="exclude_$id"
  local src="$work/$project" logs="$work/$project-logs"
  mkdir -p "$logs" "$work/dl-$project"
  step "npm pack ${!spec_var}"
  local tgz
  tgz=$(cd "$work/dl-$project" && npm pack --silent "${!spec_var}" 2> "$logs/pack.log" | tail -1)
  if [[ -z "$tgz" || ! -f "$work/dl-$project/$tgz" ]]; then fail "npm pack ${!spec_var}: $(tail -1 "$logs/pack.log")"; return 1; fi
  local got; got="sha512-$(openssl dgst -sha512 -binary "$work/dl-$project/$tgz" | base64 -w0)"
  [[ "$got" == "${!integrity_var}" ]] || { fail "integrity of $tgz is $got, pinned ${!integrity_var}"; return 1; }
  echo "$tgz: sha512 as pinned"
  mkdir -p "$src" && tar xzf "$work/dl-$project/$tgz" -C "$src" --strip-components=1 --warning=no-unknown-keyword
  cd "$src" || return 1
  local install_var="install_$id"
  if ! npm install --no-audit --no-fund --loglevel=error ${!install_var:-} > "$logs/install.log" 2>&1; then tail -20 "$logs/install.log"; fail "npm install"; return 1; fi
  local pins_var="pins_$id"
  if [[ -n "${!pins_var:-}" ]]; then
    npm install --no-save --no-audit --no-fund --loglevel=error ${!install_var:-} ${!pins_var} >> "$logs/install.log" 2>&1 || { tail -20 "$logs/install.log"; fail "npm install ${!pins_var}"; return 1; }
  fi
  echo "npm install ${!install_var:-}: $(ls node_modules | wc -l) packages in node_modules${!pins_var:+ (then ${!pins_var}, --no-save)}"
  git init -q . && echo 'node_modules/' >> .git/info/exclude && git add -A && git -c user.name=e2e -c user.email=e2e@localhost commit -qm "${!spec_var} as npm ships it" || return 1
  echo "$(git ls-files | wc -l) files committed"

  step "tests as shipped"
  if declare -F "build_$id" > /dev/null; then
    "build_$id" > "$logs/build-before.log" 2>&1 || { tail -20 "$logs/build-before.log"; fail "build before the rewrite"; return 1; }
    echo "build ($(declare -f "build_$id" | sed -n 3p | sed 's/^ *//; s/;$//')): no errors"
  fi
  local t_before; t_before=$(isolated bash -c "$(declare -f "tests_$id"); tests_$id $logs/tests-before.log") || { echo "$t_before"; tail -30 "$logs/tests-before.log"; fail "tests before the rewrite"; return 1; }
  echo "$t_before"
  step "the demo before the rewrite (strace)"
  demo_under_strace "$id" before "$logs" || { fail "the demo before the rewrite"; return 1; }

  step "ka-codemod fix --lang ts (left out: ${!exclude_var})"
  local excludes=() e
  for e in ${!exclude_var}; do excludes+=(--exclude "$e"); done
  git checkout -q . && git clean -fdq # what the build and the tests wrote
  node "$cli" fix --lang ts "${excludes[@]}" . > "$logs/fix.log" 2>&1
  cat "$logs/fix.log"
  local changed; changed=$(git diff --name-only | wc -l)
  git diff > "$logs/keepalive.patch"
  echo "files changed: $changed ($(grep -c '^+[^+]' "$logs/keepalive.patch" || true) lines added)"
  cat "$logs/keepalive.patch"
  local again; again=$(node "$cli" fix --dry-run --lang ts "${excludes[@]}" . 2>/dev/null | grep -c '^+++' || true)
  echo "files a second run would change: $again"
  [[ "$again" == 0 ]] || { fail "not idempotent"; return 1; }
  if git ls-files | grep -qE '\.(ts|mts|cts|tsx)$' && [[ -f tsconfig.json ]]; then
    if npx tsc --noEmit -p . > "$logs/tsc.log" 2>&1; then echo "tsc --noEmit: no errors"; else head -20 "$logs/tsc.log"; fail "tsc after the rewrite"; return 1; fi
  fi
  (( changed > 0 )) || { fail "nothing rewritten"; return 1; }
  git -c user.name=e2e -c user.email=e2e@localhost commit -qam "ka-codemod fix"

  step "tests again"
  # a failure here is reported, and the demo still runs: it tells whether keepalive itself works
  if declare -F "build_$id" > /dev/null; then
    "build_$id" > "$logs/build-after.log" 2>&1 || { grep -m10 -E 'error' "$logs/build-after.log"; fail "build after the rewrite"; return 1; }
    echo "build: no errors"
  fi
  local t_after tests_ok=1; t_after=$(isolated bash -c "$(declare -f "tests_$id"); tests_$id $logs/tests-after.log") || { tests_ok=0; grep -m12 -E '^\s*(Failed:|[A-Za-z]*Error|not ok|failed:|[0-9]+ failing)' "$logs/tests-after.log"; }
  echo "$t_after"
  (( tests_ok )) || fail "tests after the rewrite: $t_after"
  if (( tests_ok )) && [[ "$t_after" != "$t_before" ]]; then fail "test counts differ: before: $t_before; after: $t_after"; tests_ok=0; fi

  step "the demo after the rewrite (strace, ss)"
  local out; out=$(demo_under_strace "$id" after "$logs")
  local rc=$?
  echo "$out"
  (( rc == 0 )) || { fail "keepalive after the rewrite"; return 1; }
  (( tests_ok )) || return 1
  summary+=("$project: PASS; $changed files rewritten; tests before and after: $t_after; $(grep -m1 '^strace:' <<<"$out"); ss: $(grep -oE 'timer:\(keepalive[^)]*\)' <<<"$out" | head -1 | grep . || echo 'no held connection')")
}

for project in "${projects[@]}"; do
  id=${project//-/_}
  spec_var="spec_$id"
  if [[ -z "${!spec_var:-}" ]]; then echo "e2e:real:js: no recipe for $project"; failed=1; continue; fi
  run_project || true
  cd "$work" || exit 1
done

printf '\n== summary\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
}
