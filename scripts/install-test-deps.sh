#!/usr/bin/env bash
# Installs what cors-doctor's tests need, from Debian's packages. Idempotent: installs only what
# is missing, so running it twice does nothing the second time.
#   chromium, chromium-driver   real-browser ground truth (browser-truth tests)
#   firefox-esr                 Firefox ground truth
#   python3-flask(-cors)        the story's real server (end-to-end tests)
#   lsof, iproute2 (ss), procps peers and helpers for port tests
# Benchmarks need more (hyperfine, wrk, nginx): scripts/install-bench-deps.sh.
set -euo pipefail

packages=(chromium chromium-driver firefox-esr python3 python3-flask python3-flask-cors lsof iproute2 procps)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: everything is installed."
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-deps: done."
