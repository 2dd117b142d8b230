#!/usr/bin/env bash
# Retrieval benchmark: ingestion throughput with the local embedding model (all-MiniLM-L6-v2) on
# SQLite and PostgreSQL, search latency through the real per-node Lucene index (real model at the
# ingested size; synthetic random unit vectors at a large size), conversation memory latency.
#
#   bash bench/retrieval.sh
#
# Needs the local PostgreSQL (BALLAST_BENCH_POSTGRES_URL, default
# jdbc:postgresql://127.0.0.1:5432/test?user=postgres; the run uses a schema of its own, dropped
# afterwards). Writes bench/results/retrieval-<date>.md.
#
# Knobs (environment): RETRIEVAL_BENCH_DOCS (documents ingested with the real model, default 2000),
# RETRIEVAL_BENCH_SYNTHETIC (chunks with synthetic vectors, default 100000), RETRIEVAL_BENCH_QUERIES
# (default 1000), RETRIEVAL_BENCH_BACKENDS (default sqlite,postgresql), RETRIEVAL_BENCH_JAVA_OPTS
# (JVM flags, default -Xmx4g; the Vector API module is always on, as in ./ballast),
# RETRIEVAL_BENCH_MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${RETRIEVAL_BENCH_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/retrieval.classpath"
echo "retrieval: building ballast-bench" >&2
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/retrieval-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  ${RETRIEVAL_BENCH_JAVA_OPTS:--Xmx4g} \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.RetrievalBenchmark \
  --real-docs "${RETRIEVAL_BENCH_DOCS:-2000}" \
  --synthetic-chunks "${RETRIEVAL_BENCH_SYNTHETIC:-100000}" \
  --queries "${RETRIEVAL_BENCH_QUERIES:-1000}" \
  --backends "${RETRIEVAL_BENCH_BACKENDS:-sqlite,postgresql}" \
  --out "$RESULT" --commit "$COMMIT" >/dev/null
echo "retrieval: wrote $RESULT" >&2
