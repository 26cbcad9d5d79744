#!/usr/bin/env python3
"""Rebuilds provinces_contiguity.csv and provinces_distance.csv from the two source lists in this folder.

- province_borders.csv: the pairs of the 30 provinces (no Tibet, Hong Kong, Macao, Taiwan, as examples/provinces.csv)
  that share a land border (first-order queen contiguity of the provincial boundaries), one line per pair; Hainan, an
  island, is linked to Guangdong, the usual convention in the literature, so that no province is without a neighbour.
- province_capitals.csv: the latitude and longitude of each provincial capital (public coordinates, GeoNames /
  Wikipedia, rounded to 0.01 degree).

Outputs (unit x unit tables, row unit first, names as in examples/provinces.csv; row-standardised by `de` when read):
- provinces_contiguity.csv: 1 for neighbours, else 0 (symmetric).
- provinces_distance.csv: 1 / great-circle distance in km between the capitals (haversine, R = 6371 km), diagonal 0.
Run: python3 examples/weights/build_weights.py  (no third-party package; byte-identical output on every run).
"""
import csv, math, os

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "province_capitals.csv"), newline="", encoding="utf-8") as f:
    caps = list(csv.DictReader(f))
names = sorted(c["province"] for c in caps)
where = {c["province"]: (float(c["lat"]), float(c["lon"])) for c in caps}
pairs = set()
with open(os.path.join(here, "province_borders.csv"), newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        a, b = row["from"], row["to"]
        assert a in where and b in where, (a, b)
        pairs.add((a, b)); pairs.add((b, a))

def km(a, b):
    (la1, lo1), (la2, lo2) = where[a], where[b]
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))

def write(name, value):
    with open(os.path.join(here, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["province"] + names)
        for a in names:
            w.writerow([a] + [value(a, b) for b in names])

write("provinces_contiguity.csv", lambda a, b: 1 if (a, b) in pairs else 0)
write("provinces_distance.csv", lambda a, b: 0 if a == b else "%.12g" % (1.0 / km(a, b)))
