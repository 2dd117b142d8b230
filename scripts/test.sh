#!/usr/bin/env bash
# The full test suite: formatting check, unit and integration tests on SQLite and PostgreSQL,
# the official OpenAI/Anthropic SDKs as real clients of the gateway, and the console in Chromium.
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

# The console's browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing Debian's chromium for the console's browser tests." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif [ "${CI:-}" = "true" ]; then
    echo "CI: /usr/bin/chromium is required for the console's browser tests (apt-get install -y chromium)." >&2
    exit 1
  fi
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

./mvnw -B -ntp verify "$@"
