#!/usr/bin/env bash
# Load spreading under skewed latency: a group of a slow and a fast deployment (both healthy) under
# each `strategy` (ordered, weighted, least_busy, latency), streamed chat completions at a fixed
# arrival rate against the simulator over real sockets (dev.ballast.bench.SkewedLatencyBenchmark).
#
#   bash bench/skew.sh
#
# Writes bench/results/skew-<date>.md. Knobs: SKEW_RATE (requests/s, default 50), SKEW_DURATION
# (s per strategy, default 30), SKEW_MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"
CLASSPATH_FILE="$ROOT/ballast-bench/target/skew.classpath"
echo "skew: building ballast-bench" >&2
./mvnw -B -q ${SKEW_MVN_ARGS:-} package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2
RESULT="$ROOT/bench/results/skew-$(date -u +%Y-%m-%d).md"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.SkewedLatencyBenchmark --out "$RESULT" >/dev/null
echo "skew: wrote $RESULT" >&2
