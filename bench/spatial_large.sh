#!/usr/bin/env bash
# Spatial panels at county scale (issue 24, the sparse log-determinant): an SDM with unit and year fixed effects on a
# 56 × 50 rook lattice (2,800 units, row-standardised contiguity) × 20 years, timed as whole `de spatial --json`
# commands, paired: the eigen path (`--logdet eigen`: eigenvalues, dense n × n inverses) against the sparse path
# (`--logdet sparse`, what auto takes above 1,000 units: RCM envelope Cholesky, Brent + exact-derivative polish,
# Lanczos interval, traces by sparse solves), alternating which runs first, with peak memory from /usr/bin/time -v.
# No simulation draws (--draws 0): the draws' traces still come from the eigenvalues on both paths (docs/methods.md).
# The data are made here (Python, seeded): y = (I − 0.4W)⁻¹(x1 − 0.5·x2 + 0.3·W·x1 + μ_i + 0.05·t + e).
#   bench/spatial_large.sh            REPS=2 pairs; the figures are noisy on a shared 2-core machine
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${REPS:-2}
out=bench/out/spatial_large; mkdir -p "$out"
[ -e client/bin/Release/net10.0/de.dll ] || dotnet build -c Release client >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll)
python3 - "$out/lattice_w.csv" "$out/lattice_panel.csv" <<'PY'
import csv, math, random, sys
rows, cols, years = 56, 50, 20
n = rows * cols
name = lambda i: f"c{i // cols:02d}_{i % cols:02d}"
nb = [[] for _ in range(n)]
for r in range(rows):
    for c in range(cols):
        i = r * cols + c
        if c + 1 < cols: nb[i].append(i + 1); nb[i + 1].append(i)
        if r + 1 < rows: nb[i].append(i + cols); nb[i + cols].append(i)
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["from", "to"])
    for i in range(n):
        for j in nb[i]: w.writerow([name(i), name(j)])
lag = lambda v: [sum(v[j] for j in nb[i]) / len(nb[i]) for i in range(n)]
rng = random.Random(24)
mu = [rng.gauss(0, 1) for _ in range(n)]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["unit", "year", "y", "x1", "x2"])
    for t in range(years):
        x1 = [rng.gauss(0, 1) for _ in range(n)]
        x2 = [rng.gauss(0, 1) for _ in range(n)]
        wx1 = lag(x1)
        b = [x1[i] - 0.5 * x2[i] + 0.3 * wx1[i] + mu[i] + 0.05 * t + rng.gauss(0, 0.5) for i in range(n)]
        y = b[:]
        for _ in range(60):  # fixed point of y = 0.4·W·y + b: 0.4^60 is far below rounding
            wy = lag(y); y = [b[i] + 0.4 * wy[i] for i in range(n)]
        for i in range(n): w.writerow([name(i), 2001 + t, repr(y[i]), repr(x1[i]), repr(x2[i])])
PY
run() { # method rep
  /usr/bin/time -v -o "$out/$1_$2.time" "${de[@]}" spatial "y ~ x1 + x2" --w "$out/lattice_w.csv" --model sdm --effects twoways \
    --data "$out/lattice_panel.csv" --unit unit --time year --logdet "$1" --json > "$out/$1_$2.json"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/$1_$2.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$out/$1_$2.time")
  printf 'rep %d  %-6s  wall %8s  peak RSS %6s MB\n' "$2" "$1" "$wall" "$rss"
}
for r in $(seq 1 "$reps"); do
  if (( r % 2 )); then run eigen "$r"; run sparse "$r"; else run sparse "$r"; run eigen "$r"; fi
done
python3 - "$out/eigen_1.json" "$out/sparse_1.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
rel = max(abs(x["estimate"] - y["estimate"]) / max(abs(x["estimate"]), 1e-300) for x, y in zip(a["coefficients"], b["coefficients"]))
rse = max(abs(x["std_error"] - y["std_error"]) / x["std_error"] for x, y in zip(a["coefficients"], b["coefficients"]))
print(f"N = {a['n']}, T = {a['t']}, rho eigen {a['coefficients'][0]['estimate']:.12f} sparse {b['coefficients'][0]['estimate']:.12f}; "
      f"max rel. diff estimates {rel:.2e}, SEs {rse:.2e}, logLik {abs(a['log_likelihood'] - b['log_likelihood']):.2e}")
PY
