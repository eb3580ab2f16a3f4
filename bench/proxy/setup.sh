#!/usr/bin/env bash
# Installs what bench/proxy/run.sh needs, idempotently: wrk, nginx and python3 from Debian, and
# local-cors-proxy from npm into bench/proxy/node_modules (gitignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(wrk nginx-light python3 nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere: only ask apt when the commands are missing.
command -v node >/dev/null && missing=("${missing[@]/nodejs}")
command -v npm >/dev/null && missing=("${missing[@]/npm}")
command -v nginx >/dev/null && missing=("${missing[@]/nginx-light}")
read -r -a missing <<<"${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "bench/proxy/setup: installed ${missing[*]}."
fi
if [ ! -x "$here/node_modules/.bin/lcp" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent --no-save --prefix "$here" local-cors-proxy@1.1.0 >/dev/null)
  echo "bench/proxy/setup: installed local-cors-proxy into bench/proxy/node_modules."
fi
echo "bench/proxy/setup: wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $(nginx -v 2>&1), node $(node --version), local-cors-proxy $(node -p "require('$here/node_modules/local-cors-proxy/package.json').version")."
