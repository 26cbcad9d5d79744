#!/usr/bin/env python3
"""Decode an ECharts 4.x map file (map/json/china.json, "UTF8Encoding": true) into plain GeoJSON.

Usage: python3 decode_echarts_map.py ECHARTS_CHINA_JSON OUT.geojson [NAMES_CSV]

ECharts 4.x stores each ring as a string: pairs of characters, each char code minus 64, zigzag-decoded
((v >> 1) ^ -(v & 1)), are deltas from the previous point, starting at the ring's encodeOffsets; coordinates
are the sums divided by UTF8Scale (default 1024), i.e. degrees quantised to 1/1024 degree (about 100 m). This is the
decoder of ECharts' own src/coord/geo/parseGeoJson.js, written out in Python because the format has no other reader.
With NAMES_CSV (a CSV with columns province,name_zh such as examples/provinces.csv) the feature property "name" is
replaced by the English name whose name_zh is the map's Chinese name; features with no match (e.g. the dashed
South China Sea box, Taiwan, Hong Kong, Macao, Tibet when absent from the panel) keep their Chinese name in "name".
The standard library only; the output is byte-identical on every run.
"""
import csv
import json
import sys


def decode_ring(text, offset, scale):
    x, y = offset[0], offset[1]
    out = []
    for i in range(0, len(text), 2):
        dx = ord(text[i]) - 64
        dy = ord(text[i + 1]) - 64
        dx = (dx >> 1) ^ (-(dx & 1))
        dy = (dy >> 1) ^ (-(dy & 1))
        x += dx
        y += dy
        out.append([x / scale, y / scale])
    if out and out[0] != out[-1]:
        out.append(out[0])  # GeoJSON rings are closed
    return out


def main():
    src, dst = sys.argv[1], sys.argv[2]
    names = {}
    if len(sys.argv) > 3:
        with open(sys.argv[3], encoding="utf-8") as f:
            for row in csv.DictReader(f):
                names[row["name_zh"]] = row["province"]
    with open(src, encoding="utf-8") as f:
        data = json.load(f)
    scale = data.get("UTF8Scale") or 1024
    features = []
    for feat in data["features"]:
        g = feat["geometry"]
        offsets = g.get("encodeOffsets")
        if g["type"] == "Polygon":
            coords = [decode_ring(r, offsets[k], scale) for k, r in enumerate(g["coordinates"])] if data.get("UTF8Encoding") else g["coordinates"]
        elif g["type"] == "MultiPolygon":
            coords = [[decode_ring(r, offsets[p][k], scale) for k, r in enumerate(poly)] for p, poly in enumerate(g["coordinates"])] if data.get("UTF8Encoding") else g["coordinates"]
        else:
            continue
        zh = feat["properties"].get("name", "")
        # Rings with fewer than 4 points (tiny islets quantised away) are not valid polygons: dropped.
        if g["type"] == "Polygon":
            coords = [r for r in coords if len(r) >= 4]
            if not coords:
                continue
        else:
            coords = [[r for r in poly if len(r) >= 4] for poly in coords]
            coords = [poly for poly in coords if poly]
            if not coords:
                continue
        # Every ring becomes a polygon of its own: ECharts' city file stores a city's districts as further rings of one
        # polygon (not holes), and no province or city of these files has a hole holding another unit's territory.
        rings = [coords] if g["type"] == "Polygon" else coords
        parts = [[r] for poly in rings for r in poly]
        features.append({"type": "Feature", "properties": {"name": names.get(zh, zh), "name_zh": zh, "id": feat["properties"].get("id", feat.get("id"))},
                         "geometry": {"type": "MultiPolygon", "coordinates": parts}})
    with open(dst, "w", encoding="utf-8", newline="\n") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
