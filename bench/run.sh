#!/usr/bin/env bash
# Measures the two-way FE + clustered SE fit (286 cities x 10 years, 7 regressors) with
# BenchmarkDotNet and the same fit in R plm on the same data, and prints the ratio.
# Needs R with plm: apt-get install -y r-base-core r-cran-plm
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
# Its own file name: bench/out/cities.csv is the `de generate cities` panel that grid_bench.sh and curve_bench.sh
# read (with a region column), and this 7-regressor panel written there made them fail.
dotnet run -c Release --project bench -- --write-panel "$out/cities7.csv" >/dev/null
dotnet run -c Release --project bench -- --filter '*TwoWayFe*' --exporters csv --artifacts "$out/bdn" > "$out/bdn.log"
ours_ns=$(python3 - "$out" <<'PY'
import csv, glob, sys
f = glob.glob(sys.argv[1] + "/bdn/results/*TwoWayFe*-report.csv")[0]
row = next(csv.DictReader(open(f)))
m = row["Mean"].replace(",", "")
val, unit = m.split()
print(float(val) * {"ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}[unit])
PY
)
plm_line=$(Rscript bench/plm_bench.R "$out/cities7.csv" 50 | tee "$out/plm.log" | tail -1)
plm_ms=$(echo "$plm_line" | sed -E 's/plm: ([0-9.]+) ms.*/\1/')
python3 - "$ours_ns" "$plm_ms" <<'PY'
import sys
ours_ms = float(sys.argv[1]) / 1e6
plm_ms = float(sys.argv[2])
print(f"DigitalEconomy: {ours_ms:.3f} ms per fit (BenchmarkDotNet mean)")
print(f"R plm:          {plm_ms:.3f} ms per fit")
print(f"ratio plm/ours: {plm_ms / ours_ms:.0f}x")
PY
