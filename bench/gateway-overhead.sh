#!/usr/bin/env bash
# Gateway-overhead benchmark: the latency Ballast adds over calling a fast upstream directly,
# side by side with a plain nginx reverse proxy as the near-physical-limit baseline.
#
#   bash bench/gateway-overhead.sh
#
# Starts, all on 127.0.0.1: an nginx "upstream" that answers every chat call with a fixed
# completion (:18081), an nginx reverse proxy in front of it (:18082) and the Ballast gateway
# with the journal on (:18083, config bench/gateway-overhead.yaml), and a second gateway with the
# same configuration plus OpenTelemetry tracing: spans derived from the journal and exported over
# OTLP/HTTP to the upstream nginx, which accepts them (:18084, "ballast-otel"). Then runs wrk
# against each at -c1 -t1 and -c32 -t2, writes bench/results/gateway-overhead-<date>.md and
# refreshes the "Gateway overhead" section of BENCHMARKS.md. Everything it starts is stopped on
# exit.
#
# Knobs (environment): BENCH_DURATION (s, default 20), BENCH_WARMUP (s, default 15),
# BENCH_JAVA_OPTS (JVM flags for the gateway, default below), BENCH_PIN=1 to pin wrk to the
# last CPU and the servers to the others.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk

UP_PORT=18081
PROXY_PORT=18082
GW_PORT=18083
OTEL_PORT=18084
DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-15}"
JAVA_OPTS="${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}"
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

for port in $UP_PORT $PROXY_PORT $GW_PORT $OTEL_PORT; do
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
SERVER_CPUS="" WRK_CPUS=""
if [ "${BENCH_PIN:-0}" = 1 ] && [ "$NCPU" -ge 2 ]; then
  SERVER_CPUS="0-$((NCPU - 2))"
  WRK_CPUS="$((NCPU - 1))"
fi
# Prefixes rather than functions: "cmd &" must leave the server's own PID in $! for cleanup.
ON_SERVERS=() ON_WRK=()
[ -n "$SERVER_CPUS" ] && ON_SERVERS=(taskset -c "$SERVER_CPUS") && ON_WRK=(taskset -c "$WRK_CPUS")

# --- the fast upstream and the reverse proxy: two separate nginx instances ---------------------
COMPLETION='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":9,"total_tokens":19}}'

nginx_conf() { # name workers server-block
  mkdir -p "$WORK/$1/logs"
  cat >"$WORK/$1/nginx.conf" <<CONF
worker_processes $2;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 120s;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/$1/body;
  proxy_temp_path $WORK/$1/proxy;
  fastcgi_temp_path $WORK/$1/fastcgi;
  uwsgi_temp_path $WORK/$1/uwsgi;
  scgi_temp_path $WORK/$1/scgi;
  # Small JSON bodies are read into memory, never spooled to disk.
  client_max_body_size 1m;
  client_body_buffer_size 64k;
$3
}
CONF
}

nginx_conf upstream 1 "
  server {
    listen 127.0.0.1:$UP_PORT;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 '$COMPLETION';
    }
    # The OTLP/HTTP traces endpoint of ballast-otel: accepted, like a collector that keeps up.
    location = /v1/traces {
      default_type application/x-protobuf;
      return 200 '';
    }
  }"
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

start_nginx() {
  "${ON_SERVERS[@]}" "$NGINX" -p "$WORK/$1" -c "$WORK/$1/nginx.conf" -e "$WORK/$1/logs/error.log" \
    -g 'daemon off;' &
  PIDS+=($!)
}
start_nginx upstream
UP_PID=$!
start_nginx proxy
PROXY_PID=$!

# --- the gateways --------------------------------------------------------------------------------
mkdir -p "$WORK/data" "$WORK/data-otel"
cp "$ROOT/bench/gateway-overhead.yaml" "$WORK/otel.yaml"
printf 'telemetry: {otlp_endpoint: "http://127.0.0.1:%s/v1/traces"}\n' "$UP_PORT" >>"$WORK/otel.yaml"
# ./ballast builds on first use; the first gateway is up before the second starts, so a build
# never runs twice or counts as startup.
start_gateway() { # port data-dir config log
  BALLAST_JAVA_OPTS="$JAVA_OPTS" "${ON_SERVERS[@]}" "$ROOT/ballast" serve \
    --config "$3" --port "$1" --data "$2" >"$4" 2>&1 &
  PIDS+=($!)
}

wait_for() { # url seconds pid log
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$3" 2>/dev/null; then
      echo "bench: $1 did not come up; gateway log:" >&2
      cat "$4" >&2
      exit 1
    fi
    sleep 0.2
  done
}
start_gateway "$GW_PORT" "$WORK/data" "$ROOT/bench/gateway-overhead.yaml" "$WORK/gateway.log"
GW_PID=$!
wait_for "http://127.0.0.1:$GW_PORT/healthz" 900 "$GW_PID" "$WORK/gateway.log"
start_gateway "$OTEL_PORT" "$WORK/data-otel" "$WORK/otel.yaml" "$WORK/gateway-otel.log"
OTEL_PID=$!
wait_for "http://127.0.0.1:$OTEL_PORT/healthz" 300 "$OTEL_PID" "$WORK/gateway-otel.log"

# The PID from "&" is the ./ballast script, which execs the JVM: same process.
JVM_PID="$GW_PID"
for pid in "$GW_PID" "$OTEL_PID"; do
  grep -q java "/proc/$pid/cmdline" || { echo "bench: PID $pid is not the JVM" >&2; exit 1; }
done

declare -A URL=(
  [direct]="http://127.0.0.1:$UP_PORT"
  [nginx]="http://127.0.0.1:$PROXY_PORT"
  [ballast]="http://127.0.0.1:$GW_PORT"
  [ballast-otel]="http://127.0.0.1:$OTEL_PORT"
)
BODY='{"model":"bench","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}'
for target in direct nginx ballast ballast-otel; do
  answer="$(curl -fsS -X POST "${URL[$target]}/v1/chat/completions" \
    -H 'Content-Type: application/json' -H 'Authorization: Bearer bk-bench-overhead' -d "$BODY")"
  case "$answer" in
    *'"Hello! How can I help you today?"'*) ;;
    *) echo "bench: $target answered unexpectedly: $answer" >&2; exit 1 ;;
  esac
done

run_wrk() { # target connections threads seconds outfile
  "${ON_WRK[@]}" wrk -c"$2" -t"$3" -d"$4s" --timeout 5s --latency -s "$ROOT/bench/post.lua" \
    "${URL[$1]}" >"$5"
}

echo "bench: warming up (ballast ${WARMUP}s at c32, nginx 3s each)" >&2
run_wrk direct 32 2 3 /dev/null
run_wrk nginx 32 2 3 /dev/null
run_wrk ballast 32 2 "$WARMUP" /dev/null
run_wrk ballast 1 1 3 /dev/null
run_wrk ballast-otel 32 2 "$WARMUP" /dev/null
run_wrk ballast-otel 1 1 3 /dev/null

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
declare -A SERVER_PID=(
  [direct]="$UP_PID" [nginx]="$PROXY_PID" [ballast]="$JVM_PID" [ballast-otel]="$OTEL_PID"
)

rm -rf "$RAW"
mkdir -p "$RAW"
getconf CLK_TCK >"$RAW/clk-tck.txt"
for c in 1 32; do
  threads=$([ "$c" -eq 1 ] && echo 1 || echo 2)
  for target in direct nginx ballast ballast-otel; do
    echo "bench: $target -c$c -t$threads ${DURATION}s" >&2
    before=$(cpu_ticks "${SERVER_PID[$target]}")
    run_wrk "$target" "$c" "$threads" "$DURATION" "$RAW/$target-c$c.txt"
    echo $(($(cpu_ticks "${SERVER_PID[$target]}") - before)) >"$RAW/$target-c$c.cpu-ticks"
  done
done

grep VmHWM "/proc/$JVM_PID/status" | awk '{print $2}' >"$RAW/gateway-vmhwm-kb.txt"
# Spans really left ballast-otel: its metrics count what the exporter sent and dropped.
curl -fsS "http://127.0.0.1:$OTEL_PORT/metrics" >"$RAW/gateway-otel-metrics.txt" || true
curl -fsS -H 'Authorization: Bearer bk-bench-overhead' \
  "http://127.0.0.1:$GW_PORT/v1/ballast/status" >"$RAW/gateway-status.json" || true
{
  echo "nproc=$NCPU"
  echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "java_opts=$JAVA_OPTS"
  echo "nginx=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
  echo "pinning=${SERVER_CPUS:+servers on CPU $SERVER_CPUS, wrk on CPU $WRK_CPUS}"
  echo "busy_before=$BUSY_BEFORE"
  echo "busy_after=$(cpu_busy)"
  echo "duration=$DURATION"
  echo "warmup=$WARMUP"
} >"$RAW/facts.txt"

bash "$ROOT/bench/wrk-report.sh" "$RAW" "$RESULT" "$ROOT/BENCHMARKS.md"
echo "bench: wrote $RESULT and BENCHMARKS.md" >&2
