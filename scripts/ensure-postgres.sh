#!/usr/bin/env bash
# Makes sure the local PostgreSQL the tests use is up (127.0.0.1:5432, trust auth).
# Under CI a database that cannot be started is an error, not a reason to skip.
set -uo pipefail
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if pg_up; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 || true
  done
  for _ in $(seq 1 30); do pg_up && exit 0; sleep 1; done
fi
echo "PostgreSQL is not reachable at 127.0.0.1:5432 and could not be started." >&2
exit 1
