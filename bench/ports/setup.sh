#!/usr/bin/env bash
# Installs what bench/ports/run.sh needs (idempotent): hyperfine, lsof, ss (iproute2), python3.
set -euo pipefail
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
command -v lsof >/dev/null || need+=(lsof)
command -v ss >/dev/null || need+=(iproute2)
[ -x /usr/bin/python3 ] || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
hyperfine --version; lsof -v 2>&1 | sed -n 2p; ss -V
