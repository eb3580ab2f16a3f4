#!/usr/bin/env bash
# Builds the engine from this checkout, installs it into the local Maven repository, builds the
# JMH benchmark against it and runs it (JMH 1.37: one fork, 3 warm-up and 8 measured 2 s
# iterations); prints each benchmark's time and its ratio to the simple
# GET. Usage: bench/engine/run.sh [extra JMH args]. Writes nothing in the repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
./mvnw -q -B -N install -DskipTests
./mvnw -q -B -pl engine install -DskipTests -Dspotless.check.skip=true
./mvnw -q -B -f "$here/pom.xml" package -DskipTests
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# JMH_ARGS overrides the run length, e.g. JMH_ARGS="-f 2 -wi 5 -i 10 -r 2s".
# shellcheck disable=SC2086
java -jar "$here/target/benchmarks.jar" ${JMH_ARGS:--f 1 -wi 3 -w 1s -i 8 -r 2s} -tu ns -bm avgt \
  -rf json -rff "$out/result.json" "$@" io.corsdoctor.bench.EngineBenchmark
python3 - "$out/result.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
score = {r["benchmark"].rsplit(".", 1)[1]: (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]) for r in rows}
floor = score.get("simpleGetParsed", (None,))[0]
print()
print("| benchmark | ns/op | ± | ratio to simple GET |")
print("|---|---:|---:|---:|")
for name, (s, e) in sorted(score.items(), key=lambda kv: kv[1][0]):
    ratio = f"{s / floor:.2f}x" if floor else "-"
    print(f"| {name} | {s:,.0f} | {e:,.0f} | {ratio} |")
PY
