#!/usr/bin/env bash
# Gateway-overhead benchmark: what Ballast adds over calling a fast upstream directly, streamed and
# not, side by side with a plain nginx reverse proxy (the near-physical-limit baseline) and a peer
# LLM gateway (Portkey, from npm), all in one run.
#
#   bash bench/gateway-overhead.sh
#
# Starts, all on 127.0.0.1:
#   :18081  nginx "upstream": a fixed chat completion at /v1/chat/completions and a fixed SSE stream
#           (7 content chunks + a usage chunk + [DONE]) at /stream/v1/chat/completions
#   :18082  nginx reverse proxy in front of it (keep-alive upstream connections)
#   :18083  Ballast with the defaults a user gets: `./ballast serve`, no JVM flags, SQLite journal
#   :18084  the same plus OpenTelemetry spans derived from the journal and exported over OTLP/HTTP
#           (to the upstream nginx, which accepts them)
#   :18085  Portkey 1.15.2 (npm @portkey-ai/gateway, headless), routed to the upstream with its
#           x-portkey-provider / x-portkey-custom-host headers
#   :18086  only with BENCH_TUNED_JAVA_OPTS set: Ballast with those JVM flags (a tuned row)
# then measures every target non-streamed with wrk and streamed with StreamLoad (time to first and
# last body byte), each at -c1 and -c32, records idle and peak RSS and server CPU per request, and
# the cold start of a fresh gateway (launch → ready → first answer). Writes
# bench/results/gateway-overhead-<date>.md and refreshes the "Gateway overhead" section of
# BENCHMARKS.md. Everything it starts is stopped on exit.
#
# Knobs (environment): BENCH_DURATION (s per measured run, default 20), BENCH_WARMUP (s, default
# 15), BENCH_TUNED_JAVA_OPTS (adds the tuned row), BENCH_PIN=1 (load generators on the last CPU,
# servers on the others), BENCH_NO_PORTKEY=1 (skip the peer), BENCH_NO_BENCHMARKS_MD=1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk

UP_PORT=18081 PROXY_PORT=18082 GW_PORT=18083 OTEL_PORT=18084 PORTKEY_PORT=18085 TUNED_PORT=18086
COLD_PORT=18087
PORTKEY_VERSION=1.15.2
DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-15}"
TUNED_OPTS="${BENCH_TUNED_JAVA_OPTS:-}"
DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/gateway-overhead-$DATE.md"
RAW="$ROOT/bench/results/raw/gateway-overhead-$DATE"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need curl; then
  [ "$(id -u)" -eq 0 ] || { echo "bench: needs nginx, wrk and curl (run as root to install)" >&2; exit 1; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk curl >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PORTKEY=1
[ "${BENCH_NO_PORTKEY:-0}" = 1 ] && PORTKEY=0
if [ "$PORTKEY" = 1 ] && ! need npm; then
  echo "bench: npm is needed for the Portkey peer (or set BENCH_NO_PORTKEY=1)" >&2
  exit 1
fi

for port in $UP_PORT $PROXY_PORT $GW_PORT $OTEL_PORT $PORTKEY_PORT $TUNED_PORT $COLD_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "bench: port $port is already in use; stop whatever listens there first" >&2
    exit 1
  fi
done

WORK="$(mktemp -d /tmp/ballast-bench.XXXXXX)"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Other work on the machine skews every number; measure it before starting anything.
cpu_busy() { # percent of all CPUs busy over 2 s
  local a b
  a=($(awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)); sleep 2
  b=($(awk '/^cpu /{print $2+$3+$4+$7+$8, $5+$6}' /proc/stat))
  awk -v u=$((b[0] - a[0])) -v i=$((b[1] - a[1])) 'BEGIN { printf "%.0f", 100 * u / (u + i) }'
}
BUSY_BEFORE="$(cpu_busy)"
NCPU="$(nproc)"
SERVER_CPUS="" LOAD_CPUS=""
if [ "${BENCH_PIN:-0}" = 1 ] && [ "$NCPU" -ge 2 ]; then
  SERVER_CPUS="0-$((NCPU - 2))"
  LOAD_CPUS="$((NCPU - 1))"
fi
# Prefixes rather than functions: "cmd &" must leave the server's own PID in $! for cleanup.
ON_SERVERS=() ON_LOAD=()
[ -n "$SERVER_CPUS" ] && ON_SERVERS=(taskset -c "$SERVER_CPUS") && ON_LOAD=(taskset -c "$LOAD_CPUS")

# --- the load generator for streams and the peer, built/installed before anything starts ------
echo "bench: building ballast-bench (StreamLoad)" >&2
CLASSPATH_FILE="$ROOT/ballast-bench/target/gateway-overhead.classpath"
(cd "$ROOT" && ./mvnw -B -q ${BENCH_MVN_ARGS:-} package dependency:build-classpath -DskipTests \
  -Dspotless.skip=true -pl ballast-bench -am -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$CLASSPATH_FILE") >&2
STREAM_CP="$ROOT/ballast-bench/target/classes"
if [ "$PORTKEY" = 1 ]; then
  PEERS="$ROOT/bench/.peers"
  if [ ! -f "$PEERS/node_modules/@portkey-ai/gateway/build/start-server.js" ]; then
    echo "bench: installing @portkey-ai/gateway@$PORTKEY_VERSION from npm into bench/.peers" >&2
    mkdir -p "$PEERS"
    (cd "$PEERS" && [ -f package.json ] || echo '{"private":true}' >package.json)
    npm install --prefix "$PEERS" --no-audit --no-fund --loglevel=error \
      "@portkey-ai/gateway@$PORTKEY_VERSION" >&2
  fi
fi

# --- the fast upstream and the reverse proxy: two separate nginx instances ---------------------
. "$ROOT/bench/lib/upstream.sh"

nginx_conf upstream 1 "$(upstream_server "$UP_PORT")"
nginx_conf proxy auto "
  upstream fast { server 127.0.0.1:$UP_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    location / {
      proxy_pass http://fast;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_buffering on;
    }
  }"

start_nginx upstream
UP_PID=$!
start_nginx proxy
PROXY_PID=$!

# --- the gateways --------------------------------------------------------------------------------
cp "$ROOT/bench/gateway-overhead.yaml" "$WORK/otel.yaml"
printf 'telemetry: {otlp_endpoint: "http://127.0.0.1:%s/v1/traces"}\n' "$UP_PORT" >>"$WORK/otel.yaml"
# ./ballast builds on first use; the first gateway is up before the next starts, so a build never
# runs twice or counts as startup. No BALLAST_JAVA_OPTS: the launcher's defaults are measured.
start_gateway() { # port data-dir config log java-opts
  mkdir -p "$2"
  BALLAST_JAVA_OPTS="$5" "${ON_SERVERS[@]}" "$ROOT/ballast" serve \
    --config "$3" --port "$1" --data "$2" >"$4" 2>&1 &
  PIDS+=($!)
}

wait_for() { # url seconds pid log
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$3" 2>/dev/null; then
      echo "bench: $1 did not come up; log:" >&2
      cat "$4" >&2
      exit 1
    fi
    sleep 0.2
  done
}
start_gateway "$GW_PORT" "$WORK/data" "$ROOT/bench/gateway-overhead.yaml" "$WORK/gateway.log" ""
GW_PID=$!
wait_for "http://127.0.0.1:$GW_PORT/healthz" 900 "$GW_PID" "$WORK/gateway.log"
start_gateway "$OTEL_PORT" "$WORK/data-otel" "$WORK/otel.yaml" "$WORK/gateway-otel.log" ""
OTEL_PID=$!
wait_for "http://127.0.0.1:$OTEL_PORT/healthz" 300 "$OTEL_PID" "$WORK/gateway-otel.log"
TARGETS=(direct nginx)
if [ "$PORTKEY" = 1 ]; then
  # Portkey's streaming path fails on Node 20 with "TypeError: immutable" (it sets headers on the
  # upstream fetch Response); bench/portkey-shim.cjs copies the headers into a mutable Response.
  "${ON_SERVERS[@]}" node --require "$ROOT/bench/portkey-shim.cjs" \
    "$ROOT/bench/.peers/node_modules/@portkey-ai/gateway/build/start-server.js" \
    --headless "--port=$PORTKEY_PORT" >"$WORK/portkey.log" 2>&1 &
  PIDS+=($!)
  PORTKEY_PID=$!
  wait_for "http://127.0.0.1:$PORTKEY_PORT/" 120 "$PORTKEY_PID" "$WORK/portkey.log"
  TARGETS+=(portkey)
fi
TARGETS+=(ballast ballast-otel)
if [ -n "$TUNED_OPTS" ]; then
  start_gateway "$TUNED_PORT" "$WORK/data-tuned" "$ROOT/bench/gateway-overhead.yaml" \
    "$WORK/gateway-tuned.log" "$TUNED_OPTS"
  TUNED_PID=$!
  wait_for "http://127.0.0.1:$TUNED_PORT/healthz" 300 "$TUNED_PID" "$WORK/gateway-tuned.log"
  TARGETS+=(ballast-tuned)
fi

# The PID from "&" is the ./ballast script, which execs the JVM: same process.
for pid in "$GW_PID" "$OTEL_PID" ${TUNED_PID:-}; do
  grep -q java "/proc/$pid/cmdline" || { echo "bench: PID $pid is not the JVM" >&2; exit 1; }
done

KEY='Authorization: Bearer bk-bench-overhead'
PORTKEY_HEADERS="x-portkey-provider: openai|Authorization: Bearer sk-bench-not-a-secret"
declare -A URL=(
  [direct]="http://127.0.0.1:$UP_PORT" [nginx]="http://127.0.0.1:$PROXY_PORT"
  [portkey]="http://127.0.0.1:$PORTKEY_PORT" [ballast]="http://127.0.0.1:$GW_PORT"
  [ballast-otel]="http://127.0.0.1:$OTEL_PORT" [ballast-tuned]="http://127.0.0.1:$TUNED_PORT"
)
declare -A SERVER_PID=(
  [direct]="$UP_PID" [nginx]="$PROXY_PID" [portkey]="${PORTKEY_PID:-}" [ballast]="$GW_PID"
  [ballast-otel]="$OTEL_PID" [ballast-tuned]="${TUNED_PID:-}"
)
# Per target and mode: the path, the model and the headers of a request.
path() { # target mode
  case "$1:$2" in
    direct:stream | nginx:stream) echo /stream/v1/chat/completions ;;
    *) echo /v1/chat/completions ;;
  esac
}
model() { [ "$2" = stream ] && [[ "$1" == ballast* ]] && echo bench-stream || echo bench; }
headers() { # target mode: "Name: value|Name: value"
  case "$1" in
    portkey)
      local host="http://127.0.0.1:$UP_PORT/v1"
      [ "$2" = stream ] && host="http://127.0.0.1:$UP_PORT/stream/v1"
      echo "$PORTKEY_HEADERS|x-portkey-custom-host: $host"
      ;;
    *) echo "$KEY" ;;
  esac
}
body() { # target mode
  local stream=false
  [ "$2" = stream ] && stream=true
  printf '{"model":"%s","stream":%s,"messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}' \
    "$(model "$1" "$2")" "$stream"
}

# Every target must answer both modes correctly before anything is measured.
for target in "${TARGETS[@]}"; do
  for mode in json stream; do
    args=()
    IFS='|' read -ra hs <<<"$(headers "$target" "$mode")"
    for h in "${hs[@]}"; do args+=(-H "$h"); done
    answer="$(curl -fsS -X POST "${URL[$target]}$(path "$target" "$mode")" \
      -H 'Content-Type: application/json' "${args[@]}" -d "$(body "$target" "$mode")")"
    expect='"Hello! How can I help you today?"'
    [ "$mode" = stream ] && expect='data: [DONE]'
    case "$answer" in
      *"$expect"*) ;;
      *) echo "bench: $target ($mode) answered unexpectedly: $answer" >&2; exit 1 ;;
    esac
  done
done

rss_kb() { # pid: resident set of the process and its children (nginx workers), kB
  local pid total=0 v
  for pid in "$1" $(pgrep -P "$1" || true); do
    v=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + v))
  done
  echo "$total"
}
rm -rf "$RAW"
mkdir -p "$RAW"
for target in "${TARGETS[@]}"; do
  [ "$target" = direct ] && continue
  rss_kb "${SERVER_PID[$target]}" >"$RAW/$target-idle-rss-kb.txt"
done

run_load() { # target mode connections seconds outfile
  local threads=2
  [ "$3" -eq 1 ] && threads=1
  if [ "$2" = json ]; then
    WRK_MODEL="$(model "$1" json)" WRK_HEADERS="$(headers "$1" json)" \
      "${ON_LOAD[@]}" wrk -c"$3" -t"$threads" -d"$4s" --timeout 5s --latency \
      -s "$ROOT/bench/post.lua" "${URL[$1]}" >"$5"
  else
    local args=()
    IFS='|' read -ra hs <<<"$(headers "$1" stream)"
    for h in "${hs[@]}"; do args+=(--header "$h"); done
    "${ON_LOAD[@]}" "$JAVA_HOME/bin/java" -Xmx256m -cp "$STREAM_CP" dev.ballast.bench.StreamLoad \
      --url "${URL[$1]}$(path "$1" stream)" "${args[@]}" --body "$(body "$1" stream)" \
      --connections "$3" --duration "$4" --warmup 2 --out "$5"
  fi
}

echo "bench: warming up (gateways ${WARMUP}s at c32 per mode, the others 3s)" >&2
for target in "${TARGETS[@]}"; do
  secs=3
  [[ "$target" == ballast* ]] && secs="$WARMUP"
  for mode in json stream; do
    run_load "$target" "$mode" 32 "$secs" /dev/null
  done
done

# CPU time (clock ticks) used by a process and its children so far: nginx workers are children of
# the master. CPU per request does not depend on how busy the rest of the machine is, unlike
# latency and throughput.
cpu_ticks() {
  local pid total=0 t
  for pid in "$1" $(pgrep -P "$1" || true); do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
getconf CLK_TCK >"$RAW/clk-tck.txt"
for c in 1 32; do
  for mode in json stream; do
    for target in "${TARGETS[@]}"; do
      echo "bench: $target $mode -c$c ${DURATION}s" >&2
      before=$(cpu_ticks "${SERVER_PID[$target]}")
      run_load "$target" "$mode" "$c" "$DURATION" "$RAW/$target-$mode-c$c.txt"
      echo $(($(cpu_ticks "${SERVER_PID[$target]}") - before)) >"$RAW/$target-$mode-c$c.cpu-ticks"
    done
  done
done

for target in "${TARGETS[@]}"; do
  [ "$target" = direct ] && continue
  pid="${SERVER_PID[$target]}"
  if [[ "$target" == ballast* ]]; then # one process: its high-water mark
    awk '/^VmHWM/ {print $2}' "/proc/$pid/status" >"$RAW/$target-peak-rss-kb.txt"
  else # nginx and node: the sum of current RSS right after the load (workers have no shared HWM)
    rss_kb "$pid" >"$RAW/$target-peak-rss-kb.txt"
  fi
done
# Spans really left ballast-otel: its metrics count what the exporter sent and dropped.
curl -fsS "http://127.0.0.1:$OTEL_PORT/metrics" >"$RAW/gateway-otel-metrics.txt" || true
curl -fsS -H "$KEY" "http://127.0.0.1:$GW_PORT/v1/ballast/status" >"$RAW/gateway-status.json" || true
tr '\0' ' ' <"/proc/$GW_PID/cmdline" | sed 's/ -cp .*//' >"$RAW/gateway-jvm.txt"

# --- cold start: a fresh gateway with the defaults, three times -----------------------------------
# Launch → /healthz answers → the first chat answer (sent as soon as /healthz answers), and how long
# that first request itself took. The build is done, so ./ballast only checks its stamp.
ms_now() { date +%s%3N; }
for i in 1 2 3; do
  start=$(ms_now)
  start_gateway "$COLD_PORT" "$WORK/data-cold-$i" "$ROOT/bench/gateway-overhead.yaml" \
    "$WORK/gateway-cold.log" ""
  pid=$!
  wait_for "http://127.0.0.1:$COLD_PORT/healthz" 300 "$pid" "$WORK/gateway-cold.log"
  ready=$(ms_now)
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$COLD_PORT/v1/chat/completions" \
    -H 'Content-Type: application/json' -H "$KEY" -d "$(body ballast json)"
  answered=$(ms_now)
  curl -fsS -o /dev/null -X POST "http://127.0.0.1:$COLD_PORT/v1/chat/completions" \
    -H 'Content-Type: application/json' -H "$KEY" -d "$(body ballast json)"
  second=$(ms_now)
  echo "$((ready - start)) $((answered - start)) $((answered - ready)) $((second - answered))" \
    >>"$RAW/cold-start.txt"
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done

{
  echo "nproc=$NCPU"
  echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "mem_gib=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
  echo "jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "jvm=$(cat "$RAW/gateway-jvm.txt")"
  echo "tuned_opts=$TUNED_OPTS"
  echo "nginx=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
  echo "node=$(node --version 2>/dev/null || echo none)"
  echo "portkey=$([ "$PORTKEY" = 1 ] && echo "$PORTKEY_VERSION" || echo skipped)"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
  echo "pinning=${SERVER_CPUS:+servers on CPU $SERVER_CPUS, load generators on CPU $LOAD_CPUS}"
  echo "busy_before=$BUSY_BEFORE"
  echo "busy_after=$(cpu_busy)"
  echo "duration=$DURATION"
  echo "warmup=$WARMUP"
  echo "targets=${TARGETS[*]}"
} >"$RAW/facts.txt"

BENCHMARKS_MD="$ROOT/BENCHMARKS.md"
[ "${BENCH_NO_BENCHMARKS_MD:-0}" = 1 ] && BENCHMARKS_MD=""
bash "$ROOT/bench/gateway-report.sh" "$RAW" "$RESULT" "$BENCHMARKS_MD"
echo "bench: wrote $RESULT${BENCHMARKS_MD:+ and BENCHMARKS.md}" >&2
