#!/usr/bin/env bash
# Turns the raw outputs of bench/gateway-overhead.sh into a Markdown report and, when a third
# argument is given, refreshes the "Gateway overhead" section of BENCHMARKS.md with it.
#
#   bash bench/gateway-report.sh RAW_DIR RESULT_MD [BENCHMARKS_MD]
#
# RAW_DIR holds, per target and concurrency N (1, 32): <target>-json-cN.txt (wrk --latency output),
# <target>-stream-cN.txt (StreamLoad key=value output) and a .cpu-ticks file beside each; per
# target <target>-idle-rss-kb.txt and <target>-peak-rss-kb.txt; cold-start.txt; facts.txt
# (key=value lines); gateway-otel-metrics.txt (ballast-otel's /metrics after the run).
set -euo pipefail
RAW="$1" RESULT="$2" BENCHMARKS="${3:-}"

fact() { awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' "$RAW/facts.txt"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
added() { calc "%+.3f" "${1} - ${2}"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "**missed**"; fi; }

# wrk: prints "rps p50 p90 p99 requests errors", latencies in ms.
parse_wrk() {
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
# StreamLoad: prints "rps ttfb50 ttfb99 ttlb50 ttlb99 requests errors".
parse_stream() {
  awk -F= '{ v[$1] = $2 } END {
    printf "%.0f %.3f %.3f %.3f %.3f %d %d\n", v["rps"], v["ttfb_p50"], v["ttfb_p99"],
      v["ttlb_p50"], v["ttlb_p99"], v["requests"], v["errors"] }' "$1"
}

read -ra TARGETS <<<"$(fact targets)"
TCK="$(cat "$RAW/clk-tck.txt")"
declare -A RPS P50 P90 P99 N ERR CPU SRPS TTFB50 TTFB99 TTLB50 TTLB99 SN SERR SCPU
cpu_per_req() { # ticks-file requests
  awk -v t="$(cat "$1")" -v hz="$TCK" -v n="$2" 'BEGIN { printf "%.1f", n ? 1e6 * t / hz / n : 0 }'
}
for c in 1 32; do
  for t in "${TARGETS[@]}"; do
    k="$t$c"
    read -r RPS[$k] P50[$k] P90[$k] P99[$k] N[$k] ERR[$k] < <(parse_wrk "$RAW/$t-json-c$c.txt")
    CPU[$k]="$(cpu_per_req "$RAW/$t-json-c$c.cpu-ticks" "${N[$k]}")"
    read -r SRPS[$k] TTFB50[$k] TTFB99[$k] TTLB50[$k] TTLB99[$k] SN[$k] SERR[$k] \
      < <(parse_stream "$RAW/$t-stream-c$c.txt")
    SCPU[$k]="$(cpu_per_req "$RAW/$t-stream-c$c.cpu-ticks" "${SN[$k]}")"
  done
done
mib() { [ -f "$1" ] && calc "%.0f" "$(cat "$1") / 1024" || echo "–"; }
has() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }

RATIO="$(calc "%.1f" "100 * ${RPS[ballast32]} / ${RPS[nginx32]}")"
SRATIO="$(calc "%.1f" "100 * ${SRPS[ballast32]} / ${SRPS[nginx32]}")"
ADD50="$(added "${P50[ballast1]}" "${P50[direct1]}")"
ADD99="$(added "${P99[ballast1]}" "${P99[direct1]}")"
SADD50="$(added "${TTLB50[ballast1]}" "${TTLB50[direct1]}")"
OTEL99="$(added "${P99[ballast-otel32]}" "${P99[ballast32]}")"
PEAK="$(mib "$RAW/ballast-peak-rss-kb.txt")"
# Counter totals from ballast-otel's Prometheus text: the sum over every label set of a name.
metric() {
  awk -v name="$1" '$1 ~ ("^" name "({|$)") { sum += $NF; seen = 1 } END { printf "%.0f", seen ? sum : 0 }' \
    "$RAW/gateway-otel-metrics.txt" 2>/dev/null || echo 0
}
SPANS_SENT="$(metric ballast_telemetry_spans_total)"
RUNS_DROPPED="$(metric ballast_telemetry_runs_dropped_total)"
# Cold start: the median of the runs for each column.
median_col() { awk -v c="$1" '{ print $c }' "$RAW/cold-start.txt" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
COLD_READY="$(median_col 1)" COLD_FIRST="$(median_col 2)" COLD_REQ="$(median_col 3)" COLD_SECOND="$(median_col 4)"

{
  echo "# Gateway overhead — $(basename "$RESULT" .md | sed 's/^gateway-overhead-//')"
  echo
  echo "\`POST /v1/chat/completions\` against a fixed-answer nginx upstream (direct), an nginx reverse"
  echo "proxy with keep-alive upstream connections (nginx), Portkey $(fact portkey) from npm (portkey),"
  echo "and Ballast with **the defaults a user gets** — \`./ballast serve\`, no JVM flags, SQLite"
  echo "journal on (ballast) — and the same with OpenTelemetry spans derived from the journal and"
  echo "exported over OTLP/HTTP (ballast-otel)$(has ballast-tuned && echo "; ballast-tuned runs with \`$(fact tuned_opts)\`")."
  echo "All on 127.0.0.1 in one run; $(fact duration) s per measured run after warm-up."
  echo "Non-streamed requests are driven by wrk; streamed ones (7 content chunks + a usage chunk +"
  echo "\`[DONE]\` from the upstream) by \`StreamLoad\` (ballast-bench), which times each answer to its"
  echo "first body byte (TTFB) and its last (TTLB) on keep-alive connections."
  echo
  echo "### Non-streaming"
  echo
  echo "| target | conc. | req/s | p50 ms | p90 ms | p99 ms | added p50 | added p99 | errors | server CPU µs/req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in 1 32; do
    for t in "${TARGETS[@]}"; do
      k="$t$c"
      a50="" a99=""
      [ "$t" != direct ] && a50="$(added "${P50[$k]}" "${P50[direct$c]}")" && a99="$(added "${P99[$k]}" "${P99[direct$c]}")"
      echo "| $t | $c | ${RPS[$k]} | ${P50[$k]} | ${P90[$k]} | ${P99[$k]} | $a50 | $a99 | ${ERR[$k]} | ${CPU[$k]} |"
    done
  done
  echo
  echo "### Streaming (SSE)"
  echo
  echo "| target | conc. | req/s | TTFB p50 ms | TTFB p99 ms | TTLB p50 ms | TTLB p99 ms | added TTFB p50 | added TTLB p50 | errors | server CPU µs/req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in 1 32; do
    for t in "${TARGETS[@]}"; do
      k="$t$c"
      af="" al=""
      [ "$t" != direct ] && af="$(added "${TTFB50[$k]}" "${TTFB50[direct$c]}")" && al="$(added "${TTLB50[$k]}" "${TTLB50[direct$c]}")"
      echo "| $t | $c | ${SRPS[$k]} | ${TTFB50[$k]} | ${TTFB99[$k]} | ${TTLB50[$k]} | ${TTLB99[$k]} | $af | $al | ${SERR[$k]} | ${SCPU[$k]} |"
    done
  done
  echo
  echo "### Footprint and start"
  echo
  echo "| target | idle RSS MiB | peak RSS MiB |"
  echo "|---|---:|---:|"
  for t in "${TARGETS[@]}"; do
    [ "$t" = direct ] && continue
    echo "| $t | $(mib "$RAW/$t-idle-rss-kb.txt") | $(mib "$RAW/$t-peak-rss-kb.txt") |"
  done
  echo
  echo "- Idle: after start-up and one answer of each kind, before any load. Peak: the JVM's high-water"
  echo "  mark (VmHWM) at the end for Ballast; for nginx and Portkey the resident set of the process and"
  echo "  its workers right after the last load."
  echo "- Cold start of a fresh gateway with the defaults (median of 3): launch → \`/healthz\` answers"
  echo "  **${COLD_READY} ms**; launch → first chat answer **${COLD_FIRST} ms**; the first request itself"
  echo "  ${COLD_REQ} ms, the second ${COLD_SECOND} ms (curl, new connection each)."
  echo "- Ballast JVM as launched: \`$(fact jvm)\`"
  echo
  echo "### Aims"
  echo
  echo "| aim | measured | verdict |"
  echo "|---|---:|---|"
  echo "| added p50 at c1 ≤ 0.3 ms | $ADD50 ms | $(verdict "$ADD50 <= 0.3") |"
  echo "| added p99 at c1 ≤ 1 ms | $ADD99 ms | $(verdict "$ADD99 <= 1") |"
  echo "| c32 ≥ 50 % of nginx's req/s | $RATIO % | $(verdict "$RATIO >= 50") |"
  echo "| streaming: no stall — added TTLB p50 at c1 ≤ 1 ms | $SADD50 ms | $(verdict "$SADD50 <= 1") |"
  echo "| streaming c32 ≥ 50 % of nginx's req/s | $SRATIO % | $(verdict "$SRATIO >= 50") |"
  echo "| peak RSS ≤ 300 MiB (c32, defaults) | $PEAK MiB | $(verdict "$PEAK <= 300") |"
  echo "| OTLP export on: c32 p99 within +2 ms of off | $OTEL99 ms | $(verdict "$OTEL99 <= 2") |"
  echo
  echo "- Tracing on vs off (same run): throughput at c32 $(calc "%.1f" "100 * ${RPS[ballast-otel32]} / ${RPS[ballast32]}") % of off; server CPU at c32"
  echo "  ${CPU[ballast-otel32]} vs ${CPU[ballast32]} µs/req. Spans handed to the OTLP exporter: $SPANS_SENT"
  echo "  (\`ballast_telemetry_spans_total\`; runs dropped unexported: $RUNS_DROPPED)."
  echo "- Server CPU µs/req counts only the process under test (upstream nginx for direct, the proxy"
  echo "  nginx, the node process, the gateway JVM); unlike req/s it hardly depends on other load."
  echo
  echo "Machine: $(fact nproc) CPUs ($(fact cpu)), $(fact mem_gib) GiB; $(fact jdk); nginx $(fact nginx);"
  echo "$(fact wrk); node $(fact node); commit $(fact commit); CPU pinning: $(p="$(fact pinning)"; echo "${p:-none}")."
  echo "Before the servers started $(fact busy_before) % of all CPU was already busy with other work, and"
  echo "$(fact busy_after) % after the run; the load generators share the machine with the servers, so"
  echo "absolute numbers are a floor and tail latencies are sensitive to that noise."
  echo "Portkey runs under \`node --require bench/portkey-shim.cjs\`: as installed, its streaming path"
  echo "fails on Node 20 (\"TypeError: immutable\" on the upstream response's headers); the shim copies"
  echo "the headers into a mutable response and changes nothing else."
  echo "Raw outputs: \`bench/results/raw/$(basename "$RAW")/\`."
} >"$RESULT"

[ -n "$BENCHMARKS" ] || exit 0
# Replace only the "## Gateway overhead" section of BENCHMARKS.md (up to the next "## " heading);
# every other benchmark keeps its section.
SECTION="$(mktemp)"
{
  echo "## Gateway overhead"
  echo
  echo "What Ballast adds over calling a fast upstream directly, streamed and not, with the defaults a"
  echo "user gets, next to a plain nginx reverse proxy (the near-physical-limit baseline) and Portkey"
  echo "(a peer LLM gateway, from npm). Reproduce with:"
  echo
  echo '```'
  echo "bash bench/gateway-overhead.sh"
  echo '```'
  echo
  echo "(root for the one-time \`apt-get install nginx wrk\`; npm installs Portkey into \`bench/.peers\`;"
  echo "\`BENCH_TUNED_JAVA_OPTS\` adds a row with other JVM flags; run length via"
  echo "\`BENCH_DURATION\`/\`BENCH_WARMUP\`; \`BENCH_PIN=1\` pins the load generators to their own CPU)."
  echo "Every run writes \`bench/results/gateway-overhead-<date>.md\`; the latest is copied below."
  echo
  sed -e '1s/^# /### Latest: /' -e '2,$s/^### /#### /' "$RESULT"
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
