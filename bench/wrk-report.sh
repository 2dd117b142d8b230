#!/usr/bin/env bash
# Turns the raw wrk outputs of bench/gateway-overhead.sh into a Markdown report and refreshes
# BENCHMARKS.md with it.
#
#   bash bench/wrk-report.sh RAW_DIR RESULT_MD BENCHMARKS_MD
#
# RAW_DIR holds <target>-c<N>.txt (wrk --latency output) for targets direct, nginx, ballast and
# ballast-otel at N = 1 and 32, plus facts.txt (key=value lines), gateway-vmhwm-kb.txt and
# gateway-otel-metrics.txt (ballast-otel's /metrics after the run).
set -euo pipefail
RAW="$1" RESULT="$2" BENCHMARKS="$3"

# Prints "rps p50 p90 p99 requests errors" for one wrk output, latencies in ms.
parse() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      return v + 0
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "90%" { p90 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    $1 == "Requests/sec:" { rps = $2 }
    $2 == "requests" && $3 == "in" { n = $1 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %.3f %.3f %d %d\n", rps, p50, p90, p99, n, err }
  ' "$1"
}

declare -A RPS P50 P90 P99 N ERR CPU
TCK="$(cat "$RAW/clk-tck.txt")"
TARGETS=(direct nginx ballast ballast-otel)
for c in 1 32; do
  for t in "${TARGETS[@]}"; do
    read -r RPS[$t$c] P50[$t$c] P90[$t$c] P99[$t$c] N[$t$c] ERR[$t$c] < <(parse "$RAW/$t-c$c.txt")
    # Server CPU per request in microseconds: the proxy's own CPU for nginx, the JVM's for ballast.
    CPU[$t$c]="$(awk -v t="$(cat "$RAW/$t-c$c.cpu-ticks")" -v hz="$TCK" -v n="${N[$t$c]}" \
      'BEGIN { printf "%.1f", n ? 1e6 * t / hz / n : 0 }')"
  done
done
fact() { awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' "$RAW/facts.txt"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
added() { calc "%+.3f" "${1} - ${2}"; }
RSS_MB="$(calc "%.0f" "$(cat "$RAW/gateway-vmhwm-kb.txt") / 1024")"
RATIO="$(calc "%.1f" "100 * ${RPS[ballast32]} / ${RPS[nginx32]}")"
ADD50="$(added "${P50[ballast1]}" "${P50[direct1]}")"
ADD99="$(added "${P99[ballast1]}" "${P99[direct1]}")"
# Counter totals from ballast-otel's Prometheus text: the sum over every label set of a name.
metric() {
  awk -v name="$1" '$1 ~ ("^" name "({|$)") { sum += $NF; seen = 1 } END { printf "%.0f", seen ? sum : 0 }' \
    "$RAW/gateway-otel-metrics.txt" 2>/dev/null || echo 0
}
SPANS_SENT="$(metric ballast_telemetry_spans_total)"
RUNS_DROPPED="$(metric ballast_telemetry_runs_dropped_total)"
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**missed**"; fi; }

{
  echo "# Gateway overhead — $(basename "$RESULT" .md | sed 's/^gateway-overhead-//')"
  echo
  echo "Non-streaming \`POST /v1/chat/completions\` through wrk against a fixed-answer nginx upstream"
  echo "(direct), an nginx reverse proxy with keep-alive upstream connections (nginx), and the"
  echo "Ballast gateway with the SQLite journal on (ballast), and a second gateway that also derives"
  echo "OpenTelemetry spans from the journal and exports them over OTLP/HTTP (ballast-otel). All on"
  echo "127.0.0.1, same run."
  echo "$(fact duration) s per measured run after warm-up ($(fact warmup) s for ballast at c32)."
  echo
  echo "| target | concurrency | req/s | p50 ms | p90 ms | p99 ms | requests | errors | server CPU µs/req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in 1 32; do
    for t in "${TARGETS[@]}"; do
      echo "| $t | $c | ${RPS[$t$c]} | ${P50[$t$c]} | ${P90[$t$c]} | ${P99[$t$c]} | ${N[$t$c]} | ${ERR[$t$c]} | ${CPU[$t$c]} |"
    done
  done
  echo
  echo "| added latency vs direct | concurrency | added p50 ms | added p99 ms |"
  echo "|---|---:|---:|---:|"
  for c in 1 32; do
    for t in nginx ballast ballast-otel; do
      echo "| $t | $c | $(added "${P50[$t$c]}" "${P50[direct$c]}") | $(added "${P99[$t$c]}" "${P99[direct$c]}") |"
    done
  done
  echo
  echo "- Server CPU µs/req counts only the process under test (upstream nginx for direct, the proxy"
  echo "  nginx for nginx, the gateway JVM for ballast); unlike req/s it does not depend on other load."
  echo "- Throughput ratio Ballast / nginx at c32: **$RATIO %**"
  echo "- Tracing on vs off (ballast-otel against ballast, same run): p50 at c1 $(added "${P50[ballast-otel1]}" "${P50[ballast1]}") ms,"
  echo "  p99 at c1 $(added "${P99[ballast-otel1]}" "${P99[ballast1]}") ms; throughput at c32 $(calc "%.1f" "100 * ${RPS[ballast-otel32]} / ${RPS[ballast32]}") % of tracing off;"
  echo "  server CPU at c32 ${CPU[ballast-otel32]} vs ${CPU[ballast32]} µs/req. Spans derived and handed to the OTLP exporter: $SPANS_SENT"
  echo "  (\`ballast_telemetry_spans_total\` from its /metrics at the end; runs dropped unexported: $RUNS_DROPPED)."
  echo "- Gateway peak RSS (VmHWM of the JVM at the end of the run): **$RSS_MB MiB**"
  echo "- Gateway JVM flags: \`$(fact java_opts)\`"
  echo
  echo "| target (aim) | measured | verdict |"
  echo "|---|---:|---|"
  echo "| added p50 at c1 ≤ 0.3 ms | $ADD50 ms | $(verdict "$ADD50 <= 0.3") |"
  echo "| added p99 at c1 ≤ 2 ms | $ADD99 ms | $(verdict "$ADD99 <= 2") |"
  echo "| ≥ 10,000 req/s at c32 | ${RPS[ballast32]} | $(verdict "${RPS[ballast32]} >= 10000") |"
  echo "| ≥ 20 % of nginx at c32 | $RATIO % | $(verdict "$RATIO >= 20") |"
  echo
  echo "Machine: $(fact nproc) CPUs ($(fact cpu)); $(fact jdk); nginx $(fact nginx); $(fact wrk);"
  echo "commit $(fact commit); CPU pinning: $(p="$(fact pinning)"; echo "${p:-none}")."
  echo "Before the servers started $(fact busy_before) % of all CPU was already busy with other work, and"
  echo "$(fact busy_after) % after the run; the load generator shares the machine with the servers too,"
  echo "so absolute numbers are a floor and tail latencies at c1 are sensitive to that noise."
  echo "Raw wrk outputs: \`bench/results/raw/$(basename "$RAW")/\`."
} >"$RESULT"

# Replace only the "## Gateway overhead" section of BENCHMARKS.md (up to the next "## " heading);
# every other benchmark keeps its section.
SECTION="$(mktemp)"
{
  echo "## Gateway overhead"
  echo
  echo "What Ballast adds over calling a fast upstream directly, next to a plain nginx reverse proxy"
  echo "as the near-physical-limit baseline, and what deriving and exporting OpenTelemetry spans"
  echo "from the journal adds on top (ballast-otel). Reproduce with:"
  echo
  echo '```'
  echo "bash bench/gateway-overhead.sh"
  echo '```'
  echo
  echo "(root for the one-time \`apt-get install nginx wrk\`; JVM flags via \`BENCH_JAVA_OPTS\`,"
  echo "run length via \`BENCH_DURATION\`/\`BENCH_WARMUP\`, \`BENCH_PIN=1\` pins wrk to its own CPU)."
  echo "Every run writes \`bench/results/gateway-overhead-<date>.md\`; the latest is copied below."
  echo
  sed -e '1s/^# /### Latest: /' -e '2,$s/^## /#### /' "$RESULT"
} >"$SECTION"
[ -f "$BENCHMARKS" ] || printf '# Benchmarks\n' >"$BENCHMARKS"
awk -v section="$SECTION" '
  function emit(  line) { while ((getline line < section) > 0) print line; close(section); done = 1 }
  /^## / { skipping = 0 }
  /^## Gateway overhead$/ { if (!done) { emit(); print "" } skipping = 1; next }
  !skipping { print }
  END { if (!done) { print ""; emit() } }
' "$BENCHMARKS" >"$BENCHMARKS.tmp"
mv "$BENCHMARKS.tmp" "$BENCHMARKS"
rm -f "$SECTION"
