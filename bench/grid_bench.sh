#!/usr/bin/env bash
# Grid throughput on Orleans: a 10,000-specification study (bench/grid/cities10k.yaml) on the synthetic
# 286 × 10 city panel, run embedded (`de run`, in-process silo; from the build folder and installed by
# scripts/install.sh into bench/out/install) and on 1 and 2 local silos
# (deploy/local-cluster.sh + `de run --redis`), with 100 specifications per batch (one grain call) and
# with 1, which gives the Orleans messaging cost per call.
#   bench/grid_bench.sh            REPS=3 runs per configuration (REPS_B1=1 for the 1-per-batch runs)
# Every repetition writes to a fresh --out (an existing complete run would return at once).
# Two times per run: the whole command (process start to exit) and the run itself (from the first
# progress line, when the silo or the cluster client is up and the run grain started, to the summary
# line on stdout, when the run grain reported completion). Needs redis-server (apt) for the cluster runs.
# The generator has no size option (`de generate cities` is 286 × 2013–2022), so there is no 2,860-city run.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${REPS:-3}; reps_b1=${REPS_B1:-1}
out=bench/out; mkdir -p "$out"
[ -e client/bin/Release/net10.0/de.dll ] || dotnet build -c Release client >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll)
# `de` as scripts/install.sh installs it (ReadyToRun: compiled ahead of time, so a command does not wait for the JIT),
# into bench/out/install: the embedded whole command is measured with it as well as with the build folder's de.dll.
PREFIX="$PWD/$out/install" bash scripts/install.sh >/dev/null
de_build=("${de[@]}") de_installed=(dotnet "$PWD/$out/install/lib/de/de.dll")
[ -s "$out/cities.csv" ] || "${de[@]}" generate cities --out "$out/cities.csv" >/dev/null
sed 's/^batch_size: 100/batch_size: 1/; s/^name: bench_cities/name: bench_cities_b1/' bench/grid/cities10k.yaml > bench/grid/cities10k_b1.yaml
specs=10000
export DE_STATE=${DE_STATE:-$PWD/$out/cluster-state} DE_REDIS_PORT=${DE_REDIS_PORT:-6390}
trap 'bash deploy/local-cluster.sh stop >/dev/null 2>&1 || true' EXIT
rows=()

# One timed run: prints "whole run" in seconds.
timed() { # study out [--redis …]
  local study=$1 dir=$2; shift 2
  local t0 first="" last=""
  t0=$EPOCHREALTIME
  while IFS= read -r line; do
    case "$line" in
      prepare*|indices*|estimate*|resample*) [ -z "$first" ] && first=$EPOCHREALTIME ;;
      run\ r*specifications*) last=$EPOCHREALTIME ;;
      error*) echo "$line" >&2 ;;
    esac
  done < <("${de[@]}" run "$study" --out "$dir" "$@" 2>&1)
  local t1=$EPOCHREALTIME
  [ -n "$first" ] && [ -n "$last" ] || { echo "run of $study in $dir did not complete" >&2; exit 1; }
  grep -q '"status": "complete"' "$dir"/*/*/manifest.json || { echo "no complete manifest in $dir" >&2; exit 1; }
  echo "$(echo "$t1 - $t0" | bc) $(echo "$last - $first" | bc)"
}

# REPS runs of one configuration; prints a summary row (median of whole and run-only, min–max of run-only).
series() { # label study n …args
  local label=$1 study=$2 n=$3; shift 3
  local wholes=() runs=()
  for i in $(seq 1 "$n"); do
    local dir="$out/grid/$label-$i-$$"; rm -rf "$dir"
    read -r w r < <(timed "$study" "$dir" "$@")
    wholes+=("$w"); runs+=("$r")
    cmp -s "$dir"/*/*/specs.parquet "$out/grid/reference.parquet" || { echo "$label: specs.parquet differs from the embedded run" >&2; exit 1; }
    rm -rf "$dir"
  done
  local wm rm rmin rmax
  wm=$(printf '%s\n' "${wholes[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  rm=$(printf '%s\n' "${runs[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  rmin=$(printf '%s\n' "${runs[@]}" | sort -g | head -1); rmax=$(printf '%s\n' "${runs[@]}" | sort -g | tail -1)
  rows+=("$(printf '%-26s %3d %9.2f %9.2f %8.0f %8.0f   %.2f–%.2f' "$label" "$n" "$wm" "$rm" "$(echo "$specs / $wm" | bc -l)" "$(echo "$specs / $rm" | bc -l)" "$rmin" "$rmax")")
  eval "med_${label//[^a-z0-9]/_}=$rm"
}

rm -rf "$out/grid"; mkdir -p "$out/grid"
# The reference bytes (and a warm-up of the file cache and the JIT's disk files).
d="$out/grid/reference-run"; "${de[@]}" run bench/grid/cities10k.yaml --out "$d" >/dev/null 2>&1
cp "$d"/*/*/specs.parquet "$out/grid/reference.parquet"
calls100=$(grep -o '"batches": [0-9]*' "$d"/*/*/manifest.json | grep -o '[0-9]*$'); rm -rf "$d"
d="$out/grid/reference-b1"; "${de[@]}" run bench/grid/cities10k_b1.yaml --out "$d" >/dev/null 2>&1
cmp -s "$d"/*/*/specs.parquet "$out/grid/reference.parquet" || echo "note: the 1-per-batch run's specs.parquet differs from the 100-per-batch run's" >&2
cp "$d"/*/*/specs.parquet "$out/grid/reference-b1.parquet"; rm -rf "$d"

series embedded_b100 bench/grid/cities10k.yaml "$reps"
de=("${de_installed[@]}")
series embedded_installed_b100 bench/grid/cities10k.yaml "$reps"
de=("${de_build[@]}")
mv "$out/grid/reference.parquet" "$out/grid/r100.parquet"; cp "$out/grid/reference-b1.parquet" "$out/grid/reference.parquet"
series embedded_b1 bench/grid/cities10k_b1.yaml "$reps_b1"
for silos in 1 2; do
  bash deploy/local-cluster.sh start "$silos" >/dev/null
  redis=$(sed -n 's/^DE_REDIS=//p' "$DE_STATE/redis.env")
  cp "$out/grid/r100.parquet" "$out/grid/reference.parquet"
  series "silos${silos}_b100" bench/grid/cities10k.yaml "$reps" --redis "$redis"
  cp "$out/grid/reference-b1.parquet" "$out/grid/reference.parquet"
  series "silos${silos}_b1" bench/grid/cities10k_b1.yaml "$reps_b1" --redis "$redis"
  bash deploy/local-cluster.sh stop >/dev/null
done

echo "10,000 specifications, 286 × 10 city panel, $(nproc) cores; medians of REPS runs (each on a fresh --out; specs.parquet compared with the embedded run's)"
printf '%-26s %3s %9s %9s %8s %8s   %s\n' configuration n "whole s" "run s" "specs/s" "run sp/s" "run min–max s"
printf '%s\n' "${rows[@]}"
for c in embedded silos1 silos2; do
  b100=$(eval echo "\$med_${c}_b100"); b1=$(eval echo "\$med_${c}_b1")
  # 10,000 calls with 1 per batch against the 100-per-batch run's calls (batches are formed within a sample/FE group).
  printf '%-9s messaging overhead: %.3f ms per extra grain call ((%s s - %s s) / (10000 - %s calls))\n' "$c" "$(echo "($b1 - $b100) * 1000 / (10000 - $calls100)" | bc -l)" "$b1" "$b100" "$calls100"
done
echo "(whole = process start to exit; run = first progress line to the completion line: the run grain's own time;"
echo " embedded_installed = the same command with de installed by scripts/install.sh, ReadyToRun; the other rows run client/bin/Release/net10.0/de.dll)"

# Scaling: the same 10,000-specification grid on 2,860 cities (28,600 rows) against 286, beside one fit on each panel.
[ -s "$out/cities2860.csv" ] || "${de[@]}" generate cities --cities 2860 --out "$out/cities2860.csv" >/dev/null
dotnet build -c Release bench >/dev/null
for panel in cities cities2860; do dotnet bench/bin/Release/net10.0/DigitalEconomy.Benchmarks.dll --fit "$out/$panel.csv"; done
for study in cities10k cities10k_2860; do
  d="$out/grid/scale-$study-$$"; rm -rf "$d"
  "${de[@]}" run "bench/grid/$study.yaml" --out "$d" >/dev/null 2>&1
  python3 - "$d" "$study" <<'PY'
import glob, json, sys
m = json.load(open(glob.glob(sys.argv[1] + "/*/*/manifest.json")[0]))
t = m["timings_ms"]
print(f"{sys.argv[2]:15s} estimate stage {t['estimate']/1000:6.2f} s   whole run {sum(t.values())/1000:6.2f} s   ({m['specifications']} specifications)")
PY
  rm -rf "$d"
done
echo "(scaling is fine when the estimate stage grows by no more than the single fit does)"
