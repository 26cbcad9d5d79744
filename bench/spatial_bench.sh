#!/usr/bin/env bash
# Spatial panels at city scale (issue 24): an SDM with city and year fixed effects on the synthetic 286 × 10 city
# panel (examples/cities.csv) with 1,000 simulation draws for the direct/indirect/total effects, timed side by side in
# one run: (1) `de spatial --json` (one-off, draws in process) and (2) `de run` of a study with the same model
# (embedded silo; the draws go to the compute grain in blocks of 250), whose analyses stage is read from the
# manifest. Target: under 5 s embedded. W: 5 nearest neighbours (symmetrised, row-standardised) of deterministic
# pseudo-coordinates per city (the synthetic cities have no geography); built by this script as an edge list.
#   bench/spatial_bench.sh            REPS=3 repetitions of each
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${REPS:-3}
out=bench/out/spatial; mkdir -p "$out"
[ -e client/bin/Release/net10.0/de.dll ] || dotnet build -c Release client >/dev/null
de=(dotnet client/bin/Release/net10.0/de.dll)
data=$PWD/examples/cities.csv
python3 - "$data" "$out/cities_knn.csv" <<'PY'
import csv, hashlib, math, sys
names = sorted({r["city"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))})
def xy(n):
    h = hashlib.sha256(n.encode("utf-8")).digest()
    return int.from_bytes(h[:4], "big") / 2**32, int.from_bytes(h[4:8], "big") / 2**32
p = {n: xy(n) for n in names}
edges = set()
for a in names:
    near = sorted((math.dist(p[a], p[b]), b) for b in names if b != a)[:5]
    for _, b in near: edges.add((a, b)); edges.add((b, a))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["from", "to"])
    for a, b in sorted(edges): w.writerow([a, b])
PY
cat > "$out/spatial_cities.yaml" <<YAML
name: bench_spatial
seed: 20261207
dataset: { path: $data, unit: city, time: year }
baseline: { outcome: lngdp, treatment: fin, controls: [gov, market, urbanisation], fe: city + year, vcov: cluster:city }
analyses:
  - { name: sdm, type: spatial, weights: [{ name: knn5, path: $PWD/$out/cities_knn.csv }], moran: [], models: [sdm], effects: twoways, draws: 1000, chunk: 250 }
YAML
now() { date +%s.%N; }
for r in $(seq 1 "$reps"); do
  t0=$(now)
  "${de[@]}" spatial "lngdp ~ fin + gov + market + urbanisation" --w "$out/cities_knn.csv" --model sdm --effects twoways \
    --data "$data" --unit city --time year --draws 1000 --json > "$out/oneoff.json"
  t1=$(now)
  rm -rf "$out/run$r"
  "${de[@]}" run "$out/spatial_cities.yaml" --out "$out/run$r" > "$out/run$r.log" 2>&1 || { cat "$out/run$r.log" >&2; exit 1; }
  t2=$(now)
  read -r stage publish prepare < <(python3 -c "import json,glob; t=json.load(open(glob.glob('$out/run$r/*/*/manifest.json')[0]))['timings_ms']; print(t['analyses']/1000, t['publish']/1000, t['prepare']/1000)")
  # The rest of the whole command is process start (~0.3 s) and the embedded silo's start and stop; publish includes
  # compiling paper.pdf when xelatex is on PATH.
  printf 'rep %d   de spatial (one-off, 1000 draws) %6.2f s   de run embedded: whole command %6.2f s, analyses stage %6.2f s, publish %6.2f s, prepare %6.2f s\n' \
    "$r" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$stage" "$publish" "$prepare"
done
python3 -c "import json; d=json.load(open('$out/oneoff.json')); print('N =', d['n'], 'T =', d['t'], 'rho =', round(d['coefficients'][0]['estimate'], 6), 'draws =', d['impacts']['draws'])"
