#!/usr/bin/env bash
# Retrieval benchmark, two reports:
#
# 1. bench/results/retrieval-<date>.md: ingestion throughput with the local embedding model
#    (all-MiniLM-L6-v2) on SQLite and PostgreSQL, batched against the previous one-call-per-text
#    path in the same run; search latency through the real per-node Lucene index; conversation
#    memory latency; retrieval quality (MRR@10, recall@10 of keyword, vector and hybrid search) on
#    the frozen corpus in bench/corpus with queries built from it.
# 2. bench/results/retrieval-scale-<date>.md: RETRIEVAL_SCALE_CHUNKS synthetic chunks (default
#    1,000,000): a new node building its index with no snapshot, a restarted node opening its
#    snapshot in a fresh JVM (time to ready, index heap, RSS), vector search p50/p99 and recall@10
#    against exact neighbours at several oversampling factors, a restart one generation behind,
#    and the vector encodings compared at RETRIEVAL_SCALE_COMPARE chunks (default 100,000).
#
#   bash bench/retrieval.sh                 # both
#   RETRIEVAL_BENCH_ONLY=scale bash bench/retrieval.sh    # or: RETRIEVAL_BENCH_ONLY=retrieval
#
# Needs the local PostgreSQL (BALLAST_BENCH_POSTGRES_URL, default
# jdbc:postgresql://127.0.0.1:5432/test?user=postgres; the run uses a schema of its own, dropped
# afterwards). Writes bench/results/retrieval-<date>.md.
#
# Knobs (environment): RETRIEVAL_BENCH_DOCS (documents ingested with the real model, default 2000),
# RETRIEVAL_BENCH_SYNTHETIC (chunks with synthetic vectors, default 100000), RETRIEVAL_BENCH_QUERIES
# (default 1000), RETRIEVAL_BENCH_BACKENDS (default sqlite,postgresql), RETRIEVAL_BENCH_JAVA_OPTS
# (JVM flags, default -Xmx4g; the Vector API module is always on, as in ./ballast),
# RETRIEVAL_BENCH_MVN_ARGS (extra Maven flags, e.g. -o). Scale: RETRIEVAL_SCALE_CHUNKS,
# RETRIEVAL_SCALE_QUERIES (default 500), RETRIEVAL_SCALE_ENCODING (default int8),
# RETRIEVAL_SCALE_OVERSAMPLES (default 1,2,4,8), RETRIEVAL_SCALE_COMPARE (0 to skip),
# RETRIEVAL_SCALE_WORK (a directory to keep the store and snapshots in; default a temporary one).
# A million chunks need ~3 GB of disk for the store and ~2.5 GB for the snapshot.
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

CP="$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")"
if [ "${RETRIEVAL_BENCH_ONLY:-}" != scale ]; then
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  ${RETRIEVAL_BENCH_JAVA_OPTS:--Xmx4g} \
  -cp "$CP" dev.ballast.bench.RetrievalBenchmark \
  --real-docs "${RETRIEVAL_BENCH_DOCS:-2000}" \
  --synthetic-chunks "${RETRIEVAL_BENCH_SYNTHETIC:-100000}" --corpus "$ROOT/bench/corpus" \
  --queries "${RETRIEVAL_BENCH_QUERIES:-1000}" \
  --backends "${RETRIEVAL_BENCH_BACKENDS:-sqlite,postgresql}" \
  --out "$RESULT" --commit "$COMMIT" >/dev/null
echo "retrieval: wrote $RESULT" >&2
fi

if [ "${RETRIEVAL_BENCH_ONLY:-}" != retrieval ]; then
SCALE_RESULT="$ROOT/bench/results/retrieval-scale-$DATE.md"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  ${RETRIEVAL_SCALE_JAVA_OPTS:--Xmx2g} -cp "$CP" dev.ballast.bench.ScaleBenchmark \
  --chunks "${RETRIEVAL_SCALE_CHUNKS:-1000000}" --queries "${RETRIEVAL_SCALE_QUERIES:-500}" \
  --encoding "${RETRIEVAL_SCALE_ENCODING:-int8}" --oversamples "${RETRIEVAL_SCALE_OVERSAMPLES:-1,2,4,8}" \
  --compare-chunks "${RETRIEVAL_SCALE_COMPARE:-100000}" \
  ${RETRIEVAL_SCALE_WORK:+--work "$RETRIEVAL_SCALE_WORK"} --child-jvm "-Xmx1g" \
  --out "$SCALE_RESULT" --commit "$COMMIT" >/dev/null
echo "retrieval: wrote $SCALE_RESULT" >&2
fi
