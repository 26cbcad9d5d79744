#!/usr/bin/env bash
# Parquet throughput: 1,000,000 rows x 10 columns (8 doubles, 1 int, 1 low-cardinality string),
# SNAPPY, written and read by DigitalEconomy.Parquet and by DuckDB on the same machine and data.
# Needs node and tests/interop/node_modules (bash scripts/test.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/bench/out/parquet"; mkdir -p "$out"
ours=$(dotnet run -c Release --project bench -- --parquet "$out" 1000000 | tail -1)
duck1=$(node tests/interop/parquet_bench.mjs "$out" 1)
duckn=$(node tests/interop/parquet_bench.mjs "$out" "$(nproc)")
echo "$ours"; echo "$duck1"; echo "$duckn"
python3 - "$ours" "$duck1" "$duckn" <<'PY'
import sys, re
v = lambda s, k: float(re.search(k + r"=([0-9.]+)", s).group(1))
o, d1, dn = sys.argv[1:]
for name, d in (("DuckDB 1 thread", d1), ("DuckDB all cores", dn)):
    print(f"write: ours/{name} = {v(o,'write_ms')/v(d,'write_ms'):.2f}   read: ours/{name} = {v(o,'read_ms')/v(d,'read_ms'):.2f}  (time ratios; < 2 meets the target)")
PY
