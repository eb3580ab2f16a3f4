#!/usr/bin/env bash
# Side by side in one run, with wrk on loopback against the same upstream (nginx serving a small
# JSON answer and a 1 MB file, with the story's stray `Access-Control-Allow-Origin: *`):
#   direct            the upstream itself
#   nginx             nginx as a reverse proxy that hides upstream CORS headers and adds its own
#   local-cors-proxy  npm's local-cors-proxy (lcp)
#   cors-doctor       cors-doctor proxy (through the ./cors-doctor launcher, log to /dev/null)
# Prints requests/s and p99 latency per case, and cors-doctor's ratios to nginx and to lcp.
# The cases run in rounds (each round: the four small cases, then the four 1 MB ones, back to back),
# so each ratio compares runs made seconds apart; the summary gives each ratio's median over the
# rounds (a shared machine's speed drifts between minutes, and nginx's rate with it).
# Usage: bench/proxy/run.sh [seconds per case, default 10] [connections, default 64] [rounds, 3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
secs="${1:-10}"
conns="${2:-64}"
rounds="${3:-3}"
threads=2
origin="http://localhost:4200"
work="$(mktemp -d /tmp/cors-doctor-bench-proxy.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk nginx node; do
  command -v "$tool" >/dev/null || { echo "bench/proxy: $tool is missing; run bench/proxy/setup.sh" >&2; exit 3; }
done
[ -x "$here/node_modules/.bin/lcp" ] || { echo "bench/proxy: local-cors-proxy is missing; run bench/proxy/setup.sh" >&2; exit 3; }

# shellcheck source=bench/proxy/lib.sh
. "$here/lib.sh"
UP=$(free_port); NGX=$(free_port); LCP=$(free_port); CD=$(free_port)

mkdir -p "$work/www" "$work/logs"
chmod 755 "$work" "$work/www"
head -c 1048576 /dev/urandom > "$work/www/1mb.bin"
chmod 644 "$work/www/1mb.bin"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  # the upstream: answers with the stray '*' a second layer would add
  server {
    listen 127.0.0.1:$UP;
    location = /small { add_header Access-Control-Allow-Origin "*" always; default_type application/json; return 200 '{"ok":true,"items":[1,2,3]}'; }
    location / { add_header Access-Control-Allow-Origin "*" always; root $work/www; }
  }
  # nginx as the CORS-fixing reverse proxy (what a developer would write by hand)
$(nginx_cors_proxy "$UP" "$NGX" "$origin")
}
CONF
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon on;'

(cd "$here" && exec node_modules/.bin/lcp --proxyUrl "http://127.0.0.1:$UP" --port "$LCP" --origin "$origin" >/dev/null 2>&1) &
pids+=($!)

"$root/cors-doctor" --help >/dev/null # builds the jar once if needed
"$root/cors-doctor" proxy --target "http://127.0.0.1:$UP" --listen "127.0.0.1:$CD" \
  --allow-origin "$origin" >/dev/null 2>"$work/cd.err" &
pids+=($!)
cdpid=$!

for p in "$UP" "$NGX" "$LCP" "$CD"; do wait_port "$p"; done

# Each case: name, URL of the small answer, URL of the 1 MB file.
names=(direct nginx local-cors-proxy cors-doctor)
small=("http://127.0.0.1:$UP/small" "http://127.0.0.1:$NGX/small" "http://127.0.0.1:$LCP/proxy/small" "http://127.0.0.1:$CD/small")
big=("http://127.0.0.1:$UP/1mb.bin" "http://127.0.0.1:$NGX/1mb.bin" "http://127.0.0.1:$LCP/proxy/1mb.bin" "http://127.0.0.1:$CD/1mb.bin")

# Sanity: every proxy answers with exactly one Access-Control-Allow-Origin.
for i in 1 2 3; do
  n=$(curl -s -D - -o /dev/null -H "Origin: $origin" "${small[$i]}" | grep -ci '^access-control-allow-origin:' || true)
  echo "check: ${names[$i]} sends $n Access-Control-Allow-Origin line(s)"
done

# Warm-up (the JVM compiles its hot paths; node and nginx gain little).
for i in 1 2 3; do
  wrk -t$threads -c$conns -d5s -H "Origin: $origin" "${small[$i]}" >/dev/null 2>&1 || true
  wrk -t$threads -c16 -d3s -H "Origin: $origin" "${big[$i]}" >/dev/null 2>&1 || true
done

to_ms() { # wrk latency like 812.00us, 1.20ms, 2.01s -> milliseconds
  awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'
}
declare -A RPS P99 RATIOS
measure() { # key url connections
  local out
  out=$(wrk -t$threads -c"$3" -d"${secs}s" --latency -H "Origin: $origin" "$2")
  RPS[$1]=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  P99[$1]=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  local errs; errs=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
  printf "%-22s %-6s %12s req/s   p99 %9s ms  %s\n" "$1" "$4" "${RPS[$1]}" "${P99[$1]}" "$errs"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR]=$1} END {printf "%.2f", (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
echo
echo "wrk -t$threads -c$conns -d${secs}s --latency -H 'Origin: $origin' (1 MB: -c16); $rounds rounds; $(nproc) cores shared by all processes"
for r in $(seq 1 "$rounds"); do
  echo "round $r (load $(cut -d' ' -f1 /proc/loadavg))"
  for i in 0 1 2 3; do measure "${names[$i]}-small" "${small[$i]}" "$conns" small; done
  for i in 0 1 2 3; do measure "${names[$i]}-1mb" "${big[$i]}" 16 1mb; done
  for s in small 1mb; do
    RATIOS[$s-nginx-rps]+=" $(ratio "${RPS[cors-doctor-$s]}" "${RPS[nginx-$s]}")"
    RATIOS[$s-lcp-rps]+=" $(ratio "${RPS[cors-doctor-$s]}" "${RPS[local-cors-proxy-$s]}")"
    RATIOS[$s-nginx-p99]+=" $(ratio "${P99[cors-doctor-$s]}" "${P99[nginx-$s]}")"
  done
done

rss=$(ps -o rss= -p "$(pgrep -P "$cdpid" java || echo "$cdpid")" 2>/dev/null | awk '{print int($1/1024)}' || echo "?")
echo
echo "cors-doctor proxy RSS after the run: ${rss} MB"
echo
printf "%-8s %-26s %-8s %-22s %s\n" size "cors-doctor vs" median "per round" target
for s in small 1mb; do
  for k in "nginx-rps:nginx req/s:>= 0.8x" "lcp-rps:local-cors-proxy req/s:>= 3x" "nginx-p99:nginx p99 latency:<= 1.5x"; do
    IFS=: read -r key label target <<<"$k"
    printf "%-8s %-26s %-8s %-22s %s\n" "$s" "$label" "$(echo "${RATIOS[$s-$key]}" | median)x" "${RATIOS[$s-$key]# }" "$target"
  done
done
