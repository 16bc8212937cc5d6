#!/usr/bin/env bash
# Shows one message's distributed trace in a real OpenTelemetry viewer, and checks it end to end.
#
#   scripts/trace-viewer.sh [--keep-open] [--ui-port N] [--otlp-port N] [--run demo|referral] [--timeout SECONDS]
#
# 1. Fetches the standalone Aspire dashboard from NuGet (Aspire.Dashboard.Sdk.linux-x64, pinned in
#    tools/trace-viewer/TraceViewer.csproj, cached in .artifacts/trace-viewer/packages) and starts it on 127.0.0.1:
#    browser UI and telemetry API on --ui-port (18888), OTLP/gRPC receiver on --otlp-port (4317), with no
#    authentication at all (a local run on loopback only).
# 2. Runs the one-command demo (gatewayctl demo) with OTEL_EXPORTER_OTLP_ENDPOINT pointing at the dashboard; with
#    --run referral it runs a gateway, a PartnerSim for CN/FJPSD and
#    one gatewayctl send-referral instead, on free ports and a store of its own under .artifacts/trace-viewer/run.
# 3. Reads the dashboard's telemetry API (GET /api/telemetry/spans) until one trace holds spans of the caller, the
#    gateway and the endpoint, or --timeout (15 s) passes; prints the traces, the closest one as a tree, and what is
#    missing. Exit code 0 only when one trace holds all three; 1 when not; 2 when something could not be run.
# 4. Stops everything it started, on exit and on Ctrl+C, each within a bounded time. With --keep-open the dashboard
#    stays up (its address is printed) until Ctrl+C.
#
# Needs the .NET 10 SDK, network access to NuGet the first time, and Linux on x86-64 (the dashboard package is built
# for linux-x64). Logs and data of the last run are in .artifacts/trace-viewer/run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dashboard_version="13.6.5"
ui_port=18888
otlp_port=4317
run_mode=demo
keep_open=false
check_timeout=15
ready_timeout=60
demo_timeout=300
stop_grace=10

usage() {
  echo "Usage: $(sed -n '4p' "${BASH_SOURCE[0]}" | sed 's/^# *//')"
  echo "The comment at the top of scripts/trace-viewer.sh says what it does."
}

while [ $# -gt 0 ]; do
  case "$1" in
    --keep-open) keep_open=true ;;
    --ui-port) ui_port="${2:?--ui-port needs a port}"; shift ;;
    --otlp-port) otlp_port="${2:?--otlp-port needs a port}"; shift ;;
    --run) run_mode="${2:?--run needs demo or referral}"; shift ;;
    --timeout) check_timeout="${2:?--timeout needs seconds}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "trace-viewer: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for number in "$ui_port" "$otlp_port" "$check_timeout"; do
  if ! [[ "$number" =~ ^[0-9]+$ ]] || [ "$number" -lt 1 ] || [ "$number" -gt 65535 ]; then
    echo "trace-viewer: '$number' is not a port or a number of seconds" >&2; exit 2
  fi
done
case "$run_mode" in demo|referral) ;; *) echo "trace-viewer: --run takes demo or referral" >&2; exit 2 ;; esac

say() { printf '== %s\n' "$*"; }
fail() { printf 'trace-viewer: %s\n' "$*" >&2; exit 2; }

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  fail "the Aspire dashboard package used here is built for linux-x64; this is $(uname -s) $(uname -m)"
fi
command -v dotnet >/dev/null || fail "dotnet is not on PATH: install the .NET 10 SDK"
command -v setsid >/dev/null || fail "setsid (util-linux) is not on PATH"

run_dir="$root/.artifacts/trace-viewer/run"
rm -rf "$run_dir"
mkdir -p "$run_dir"

# Every process started in the background here leads a session of its own (setsid), so that stopping its process
# group also stops whatever it started (the demo's gateway and endpoints), and Ctrl+C in the terminal reaches only this
# script and its foreground command: the trap then stops the background processes, each with a bounded wait.
# (Job control, set -m, would give each foreground command the terminal instead, and bash would abandon the
# interrupted block and carry on with the next one.)
started=()

stop_all() {
  local pid deadline
  for pid in "${started[@]}"; do
    kill -0 "$pid" 2>/dev/null && kill -TERM -- "-$pid" 2>/dev/null || true
  done
  deadline=$((SECONDS + stop_grace))
  for pid in "${started[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "trace-viewer: process $pid did not stop within ${stop_grace} s of SIGTERM; killing it" >&2
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  started=()
}
trap 'stop_all' EXIT
trap 'echo; echo "trace-viewer: interrupted, stopping what it started"; exit 130' INT
trap 'echo; echo "trace-viewer: terminated, stopping what it started"; exit 143' TERM

# Starts "$@" in the background with its output in the log file $1; the pid is in $last_pid.
start() {
  local log="$1"; shift
  setsid "$@" >"$log" 2>&1 &
  last_pid=$!
  started+=("$last_pid")
}

# Stops one started process the same way stop_all does, and forgets it.
stop_one() {
  local pid="$1" deadline=$((SECONDS + stop_grace)) kept=() p
  kill -TERM -- "-$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${started[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  started=("${kept[@]}")
}

# Waits until the log file $2 of process $1 has a line matching the extended regex $3; prints that line.
wait_for_line() {
  local pid="$1" log="$2" pattern="$3" what="$4" deadline=$((SECONDS + ready_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if grep -Eq "$pattern" "$log" 2>/dev/null; then
      grep -Em1 "$pattern" "$log"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "trace-viewer: $what exited before it was ready; its log ($log) ends with:" >&2
      tail -n 20 "$log" >&2
      exit 2
    fi
    sleep 0.5
  done
  echo "trace-viewer: $what was not ready within ${ready_timeout} s; its log ($log) ends with:" >&2
  tail -n 20 "$log" >&2
  exit 2
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build() {
  local project="$1" log
  log="$run_dir/build-$(basename "$project" .csproj).log"
  if ! dotnet build "$project" -nologo -v q >"$log" 2>&1; then
    echo "trace-viewer: building $project failed; the end of $log:" >&2
    tail -n 30 "$log" >&2
    exit 2
  fi
}

for port in "$ui_port" "$otlp_port"; do
  if port_in_use "$port"; then
    fail "127.0.0.1:$port is already in use (another dashboard?); stop it or choose --ui-port / --otlp-port"
  fi
done

# 1. The dashboard, fetched by the restore of the checker's project, which is built in the same step.
say "Building the trace checker and fetching the Aspire dashboard $dashboard_version from NuGet (cached in .artifacts/trace-viewer)"
build tools/trace-viewer/TraceViewer.csproj
dashboard="$root/.artifacts/trace-viewer/packages/aspire.dashboard.sdk.linux-x64/$dashboard_version/tools/Aspire.Dashboard"
[ -f "$dashboard" ] || fail "the dashboard is not where its package should have put it: $dashboard"
[ -x "$dashboard" ] || chmod u+x "$dashboard"
checker="$root/tools/trace-viewer/bin/Debug/net10.0/TraceViewer"

# The demo starts the gateway and PartnerSim from their build output (and builds them when it is missing): built here,
# before the dashboard starts, both ways of running need nothing more.
say "Building gatewayctl, the gateway and PartnerSim"
build src/Gateway.Cli/Gateway.Cli.csproj
gatewayctl="$root/src/Gateway.Cli/bin/Debug/net10.0/gatewayctl"
build src/Gateway/Gateway.csproj
build src/Gateway.PartnerSim/Gateway.PartnerSim.csproj

ui_url="http://127.0.0.1:$ui_port"
otlp_url="http://127.0.0.1:$otlp_port"
say "Starting the Aspire dashboard: browser UI $ui_url, OTLP/gRPC $otlp_url"
cat <<EOF
################################################################################################################
#  UNSECURED DASHBOARD. Its browser UI, its telemetry API and its OTLP receiver ask for no token and no key:    #
#  anyone who can reach 127.0.0.1 on this machine can read every trace and log sent to it, and send it their   #
#  own. It listens on loopback only and keeps nothing after it stops. For a local run, never with real data.    #
################################################################################################################
EOF
mkdir -p "$run_dir/dashboard-data"
start "$run_dir/dashboard.log" env \
  ASPNETCORE_URLS="$ui_url" \
  ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="$otlp_url" \
  Dashboard__Frontend__AuthMode=Unsecured \
  Dashboard__Otlp__AuthMode=Unsecured \
  Dashboard__Api__Enabled=true \
  Dashboard__Api__AuthMode=Unsecured \
  ASPIRE_DASHBOARD_PERSISTENCE_MODE=None \
  ASPIRE_DASHBOARD_DATA_DIRECTORY="$run_dir/dashboard-data" \
  "$dashboard"
dashboard_pid=$last_pid
wait_for_line "$dashboard_pid" "$run_dir/dashboard.log" "Now listening on: $ui_url" "the dashboard" >/dev/null
wait_for_line "$dashboard_pid" "$run_dir/dashboard.log" "OTLP/gRPC listening on: $otlp_url" "the dashboard's OTLP receiver" >/dev/null
say "Dashboard ready (version $(grep -Eo 'version: [0-9.]+' "$run_dir/dashboard.log" | head -n1 | cut -d' ' -f2))"

# The exporters' standard settings: the dashboard's OTLP receiver, and spans and metrics sent every second rather than
# every 5 and 60 s, so that a user watching the dashboard sees them come in. Each process flushes what is left when
# it stops.
export OTEL_EXPORTER_OTLP_ENDPOINT="$otlp_url" OTEL_BSP_SCHEDULE_DELAY=1000 OTEL_METRIC_EXPORT_INTERVAL=1000

# 2. The traffic.
if [ "$run_mode" = demo ]; then
  say "Running gatewayctl demo with OTEL_EXPORTER_OTLP_ENDPOINT=$otlp_url"
  setsid "$gatewayctl" demo &
  demo_pid=$!
  started+=("$demo_pid")
  demo_deadline=$((SECONDS + demo_timeout))
  while kill -0 "$demo_pid" 2>/dev/null && [ "$SECONDS" -lt "$demo_deadline" ]; do sleep 0.5; done
  if kill -0 "$demo_pid" 2>/dev/null; then
    echo "trace-viewer: gatewayctl demo still runs after ${demo_timeout} s; stopping it" >&2
    stop_one "$demo_pid"
    exit 2
  fi
  demo_status=0
  wait "$demo_pid" || demo_status=$?
  stop_one "$demo_pid"
  [ "$demo_status" -eq 0 ] || fail "gatewayctl demo exited with code $demo_status"
else
  # The sample referral goes to CN/FJPSD: that agency's endpoint is pointed at a PartnerSim on a free port, found by
  # its index in the gateway's sample directory (configuration arrays are keyed by index).
  fjpsd_index="$(grep -o '"Id": "[^"]*"' src/Gateway/appsettings.json | grep -n '"CN/FJPSD"' | cut -d: -f1)"
  [ -n "$fjpsd_index" ] || fail "CN/FJPSD is not in src/Gateway/appsettings.json's directory"
  fjpsd_index=$((fjpsd_index - 1))

  say "--run referral: a gateway, a PartnerSim for CN/FJPSD and one gatewayctl send-referral, instead of the demo"
  # Each process named as the demo names it (OTEL_SERVICE_NAME), so that the dashboard shows the same services.
  say "Starting PartnerSim for CN/FJPSD"
  start "$run_dir/partnersim.log" env OTEL_SERVICE_NAME=partnersim-cn-fjpsd "$root/src/Gateway.PartnerSim/bin/Debug/net10.0/Gateway.PartnerSim" \
    --agency CN/FJPSD --urls http://127.0.0.1:0 --data "$run_dir/partnersim-CN-FJPSD"
  partnersim_pid=$last_pid
  partnersim_url="$(wait_for_line "$partnersim_pid" "$run_dir/partnersim.log" 'listening on http://127\.0\.0\.1:[0-9]+' PartnerSim | grep -Eo 'http://127\.0\.0\.1:[0-9]+')" || exit 2
  echo "   PartnerSim CN/FJPSD on $partnersim_url"

  say "Starting the gateway with OTEL_EXPORTER_OTLP_ENDPOINT=$otlp_url"
  start "$run_dir/gateway.log" env OTEL_SERVICE_NAME=liaison-gateway "$root/src/Gateway/bin/Debug/net10.0/Gateway" \
    --urls http://127.0.0.1:0 \
    --Gateway:Storage:Sqlite:Path="$run_dir/gateway.db" \
    --Gateway:Directory:Agencies:$fjpsd_index:Endpoint="$partnersim_url"
  gateway_pid=$last_pid
  gateway_url="$(wait_for_line "$gateway_pid" "$run_dir/gateway.log" 'Liaison Gateway listening on http://127\.0\.0\.1:[0-9]+' "the gateway" | grep -Eo 'http://127\.0\.0\.1:[0-9]+')" || exit 2
  echo "   gateway on $gateway_url; $(grep -Eo 'Telemetry .*' "$run_dir/gateway.log" | head -n1)"

  message_id="$(cat /proc/sys/kernel/random/uuid)"
  say "gatewayctl send-referral --message-id $message_id"
  OTEL_SERVICE_NAME=gatewayctl "$gatewayctl" send-referral --gateway "$gateway_url" --message-id "$message_id" || fail "gatewayctl send-referral failed"

  say "Waiting for PartnerSim CN/FJPSD to apply the referral"
  received="$run_dir/partnersim-CN-FJPSD/received.log"
  wait_for_line "$partnersim_pid" "$received" "APPLIED +delivery=[0-9]+ message=$message_id" "the delivery to PartnerSim"

  say "Stopping the gateway and PartnerSim (each sends the telemetry it still holds as it stops)"
  stop_one "$gateway_pid"
  stop_one "$partnersim_pid"
fi

# 3. The check.
say "Reading the dashboard's telemetry API (up to ${check_timeout} s) for one trace with caller, gateway and endpoint"
check_status=0
"$checker" --dashboard "$ui_url" --timeout "$check_timeout" || check_status=$?

# 4. Stopping, or leaving the dashboard open.
if [ "$keep_open" = true ]; then
  echo
  say "The dashboard stays open at $ui_url (Traces, Structured logs, Metrics); press Ctrl+C to stop it"
  wait "$dashboard_pid" || true
fi
exit "$check_status"
