#!/usr/bin/env bash
# Replay benchmark: deterministic replays/s of recorded 5-stage pipeline runs (SQLite), on 1 and 2
# threads, next to reading and decoding the same journals (the baseline) in one run. Every replay
# must be IDENTICAL, or the benchmark fails.
#
#   bash bench/replay.sh
#
# Writes bench/results/replay-<date>.md and refreshes the "Replay" section of BENCHMARKS.md.
#
# Knobs (environment): REPLAY_BENCH_RUNS (recorded runs, default 2000), REPLAY_BENCH_THREADS
# (default 1,2), REPLAY_BENCH_JAVA_OPTS (JVM flags), REPLAY_BENCH_MVN_ARGS (extra Maven flags,
# e.g. -o), REPLAY_BENCH_NO_BENCHMARKS_MD=1 (write the result file only, leave BENCHMARKS.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${REPLAY_BENCH_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/replay.classpath"
echo "replay: building ballast-bench" >&2
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/replay-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
BENCHMARKS_ARGS=(--benchmarks "$ROOT/BENCHMARKS.md")
if [[ "${REPLAY_BENCH_NO_BENCHMARKS_MD:-}" == 1 ]]; then
  BENCHMARKS_ARGS=()
fi

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${REPLAY_BENCH_JAVA_OPTS:-} \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.ReplayBenchmark \
  --runs "${REPLAY_BENCH_RUNS:-2000}" \
  --threads "${REPLAY_BENCH_THREADS:-1,2}" \
  --out "$RESULT" "${BENCHMARKS_ARGS[@]}" --commit "$COMMIT" >/dev/null
echo "replay: wrote $RESULT" >&2
