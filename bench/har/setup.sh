#!/usr/bin/env bash
# Installs what bench/har/run.sh needs (idempotent): jq, GNU time, Node.js; builds cors-doctor.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
need=()
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
command -v node >/dev/null || need+=(nodejs)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}"
fi
(cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl cli -am package)
echo "ready: jq $(jq --version), node $(node --version), $(ls "$root"/cli/target/cors-doctor-*-all.jar)"
