#!/usr/bin/env bash
# The plain-http client decision, measured: the hand-written HTTP/1.1 client and Helidon's
# WebClient carry the same OpenAI-compatible provider adapter against one fixed-answer nginx
# upstream (bench/lib/upstream.sh, the gateway benchmark's), in one JVM, in interleaved rounds:
# c1 latency p50/p99 and c32 throughput, non-streamed and SSE-streamed. See docs/http-client.md.
#
#   bash bench/http-client.sh
#
# Writes bench/results/http-client-<date>.md (with the load average before and after; the machine
# may be shared, which is why the rounds interleave). About 2.5 minutes with the defaults.
# Knobs (environment): HTTP_CLIENT_BENCH_ROUNDS (default 5), HTTP_CLIENT_BENCH_SECONDS (per client,
# workload and round, default 3), HTTP_CLIENT_BENCH_WARMUP (seconds per client and workload,
# default 2), HTTP_CLIENT_BENCH_JAVA_OPTS (default: the node's JVM defaults on a small machine,
# serial collector and a 256 MiB heap), HTTP_CLIENT_BENCH_MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
command -v nginx >/dev/null || {
  echo "bench: needs nginx (apt-get install nginx-light)" >&2
  exit 1
}
cd "$ROOT"
UP_PORT=18191
JAVA_OPTS="${HTTP_CLIENT_BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}"
DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/http-client-$DATE.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
WORK="$(mktemp -d)"
PIDS=() ON_SERVERS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

CLASSPATH_FILE="$ROOT/ballast-bench/target/http-client.classpath"
echo "http-client: building ballast-bench" >&2
./mvnw -B -q ${HTTP_CLIENT_BENCH_MVN_ARGS:-} package dependency:build-classpath -DskipTests \
  -Dspotless.skip=true -pl ballast-bench -am -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$CLASSPATH_FILE" >&2

. "$ROOT/bench/lib/upstream.sh"
nginx_conf up 1 "$(upstream_server "$UP_PORT")"
start_nginx up
for _ in $(seq 1 100); do
  curl -fs -o /dev/null -X POST "http://127.0.0.1:$UP_PORT/v1/chat/completions" && break
  sleep 0.1
done

echo "http-client: measuring (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
"$JAVA_HOME/bin/java" $JAVA_OPTS \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.HttpClientBenchmark \
  --upstream "http://127.0.0.1:$UP_PORT" \
  --upstream-label "nginx $(nginx -v 2>&1 | sed 's#.*/##') (1 worker, fixed answers of bench/lib/upstream.sh; Content-Length framed)" \
  --rounds "${HTTP_CLIENT_BENCH_ROUNDS:-5}" \
  --seconds "${HTTP_CLIENT_BENCH_SECONDS:-3}" \
  --warmup "${HTTP_CLIENT_BENCH_WARMUP:-2}" \
  --jvm-flags "$JAVA_OPTS" \
  --commit "$COMMIT" \
  --out "$RESULT" >/dev/null
echo "http-client: wrote $RESULT" >&2
