#!/usr/bin/env bash
# Console load check: a store with a million runs over a week (and one 501-node run tree), a node
# serving it, and the time the console's API reads and pages take. A benchmark, not a test.
#
#   bash bench/console.sh                 # SQLite, 1,000,000 runs
#   CONSOLE_BENCH_BACKEND=postgresql bash bench/console.sh
#
# Writes bench/results/console-<date>-<backend>-<runs>.md. Knobs (environment): CONSOLE_BENCH_RUNS
# (default 1000000), CONSOLE_BENCH_BACKEND (sqlite or postgresql), CONSOLE_BENCH_POSTGRES
# (default postgresql://127.0.0.1:5432/test?user=postgres; a fresh schema is made in it),
# CONSOLE_BENCH_NO_BROWSER=1 (API reads only), CONSOLE_BENCH_MVN_ARGS (extra Maven flags, e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

MVN_ARGS=(-B -q ${CONSOLE_BENCH_MVN_ARGS:-})
CLASSPATH_FILE="$ROOT/ballast-bench/target/console.classpath"
echo "console: building ballast-bench" >&2
./mvnw "${MVN_ARGS[@]}" package dependency:build-classpath -DskipTests -Dspotless.skip=true \
  -pl ballast-bench -am -Dmdep.includeScope=runtime -Dmdep.outputFile="$CLASSPATH_FILE" >&2

BACKEND="${CONSOLE_BENCH_BACKEND:-sqlite}"
RUNS="${CONSOLE_BENCH_RUNS:-1000000}"
DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/console-$DATE-$BACKEND-$RUNS.md"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
EXTRA=()
if [[ "${CONSOLE_BENCH_NO_BROWSER:-}" == 1 ]]; then
  EXTRA+=(--no-browser)
fi
if [[ "$BACKEND" == postgresql ]]; then
  bash scripts/ensure-postgres.sh
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/ballast-bench/target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.ballast.bench.console.ConsoleLoadBenchmark \
  --runs "$RUNS" --backend "$BACKEND" \
  --postgres "${CONSOLE_BENCH_POSTGRES:-postgresql://127.0.0.1:5432/test?user=postgres}" \
  --out "$RESULT" --commit "$COMMIT" "${EXTRA[@]}" >/dev/null
echo "console: wrote $RESULT" >&2
