#!/usr/bin/env bash
# Rebuilds the polygon-derived matrices of examples/weights/ from the public boundary file of ECharts 4.9.0
# (npm package echarts@4.9.0, Apache-2.0; map/json/china.json and map/json/china-cities.json) and compares the
# province contiguity with the hand-transcribed province_borders.csv. Needs npm, python3 and a built `de`
# (DE=path/to/de, default: dotnet run --project client). Writes:
#   province_borders_echarts.csv  pairs of the 30 panel provinces sharing a border (queen) in china.json
#   city_contiguity.csv           queen contiguity of the 367 units of china-cities.json (from,to,weight; Chinese names)
#   city_centres.csv              each city's centre point ("cp" of the file): unit,lat,lon (for --w-rule inverse|knn:K)
# and prints every pair where the hand list and the polygons disagree.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
DE="${DE:-dotnet run --project $repo/client --}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack echarts@4.9.0 >/dev/null 2>&1
echo "d2bdf8af1b218d3885a518072788a3b7f0c2d3f8925ec8585a36be5ee5add3f2  echarts-4.9.0.tgz" | sha256sum -c -
tar xzf echarts-4.9.0.tgz package/map/json/china.json package/map/json/china-cities.json package/LICENSE package/NOTICE
python3 "$here/decode_echarts_map.py" package/map/json/china.json provinces.geojson "$repo/examples/provinces.csv"
python3 "$here/decode_echarts_map.py" package/map/json/china-cities.json cities.geojson
$DE weights provinces.geojson --w-rule queen --out provinces_queen.csv
$DE weights cities.geojson --w-rule queen --out "$here/city_contiguity.csv"
python3 - "$here" "$repo" <<'EOF'
import csv, json, sys
here, repo = sys.argv[1], sys.argv[2]
units = {r["province"] for r in csv.DictReader(open(f"{repo}/examples/provinces.csv", encoding="utf-8"))}
poly = sorted({tuple(sorted((r["from"], r["to"]))) for r in csv.DictReader(open("provinces_queen.csv", encoding="utf-8"))
               if r["from"] in units and r["to"] in units})
with open(f"{here}/province_borders_echarts.csv", "w", encoding="utf-8", newline="\n") as f:
    f.write("from,to\n")
    for a, b in poly:
        f.write(f"{a},{b}\n")
hand = {tuple(sorted((r["from"], r["to"]))) for r in csv.DictReader(open(f"{here}/province_borders.csv", encoding="utf-8"))}
print(f"polygons: {len(poly)} pairs among the panel's provinces; hand list: {len(hand)} pairs")
for p in sorted(hand - set(poly)):
    print("in the hand list only:", *p)
for p in sorted(set(poly) - hand):
    print("in the polygons only:", *p)
src = json.load(open("package/map/json/china-cities.json", encoding="utf-8"))
with open(f"{here}/city_centres.csv", "w", encoding="utf-8", newline="\n") as f:
    f.write("city,lat,lon\n")
    for feat in src["features"]:
        lon, lat = feat["properties"]["cp"]
        f.write(f"{feat['properties']['name']},{lat!r},{lon!r}\n")
EOF
