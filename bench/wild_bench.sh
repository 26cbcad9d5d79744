#!/usr/bin/env bash
# Wild cluster bootstrap on the 286-city x 10-year panel with city + year FE, clustered by city, one coefficient,
# B = 9,999 (WCR, Rademacher): the fast algorithm after the data are loaded (median of 7 in-process runs) and,
# side by side in the same run, a refit per draw (Estimation.Fit on y*) for 199 draws extrapolated to 9,999.
# Then the whole `de estimate --wild` process (start-up and loading included) with farm-bench when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
dotnet build -c Release client >/dev/null
dotnet client/bin/Release/net10.0/de.dll generate cities --out "$out/cities_wild.csv" >/dev/null
dotnet run -c Release --project bench -- --wild "$out/cities_wild.csv" 9999
if command -v farm-bench >/dev/null; then
  # Whole process (start-up, JIT and loading included): estimate with --wild (A) against the same estimate without it (B).
  de="dotnet client/bin/Release/net10.0/de.dll estimate 'log(gdp_pc) ~ dfi_index + urbanisation + gov + fin | city + year' --data $out/cities_wild.csv --unit city --time year --vcov cluster:city"
  farm-bench -n 5 --vs "sh -c \"exec $de >/dev/null\"" -- sh -c "exec $de --wild dfi_index=0 --reps 9999 >/dev/null"
fi
