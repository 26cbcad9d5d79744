"""Writes the Stata fixtures of DtaReaderTests with pandas (Debian's python3-pandas 1.5.3), so that the reader is
tested against files another program wrote, never only against our own writer. Run from this folder:
/usr/bin/python3 make_dta.py (after apt-get install python3-pandas). The expected values are in the test, written out by hand from the frame below."""
import numpy as np
import pandas as pd


def frame(chinese: bool) -> pd.DataFrame:
    return pd.DataFrame({
        "province": ["北京", "天津", "河北"] if chinese else ["Beijing", "Tianjin", "Hebei"],
        "year": np.array([2011, 2012, 2013], dtype=np.int16),
        "pilot": np.array([1, 0, -5], dtype=np.int8),
        "pop": np.array([2019, 1355, 7241], dtype=np.int32),
        "share": np.array([0.25, np.nan, 1.5], dtype=np.float32),
        "gdp": [16251.93, np.nan, 24515.76],
        "region": np.array([1, 1, 3], dtype=np.int8),
        "note": ["a long note " * 30, "", "short"],
    })


# 117 (Stata 13): pandas writes its strings in Latin-1, so ASCII text; the note as a strL.
frame(False).to_stata("panel117.dta", version=117, write_index=False, convert_strl=["note"])
# 118 (Stata 14+): UTF-8, Chinese values and a labelled region; one little-, one big-endian file.
labels = {"region": {1: "东部", 2: "中部", 3: "西部"}}
frame(True).to_stata("panel118.dta", version=118, write_index=False, convert_strl=["note"], value_labels=labels)
# Big-endian without a strL: pandas 1.5.3 cannot read back its own big-endian strLs, so the note is a str# there.
frame(True).to_stata("panel118_msf.dta", version=118, write_index=False, value_labels=labels, byteorder=">")
# 119: the layout for more than 32,767 variables (wider K and strL references), here with the same few.
frame(True).to_stata("panel119.dta", version=119, write_index=False, convert_strl=["note"], value_labels=labels)
