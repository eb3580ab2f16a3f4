# Sourced by run.sh and cpu.sh.

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Waits up to 10 s for a listener on 127.0.0.1:PORT; exits 3 when none comes.
wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench/proxy: nothing listens on port $1" >&2
  exit 3
}

# The nginx peer, a CORS-fixing reverse proxy as a developer would write it by hand (hide the
# upstream's Access-Control-Allow-Origin, add one for the allowed origin, keep-alive pool to the
# upstream, no buffering: it streams as the dev proxies do).
# Usage: nginx_cors_proxy UPSTREAM_PORT LISTEN_PORT ORIGIN   (prints the http-level directives)
nginx_cors_proxy() {
  cat <<CONF
  upstream api { server 127.0.0.1:$1; keepalive 128; }
  map \$http_origin \$cors_origin { default ""; "$3" "$3"; }
  server {
    listen 127.0.0.1:$2;
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_hide_header Access-Control-Allow-Origin;
      add_header Access-Control-Allow-Origin \$cors_origin always;
      add_header Vary Origin always;
    }
  }
CONF
}
