#!/usr/bin/env bash
# Where a gateway's CPU time goes: the node with the defaults a user gets (`./ballast serve`,
# SQLite journal) plus a JFR recording (settings=profile), loaded at 32 connections with the
# non-streamed and the streamed request of bench/gateway-overhead.sh against the same fixed-answer
# nginx upstream; then the recording's execution samples broken down by thread, subsystem, the
# Ballast code calling into JSON, and the hottest methods (dev.ballast.bench.JfrBreakdown).
#
#   bash bench/profile.sh
#
# Writes bench/results/profile-<date>.md (and keeps the recording beside it in
# bench/results/raw/profile-<date>.jfr, not committed). Knobs (environment): PROFILE_SECONDS
# (measured s per mode, default 20), PROFILE_OTLP=1 (export spans over OTLP/HTTP as well).
# The recording adds about 1-2 % CPU, so the figures here are for where time goes, not how much:
# throughput and latency come from bench/gateway-overhead.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
command -v nginx >/dev/null && command -v wrk >/dev/null || {
  echo "bench: needs nginx and wrk (apt-get install nginx-light wrk)" >&2
  exit 1
}
UP_PORT=18161 GW_PORT=18162
DURATION="${PROFILE_SECONDS:-20}"
DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/profile-$DATE.md"
JFR="$ROOT/bench/results/raw/profile-$DATE.jfr"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
WORK="$(mktemp -d)"
PIDS=() ON_SERVERS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
. "$ROOT/bench/lib/upstream.sh"

echo "bench: building ballast-bench (StreamLoad, JfrBreakdown)" >&2
CLASSPATH_FILE="$ROOT/ballast-bench/target/profile.classpath"
(cd "$ROOT" && ./mvnw -B -q ${BENCH_MVN_ARGS:-} package dependency:build-classpath -DskipTests \
  -Dspotless.skip=true -pl ballast-bench -am -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$CLASSPATH_FILE") >&2
BENCH_CP="$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")"

nginx_conf upstream 1 "$(upstream_server "$UP_PORT")"
start_nginx upstream
sed "s#127.0.0.1:18081#127.0.0.1:$UP_PORT#g" "$ROOT/bench/gateway-overhead.yaml" >"$WORK/gateway.yaml"
if [ "${PROFILE_OTLP:-0}" = 1 ]; then
  printf 'telemetry: {otlp_endpoint: "http://127.0.0.1:%s/v1/traces"}\n' "$UP_PORT" >>"$WORK/gateway.yaml"
fi
mkdir -p "$(dirname "$JFR")"
rm -f "$JFR"
BALLAST_JAVA_OPTS="-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true" \
  "$ROOT/ballast" serve --config "$WORK/gateway.yaml" --port "$GW_PORT" --data "$WORK/data" \
  >"$WORK/gateway.log" 2>&1 &
LAUNCHER=$!
for _ in $(seq 1 3000); do
  curl -fs -o /dev/null "http://127.0.0.1:$GW_PORT/healthz" && break
  kill -0 "$LAUNCHER" 2>/dev/null || { cat "$WORK/gateway.log" >&2; exit 1; }
  sleep 0.2
done
URL="http://127.0.0.1:$GW_PORT/v1/chat/completions"
echo "bench: non-streamed, c32, ${DURATION}s" >&2
WRK_MODEL=bench wrk -c32 -t2 -d"${DURATION}s" --latency -s "$ROOT/bench/post.lua" "$URL" >"$WORK/wrk.txt"
echo "bench: streamed, c32, ${DURATION}s" >&2
"$JAVA_HOME/bin/java" -Xmx256m -cp "$BENCH_CP" dev.ballast.bench.StreamLoad --url "$URL" \
  --header "Authorization: Bearer bk-bench-overhead" \
  --body '{"model":"bench-stream","stream":true,"messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}' \
  --connections 32 --duration "$DURATION" --warmup 2 --out "$WORK/stream.txt" >&2
PID="$(pgrep -f -- "--port $GW_PORT" | while read -r p; do
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && echo "$p"; done | head -1)"
kill "$PID"
wait "$LAUNCHER" 2>/dev/null || true

{
  echo "# Where the gateway's CPU time goes — $DATE"
  echo
  echo "\`./ballast serve\` with the defaults a user gets (SQLite journal$([ "${PROFILE_OTLP:-0}" = 1 ] && echo ', OTLP span export on')),"
  echo "recorded with JFR (\`settings=profile\`) through ${DURATION} s of non-streamed and ${DURATION} s of"
  echo "streamed chat completions at 32 connections (bench/gateway-overhead.sh's requests and upstream)."
  echo "Non-streamed: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") req/s under the recording."
  echo
  "$JAVA_HOME/bin/java" -cp "$BENCH_CP" dev.ballast.bench.JfrBreakdown "$JFR"
  echo "Machine: $(nproc) CPUs; $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); load average before:"
  echo "$LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD)."
} >"$RESULT"
cat "$RESULT"
echo "bench: wrote $RESULT (recording: $JFR)" >&2
