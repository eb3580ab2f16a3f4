#!/usr/bin/env bash
# CPU per proxied request, paired: cors-doctor proxy and nginx as a CORS-fixing reverse proxy, each
# in a process of its own in front of the same upstream (a second nginx serving the small answer
# and a 1 MB file with the story's stray `Access-Control-Allow-Origin: *`), measured in alternating
# rounds with wrk on loopback. For each round it prints requests/s, p99 and the proxy's own CPU
# time (user and system, from /proc/PID/stat, all its threads or workers) divided by the requests
# served, a figure the other processes on a shared machine disturb far less than requests/s; and
# the upstream's CPU per request and how idle the machine was.
# Usage: bench/proxy/cpu.sh [rounds, default 3] [seconds per run, default 4] [connections, 64]
#        [answer: small (default) or 1mb]
# (bench/proxy/setup.sh first). JAVA_OPTS_EXTRA adds JVM options to the cors-doctor proxy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-3}"
secs="${2:-4}"
conns="${3:-64}"
size="${4:-small}"
path=/small
[ "$size" = 1mb ] && path=/1mb.bin
origin="http://localhost:4200"
work="$(mktemp -d /tmp/cors-doctor-bench-cpu.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "bench/proxy: $tool is missing; run bench/proxy/setup.sh" >&2; exit 3; }
done
# shellcheck source=bench/proxy/lib.sh
. "$here/lib.sh"
UP=$(free_port); NGX=$(free_port); CD=$(free_port)
mkdir -p "$work/logs" "$work/www"
chmod 755 "$work" "$work/www"
head -c 1048576 /dev/urandom > "$work/www/1mb.bin"
chmod 644 "$work/www/1mb.bin"

nginx_conf() { # name workers server-block
  cat > "$work/$1.conf" <<CONF
worker_processes $2;
pid $work/$1.pid;
error_log $work/logs/$1.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  $3
}
CONF
  nginx -c "$work/$1.conf" -p "$work" -g 'daemon on;'
}
nginx_conf upstream 2 "sendfile on; server { listen 127.0.0.1:$UP;
    location = /small { add_header Access-Control-Allow-Origin \"*\" always; default_type application/json;
      return 200 '{\"ok\":true,\"items\":[1,2,3]}'; }
    location / { add_header Access-Control-Allow-Origin \"*\" always; root $work/www; } }"
# The same CORS-fixing reverse proxy as run.sh's.
nginx_conf proxy 2 "$(nginx_cors_proxy "$UP" "$NGX" "$origin")"

"$root/cors-doctor" --help >/dev/null # builds the jar once if needed
JAVA_TOOL_OPTIONS="${JAVA_OPTS_EXTRA:-}" "$root/cors-doctor" proxy --target "http://127.0.0.1:$UP" \
  --listen "127.0.0.1:$CD" --allow-origin "$origin" >/dev/null 2>"$work/cd.err" &
pids+=($!)
cdpid=$!
for p in "$UP" "$NGX" "$CD"; do wait_port "$p"; done

# CPU ticks of a set of processes: user, then system.
ticks() { for p in "$@"; do awk '{print $14, $15}' "/proc/$p/stat"; done | awk '{u += $1; s += $2} END {print u, s}'; }
hz=$(getconf CLK_TCK)
# The worker processes of one of the nginx instances (upstream or proxy).
workers() { pgrep -P "$(cat "$work/$1.pid")" | tr '\n' ' '; }
# Idle and total jiffies of the whole machine (/proc/stat).
cpu_idle() { awk '/^cpu / {t = 0; for (i = 2; i <= NF; i++) t += $i; print $5 + $6, t}' /proc/stat; }
run() { # name url pids...
  local name=$1 url=$2; shift 2
  local u0 s0 out u1 s1 rps reqs p99 up0 up1 idle0 idle1 all0 all1
  read -r u0 s0 <<<"$(ticks "$@")"
  up0=$(ticks $(workers upstream) | awk '{print $1 + $2}')
  read -r idle0 all0 <<<"$(cpu_idle)"
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Origin: $origin" "$url")
  read -r idle1 all1 <<<"$(cpu_idle)"
  up1=$(ticks $(workers upstream) | awk '{print $1 + $2}')
  read -r u1 s1 <<<"$(ticks "$@")"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  awk -v n="$name" -v r="$rps" -v p="$p99" -v u=$((u1 - u0)) -v s=$((s1 - s0)) -v q="$reqs" -v hz="$hz" \
    -v up=$((up1 - up0)) -v idle=$(((idle1 - idle0) * 100 / (all1 - all0))) \
    'BEGIN { f = 1e6 / hz / q; printf "%-12s %8.0f req/s  p99 %8s  %5.1f us CPU/request (user %.1f, system %.1f); upstream %.1f us; machine idle %d%%\n", n, r, p, (u + s) * f, u * f, s * f, up * f, idle }'
}

# Warm-up: C2 compiles the request path.
wrk -t2 -c"$conns" -d8s -H "Origin: $origin" "http://127.0.0.1:$CD$path" >/dev/null
echo "wrk -t2 -c$conns -d${secs}s, $size answer ($path); $(nproc) cores; load $(cut -d' ' -f1 /proc/loadavg)"
java_pid=$(pgrep -P "$cdpid" java || echo "$cdpid")
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  run cors-doctor "http://127.0.0.1:$CD$path" "$java_pid"
  # shellcheck disable=SC2046
  run nginx "http://127.0.0.1:$NGX$path" $(workers proxy)
done
echo "load $(cut -d' ' -f1 /proc/loadavg)"
