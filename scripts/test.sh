#!/usr/bin/env bash
# The full test suite: formatting check, unit and integration tests on SQLite and PostgreSQL,
# and the official OpenAI/Anthropic SDKs as real clients of the gateway.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/jdk.sh
ballast_find_jdk
echo "Using JDK at $JAVA_HOME"

if ! bash scripts/ensure-postgres.sh; then
  if [ "${CI:-}" = "true" ]; then
    echo "CI: PostgreSQL is required for the store tests." >&2
    exit 1
  fi
  echo "PostgreSQL unavailable: its tests will be skipped (they fail under CI=true)." >&2
fi

if command -v npm >/dev/null 2>&1; then
  (cd clients && npm ci --no-audit --no-fund --loglevel=error)
elif [ "${CI:-}" = "true" ]; then
  echo "CI: Node.js and npm are required for the official SDK tests." >&2
  exit 1
fi

./mvnw -B -ntp verify "$@"
