#!/usr/bin/env bash
# The test suite starts its own throwaway PostgreSQL 15 server from the machine's binaries;
# install them if this machine does not have them yet.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then
  exit 0
fi
echo "PostgreSQL 15 binaries not found in $PG_BIN: installing postgresql-15 with apt" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q postgresql-15
