#!/usr/bin/env bash
# Crash soak: worker nodes as separate JVMs, killed with SIGKILL at random moments while runs of a
# 5-stage pipeline with an http_action stage execute against a recording, deduplicating HTTP sink;
# on PostgreSQL and on one shared SQLite file. The long version of the crash test in the suite
# (ballast-pipeline, dev.ballast.pipeline.crash), run through the crash-soak profile.
#
#   bash bench/crash.sh
#
# Every run must succeed with the output its input implies, none may be lost, the sink must apply
# every effect key exactly once (redeliveries of a key are counted, not hidden), and the runs of a
# killed worker must progress again within the lease plus a margin. Needs the local PostgreSQL
# (BALLAST_TEST_POSTGRES_URL, default jdbc:postgresql://127.0.0.1:5432/test?user=postgres; a fresh
# schema, dropped afterwards). Writes bench/results/crash-<date>.md and, per backend, the report as
# JSON under bench/results/raw/crash-<date>/; the workers' logs and Maven's output stay in
# ballast-pipeline/target/crash-soak/.
#
# Builds only ballast-pipeline; the modules it depends on come from the local Maven repository
# (install them first: ./mvnw install -pl ballast-pipeline -am -DskipTests), or, with
# CRASH_ALSO_MAKE=1, from this checkout in the same reactor (-am).
#
# Knobs (environment): CRASH_RUNS (default 1000), CRASH_KILLS (default 40), CRASH_WORKERS (worker
# processes at once, default 4), CRASH_MIN_ALIVE (ready workers a kill leaves, default 2),
# CRASH_MVN_ARGS (extra Maven flags, e.g. -o when offline).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/jdk.sh"
ballast_find_jdk
cd "$ROOT"

DATE="$(date -u +%Y-%m-%d)"
RESULT="$ROOT/bench/results/crash-$DATE.md"
RAW="$ROOT/bench/results/raw/crash-$DATE"
WORK="$ROOT/ballast-pipeline/target/crash-soak"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '-dirty')"
rm -rf "$WORK" "$RAW"
mkdir -p "$WORK" "$RAW"

echo "crash: building ballast-pipeline and running the crash tests (this takes minutes)" >&2
# -Dtest selects only the crash tests, so that with -am the other modules compile but run nothing.
ALSO_MAKE=()
[ "${CRASH_ALSO_MAKE:-0}" = 1 ] && ALSO_MAKE=(-am)
set +e
./mvnw -B ${CRASH_MVN_ARGS:-} test -pl ballast-pipeline "${ALSO_MAKE[@]}" -Pcrash-soak \
  -Dspotless.skip=true -Dtest='*CrashTest' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dcrash.runs="${CRASH_RUNS:-1000}" -Dcrash.kills="${CRASH_KILLS:-40}" \
  -Dballast.crash.workers="${CRASH_WORKERS:-4}" -Dballast.crash.minAlive="${CRASH_MIN_ALIVE:-2}" \
  -Dcrash.results="$WORK" >"$WORK/maven.log" 2>&1
STATUS=$?
set -e
grep -E "crash: |Tests run:|FAIL" "$WORK/maven.log" >&2 || true
cp "$WORK"/*.json "$RAW"/ 2>/dev/null || true

{
  echo "# Crash soak — $DATE"
  echo
  echo "Worker nodes run as separate JVMs (\`dev.ballast.pipeline.crash.CrashWorker\`) and are killed"
  echo "with SIGKILL at random moments, each kill followed by a replacement, while runs of a"
  echo "5-stage pipeline execute: \`prepare\` (java), \`enrich\` (transform), \`score\` (java),"
  echo "\`notify\` (http_action, effectful) and \`finish\` (transform). The runs are submitted in"
  echo "slices, one before each kill; a kill picks a ready worker holding runs when there is one."
  echo "The sink deduplicates by \`Idempotency-Key\` and counts deliveries apart from applications:"
  echo "the ledger records an effect before it is applied, so a worker killed after sending but"
  echo "before checkpointing makes its successor send the same key again (docs/queue.md)."
  echo "\"Longest wait\" is, for each run a killed worker held, the time from the kill to its take-over:"
  echo "its claim under a later lease as the journal shows it (workers journal like serve nodes), or"
  echo "its next checkpoint or completion under a later lease, or the kill of the worker that took it,"
  echo "whichever came first. Runs/s is set by the kill schedule (a"
  echo "slice of runs per kill, and a kill waits for ready replacements), not the engine's throughput."
  echo
  for backend in postgresql sqlite; do
    if [ -f "$WORK/$backend.md" ]; then
      cat "$WORK/$backend.md"
    else
      echo "## $backend"
      echo
      echo "No report: the test did not get that far (see ballast-pipeline/target/crash-soak/maven.log)."
    fi
    echo
  done
  if [ "${CRASH_ALSO_MAKE:-0}" = 1 ]; then
    DEPS="built from this checkout (-am)"
  else
    DEPS="taken from the local Maven repository"
  fi
  echo "Commit $COMMIT; ballast-pipeline's dependencies (ballast-core, ballast-store-jdbc, ...) $DEPS."
  echo "Maven exit status $STATUS. Reports as JSON: bench/results/raw/crash-$DATE/."
} >"$RESULT"
echo "crash: wrote $RESULT" >&2
exit $STATUS
