#!/usr/bin/env bash
# Hansen threshold tests on a generated panel of 565 units x 15 periods (one threshold variable q; regressors x1, x2, x3
# and the regime-dependent z: 4 regressors), single, double and triple threshold tests with B = 1,000 draws each
# (qn = 400, trim 0.01), side by side in one run:
#   1. in process (bench --threshold): the cumulative-sum search beside the refit-per-candidate search of the same code
#      path (ThresholdOptions.RefitPerCandidate), the latter timed on 3 draws per test and extrapolated to 1,000;
#   2. the whole `de threshold` process (start-up and loading included), one thread;
#   3. an embedded study run (`de run`, in-process silo) whose threshold analysis sends the draws to the compute
#      grain in blocks of 100 (both cores).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out; mkdir -p "$out"
dotnet build -c Release client >/dev/null
dotnet build -c Release bench >/dev/null
data="$out/threshold_panel.csv"
rm -f "$data"
dotnet bench/bin/Release/net10.0/DigitalEconomy.Benchmarks.dll --threshold "$data" 1000 3
s=$EPOCHREALTIME
dotnet client/bin/Release/net10.0/de.dll threshold 'y ~ x1 + x2 + x3' --threshold-var q --regime z --thresholds 3 --reps 1000 \
  --data "$data" --unit unit --time year > "$out/threshold_cli.txt" 2>/dev/null
e=$EPOCHREALTIME
printf 'whole process, de threshold (K = 3, B = 1,000 per test): %.2f s\n' "$(echo "$e - $s" | bc)"
head -5 "$out/threshold_cli.txt"
cat > "$out/threshold_bench.yaml" <<YAML
name: threshold_bench
seed: 1
dataset: { path: threshold_panel.csv, unit: unit, time: year }
baseline: { outcome: y, treatment: z, controls: [x1, x2, x3], fe: unit, vcov: cluster:unit }
analyses:
  - { name: threshold, type: threshold, threshold_var: q, thresholds: 3, reps: 1000, chunk: 100 }
YAML
rm -rf "$out/threshold_runs"
s=$EPOCHREALTIME
dotnet client/bin/Release/net10.0/de.dll run "$out/threshold_bench.yaml" --out "$out/threshold_runs" >/dev/null 2>&1
e=$EPOCHREALTIME
printf 'whole process, embedded de run of a study with the threshold analysis (K = 3, B = 1,000 per test, blocks of 100): %.2f s\n' "$(echo "$e - $s" | bc)"
sed -n '1,9p' "$out"/threshold_runs/threshold_bench/*/tables/threshold.md
