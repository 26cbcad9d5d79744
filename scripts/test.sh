#!/usr/bin/env bash
# Runs every test of the solution after installing what the tests need:
# - redis-server (Debian): the cluster tests start their own on 127.0.0.1 and a free port, and stop it;
# - Node.js + npm (Debian) and, from npm (versions locked by tests/interop/package-lock.json),
#   @duckdb/node-api and parquet-wasm + apache-arrow: the independent Parquet readers/writers
#   (DuckDB, arrow-rs) of the interoperability tests.
# Usage: bash scripts/test.sh            everything
#        bash scripts/test.sh --fast     everything but the cluster lane (Orleans test clusters, silo processes)
# Further arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=()
if [ "${1:-}" = "--fast" ]; then shift; filter=(--filter "Lane!=cluster"); fi
missing=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from apt: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian may start a Redis service on install; the tests start their own, loopback-only.
  if [[ " ${missing[*]} " == *" redis-server "* ]]; then (service redis-server stop || pkill -x redis-server || true) >/dev/null 2>&1; fi
fi
if [ ! -d tests/interop/node_modules/@duckdb/node-api ] || [ ! -d tests/interop/node_modules/parquet-wasm ]; then
  # npm install (not ci): the registry copy lacks the other platforms' optional bindings, so the
  # lock file cannot list them and npm ci refuses it; install still keeps the locked versions.
  (cd tests/interop && npm install --no-audit --no-fund --loglevel=error)
fi
dotnet test DigitalEconomy.sln -c Release --nologo "${filter[@]}" "$@"
