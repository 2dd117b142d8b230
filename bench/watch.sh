#!/usr/bin/env bash
# Watch benchmark: detection delay per drift kind (latency ×1.5, output tokens −30 %, refusals and
# format violations 0 → 5 %, model and fingerprint change, a canary's quality drop) and false
# alarms over a stationary phase, at 2 requests/s of simulated time through a real Watch over SQLite (WatchBenchmark).
#
#   bash bench/watch.sh            # 24 simulated hours of stationary traffic
#   WATCH_BENCH_HOURS=6 bash bench/watch.sh
#
# Writes bench/results/watch-<date>.md. Knobs: WATCH_BENCH_HOURS (default 24),
# WATCH_BENCH_MVN_ARGS (extra Maven flags, e.g. -o), WATCH_BENCH_JAVA_OPTS (JVM flags).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${WATCH_BENCH_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/watch.classpath"
echo "watch: building ballast-bench" >&2
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/watch-$DATE.md"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${WATCH_BENCH_JAVA_OPTS:-} \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.WatchBenchmark --hours "${WATCH_BENCH_HOURS:-24}" --out "$RESULT" >/dev/null
echo "watch: wrote $RESULT" >&2
