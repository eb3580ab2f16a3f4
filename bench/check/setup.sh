#!/usr/bin/env bash
# Installs what bench/check/run.sh needs (Debian packages): hyperfine, curl, python3. Idempotent.
set -euo pipefail
packages=(hyperfine curl python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "bench/check/setup: everything is installed."
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bench/check/setup: installed ${missing[*]}."
