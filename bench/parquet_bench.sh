#!/usr/bin/env bash
# Parquet throughput: 1,000,000 rows x 10 columns (8 doubles, 1 int, 1 low-cardinality string), SNAPPY,
# written and read by our code (Parquet.Net 6.1.0 with the store's writer options) and by DuckDB's COPY
# on the same machine and data, side by side in one run. Ours reads three ways (column API, column API
# in parallel, high-level serializer) and the fastest is compared. Timings are in-process, best of 5
# after a warm-up. Needs node and tests/interop/node_modules (bash scripts/test.sh installs them).
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
path = re.search(r"read_path=(\S+)", o).group(1)
for name, d in (("DuckDB 1 thread", d1), ("DuckDB all cores", dn)):
    print(f"write: ours/{name} = {v(o,'write_ms')/v(d,'write_ms'):.2f}   read ({path}): ours/{name} = {v(o,'read_ms')/v(d,'read_ms'):.2f}  (time ratios; > 1 means ours is slower)")
PY
