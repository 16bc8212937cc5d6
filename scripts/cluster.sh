#!/usr/bin/env bash
# Three gateway instances sharing one PostgreSQL database on this machine, with PartnerSim endpoints: the shape of a
# national contact point that runs the gateway on several machines, all on 127.0.0.1.
#
#   scripts/cluster.sh start | status | kill N | restart N | stop
#
# start    builds the gateway and PartnerSim, starts a private PostgreSQL (as scripts/postgres-dev.sh does, under
#          $LIAISON_CLUSTER_DIR/pg), creates the database `liaison`, then PartnerSims for CN/FJPSD, CN/PLO-RU and RU/MVD
#          on the sample directory's ports (5092, 5094, 5096) and gateway instances 1, 2 and 3 on
#          http://127.0.0.1:5081, :5082 and :5083. Send to any of them: gatewayctl --gateway http://127.0.0.1:5082 ...
# status   shows which processes run.
# kill N   SIGKILLs instance N (1-3): the others take over its deliveries when its leases run out.
# restart N  starts instance N again (after kill).
# stop     stops the instances, the PartnerSims and PostgreSQL; the data stays in $LIAISON_CLUSTER_DIR until deleted.
#
# Everything lives in $LIAISON_CLUSTER_DIR (default /tmp/liaison-cluster): logs/, pids/, the PartnerSims' data, and
# keys/ where the instances find the same development data key and receipt key (instances sharing a database must
# share the keys that seal its rows; in production configure Gateway:Encryption and Gateway:Receipts on each instead).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/postgres.sh
source "$root/scripts/lib/postgres.sh"

base="${LIAISON_CLUSTER_DIR:-/tmp/liaison-cluster}"
pg="$base/pg"
gateway_dll="$root/src/Gateway/bin/Release/net10.0/Gateway.dll"
partnersim_dll="$root/src/Gateway.PartnerSim/bin/Release/net10.0/Gateway.PartnerSim.dll"
partners=("CN/FJPSD:5092" "CN/PLO-RU:5094" "RU/MVD:5096")

usage() {
  echo "Usage: scripts/cluster.sh start | status | kill N | restart N | stop"
  echo "The comment at the top of scripts/cluster.sh says what each does."
}

running() { [ -f "$base/pids/$1" ] && kill -0 "$(cat "$base/pids/$1")" 2>/dev/null; }

# launch NAME LISTEN-URL DLL ARGS...: starts a process in the background, its output in logs/NAME.log, and waits until
# it accepts connections on its port.
launch() {
  local name=$1 url=$2 dll=$3 port
  shift 3
  port="${url##*:}"
  if running "$name"; then
    echo "$name already runs (pid $(cat "$base/pids/$name"))"
    return 0
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "cluster: port $port is taken by another process; stop it first" >&2
    return 1
  fi
  (cd "$base" && exec nohup dotnet "$dll" --urls "$url" "$@" >"$base/logs/$name.log" 2>&1) &
  echo $! >"$base/pids/$name"
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$name listening on $url (pid $(cat "$base/pids/$name"), log $base/logs/$name.log)"
      return 0
    fi
    if ! running "$name"; then
      echo "cluster: $name exited; the end of its log:" >&2
      tail -n 5 "$base/logs/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "cluster: $name did not listen on $url within 30 s" >&2
  return 1
}

start_instance() {
  local n=$1
  # The connection string (its password) in the environment, which only its user and root can read, not on the command
  # line, which `ps` shows to everyone on the machine.
  Gateway__Storage__Postgres__ConnectionString="$(cat "$base/connection")" \
    launch "gateway-$n" "http://127.0.0.1:508$n" "$gateway_dll" \
    --Gateway:Storage:Provider=Postgres \
    "--Gateway:Storage:Sqlite:Path=$base/keys/gateway.db" \
    --Gateway:Delivery:Timeout=00:00:05 --Gateway:Delivery:Lease=00:00:10
}

check_instance() {
  case "${1:-}" in
    1 | 2 | 3) ;;
    *) echo "cluster: name an instance, 1, 2 or 3" >&2; usage >&2; exit 2 ;;
  esac
}

command="${1:-}"
case "$command" in
  start)
    mkdir -p "$base/logs" "$base/pids" "$base/keys"
    chmod 755 "$base"
    echo "Building the gateway and PartnerSim (Release)..."
    dotnet build "$root/src/Gateway" -c Release -v quiet -nologo >/dev/null
    dotnet build "$root/src/Gateway.PartnerSim" -c Release -v quiet -nologo >/dev/null
    if ! postgres_running "$pg"; then
      postgres_start "$pg" "$(postgres_free_port 55400 55499)"
    fi
    server="$(cat "$pg/connection")"
    # The cluster's own database, created once by the server's role (it may create databases).
    PGPASSWORD="$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$server")" \
      "$(postgres_bindir)/psql" -q -h 127.0.0.1 -p "$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$server")" \
      -U "$postgres_role" -d "$postgres_database" -tAc "SELECT 1 FROM pg_database WHERE datname = 'liaison'" | grep -q 1 ||
      PGPASSWORD="$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$server")" \
        "$(postgres_bindir)/psql" -q -h 127.0.0.1 -p "$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$server")" \
        -U "$postgres_role" -d "$postgres_database" -c "CREATE DATABASE liaison"
    sed "s/Database=$postgres_database/Database=liaison/" <<<"$server" >"$base/connection"
    echo "PostgreSQL: $(sed 's/Password=[^;]*/Password=.../' "$base/connection")"
    for partner in "${partners[@]}"; do
      agency="${partner%%:*}"
      launch "partnersim-${agency//\//-}" "http://127.0.0.1:${partner##*:}" "$partnersim_dll" \
        --agency "$agency" --data "$base/partnersim-${agency//\//-}"
    done
    for n in 1 2 3; do
      start_instance "$n"
    done
    echo "Send to any instance, e.g.: dotnet run --project src/Gateway.Cli -- --gateway http://127.0.0.1:5082 send-referral"
    ;;
  status)
    for name in partnersim-CN-FJPSD partnersim-CN-PLO-RU partnersim-RU-MVD gateway-1 gateway-2 gateway-3; do
      if running "$name"; then echo "$name runs (pid $(cat "$base/pids/$name"))"; else echo "$name is stopped"; fi
    done
    if postgres_running "$pg"; then echo "PostgreSQL runs"; else echo "PostgreSQL is stopped"; fi
    ;;
  kill)
    check_instance "${2:-}"
    if running "gateway-$2"; then
      kill -KILL "$(cat "$base/pids/gateway-$2")"
      echo "gateway-$2 killed (SIGKILL)"
    else
      echo "gateway-$2 is not running"
    fi
    ;;
  restart)
    check_instance "${2:-}"
    start_instance "$2"
    ;;
  stop)
    for name in gateway-1 gateway-2 gateway-3 partnersim-CN-FJPSD partnersim-CN-PLO-RU partnersim-RU-MVD; do
      if running "$name"; then
        kill -TERM "$(cat "$base/pids/$name")"
        echo "$name stopped"
      fi
      rm -f "$base/pids/$name"
    done
    if postgres_running "$pg"; then
      postgres_stop "$pg"
      echo "PostgreSQL stopped"
    fi
    ;;
  *)
    usage >&2
    exit 2
    ;;
esac
