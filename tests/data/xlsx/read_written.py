"""Reads the workbook our writer wrote (written.xlsx, XlsxWriterTests) with openpyxl 3.0.9 and pandas 1.5.3 (Debian's
python3-openpyxl, python3-pandas) and records what they saw in written.openpyxl.json: each cell's value and openpyxl data
type (n number, s string), and pandas' column types. Run from this folder: /usr/bin/python3 read_written.py"""
import json

import openpyxl
import pandas as pd

book = openpyxl.load_workbook("written.xlsx")
sheet = book.worksheets[0]
cells = [[[c.value, c.data_type] for c in row] for row in sheet.iter_rows()]
frame = pd.read_excel("written.xlsx", engine="openpyxl")
out = {
    "reader": f"openpyxl {openpyxl.__version__}, pandas {pd.__version__}",
    "sheet": sheet.title,
    "cells": cells,
    "pandas": {"dtypes": {c: str(t) for c, t in frame.dtypes.items()}},
}
with open("written.openpyxl.json", "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write("\n")
