#!/usr/bin/env bash
# Builds the fuzz harnesses, instruments the assemblies under test, writes the seeds and runs afl-fuzz on one harness.
#   fuzz/run.sh <harness> [limit]
# limit: a number of executions (1000000, the default) or a duration in seconds with an "s" (600s).
# Findings go to .artifacts/fuzz/out/<harness>/default/{crashes,hangs,queue,fuzzer_stats}. See fuzz/README.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
harness="${1:?usage: fuzz/run.sh <harness> [executions|<seconds>s]}"
limit="${2:-1000000}"

artifacts="$root/.artifacts/fuzz"
tools="$artifacts/tools"
plain="$artifacts/plain"
bin="$artifacts/bin"
seeds="$root/fuzz/seeds"
out="$artifacts/out/$harness"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 1; }
if [[ ! -x "$tools/sharpfuzz" ]]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"
fi

# Two copies: plain, to write seeds and replay findings (instrumented code only runs under afl-fuzz), and instrumented,
# fresh each time since sharpfuzz refuses an assembly it already instrumented.
rm -rf "$plain" "$bin"
dotnet publish "$root/fuzz/Gateway.Fuzz/Gateway.Fuzz.csproj" -c Release -o "$plain" --nologo -v quiet
cp -r "$plain" "$bin"
# The code under test, not the harness or the runtime: the generated messages and the schema validator
# (Gateway.Contracts), rules and routing (Gateway.Core), refusal statuses (Gateway), and the decoder the gateway uses on
# the wire (Google.Protobuf), which cost no measurable speed and more than doubled the edges found in the referral
# harness. FUZZ_INSTRUMENT_PROTOBUF=0 leaves the decoder out.
assemblies=(Gateway.Contracts.dll Gateway.Core.dll Gateway.dll)
[[ "${FUZZ_INSTRUMENT_PROTOBUF:-1}" == 1 ]] && assemblies+=(Google.Protobuf.dll)
for assembly in "${assemblies[@]}"; do
  "$tools/sharpfuzz" "$bin/$assembly"
done

dotnet "$plain/Gateway.Fuzz.dll" seeds "$seeds"
dotnet "$plain/Gateway.Fuzz.dll" replay "$harness" "$seeds/$harness"

case "$limit" in
  *s) stop=(-V "${limit%s}") ;;
  *) stop=(-E "$limit") ;;
esac

rm -rf "$out"
mkdir -p "$out"
# dotnet is not an AFL-compiled binary (SharpFuzz speaks the fork-server protocol itself); the machine is shared, so
# no CPU frequency or core-dump tuning. A .NET run starts slowly, so the first executions get the long timeout.
AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
  afl-fuzz -i "$seeds/$harness" -o "$out" -t "${AFL_TIMEOUT_MS:-10000}" -m none "${stop[@]}" \
  -- dotnet "$bin/Gateway.Fuzz.dll" "$harness"

grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time)' "$out/default/fuzzer_stats"
