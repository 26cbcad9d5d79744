#!/usr/bin/env bash
# Specification-curve inference at scale (issue 13.2): 1,000 specifications × 500 null draws (500,000 refits)
# on the synthetic 286 × 10 city panel (bench/grid/curve1k.yaml), embedded (`de run`, in-process silo) and on
# 2 local silos (deploy/local-cluster.sh start 2 + `de run --redis`). Times the whole command with the shell
# clock ($EPOCHREALTIME) and prints the infer stage's time from the manifest; checks that
# curve_inference.parquet is byte-identical in both. Needs redis-server (apt) for the cluster run.
#   bench/curve_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
[ -e client/bin/Release/net10.0/de.dll ] || dotnet build -c Release client >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll)
[ -s "$out/cities.csv" ] || "${de[@]}" generate cities --out "$out/cities.csv" >/dev/null
export DE_STATE=${DE_STATE:-$PWD/$out/cluster-state} DE_REDIS_PORT=${DE_REDIS_PORT:-6391}
trap 'bash deploy/local-cluster.sh stop >/dev/null 2>&1 || true' EXIT
rm -rf "$out/curve"; mkdir -p "$out/curve"

timed() { # label dir [--redis …]
  local label=$1 dir=$2; shift 2
  local t0=$EPOCHREALTIME
  "${de[@]}" run bench/grid/curve1k.yaml --out "$dir" "$@" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; exit 1; }
  local t1=$EPOCHREALTIME
  local infer
  infer=$(python3 -c "import json,glob; print(json.load(open(glob.glob('$dir/*/*/manifest.json')[0]))['timings_ms']['infer']/1000)")
  printf '%-10s whole command %7.2f s   infer stage %7.2f s\n' "$label" "$(echo "$t1 - $t0" | bc)" "$infer"
}

timed embedded "$out/curve/embedded"
bash deploy/local-cluster.sh start 2 >/dev/null
redis=$(sed -n 's/^DE_REDIS=//p' "$DE_STATE/redis.env")
timed silos2 "$out/curve/silos2" --redis "$redis"
cmp "$out"/curve/embedded/*/*/curve_inference.parquet "$out"/curve/silos2/*/*/curve_inference.parquet && echo "curve_inference.parquet identical embedded and on 2 silos"
python3 -c "import json,glob; print('summary:', json.dumps(json.load(open(glob.glob('$out/curve/embedded/*/*/manifest.json')[0]))['curve_inference']))"
echo "1,000 specifications × 500 draws, 286 × 10 city panel, $(nproc) cores (whole = process start to exit)"
