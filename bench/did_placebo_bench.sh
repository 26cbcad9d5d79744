#!/usr/bin/env bash
# Placebo test of a two-way FE DID on the shipped 286-city panel (examples/cities.csv, pilot cohorts 2015-2019),
# outcome tfp with 4 covariates, city + year FE: 1,000 random reassignments of the pilot (cohort sizes kept) by core's
# fast draws, side by side with a loop of full refits through the fit pipeline (100 draws, extrapolated), in one
# Release process (bench/did_placebo_bench.cs). Then the whole `de did --placebo 1000` process (start-up and loading
# included) beside the same command without the placebo.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release client >/dev/null
dotnet run -c Release --project bench -- --did-placebo examples/cities.csv 1000
cmd=(dotnet client/bin/Release/net10.0/de.dll did --data examples/cities.csv --unit city --time year --outcome tfp --cohort pilot_year --covariates lngdp,gov,fin,openness)
for i in 1 2 3; do
  s=$EPOCHREALTIME; "${cmd[@]}" >/dev/null; m=$EPOCHREALTIME
  "${cmd[@]}" --placebo 1000 >/dev/null 2>&1; e=$EPOCHREALTIME
  printf 'whole process, run %d: de did %.2f s, with --placebo 1000 %.2f s\n' "$i" "$(echo "$m - $s" | bc)" "$(echo "$e - $m" | bc)"
done
