#!/usr/bin/env bash
# End-to-end benchmark of issue 9 on a generated org, or the BenchmarkDotNet micro-benchmarks.
#
#   scripts/bench.sh [--size large] [--stores sqlite,postgres] [--no-jsforce] [--no-first-cycle] [--no-publish]
#   scripts/bench.sh micro [BenchmarkDotNet arguments, e.g. --filter '*Trust*']
#   scripts/bench.sh micro measure-sync --size large     (the in-process full-pull measurement)
#
# The end-to-end run builds in Release (the worker published as deploy/Dockerfile does), starts the emulator in its own process on the generated org
# (seed 42, as of 2026-10-05T06:00Z), and per store, on a fresh database, measures with /usr/bin/time:
# migrate, the first sync, score, route --dry-run, simulate (4 weeks), the weekly cycle after that
# sync (its sync is incremental), the next week's cycle (as of 2026-10-12, superseding the pending
# recommendations of the first); then, on another fresh database, the first cycle (initial load included; skipped with
# --no-first-cycle, it repeats the whole pull). jsforce pulls the same rows
# (the sync's own queries) for the CPU-per-row comparison. On a private RabbitMQ node, the outbox relay
# publishes 20,000 messages through MassTransit and raw RabbitMQ.Client publishes the same bytes with
# confirms (tests/LeadRouter.Benchmarks/PublishComparison.cs). Each store gets a freshly started emulator,
# since a cycle writes lead owners back. Prints one Markdown table and writes it as JSON to
# .leadrouter/bench/results.json (figures from /usr/bin/time -v: CPU is user + sys, bytes written
# are the file-system output blocks of the measured process, so PostgreSQL's server writes are not in them).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ "${1:-}" = micro ]; then
  shift
  [ $# -gt 0 ] || set -- --filter '*'
  exec dotnet run -c Release --project tests/LeadRouter.Benchmarks -- "$@"
fi

size=large stores=sqlite,postgres jsforce=1 first_cycle=1 publish=1
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size=$2; shift 2 ;;
    --stores) stores=$2; shift 2 ;;
    --no-jsforce) jsforce=0; shift ;;
    --no-first-cycle) first_cycle=0; shift ;;
    --no-publish) publish=0; shift ;;
    *) echo "bench.sh: unknown argument '$1' (see the header of scripts/bench.sh)" >&2; exit 2 ;;
  esac
done

root=$PWD
# LEADROUTER_BENCH_OUT and LEADROUTER_BENCH_PORT let two runs (say, two branches) go side by side.
out=${LEADROUTER_BENCH_OUT:-$root/.leadrouter/bench}
rm -rf "$out" && mkdir -p "$out"
as_of=2026-10-05T06:00:00Z
next_week=2026-10-12T06:00:00Z
port=${LEADROUTER_BENCH_PORT:-18484}
# Where the private PostgreSQL and RabbitMQ nodes keep their data (as in scripts/test.sh).
test_work=${LEADROUTER_TEST_WORK:-/tmp}
mkdir -p "$test_work"

echo "bench: building in Release"
for project in src/LeadRouter.Worker src/LeadRouter.SalesforceEmulator tests/LeadRouter.Benchmarks; do
  dotnet build "$project" -c Release -nologo -v q -clp:NoSummary >"$out/build.log" || { cat "$out/build.log" >&2; exit 1; }
done
# The worker measured is the one deploy/Dockerfile ships: published with ReadyToRun for this machine.
echo "bench: publishing the worker as deploy/Dockerfile does"
dotnet publish src/LeadRouter.Worker/LeadRouter.Worker.csproj --configuration Release --use-current-runtime --no-self-contained -p:PublishReadyToRun=true --output "$out/worker" -p:UseAppHost=false \
  -nologo -v q -clp:NoSummary >"$out/build.log" || { cat "$out/build.log" >&2; exit 1; }
leadrouter="dotnet $out/worker/leadrouter.dll"
emulator_dll=$root/src/LeadRouter.SalesforceEmulator/bin/Release/net10.0/LeadRouter.SalesforceEmulator.dll
benchmarks_dll=$root/tests/LeadRouter.Benchmarks/bin/Release/net10.0/LeadRouter.Benchmarks.dll

emulator_pid=
postgres_started=0
rabbitmq_started=0
cleanup() {
  [ -z "$emulator_pid" ] || kill "$emulator_pid" 2>/dev/null || true
  if [ "$postgres_started" = 1 ]; then postgres_stop; fi
  if [ "$rabbitmq_started" = 1 ]; then rabbitmq_stop; fi
}
trap cleanup EXIT

start_emulator() {
  [ -z "$emulator_pid" ] || { kill "$emulator_pid"; wait "$emulator_pid" 2>/dev/null || true; }
  echo "bench: generating the $size org in the emulator"
  dotnet "$emulator_dll" --generate "$size" --seed 42 --as-of "$as_of" --urls "http://127.0.0.1:$port" \
    --daily-limit 1000000 >"$out/emulator.log" 2>&1 &
  emulator_pid=$!
  until grep -q 'listening on' "$out/emulator.log"; do
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$out/emulator.log" >&2; exit 1; }
    sleep 1
  done
}

# measure STORE STAGE COMMAND...: runs the command under /usr/bin/time -v; its output goes to $out.
measure() {
  local store=$1 stage=$2
  shift 2
  echo "bench: $store $stage"
  cut -d' ' -f1 /proc/loadavg >"$out/$store.$stage.load"
  if ! /usr/bin/time -v -o "$out/$store.$stage.time" "$@" >"$out/$store.$stage.out" 2>"$out/$store.$stage.err"; then
    echo "bench: $store $stage failed:" >&2
    tail -n 20 "$out/$store.$stage.err" "$out/$store.$stage.out" >&2
    exit 1
  fi
}

run_store() {
  local store=$1 settings=() first_db cycle_db pg_port=
  case "$store" in
    sqlite)
      first_db="Data Source=$out/sqlite-first.db"
      cycle_db="Data Source=$out/sqlite-cycle.db"
      settings=(--set LeadRouter:Database:Provider=Sqlite) ;;
    postgres)
      # shellcheck source=services/postgres.sh
      source scripts/services/postgres.sh
      if [ "$postgres_started" = 0 ]; then
        LEADROUTER_TEST_WORK=$test_work postgres_start >/dev/null
        postgres_started=1
      fi
      pg_port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$LEADROUTER_TEST_POSTGRES")
      for db in bench_first bench_cycle; do
        PGOPTIONS=--client-min-messages=warning psql -h 127.0.0.1 -p "$pg_port" -U postgres -q \
          -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
      done
      first_db="${LEADROUTER_TEST_POSTGRES/Database=leadrouter_test/Database=bench_first}"
      cycle_db="${LEADROUTER_TEST_POSTGRES/Database=leadrouter_test/Database=bench_cycle}"
      settings=(--set LeadRouter:Database:Provider=Postgres) ;;
    *) echo "bench.sh: --stores takes sqlite and postgres, not '$store'" >&2; exit 2 ;;
  esac
  start_emulator
  settings+=(
    --set "LeadRouter:Salesforce:LoginUrl=http://127.0.0.1:$port/"
    --set LeadRouter:Salesforce:AuthFlow=UsernamePassword
    --set LeadRouter:Salesforce:ClientId=leadrouter-emulator-client
    --set LeadRouter:Salesforce:ClientSecret=emulator-client-secret
    --set LeadRouter:Salesforce:Username=integration@leadrouter.test
    --set LeadRouter:Salesforce:Password=emulator-password
    --set LeadRouter:Messaging:Transport=InMemory
    --set "LeadRouter:RulesFile=$root/src/LeadRouter.Core/Rules/routing-rules.example.jsonc"
    --set "LeadRouter:DigestFolder=$out/digests-$store"
  )
  local first=(--set "LeadRouter:Database:ConnectionString=$first_db") cycle=(--set "LeadRouter:Database:ConnectionString=$cycle_db")
  measure "$store" migrate $leadrouter migrate "${settings[@]}" "${first[@]}"
  measure "$store" sync $leadrouter sync --as-of "$as_of" --json "${settings[@]}" "${first[@]}"
  measure "$store" score $leadrouter score --as-of "$as_of" "${settings[@]}" "${first[@]}"
  measure "$store" route-dry-run $leadrouter route --dry-run --as-of "$as_of" "${settings[@]}" "${first[@]}"
  measure "$store" simulate $leadrouter simulate --rules "$root/src/LeadRouter.Core/Rules/routing-rules.example.jsonc" --weeks 4 \
    --as-of "$as_of" "${settings[@]}" "${first[@]}"
  case "$store" in
    sqlite) stat -c %s "$out/sqlite-first.db" >"$out/$store.dbsize" ;;
    postgres) psql -h 127.0.0.1 -p "$pg_port" -U postgres -At -c "SELECT pg_database_size('bench_first')" >"$out/$store.dbsize" ;;
  esac
  measure "$store" cycle $leadrouter cycle --as-of "$as_of" "${settings[@]}" "${first[@]}"
  # The steady state: the next week's run supersedes the pending recommendations of the last.
  measure "$store" next-week-cycle $leadrouter cycle --as-of "$next_week" "${settings[@]}" "${first[@]}"
  if [ "$first_cycle" = 1 ]; then
    start_emulator
    $leadrouter migrate "${settings[@]}" "${cycle[@]}" >/dev/null
    measure "$store" first-cycle $leadrouter cycle --as-of "$as_of" "${settings[@]}" "${cycle[@]}"
  fi
}

IFS=, read -ra store_list <<<"$stores"
for store in "${store_list[@]}"; do
  run_store "$store"
done

if [ "$jsforce" = 1 ]; then
  jsforce_dir=tests/LeadRouter.Benchmarks/jsforce
  [ -d "$jsforce_dir/node_modules/jsforce" ] || (cd "$jsforce_dir" && npm ci --no-audit --no-fund --loglevel=error)
  start_emulator
  dotnet "$benchmarks_dll" sync-queries --as-of "$as_of" >"$out/queries.txt"
  measure jsforce pull env EMULATOR_URL="http://127.0.0.1:$port/" SF_USERNAME=integration@leadrouter.test \
    SF_PASSWORD=emulator-password SF_CLIENT_ID=leadrouter-emulator-client SF_CLIENT_SECRET=emulator-client-secret \
    QUERIES_FILE="$out/queries.txt" node "$jsforce_dir/pull.mjs"
fi

if [ "$publish" = 1 ]; then
  # shellcheck source=services/rabbitmq.sh
  source scripts/services/rabbitmq.sh
  LEADROUTER_TEST_WORK=$test_work rabbitmq_start >/dev/null
  rabbitmq_started=1
  measure rabbitmq publish dotnet "$benchmarks_dll" publish-compare --messages 20000
fi

dotnet "$benchmarks_dll" bench-report "$out"
