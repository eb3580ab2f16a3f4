#!/usr/bin/env bash
# Benchmark of `cors-doctor port N` against `lsof` and `ss` on a machine crowded with sockets.
# Usage: bench/ports/run.sh [PROCS=300] [PAIRS=50] [RUNS=10]   (run bench/ports/setup.sh first)
# Starts a target listener on 127.0.0.1:PORT (before the load: the oldest process) and a "busy" one
# whose process holds 3,000 descriptors (the worst case of cors-doctor's fewest-descriptors-first
# owner search), then PROCS processes each holding PAIRS established
# loopback connections and a listener (about PROCS * (2 * PAIRS + 1) sockets), then times the
# three tools with hyperfine, whole process, and prints the ratios. Everything stays on loopback
# and is killed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
procs="${1:-300}"
pairs="${2:-50}"
runs="${3:-10}"
py=/usr/bin/python3
out="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "$p" 2>/dev/null || true; done
  [ -n "${loadpid:-}" ] && kill -- -"$loadpid" 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

command -v hyperfine >/dev/null || { echo "hyperfine missing: run bench/ports/setup.sh" >&2; exit 3; }
# CORS_DOCTOR=/path/to/cors-doctor benchmarks another copy of the launcher (with its jar).
cd "$root"
cd_bin="${CORS_DOCTOR:-./cors-doctor}"
"$cd_bin" --version >/dev/null # builds the jar and the class-data-sharing archive once

free_port() { $py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
$py "$root/cli/src/test/resources/ports/listen.py" 127.0.0.1 "$port" >"$out/target.log" 2>&1 &
pids+=($!)
# The worst case of the owner search (processes with the fewest descriptors first): a listener
# whose process holds more descriptors than any process of the load.
busy=$(free_port)
$py "$root/cli/src/test/resources/ports/listen.py" 127.0.0.1 "$busy" --hold 3000 >"$out/busy.log" 2>&1 &
pids+=($!)
sleep 0.5

lookup() { # median of the in-JVM lookup time printed by --debug, over 5 runs
  for _ in 1 2 3 4 5; do
    "$cd_bin" port "${1:-$port}" --debug 2>&1 >/dev/null | sed -n 's/^debug: lookup \([0-9.]*\) ms.*/\1/p'
  done | sort -n | sed -n 3p
}

echo "## Machine"
echo
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, kernel $(uname -r), $(java -version 2>&1 | head -1)"
echo "- lsof $(lsof -v 2>&1 | sed -n 's/.*revision: *//p' | head -1), $(ss -V)"
echo
echo "## Idle machine (before the load)"
echo
echo "- TCP sockets: $(($(wc -l </proc/net/tcp) + $(wc -l </proc/net/tcp6) - 2)), processes: $(ls /proc | grep -c '^[0-9]')"
echo "- lookup inside the JVM (median of 5, \`--debug\`): $(lookup) ms"
echo "- one run with --debug: $("$cd_bin" port "$port" --debug 2>&1 >/dev/null | tail -1)"
echo

$py "$here/load.py" "$procs" "$pairs" >"$out/load.log" 2>&1 &
loadpid=$!
for _ in $(seq 120); do grep -q READY "$out/load.log" && break; sleep 1; done
grep -q READY "$out/load.log" || { echo "the load did not start: $(cat "$out/load.log")" >&2; exit 3; }

echo "## Loaded machine"
echo
echo "- load: $procs processes x $pairs loopback connection pairs + 1 listener each"
echo "- TCP sockets: $(($(wc -l </proc/net/tcp) + $(wc -l </proc/net/tcp6) - 2)), processes: $(ls /proc | grep -c '^[0-9]'), open descriptors: $(find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
echo "- lookup inside the JVM (median of 5, \`--debug\`): $(lookup) ms"
echo "- one run with --debug: $("$cd_bin" port "$port" --debug 2>&1 >/dev/null | tail -1)"
echo "- worst case, the owner holds 3,000 descriptors (port $busy): lookup median of 5 $(lookup "$busy") ms; one run: $("$cd_bin" port "$busy" --debug 2>&1 >/dev/null | tail -1)"
echo "- one run with the OSHI backend: $(CORS_DOCTOR_PORTS_BACKEND=oshi "$cd_bin" port "$port" --debug 2>&1 >/dev/null | tail -1)"
echo
echo "### Who each tool names for port $port (target pid ${pids[0]})"
echo
echo '```'
{ "$cd_bin" port "$port" --no-color || true; } | grep -E 'pid|TAKEN|FREE' || true
lsof -nP -iTCP:"$port" -sTCP:LISTEN || true
ss -ltnpH "sport = :$port" || true
echo '```'
echo
echo "### hyperfine, $runs runs each after 2 warm-ups (whole process; cors-doctor exits 1 = taken, hence --ignore-failure)"
echo
hyperfine --style none --ignore-failure --warmup 2 --runs "$runs" --export-json "$out/h.json" --export-markdown "$out/h.md" \
  -n "cors-doctor port" "$cd_bin port $port" \
  -n "cors-doctor port --no-connect" "$cd_bin port $port --no-connect" \
  -n "cors-doctor port (busy owner, worst case)" "$cd_bin port $busy" \
  -n "cors-doctor port (OSHI backend)" "CORS_DOCTOR_PORTS_BACKEND=oshi $cd_bin port $port" \
  -n "lsof" "lsof -nP -iTCP:$port -sTCP:LISTEN" \
  -n "ss -p" "ss -ltnpH 'sport = :$port'" \
  -n "cors-doctor --version (JVM start-up only)" "$cd_bin --version" >/dev/null
cat "$out/h.md"
echo
echo "### Ratios (mean wall time, lower is better)"
echo
$py - "$out/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["cors-doctor port"]["mean"]
for name, x in r.items():
    print(f"- {name}: {x['mean']*1000:.0f} ms ± {x['stddev']*1000:.0f}; cors-doctor port / this = {base / x['mean']:.2f}")
print()
lsof = r["lsof"]["mean"]
print(f"Target 'wall time at most lsof's': cors-doctor port = {base/lsof:.2f} x lsof -> {'met' if base <= lsof else 'NOT met'}")
PY
