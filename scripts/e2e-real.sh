#!/usr/bin/env bash
# npm run e2e:real — real Debian bookworm C servers, end to end, with their own builds and tests.
#
# For each project (KA_PROJECTS, default: mosquitto tinyproxy memcached lighttpd iperf3):
#   1. `apt-get source --download-only` + `dpkg-source -x` (with Debian's patches, except where a
#      recipe says why not); a tarball the registry does not serve is skipped with a line, not a
#      failure;
#   2. git init + commit; build with the project's own build system and count compiler warnings;
#      run the project's own tests, unmodified (a named subset where the full suite is long);
#   3. `git clean -fdx`, then `ka-codemod fix --lang c --idle 60` on the tree (Debian's debian/ and
#      .pc/ left out); a second `fix --dry-run` must change nothing; commit the rewrite;
#   4. rebuild from scratch with the same flags: the warning count must not grow;
#      run the same tests again: they must pass again;
#   5. start the server on 127.0.0.1, connect, and `ss -tnoe` must show the server's side of the
#      connection with timer:(keepalive,...);
#   6. projects that tolerate setsockopt failures (mosquitto, memcached) run again under
#      `strace -f -e inject=setsockopt:error=ENOPROTOOPT`: the rewritten server must serve 20 of 20
#      connections, and its /proc/PID/fd count must be the same before and after them.
# Needs root for `apt-get build-dep` (KA_SKIP_BUILD_DEP=1 when the build dependencies are there).
# KA_KEEP=1 keeps the work directory. Loopback only. About 15-25 minutes on two cores.
# The whole script is one compound command: bash reads it completely before running any of it.
{
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
projects=(${KA_PROJECTS:-mosquitto tinyproxy memcached lighttpd iperf3})
idle=${KA_IDLE:-60}
work="$(mktemp -d /tmp/ka-e2e-real.XXXXXX)"
cli="$repo/packages/cli/dist/bin.js"
jobs=${KA_JOBS:-2}
server_pid=""
summary=()
failed=0

cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  if [[ "${KA_KEEP:-0}" != 1 ]]; then rm -rf "$work"; else echo "e2e:real: kept $work"; fi
}
trap cleanup EXIT
step() { printf '\n== %s: %s\n' "$project" "$*"; }
fail() { echo "e2e:real: FAIL: $project: $*"; summary+=("$project: FAIL: $*"); failed=1; }
warnings_in() { grep -c 'warning:' "$1" || true; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_listen() { for _ in $(seq 1 100); do ss -tln "( sport = :$1 )" | grep -q LISTEN && return 0; sleep 0.1; done; return 1; }
stop_server() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=""; fi; }

# A client for each protocol: opens connections one after another, sends a request, waits for the
# answer; prints "served N/M". `hold` keeps one connection open for ss to see.
probe() { # probe PORT PROTOCOL COUNT|hold
  node - "$@" <<'EOF'
const net = require('net');
const [port, proto, what] = process.argv.slice(2);
const req = {
  mqtt: Buffer.from([0x10, 14, 0, 4, 77, 81, 84, 84, 4, 2, 0, 60, 0, 2, 107, 97]),
  memcached: Buffer.from('version\r\n'),
  http: Buffer.from('GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'),
  iperf: Buffer.alloc(0),
}[proto];
const ok = { mqtt: (b) => b[0] === 0x20, memcached: (b) => /^VERSION/.test(String(b)), http: (b) => /^HTTP\//.test(String(b)), iperf: () => true }[proto];
function once(hold) {
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (r) => { if (!done) { done = true; clearTimeout(t); if (!hold) s.destroy(); resolve(r); } };
    const t = setTimeout(() => finish(proto === 'iperf'), hold ? 3000 : 5000);
    // held open for ss: an HTTP server would answer and close, so it gets no request then
    s.on('connect', () => { if (req.length && !(hold && proto === 'http')) s.write(req); });
    s.on('data', (d) => { data = Buffer.concat([data, d]); if (!hold && ok(data)) finish(true); });
    s.on('error', () => finish(false));
    s.on('close', () => finish(ok(data)));
  });
}
(async () => {
  if (what === 'hold') { await once(true); process.exit(0); }
  let served = 0;
  for (let i = 0; i < Number(what); i++) if (await once(false)) served++;
  console.log(`served ${served}/${what}`);
  process.exit(served === Number(what) ? 0 : 1);
})();
EOF
}

# ---- per project: build, tests (print one summary line), server -------------------------------

build_mosquitto() { make -j"$jobs" WITH_DOCS=no binary; }
# The broker suite is ~300 Python scripts; groups 01 (connect) and 02 (subscribe/publish) run here.
tests_mosquitto() {
  local n; n=$(make -s -C test/broker -n 01 02 2>/dev/null | grep -c '\.py')
  # the Debian python3, which has the Debian test dependency (python3-psutil)
  if PATH="/usr/bin:$PATH" make -C test/broker 01 02 > "$1" 2>&1; then echo "test/broker groups 01+02 (subset of the broker suite): $n scripts, all passed"; else echo "test/broker groups 01+02: FAILED ($(grep -m1 -E 'Error|FAIL' "$1"))"; return 1; fi
}
serve_mosquitto() { printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$1" > "$work/mosquitto.conf"; ${2:-} ./src/mosquitto -c "$work/mosquitto.conf"; }
proto_mosquitto=mqtt
tolerant_mosquitto=1
# Debian's patches point the broker tests at the installed /usr/sbin/mosquitto (for autopkgtest);
# the upstream tree tests the broker it builds.
upstream_mosquitto=1
testdeps_mosquitto=python3-psutil

build_tinyproxy() { ./configure -q --enable-silent-rules && make -j"$jobs"; }
tests_tinyproxy() {
  if make test > "$1" 2>&1 && grep -q '^0 errors' "$1"; then echo "make test (tests/scripts/run_tests.sh): $(grep -cE '\.\.\. ?ok' "$1") checks ok, $(grep -E '^[0-9]+ errors' "$1")"; else echo "make test: FAILED ($(grep -E '^[0-9]+ errors' "$1"))"; return 1; fi
}
serve_tinyproxy() { printf 'User nobody\nGroup nogroup\nPort %s\nListen 127.0.0.1\nTimeout 600\nMaxClients 10\n' "$1" > "$work/tinyproxy.conf"; ${2:-} ./src/tinyproxy -d -c "$work/tinyproxy.conf"; }
proto_tinyproxy=http
tolerant_tinyproxy=0

build_memcached() { ./configure -q --enable-silent-rules && make -j"$jobs" memcached memcached-debug sizes testapp timedrun; }
# `make test` runs ~90 Perl test files (several minutes); this runs sizes, testapp and a named subset.
memcached_t="t/getset.t t/incrdecr.t t/noreply.t t/flush-all.t t/binary.t t/stats.t t/issue_70.t t/cas.t"
tests_memcached() {
  if { ./sizes && ./testapp && prove $memcached_t; } > "$1" 2>&1; then
    echo "./sizes, ./testapp ($(grep -c '^ok' "$1") ok) and prove $(wc -w <<<"$memcached_t") of t/*.t (subset): $(grep -E '^Files=' "$1" | cut -d, -f1-2), $(grep -E '^Result' "$1")"
  else echo "memcached tests: FAILED ($(grep -m1 -E 'not ok|FAIL|Failed' "$1"))"; return 1; fi
}
serve_memcached() { ${2:-} ./memcached -l 127.0.0.1 -p "$1" -U 0 -u nobody; }
proto_memcached=memcached
tolerant_memcached=1

build_lighttpd() { ./configure -q --enable-silent-rules && make -j"$jobs"; }
tests_lighttpd() {
  if make check > "$1" 2>&1; then
    echo "make check: $(grep -E '^All [0-9]+ tests passed' "$1" | paste -sd';' | sed 's/;/; /g') (src/t unit tests, then tests/: run-tests.pl $(grep -E '^Files=' "$1" | cut -d, -f1-2), $(grep -E '^Result' "$1"))"
  else echo "make check: FAILED ($(grep -E '^FAIL|tests failed' "$1" | paste -sd' '))"; return 1; fi
}
serve_lighttpd() {
  mkdir -p "$work/www" && echo hello > "$work/www/index.html"
  printf 'server.document-root = "%s"\nserver.bind = "127.0.0.1"\nserver.port = %s\nserver.max-keep-alive-idle = 600\n' "$work/www" "$1" > "$work/lighttpd.conf"
  ${2:-} ./src/lighttpd -D -f "$work/lighttpd.conf" -m ./src/.libs
}
proto_lighttpd=http
tolerant_lighttpd=0

build_iperf3() { ./configure -q --enable-silent-rules && make -j"$jobs"; }
tests_iperf3() { if make check > "$1" 2>&1; then echo "make check: $(grep -E '^# (TOTAL|PASS|FAIL):' "$1" | paste -sd' ')"; else echo "make check: FAILED"; return 1; fi; }
serve_iperf3() { ${2:-} ./src/iperf3 -s -B 127.0.0.1 -p "$1"; }
proto_iperf3=iperf
tolerant_iperf3=0

# ---- the loop ---------------------------------------------------------------------------------

(cd "$repo" && flock /tmp/ka-build.lock npx tsc -b) || { echo "e2e:real: FAIL: build of ka-codemod"; exit 1; }
[[ -f "$cli" ]] || { echo "e2e:real: FAIL: no CLI build at $cli"; exit 1; }

run_project() {
  local src="$work/$project" logs="$work/$project-logs"
  mkdir -p "$logs"
  step "sources (apt-get source $project)"
  if [[ "${KA_SKIP_BUILD_DEP:-0}" != 1 && $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq "$project" > "$logs/build-dep.log" 2>&1 || echo "apt-get build-dep $project failed (see $logs/build-dep.log); trying anyway"
    local deps_var="testdeps_$project"
    if [[ -n "${!deps_var:-}" ]]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${!deps_var} >> "$logs/build-dep.log" 2>&1 || echo "apt-get install ${!deps_var} failed"; fi
  fi
  mkdir -p "$work/dl-$project"
  if ! (cd "$work/dl-$project" && apt-get source --download-only -qq "$project" > "$logs/source.log" 2>&1); then
    echo "skipped: the registry does not serve $project's source: $(grep -m1 -E '^E:' "$logs/source.log")"
    summary+=("$project: skipped (apt-get source failed: $(grep -m1 -E '^E:' "$logs/source.log" | cut -c1-120))")
    return 0
  fi
  local upstream_var="upstream_$project" dsc
  dsc=$(ls "$work/dl-$project"/*.dsc | head -1)
  if [[ "${!upstream_var:-0}" == 1 ]]; then
    dpkg-source -q -x --skip-patches "$dsc" "$src" > "$logs/unpack.log" 2>&1 || { fail "dpkg-source -x"; return 1; }
    echo "$(basename "$dsc"): upstream sources (dpkg-source --skip-patches)"
  else
    dpkg-source -q -x "$dsc" "$src" > "$logs/unpack.log" 2>&1 || { fail "dpkg-source -x"; return 1; }
    echo "$(basename "$dsc"): with Debian's patches"
  fi
  cd "$src" || return 1
  git init -q . && git add -A && git -c user.name=e2e -c user.email=e2e@localhost commit -qm "$project as Debian ships it" || return 1
  echo "$(git rev-list --count HEAD) commit, $(git ls-files | wc -l) files"

  step "build as shipped"
  if ! "build_$project" > "$logs/build-before.log" 2>&1; then tail -20 "$logs/build-before.log"; fail "build before the rewrite"; return 1; fi
  local w_before; w_before=$(warnings_in "$logs/build-before.log")
  echo "compiler warnings: $w_before"
  step "tests as shipped"
  local t_before; t_before=$("tests_$project" "$logs/tests-before.log") || { echo "$t_before"; tail -20 "$logs/tests-before.log"; fail "tests before the rewrite"; return 1; }
  echo "$t_before"

  step "ka-codemod fix --lang c --idle $idle"
  git clean -fdxq && git checkout -q .
  node "$cli" fix --lang c --idle "$idle" --exclude '.pc/**' --exclude 'debian/**' . > "$logs/fix.log" 2>&1
  grep -vE 'could not be parsed' "$logs/fix.log" | tail -40
  local changed; changed=$(git diff --name-only | wc -l)
  git diff > "$logs/keepalive.patch"
  echo "files changed: $changed ($(grep -c '^+' "$logs/keepalive.patch" || true) lines added)"
  local again; again=$(node "$cli" fix --dry-run --lang c --idle "$idle" --exclude '.pc/**' --exclude 'debian/**' . 2>/dev/null | grep -c '^+++' || true)
  echo "files a second run would change: $again"
  [[ "$again" == 0 ]] || { fail "not idempotent"; return 1; }
  git -c user.name=e2e -c user.email=e2e@localhost commit -qam "ka-codemod fix" --allow-empty

  step "rebuild with the same flags"
  if ! "build_$project" > "$logs/build-after.log" 2>&1; then grep -E 'error' "$logs/build-after.log" | head -20; fail "build after the rewrite"; return 1; fi
  local w_after; w_after=$(warnings_in "$logs/build-after.log")
  echo "compiler warnings: $w_before before, $w_after after"
  grep -E 'enable_tcp_keepalive|SO_KEEPALIVE|TCP_KEEP' "$logs/build-after.log" | head -5
  (( w_after <= w_before )) || { fail "more warnings after the rewrite ($w_before -> $w_after)"; return 1; }
  step "tests again"
  local t_after; t_after=$("tests_$project" "$logs/tests-after.log") || { echo "$t_after"; tail -20 "$logs/tests-after.log"; fail "tests after the rewrite"; return 1; }
  echo "$t_after"

  step "serve on 127.0.0.1, connect, ss -tnoe"
  local port proto_var="proto_$project" tolerant_var="tolerant_$project"
  port=$(free_port)
  "serve_$project" "$port" > "$logs/server.log" 2>&1 &
  server_pid=$!
  wait_listen "$port" || { cat "$logs/server.log"; fail "server did not listen"; stop_server; return 1; }
  probe "$port" "${!proto_var}" hold &
  local client=$!
  sleep 1
  local ss_line; ss_line="$(ss -tnoe state established "( sport = :$port )" | grep -v '^Recv-Q' | head -1 | tr -s ' ')"
  echo "\$ ss -tnoe state established '( sport = :$port )'"
  echo "$ss_line"
  wait "$client" 2>/dev/null
  stop_server
  grep -q 'timer:(keepalive' <<<"$ss_line" || { cat "$logs/server.log"; fail "no keepalive timer on the server side"; return 1; }
  local ss_short; ss_short=$(grep -oE 'timer:\(keepalive[^)]*\)' <<<"$ss_line")

  local inject=""
  if [[ "${!tolerant_var}" == 1 ]]; then
    step "every setsockopt fails (strace -f -e inject=setsockopt:error=ENOPROTOOPT): 20 connections"
    port=$(free_port)
    "serve_$project" "$port" "strace -f -qq -o $logs/inject.strace -e trace=setsockopt -e inject=setsockopt:error=ENOPROTOOPT" > "$logs/server-inject.log" 2>&1 &
    server_pid=$!
    wait_listen "$port" || { cat "$logs/server-inject.log"; fail "server under fault injection did not listen"; stop_server; return 1; }
    local pid; pid=$(ss -tlnp "( sport = :$port )" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2)
    probe "$port" "${!proto_var}" 1 > /dev/null
    sleep 0.5
    local fds_before; fds_before=$(ls "/proc/$pid/fd" | wc -l)
    local served; served=$(probe "$port" "${!proto_var}" 20)
    sleep 0.5
    local fds_after; fds_after=$(ls "/proc/$pid/fd" | wc -l)
    local failed_ka; failed_ka=$(grep -c 'SO_KEEPALIVE.*ENOPROTOOPT' "$logs/inject.strace" || true)
    echo "$served; SO_KEEPALIVE calls failed by injection: $failed_ka; /proc/$pid/fd: $fds_before before, $fds_after after"
    grep -m2 -i 'keepalive' "$logs/server-inject.log"
    stop_server
    [[ "$served" == "served 20/20" && "$fds_before" == "$fds_after" && "$failed_ka" -gt 0 ]] || { fail "under fault injection: $served, fds $fds_before -> $fds_after, $failed_ka failed SO_KEEPALIVE"; return 1; }
    inject="; setsockopt fails: $served, fds $fds_before -> $fds_after"
  fi
  summary+=("$project: PASS; $changed files rewritten; tests before: $t_before; after: $t_after; warnings $w_before -> $w_after; ss: $ss_short$inject")
}

for project in "${projects[@]}"; do
  if ! declare -F "build_$project" > /dev/null; then echo "e2e:real: no recipe for $project"; failed=1; continue; fi
  run_project || true
  cd "$work" || exit 1
done

printf '\n== summary\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
}
