#!/usr/bin/env bash
# Runs every test of the solution after installing what the tests need:
# - redis-server (Debian): the cluster tests start their own on 127.0.0.1 and a free port, and stop it;
# - Node.js + npm (Debian) and, from npm (versions locked by tests/interop/package-lock.json),
#   @duckdb/node-api and parquet-wasm + apache-arrow: the independent Parquet readers/writers
#   (DuckDB, arrow-rs) of the interoperability tests;
# - for the reporting tests (Debian, without recommends): fonts-noto-cjk (Chinese in charts), chromium
#   (the HTML table is screenshotted headless), texlive-latex-extra + texlive-xetex + texlive-lang-chinese
#   (the .tex table is compiled with xelatex and xeCJK). Measured on this machine kind: about 3 min 50 s
#   added when none of them is installed (2 min 2 s for the first four with apt-get update, 1 min 45 s for
#   texlive-lang-chinese).
# Usage: bash scripts/test.sh            everything
#        bash scripts/test.sh --fast     everything but the cluster lane (Orleans test clusters, silo processes)
# Further arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=()
if [ "${1:-}" = "--fast" ]; then shift; filter=(--filter "Lane!=cluster"); fi
missing=()
reporting=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || reporting+=(chromium)
fc-list 2>/dev/null | grep -q "Noto Sans CJK SC" || reporting+=(fonts-noto-cjk)
command -v xelatex >/dev/null 2>&1 || reporting+=(texlive-xetex)
kpsewhich threeparttable.sty >/dev/null 2>&1 || reporting+=(texlive-latex-extra)
kpsewhich xeCJK.sty >/dev/null 2>&1 || reporting+=(texlive-lang-chinese)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing from apt: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian may start a Redis service on install; the tests start their own, loopback-only.
  if [[ " ${missing[*]} " == *" redis-server "* ]]; then (service redis-server stop || pkill -x redis-server || true) >/dev/null 2>&1; fi
fi
if [ ${#reporting[@]} -gt 0 ]; then
  echo "installing from apt (without recommends): ${reporting[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${reporting[@]}" >/dev/null
fi
if [ ! -d tests/interop/node_modules/@duckdb/node-api ] || [ ! -d tests/interop/node_modules/parquet-wasm ]; then
  # npm install (not ci): the registry copy lacks the other platforms' optional bindings, so the
  # lock file cannot list them and npm ci refuses it; install still keeps the locked versions.
  # npm install also writes those other platforms' bindings into the lock file; put the committed lock back, so a
  # test run leaves the checkout as it found it (the installed versions are the locked ones either way).
  (set +e; cd tests/interop && cp package-lock.json package-lock.json.committed || exit 1
   npm install --no-audit --no-fund --loglevel=error; rc=$?
   mv package-lock.json.committed package-lock.json; exit $rc)
fi
dotnet test DigitalEconomy.sln -c Release --nologo "${filter[@]}" "$@"
