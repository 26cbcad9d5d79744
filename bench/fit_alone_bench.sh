#!/usr/bin/env bash
# The fit alone at 1,000,000 rows (issue 27: "the fit alone <= 0.7x fixest's"), side by side in one run: de's
# Estimation.Fit in process (bench --scale-fit, after reading the CSV and building the panel once) against fixest's
# feols in R (bench/scale_fixest.R fitonly, after fread), each a warm-up fit and REPS timed fits, ROUNDS rounds
# alternating de and fixest; same data as bench/scale_bench.sh (bench/out/scale1m.csv, generated once).
# Usage: bash bench/fit_alone_bench.sh [ROUNDS] [REPS] [FIXEST_THREADS]   (defaults 3 rounds, 5 fits, 2 threads)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3} reps=${2:-5} threads=${3:-2}
out=bench/out; mkdir -p "$out"
csv=$out/scale1m.csv
[ -s "$csv" ] || Rscript bench/scale_fixest.R gen 1000000 "$csv"
dotnet build -c Release bench -v q -nologo >/dev/null
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  dotnet bench/bin/Release/net10.0/DigitalEconomy.Benchmarks.dll --scale-fit "$csv" "$reps"
  Rscript bench/scale_fixest.R fitonly "$csv" "$threads" "$reps"
done
echo "1,000,000 rows, 3 fixed effects (50,000 / 1,000 / 95 levels), cluster SE by unit; $(nproc) cores; fixest on $threads threads"
