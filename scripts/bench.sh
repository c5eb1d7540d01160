#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks in Release. Arguments go to BenchmarkDotNet, e.g.
#   scripts/bench.sh --filter '*Trust*'            (one group)
#   scripts/bench.sh --filter '*' --job short      (everything, quicker and rougher)
# With no arguments every benchmark runs with BenchmarkDotNet's default job.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
[ $# -gt 0 ] || set -- --filter '*'
exec dotnet run -c Release --project tests/LeadRouter.Benchmarks -- "$@"
