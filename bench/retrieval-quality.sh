#!/usr/bin/env bash
# Retrieval quality, measured (bench/results/retrieval-quality-<date>.md):
#
# 1. Known answers, local model (all-MiniLM-L6-v2) through the product's ingestor and index:
#    MRR@10 and recall@10 of keyword, vector and hybrid search on the generated planted-facts
#    corpus (PlantedFacts: invented towns, one fact per document, paraphrased questions) and on
#    the frozen documentation corpus in bench/corpus (heading and sentence queries).
# 2. HNSW recall@10 of the per-node Lucene index against exact (brute-force) neighbours, for every
#    vector encoding (float32, int8, int4, binary) at oversample 1 and the default, with the
#    index's size on disk, hot set and heap, at each size in RETRIEVAL_QUALITY_ANN_SIZES.
#
#   bash bench/retrieval-quality.sh
#   RETRIEVAL_QUALITY_ANN_SIZES=10000 bash bench/retrieval-quality.sh     # minutes, not tens
#
# Knobs (environment): RETRIEVAL_QUALITY_TOWNS (planted-facts towns, 12 documents each; default
# 40), RETRIEVAL_QUALITY_ANN_SIZES (comma-separated chunk counts, default 10000,100000; empty to
# skip), RETRIEVAL_QUALITY_QUERIES (ANN queries, default 200), RETRIEVAL_QUALITY_JAVA_OPTS
# (default -Xmx2g), RETRIEVAL_QUALITY_MVN_ARGS (extra Maven flags, e.g. -o). No database needed:
# the stores are SQLite files in a temporary directory, deleted afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${RETRIEVAL_QUALITY_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/retrieval.classpath"
echo "quality: building ballast-bench" >&2
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/retrieval-quality-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
CP="$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  ${RETRIEVAL_QUALITY_JAVA_OPTS:--Xmx2g} -cp "$CP" dev.ballast.bench.RetrievalQualityBenchmark \
  --towns "${RETRIEVAL_QUALITY_TOWNS:-40}" \
  --ann-sizes "${RETRIEVAL_QUALITY_ANN_SIZES-10000,100000}" \
  --queries "${RETRIEVAL_QUALITY_QUERIES:-200}" --corpus "$ROOT/bench/corpus" \
  --out "$RESULT" --commit "$COMMIT" >/dev/null
echo "quality: wrote $RESULT" >&2
