#!/usr/bin/env bash
# 300 models on 200,000 rows (issue 27), side by side with R fixest in one run: the whole command a user runs — `de run`
# of bench/grid/many300.yaml (embedded; 10 outcomes x 3 nested control sets x 2 fixed-effect sets x 5 samples,
# cluster by unit, with its tables, charts, report and paper) against Rscript with library(fixest) + fread + fixest's
# multiple estimation of the same 300 models (bench/many_fixest.R) — in alternating pairs, each pair's wall time and
# peak memory (/usr/bin/time -v) and the ratio de / fixest with its min, median and max. Every de run writes to a fresh
# --out (a complete run would be returned at once).
# Data: 10,000 units x 20 years written to bench/out/many200k.csv once (bench/many_fixest.R gen).
# Needs R with data.table and fixest 0.12.2 (set-up: the header of bench/scale_bench.sh).
# Usage: bash bench/many_bench.sh [PAIRS] [FIXEST_THREADS]   (defaults 5 pairs, fixest on 2 threads)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}; threads=${2:-2}
out=bench/out; mkdir -p "$out"
data="$out/many200k.csv"
command -v Rscript >/dev/null || { echo "many_bench: Rscript not found; set up R and fixest as bench/scale_bench.sh's header says" >&2; exit 2; }
[ -s "$data" ] || Rscript bench/many_fixest.R gen 10000 "$data"
dotnet build client -c Release -v q >/dev/null
runs="$out/many_runs"; rm -rf "$runs"
de=(dotnet client/bin/Release/net10.0/de.dll run bench/grid/many300.yaml --out) # + a fresh folder per run
fx=(Rscript bench/many_fixest.R fit "$data" "$threads")
source bench/pairs.sh
"${de[@]}" "$runs/warm" >/dev/null; "${fx[@]}" >/dev/null # warm-up: disk cache, JIT-free R start
echo "pair  de_s  de_MiB  fixest_s  fixest_MiB  ratio"
rows=()
for i in $(seq 1 "$pairs"); do
  read -r dw dm < <(measure "${de[@]}" "$runs/$i")
  read -r fw fm < <(measure "${fx[@]}")
  r=$(python3 -c "print(f'{$dw/$fw:.3f}')")
  echo "$i  $dw  $dm  $fw  $fm  $r"; rows+=("$dw $dm $fw $fm $r")
done
printf '%s\n' "${rows[@]}" | summarise
rm -rf "$runs"
