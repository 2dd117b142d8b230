#!/usr/bin/env bash
# Durable pipeline benchmark: throughput of a 3-stage no-op pipeline and checkpoint latency, on
# SQLite and PostgreSQL, engine next to the bare run queue (the baseline) in one run.
#
#   bash bench/pipelines.sh
#
# Needs the local PostgreSQL (BALLAST_BENCH_POSTGRES_URL, default
# jdbc:postgresql://127.0.0.1:5432/test?user=postgres; each row uses a schema of its own, dropped
# afterwards). Writes bench/results/pipelines-<date>.md and refreshes the "Durable pipelines"
# section of BENCHMARKS.md.
#
# Knobs (environment): PIPELINE_BENCH_RUNS (runs per row, default 5000),
# PIPELINE_BENCH_SQLITE_WORKERS (default 1,4), PIPELINE_BENCH_PG_WORKERS (default 4,8,12,16,32),
# PIPELINE_BENCH_JAVA_OPTS (JVM flags), PIPELINE_BENCH_MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${PIPELINE_BENCH_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/pipelines.classpath"
echo "pipelines: building ballast-bench" >&2
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/pipelines-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${PIPELINE_BENCH_JAVA_OPTS:-} \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.PipelineBenchmark \
  --runs "${PIPELINE_BENCH_RUNS:-5000}" \
  --sqlite-workers "${PIPELINE_BENCH_SQLITE_WORKERS:-1,4}" \
  --pg-workers "${PIPELINE_BENCH_PG_WORKERS:-4,8,12,16,32}" \
  --out "$RESULT" --benchmarks "$ROOT/BENCHMARKS.md" --commit "$COMMIT" >/dev/null
echo "pipelines: wrote $RESULT and BENCHMARKS.md" >&2
