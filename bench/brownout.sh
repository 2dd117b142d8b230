#!/usr/bin/env bash
# Brownout benchmark: retry amplification and availability while the primary deployment browns out.
#
#   bash bench/brownout.sh
#
# Builds ballast-bench and the modules it depends on from this checkout, then runs dev.ballast.bench.BrownoutBenchmark in
# one JVM: the simulator over real sockets on 127.0.0.1 as the upstream, and three gateways, one with
# Ballast's default resilience chain, one with the defaults but a breaker that never opens
# (ballast-no-breaker), and one naive (3 retries, no budget, no breaker), each loaded
# at a fixed arrival rate while the primary answers 503 to half of its calls and its latency spikes.
# Then two streaming gateways (defaults, and defaults with continue_streams: false) at the same rate
# while the primary cuts 5 % of its streams after 8 of 64 tokens: share of streams that arrive whole,
# how many were continued, and the time a continuation adds.
# Writes bench/results/brownout-<date>.md and refreshes the "Brownout" section of BENCHMARKS.md.
#
# Knobs (environment): BROWNOUT_RATE (requests/s per configuration, default 50),
# BROWNOUT_DURATION (s per configuration, default 60), BROWNOUT_WARMUP (s, default 5),
# BROWNOUT_JAVA_OPTS (JVM flags), BROWNOUT_MVN_ARGS (extra Maven flags, e.g. -o when offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${BROWNOUT_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/brownout.classpath"
echo "brownout: building ballast-bench" >&2
# One reactor build that packages ballast-bench and the modules it needs, and writes its runtime
# classpath (the reactor points it at the sibling modules' fresh jars), so nothing is installed
# into the local Maven repository.
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/brownout-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BROWNOUT_JAVA_OPTS:-} \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.BrownoutBenchmark \
  --out "$RESULT" --benchmarks "$ROOT/BENCHMARKS.md" --commit "$COMMIT" >/dev/null
echo "brownout: wrote $RESULT and BENCHMARKS.md" >&2
