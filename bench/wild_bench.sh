#!/usr/bin/env bash
# Wild cluster bootstrap on the 286-city x 10-year panel with city + year FE, clustered by city, one coefficient,
# B = 9,999 (WCR, Rademacher): the fast algorithm after the data are loaded (median of 7 in-process runs) and,
# side by side in the same run, a refit per draw (Estimation.Fit on y*) for 199 draws extrapolated to 9,999.
# Then the whole `de estimate --wild` process (start-up and loading included) beside the same estimate without it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
dotnet build -c Release client >/dev/null
dotnet client/bin/Release/net10.0/de.dll generate cities --out "$out/cities_wild.csv" >/dev/null
dotnet run -c Release --project bench -- --wild "$out/cities_wild.csv" 9999
# Whole process (start-up, JIT and loading included): the estimate with --wild against the same estimate without it.
est=(dotnet client/bin/Release/net10.0/de.dll estimate 'log(gdp_pc) ~ dfi_index + urbanisation + gov + fin | city + year' --data "$out/cities_wild.csv" --unit city --time year --vcov cluster:city)
for i in 1 2 3; do
  s=$EPOCHREALTIME; "${est[@]}" >/dev/null; m=$EPOCHREALTIME
  "${est[@]}" --wild dfi_index=0 --reps 9999 >/dev/null; e=$EPOCHREALTIME
  printf 'whole process, run %d: without --wild %.2f s, with --wild (B = 9,999) %.2f s\n' "$i" "$(echo "$m - $s" | bc)" "$(echo "$e - $m" | bc)"
done
