#!/usr/bin/env bash
# The 1,000,000-row comparison of issue 27, side by side with R fixest in one run: the whole command a user runs
# (de estimate vs Rscript with library(fixest) + fread + feols, both with cluster SE), in alternating pairs, each
# pair's wall time and peak memory (/usr/bin/time -v) and the ratio de / fixest with its min, median and max.
# Data: fixest's published benchmark shape (../shared/bench/fixest/gen_scale.R: 3 fixed effects with 50,000 / 1,000 /
# 95 levels, 2 regressors), written to bench/out/scale1m.csv once.
# Needs R with data.table and fixest: see ../shared/bench/fixest/README.md (about 6 minutes to set up).
# Usage: bash bench/scale_bench.sh [PAIRS] [FIXEST_THREADS]   (defaults 5 pairs, fixest on 2 threads: mode whole2)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}; threads=${2:-2}
peer=../shared/bench/fixest
out=bench/out; mkdir -p "$out"
data="$out/scale1m.csv"
command -v Rscript >/dev/null || { echo "scale_bench: Rscript not found; set up R and fixest as in $peer/README.md" >&2; exit 2; }
[ -s "$data" ] || Rscript "$peer/gen_scale.R" 1000000 "$data"
dotnet build client -c Release -v q >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll estimate "y ~ x1 + x2 | unit + dum_2 + dum_3" --data "$data" --unit unit --time t --vcov cluster:unit)
fx=(Rscript "$peer/scale_fixest.R" "$data" "whole$threads")
measure() { # prints "wall_seconds peak_MiB" of one whole process
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  python3 - "$log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
h, m, s = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t).groups()
wall = int(h or 0) * 3600 + int(m) * 60 + float(s)
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
print(f"{wall:.3f} {rss:.0f}")
PY
  rm -f "$log"
}
"${de[@]}" >/dev/null; "${fx[@]}" >/dev/null # warm-up: disk cache, JIT-free R start
echo "pair  de_s  de_MiB  fixest_s  fixest_MiB  ratio"
rows=()
for i in $(seq 1 "$pairs"); do
  read -r dw dm < <(measure "${de[@]}")
  read -r fw fm < <(measure "${fx[@]}")
  r=$(python3 -c "print(f'{$dw/$fw:.3f}')")
  echo "$i  $dw  $dm  $fw  $fm  $r"; rows+=("$dw $dm $fw $fm $r")
done
printf '%s\n' "${rows[@]}" | python3 -c "
import sys, statistics as st
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
for k, name in enumerate(['de wall s', 'de peak MiB', 'fixest wall s', 'fixest peak MiB', 'de / fixest wall']):
    v = [r[k] for r in rows]; print(f'{name:18s} min {min(v):.3f}  median {st.median(v):.3f}  max {max(v):.3f}')"
