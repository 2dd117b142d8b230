#!/usr/bin/env bash
# How the node's default JVM flags were chosen: the gateway under wrk at 32 connections (the
# non-streamed request of bench/gateway-overhead.sh, against the same kind of fixed-answer nginx
# upstream) with each candidate heap and collector, interleaved over several rounds so that other
# load on the machine hits every variant alike.
#
#   bash bench/jvm-flags.sh
#
# Writes bench/results/jvm-flags-<date>.md: per variant the median req/s and p99 over the rounds,
# and the largest idle and peak resident set (VmRSS after start, VmHWM after the load).
# Knobs (environment): JVM_BENCH_ROUNDS (default 3), JVM_BENCH_SECONDS (measured s, default 12),
# JVM_BENCH_RESULT (the result file),
# JVM_BENCH_VARIANTS ("name|flags;name|flags", flags appended to the launcher's defaults; the
# default list compares the launcher's defaults with G1 and Parallel at 256m and G1 at 1g). A
# variant may add configuration as a third field, "name|flags|yaml" (appended to the node's config
# file), e.g. the cost of watching:
#   JVM_BENCH_VARIANTS="watch-on||;watch-off||watch: {enabled: false}" bash bench/jvm-flags.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
command -v nginx >/dev/null && command -v wrk >/dev/null || {
  echo "bench: needs nginx and wrk (apt-get install nginx-light wrk)" >&2
  exit 1
}
UP_PORT=18171 GW_PORT=18172
ROUNDS="${JVM_BENCH_ROUNDS:-3}"
SECONDS_MEASURED="${JVM_BENCH_SECONDS:-12}"
VARIANTS="${JVM_BENCH_VARIANTS:-defaults|;g1-256m|-XX:-UseSerialGC -XX:+UseG1GC;parallel-256m|-XX:-UseSerialGC -XX:+UseParallelGC;g1-1g|-XX:-UseSerialGC -XX:+UseG1GC -Xmx1g}"
DATE="$(date -u +%Y-%m-%d)"
RESULT="${JVM_BENCH_RESULT:-$ROOT/bench/results/jvm-flags-$DATE.md}"
LOAD_BEFORE="$(cut -d" " -f1-3 /proc/loadavg)"
WORK="$(mktemp -d)"
PIDS=() ON_SERVERS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

. "$ROOT/bench/lib/upstream.sh"
nginx_conf up 1 "$(upstream_server "$UP_PORT")"
start_nginx up
sed "s#127.0.0.1:18081#127.0.0.1:$UP_PORT#g" "$ROOT/bench/gateway-overhead.yaml" >"$WORK/gateway.yaml"

"$ROOT/ballast" --version >/dev/null 2>&1 || true # builds on first use, outside any measurement

measure() { # name flags [yaml] -> "reqs p99ms idleMiB peakMiB"
  rm -rf "$WORK/data"
  cp "$WORK/gateway.yaml" "$WORK/variant.yaml"
  [ -n "${3:-}" ] && printf '%s\n' "$3" >>"$WORK/variant.yaml"
  BALLAST_JAVA_OPTS="$2" "$ROOT/ballast" serve --config "$WORK/variant.yaml" --port "$GW_PORT" \
    --data "$WORK/data" >"$WORK/gateway.log" 2>&1 &
  local launcher=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null "http://127.0.0.1:$GW_PORT/healthz" && break
    kill -0 "$launcher" 2>/dev/null || { cat "$WORK/gateway.log" >&2; exit 1; }
    sleep 0.2
  done
  local pid
  pid="$(pgrep -f -- "--port $GW_PORT" | while read -r p; do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && echo "$p"; done | head -1)"
  local idle
  idle=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  local url="http://127.0.0.1:$GW_PORT/v1/chat/completions"
  wrk -c32 -t2 -d8s -s "$ROOT/bench/post.lua" "$url" >/dev/null
  local out
  out="$(wrk -c32 -t2 -d"${SECONDS_MEASURED}s" --latency -s "$ROOT/bench/post.lua" "$url")"
  if grep -q "Non-2xx" <<<"$out"; then
    echo "bench: $1 answered errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  local reqs p99 peak
  reqs=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000}
    else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' <<<"$out")
  peak=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill "$pid"
  wait "$launcher" 2>/dev/null || true
  echo "$reqs $p99 $idle $peak"
}

declare -A ROWS
IFS=';' read -ra LIST <<<"$VARIANTS"
for round in $(seq 1 "$ROUNDS"); do
  for v in "${LIST[@]}"; do
    name="${v%%|*}"
    echo "bench: round $round, $name" >&2
    rest="${v#*|}"
    flags="${rest%%|*}"
    yaml=""
    [ "$rest" != "$flags" ] && yaml="${rest#*|}"
    ROWS[$name]+="$(measure "$name" "$flags" "$yaml")"$'\n'
  done
done

{
  echo "# JVM flags for a node — $DATE"
  echo
  echo "The gateway (\`./ballast serve\`, SQLite journal, no collections) under wrk at 32 connections,"
  echo "non-streamed chat completions against a fixed-answer nginx upstream; per variant $ROUNDS"
  echo "interleaved rounds of 8 s warm-up and ${SECONDS_MEASURED} s measured, each on a fresh node."
  echo "Flags are appended to the launcher's defaults (\`defaults\` adds none); a variant's"
  echo "configuration, if any, is appended to the node's config file."
  echo
  echo "| variant | flags (and config) added | req/s (median) | p99 ms (median) | idle RSS MiB (max) | peak RSS MiB (max) |"
  echo "|---|---|---:|---:|---:|---:|"
  for v in "${LIST[@]}"; do
    name="${v%%|*}"
    printf '%s' "${ROWS[$name]}" | awk -v name="$name" -v flags="$(tr '|' ' ' <<<"${v#*|}")" '
      { r[NR] = $1; p[NR] = $2; if ($3 > i) i = $3; if ($4 > k) k = $4 }
      END {
        n = asort(r); asort(p); m = int((n + 1) / 2)
        printf "| %s | `%s` | %.0f | %.2f | %d | %d |\n", name, flags, r[m], p[m], i, k
      }'
  done
  echo
  echo "Rounds (req/s p99-ms idle-MiB peak-MiB):"
  echo
  for v in "${LIST[@]}"; do
    name="${v%%|*}"
    echo "- $name: $(printf '%s' "${ROWS[$name]}" | paste -sd ';' | sed 's/;/; /g')"
  done
  echo
  echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ {print int($2 / 1048576)}' /proc/meminfo) GiB;" \
    "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1); load average before: $LOAD_BEFORE, after: $(cut -d" " -f1-3 /proc/loadavg);" \
    "commit $(git -C "$ROOT" rev-parse --short HEAD)."
} >"$RESULT"
cat "$RESULT"
echo "bench: wrote $RESULT" >&2
