# Shell functions that run a private PostgreSQL server for the tests; sourced by .ci/run and scripts/postgres-dev.sh.
#
# Private: its own data directory, listening on 127.0.0.1 only, on a port other than 5432, with its own socket
# directory, so that it neither meets nor disturbs a PostgreSQL the machine already runs. Everything lives under one
# base directory:
#   data/        the cluster (initdb), owned by the user the server runs as
#   socket/      its Unix socket, used only to create the tests' role and database
#   server.log   the server's log
#   password     the tests' role's password (generated at initdb)
#   connection   the connection string for LIAISON_TEST_POSTGRES (rewritten at each start: the port may change)
#
# Run as root (CI), the server runs as the `postgres` user, since PostgreSQL refuses to run as root; otherwise as the
# calling user. Each function prints its problem on stderr and returns non-zero; the caller decides what fails.

postgres_role=liaison
postgres_database=liaison_test

# Prints the directory holding initdb, pg_ctl and postgres. pg_config can be the client library's (libpq-dev) and
# /usr/bin holds Debian's version-picking wrappers, so the directory is checked for the server binaries themselves.
postgres_bindir() {
  local candidate
  for candidate in "$(pg_config --bindir 2>/dev/null)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -rn) \
    "$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || echo /nonexistent)")")"; do
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/postgres" ]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found (pg_config --bindir, /usr/lib/postgresql/*/bin)" >&2
  return 1
}

# Installs the server from Debian's packages. Needs root and apt-get.
postgres_install_debian() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "cannot install PostgreSQL: that needs root and apt-get (Debian or Ubuntu)" >&2
    return 1
  fi
  # The package would also create and start a cluster of its own on port 5432; the tests need only the binaries.
  mkdir -p /etc/postgresql-common/createcluster.d &&
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/liaison-no-main-cluster.conf &&
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
}

# Runs a command as the user the server runs as, from / (the postgres user may not be allowed into the caller's directory).
postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Prints the first port in [first, last] on which nothing accepts connections on 127.0.0.1.
postgres_free_port() {
  local port
  for ((port = $1; port <= $2; port++)); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port between $1 and $2 on 127.0.0.1" >&2
  return 1
}

postgres_running() {
  local bindir
  bindir=$(postgres_bindir 2>/dev/null) && [ -f "$1/data/PG_VERSION" ] && postgres_as_owner "$bindir/pg_ctl" status -D "$1/data" >/dev/null 2>&1
}

# postgres_start BASE PORT: creates the cluster under BASE if there is none, starts it on PORT, waits until it accepts
# connections on 127.0.0.1, creates the tests' role and database on first start, and writes BASE/connection.
postgres_start() {
  local base=$1 port=$2 bindir fresh=false password socket
  bindir=$(postgres_bindir) || return 1
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "there is no 'postgres' user to run the server as (root cannot run it)" >&2
    return 1
  fi
  mkdir -p "$base" || return 1
  base=$(cd "$base" && pwd)
  socket="$base/socket"
  # A Unix socket's path must fit in 107 bytes (sun_path) with "/.s.PGSQL.NNNNN" added; a deep BASE gets a short
  # directory named after it instead, the same at every start (postgresql.conf names it).
  if [ $((${#socket} + 16)) -gt 107 ]; then
    socket="/tmp/liaison-postgres-$(echo "$base" | md5sum | cut -c1-12)"
  fi
  mkdir -p "$socket" || return 1
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$base" "$socket" || return 1
  fi
  chmod 700 "$base" "$socket" || return 1
  if ! postgres_as_owner test -w "$base"; then
    echo "the postgres user cannot write to $base (a parent directory is closed to it); use a directory other users can traverse" >&2
    return 1
  fi

  if [ ! -f "$base/data/PG_VERSION" ]; then
    fresh=true
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    (umask 077 && echo "$password" >"$base/password") || return 1
    postgres_as_owner "$bindir/initdb" -D "$base/data" --encoding=UTF8 --locale=C \
      --auth-local=peer --auth-host=scram-sha-256 >"$base/initdb.log" 2>&1 || {
      echo "initdb failed; its output is in $base/initdb.log:" >&2
      tail -n 5 "$base/initdb.log" >&2
      return 1
    }
    # fsync stays on: the durability tests kill processes and must mean what they say. Several gateway processes with
    # their connection pools share one server, hence more connections than the default 100.
    postgres_as_owner tee -a "$base/data/postgresql.conf" >/dev/null <<CONF || return 1

# Private test server (scripts/lib/postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket'
max_connections = 300
fsync = on
CONF
  fi

  postgres_as_owner "$bindir/pg_ctl" start -D "$base/data" -l "$base/server.log" -o "-p $port" -w -t 60 -s || {
    echo "PostgreSQL did not start on 127.0.0.1:$port; the end of $base/server.log:" >&2
    tail -n 5 "$base/server.log" >&2
    return 1
  }
  if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30; then
    echo "PostgreSQL started but does not accept connections on 127.0.0.1:$port" >&2
    return 1
  fi
  if $fresh; then
    # Over the socket as the superuser (peer authentication). The password goes through stdin, not the command line.
    postgres_as_owner "$bindir/psql" -q -h "$socket" -p "$port" -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL || {
CREATE ROLE $postgres_role LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE $postgres_database OWNER $postgres_role;
SQL
      echo "could not create the role '$postgres_role' and the database '$postgres_database'" >&2
      return 1
    }
  fi
  (umask 077 && echo "Host=127.0.0.1;Port=$port;Username=$postgres_role;Password=$(cat "$base/password");Database=$postgres_database" >"$base/connection")
}

# postgres_stop BASE: stops the server of BASE, if it runs, waiting for it to end (fast shutdown: open sessions are
# ended, nothing committed is lost). Silent when there is nothing to stop.
postgres_stop() {
  local bindir
  postgres_running "$1" || return 0
  bindir=$(postgres_bindir) || return 1
  postgres_as_owner "$bindir/pg_ctl" stop -D "$1/data" -m fast -w -t 60 -s
}
