#!/usr/bin/env bash
# Whole-process wall time of `./cors-doctor check` (JVM start included) against a local API on
# two addresses, and with one address black-holed; beside it, curl doing by hand what check
# automates (preflight + actual request to each address). Prints hyperfine's tables and ratios.
#   bench/check/setup.sh && bench/check/run.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-15}"
tmp="$(mktemp -d)"
cd "$root"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
./cors-doctor --version >/dev/null   # builds the jar and the class-data archive once

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap 'cleanup; rm -rf "$tmp"' EXIT

start() { # mode port
  python3 "$here/servers.py" "$1" "$2" > "$tmp/server-$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do grep -q ready "$tmp/server-$1.log" 2>/dev/null && return; sleep 0.1; done
  echo "server $1 did not start" >&2; exit 1
}

P2=$(port); start two "$P2"
P3=$(port); start blackhole "$P3"
args="--origin http://localhost:4200 -X POST -H 'Content-Type: application/json' --data hello --format json"
curl_pair() { # port address...
  local p=$1; shift
  for a in "$@"; do
    curl -s -o /dev/null --connect-timeout 2 -X OPTIONS -H 'Origin: http://localhost:4200' \
      -H 'Access-Control-Request-Method: POST' -H 'Access-Control-Request-Headers: content-type' \
      "http://$a:$p/sample" || true
    curl -s -o /dev/null --connect-timeout 2 -X POST -H 'Origin: http://localhost:4200' \
      -H 'Content-Type: application/json' --data hello "http://$a:$p/sample" || true
  done
}
export -f curl_pair

echo "== two addresses (127.0.0.1 and ::1 both answer), $runs runs"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/two.json" \
  -n "cors-doctor check" "./cors-doctor check http://localhost:$P2/sample $args" \
  -n "curl x4 (preflight+actual, both addresses)" "bash -c 'curl_pair $P2 127.0.0.1 [::1]'" \
  -n "cors-doctor --version (JVM start floor)" "./cors-doctor --version" \
  2>&1 || true

echo
echo "== ::1 black-holed (listens, never accepts), connect timeout 2 s, $runs runs"
hyperfine -N --warmup 1 --runs "$runs" --export-json "$tmp/hole.json" \
  -n "cors-doctor check" "./cors-doctor check http://localhost:$P3/sample $args" \
  -n "curl x4 (preflight+actual, both addresses)" "bash -c 'curl_pair $P3 127.0.0.1 [::1]'" \
  2>&1 || true

python3 - "$tmp/two.json" "$tmp/hole.json" <<'PY'
import json, sys
for name, path, target in (("two addresses", sys.argv[1], 0.6), ("::1 black-holed", sys.argv[2], 2.3)):
    r = json.load(open(path))["results"]
    cd, curl = r[0]["median"], r[1]["median"]
    print(f"{name}: cors-doctor median {cd:.3f} s (target <= {target} s: {'met' if cd <= target else 'MISSED'}),"
          f" curl x4 median {curl:.3f} s, ratio cors-doctor/curl {cd/curl:.1f}")
    if len(r) > 2:
        floor = r[2]["median"]
        print(f"  JVM start floor (--version) median {floor:.3f} s: check adds {cd - floor:.3f} s over it")
PY
