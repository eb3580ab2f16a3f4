#!/usr/bin/env bash
# Browser driver for browser-truth, measured side by side in one run:
#   Selenium 4.52 + selenium-devtools-v156 + Debian's chromedriver (SE_OFFLINE=true)
#   vs the DevTools protocol over java.net.http.WebSocket (browser-truth's ChromiumDriver).
# Prints start-up and per-visit times and their ratios. Not part of ./mvnw verify.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
"$here/setup.sh" >/dev/null
cd "$root"
./mvnw -q -pl browser-truth -am test-compile -Dspotless.check.skip=true
m2="${HOME}/.m2/repository/com/fasterxml/jackson/core"
cdp_cp="$root/browser-truth/target/test-classes:$(ls "$m2"/jackson-databind/*/jackson-databind-*.jar | grep -v sources | tail -1):$(ls "$m2"/jackson-core/*/jackson-core-*.jar | grep -v sources | tail -1):$(ls "$m2"/jackson-annotations/*/jackson-annotations-*.jar | grep -v sources | tail -1)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -cp "$cdp_cp" -d "$out" "$here/cdp/CdpBench.java"
SE_OFFLINE=true ./mvnw -q -f "$here/selenium/pom.xml" package dependency:build-classpath \
  -Dmdep.outputFile="$out/selenium.cp" -DoutputDirectory="$out" >/dev/null
sel_cp="$here/selenium/target/selbench-1.jar:$(cat "$out/selenium.cp")"
echo "selenium jars: $(du -ch $(tr ':' ' ' < "$out/selenium.cp") | tail -1 | cut -f1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cdp="$(java -cp "$out:$cdp_cp" CdpBench)"
sel="$(SE_OFFLINE=true java -cp "$sel_cp" SelBench 2>/dev/null)"
echo "$cdp"
echo "$sel"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cs=$(echo "$cdp" | sed -n 's/^cdp start-up.*: \([0-9]*\) ms/\1/p')
ss=$(echo "$sel" | sed -n 's/^selenium start-up.*: \([0-9]*\) ms/\1/p')
cv=$(echo "$cdp" | sed -n 's/^cdp per visit.*: \([0-9]*\) ms/\1/p')
sv=$(echo "$sel" | sed -n 's/^selenium per visit.*: \([0-9]*\) ms/\1/p')
awk -v cs="$cs" -v ss="$ss" -v cv="$cv" -v sv="$sv" 'BEGIN {
  printf "start-up: selenium/cdp = %.2f\n", ss / cs
  printf "per visit: selenium (same context) / cdp (fresh context each) = %.2f\n", sv / cv }'
