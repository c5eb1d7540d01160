#!/usr/bin/env bash
# THE test command: builds the solution with zero warnings, starts the private services the
# integration tests need on loopback ports, runs every test and ends with one plain line
# "N passed, N failed, N skipped".
#
# Services: each scripts/services/NAME.sh defines NAME_start and NAME_stop. start installs the
# server when missing (apt-get, as root), starts a private instance in a temporary folder on a
# loopback port and exports the LEADROUTER_TEST_* variable the tests read; stop tears it down.
# A test whose service is not configured reports itself as skipped, never as passed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$(mktemp -d "${TMPDIR:-/tmp}/leadrouter-test.XXXXXX")
export LEADROUTER_TEST_WORK=$work

started=()
cleanup() {
  local s
  for s in "${started[@]}"; do "${s}_stop" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build LeadRouter.sln -c Release -warnaserror -nologo -v q -clp:NoSummary

for f in scripts/services/*.sh; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .sh)
  # shellcheck source=/dev/null
  source "$f"
  echo "starting $name"
  "${name}_start"
  started+=("$name")
done

results="$work/results"
set +e
dotnet test LeadRouter.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?
set -e

# Sum the counters of every test run (one .trx per test project).
trx_sum() {
  local attr=$1 total=0 n f
  for f in "$results"/*.trx; do
    [ -e "$f" ] || continue
    n=$(grep -o "<Counters [^>]*" "$f" | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}
passed=$(trx_sum passed)
failed=$(( $(trx_sum failed) + $(trx_sum error) + $(trx_sum timeout) + $(trx_sum aborted) ))
# NUnit's ignored tests (Assert.Ignore, a missing service) are in the total but neither passed nor failed.
skipped=$(( $(trx_sum total) - passed - failed ))
trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without reporting a failed test (a crash, a missing project): count it.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$trx_count" -gt 0 ] && [ "$failed" -eq 0 ]
