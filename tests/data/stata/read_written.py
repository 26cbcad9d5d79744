"""Reads the .dta file our writer wrote (written118.dta, DtaWriterTests) with pandas (Debian's python3-pandas 1.5.3) and
records what pandas saw in written118.pandas.json: the test then checks those values against the frame written out by
hand, so the writer is tested by another program's reading, never only by our own reader. Run from this folder:
/usr/bin/python3 read_written.py"""
import json
import math

import pandas as pd
from pandas.io.stata import StataReader

with StataReader("written118.dta") as r:
    frame = r.read()
    labels = r.variable_labels()
    version = r.format_version
    # pandas keeps each variable's storage type: str# as its width, numbers and strL (8-byte references, "Q") as struct codes.
    numeric = {"b": "byte", "h": "int", "l": "long", "f": "float", "d": "double", "Q": "strL"}
    types = {c: f"str{t}" if isinstance(t, int) else numeric[t] for c, t in zip(r.varlist, r.typlist)}


def value(v):
    if hasattr(v, "item"):
        v = v.item()
    return None if isinstance(v, float) and math.isnan(v) else v


out = {
    "reader": f"pandas {pd.__version__}",
    "format_version": version,
    "columns": list(frame.columns),
    "stata_types": types,
    "variable_labels": labels,
    "values": {c: [value(v) for v in frame[c]] for c in frame.columns},
}
with open("written118.pandas.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
