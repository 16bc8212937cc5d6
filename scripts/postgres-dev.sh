#!/usr/bin/env bash
# A private PostgreSQL server for the PostgreSQL tests on a developer's machine (CI starts its own in .ci/run).
#
#   scripts/postgres-dev.sh start [--port N] | stop | env
#
# start  creates the server on first use (initdb, a role and a database for the tests), starts it on 127.0.0.1 on
#        --port N or the first free port from 55400, and prints the line to paste into the shell that runs the tests:
#        export LIAISON_TEST_POSTGRES='Host=127.0.0.1;Port=...;...'   (or: eval "$(scripts/postgres-dev.sh start)")
# stop   stops it (fast shutdown); its data stays for the next start.
# env    prints the export line of the running server again.
#
# Data in $LIAISON_POSTGRES_DIR, by default ${XDG_RUNTIME_DIR:-/tmp}/liaison-postgres-$USER; delete it to start over.
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql). Run as root, the server runs as `postgres`.
# Messages go to stderr, the export line alone to stdout.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/postgres.sh
source "$root/scripts/lib/postgres.sh"

base="${LIAISON_POSTGRES_DIR:-${XDG_RUNTIME_DIR:-/tmp}/liaison-postgres-$(id -un)}"

usage() {
  echo "Usage: $(sed -n '4p' "${BASH_SOURCE[0]}" | sed 's/^# *//')"
  echo "The comment at the top of scripts/postgres-dev.sh says what it does."
}

print_export() {
  echo "export LIAISON_TEST_POSTGRES='$(cat "$base/connection")'"
}

command="${1:-}"
[ $# -gt 0 ] && shift
port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a port}"; shift ;;
    *) echo "postgres-dev: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

case "$command" in
  start)
    if postgres_running "$base"; then
      echo "PostgreSQL already runs from $base" >&2
    else
      port="${port:-$(postgres_free_port 55400 55499)}"
      postgres_start "$base" "$port"
      echo "PostgreSQL runs on 127.0.0.1:$port, data in $base; stop it with scripts/postgres-dev.sh stop" >&2
    fi
    print_export
    ;;
  stop)
    if postgres_running "$base"; then
      postgres_stop "$base"
      echo "PostgreSQL from $base stopped" >&2
    else
      echo "no PostgreSQL runs from $base" >&2
    fi
    ;;
  env)
    if ! postgres_running "$base"; then
      echo "no PostgreSQL runs from $base; start it with scripts/postgres-dev.sh start" >&2
      exit 1
    fi
    print_export
    ;;
  -h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
