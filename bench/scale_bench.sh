#!/usr/bin/env bash
# The 1,000,000-row comparison of issue 27, side by side with R fixest in one run: the whole command a user runs
# (de estimate vs Rscript with library(fixest) + fread + feols, both with cluster SE), in alternating pairs, each
# pair's wall time and peak memory (/usr/bin/time -v) and the ratio de / fixest with its min, median and max.
# Data: fixest's published benchmark shape (bench/scale_fixest.R gen: 3 fixed effects with 50,000 / 1,000 / 95
# levels, 2 regressors), written to bench/out/scale1m.csv once.
# Needs R with data.table and fixest 0.12.2. CRAN may not be reachable: install R from Debian
#   apt-get install -y --no-install-recommends r-base-core r-base-dev r-cran-rcpp r-cran-sandwich r-cran-nlme \
#     r-cran-numderiv r-cran-formula r-cran-data.table r-cran-matrix
# then build lrberge/stringmagic, lrberge/dreamerr and lrberge/fixest from their public sources with
# `R CMD INSTALL` in that order (fixest: about 4 minutes of C++ on 2 cores).
# Usage: bash bench/scale_bench.sh [PAIRS] [FIXEST_THREADS]   (defaults 5 pairs, fixest on 2 threads)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}; threads=${2:-2}
out=bench/out; mkdir -p "$out"
data="$out/scale1m.csv"
command -v Rscript >/dev/null || { echo "scale_bench: Rscript not found; set up R and fixest as this script's header says" >&2; exit 2; }
[ -s "$data" ] || Rscript bench/scale_fixest.R gen 1000000 "$data"
dotnet build client -c Release -v q >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll estimate "y ~ x1 + x2 | unit + dum_2 + dum_3" --data "$data" --unit unit --time t --vcov cluster:unit)
fx=(Rscript bench/scale_fixest.R fit "$data" "$threads")
source bench/pairs.sh
"${de[@]}" >/dev/null; "${fx[@]}" >/dev/null # warm-up: disk cache, JIT-free R start
echo "pair  de_s  de_MiB  fixest_s  fixest_MiB  ratio"
rows=()
for i in $(seq 1 "$pairs"); do
  read -r dw dm < <(measure "${de[@]}")
  read -r fw fm < <(measure "${fx[@]}")
  r=$(python3 -c "print(f'{$dw/$fw:.3f}')")
  echo "$i  $dw  $dm  $fw  $fm  $r"; rows+=("$dw $dm $fw $fm $r")
done
printf '%s\n' "${rows[@]}" | summarise
