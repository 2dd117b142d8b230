#!/usr/bin/env bash
# Fuzzing benchmark: the long version of the suite's FuzzTest. Seeded hostile requests over raw
# sockets against an in-process gateway (simulator, pipeline, collection); fails when any request
# got a 5xx for a client mistake, no answer or hung, or a run was left running.
#
#   bash bench/fuzz.sh
#
# Writes bench/results/fuzz-<date>.md and refreshes the "Fuzzing" section of BENCHMARKS.md.
# Knobs (environment): FUZZ_REQUESTS (default 20000), FUZZ_MINUTES (default 10), FUZZ_THREADS
# (default 4), FUZZ_SEED (default 1), FUZZ_MVN_ARGS (e.g. -o), FUZZ_NO_BENCHMARKS_MD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

CLASSPATH_FILE="$ROOT/ballast-bench/target/fuzz.classpath"
echo "fuzz: building ballast-bench" >&2
./mvnw -B -q ${FUZZ_MVN_ARGS:-} package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/fuzz-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
BENCHMARKS_ARGS=(--benchmarks "$ROOT/BENCHMARKS.md")
[ "${FUZZ_NO_BENCHMARKS_MD:-}" = 1 ] && BENCHMARKS_ARGS=()

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.FuzzBenchmark \
  --requests "${FUZZ_REQUESTS:-20000}" --minutes "${FUZZ_MINUTES:-10}" \
  --threads "${FUZZ_THREADS:-4}" --seed "${FUZZ_SEED:-1}" \
  --out "$RESULT" "${BENCHMARKS_ARGS[@]}" --commit "$COMMIT"
echo "fuzz: wrote $RESULT" >&2
