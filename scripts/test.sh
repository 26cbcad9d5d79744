#!/usr/bin/env bash
# Runs every test of the solution, after installing what the tests need:
# - Node.js + npm (Debian) and @duckdb/node-api (npm, versions locked by tests/interop/package-lock.json),
#   the independent Parquet reader/writer of the interoperability tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing nodejs and npm from apt"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -d tests/interop/node_modules/@duckdb/node-api ]; then
  # npm install (not ci): the registry copy lacks the other platforms' optional bindings, so the
  # lock file cannot list them and npm ci refuses it; install still keeps the locked versions.
  (cd tests/interop && npm install --no-audit --no-fund --loglevel=error)
fi
dotnet test DigitalEconomy.sln -c Release --nologo "$@"
