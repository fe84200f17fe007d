#!/usr/bin/env python3
"""Derive the bundled COVID-19 dataset (shortcodes/cards/data/) from the datahub.io files.

Input: a folder holding the datahub.io ``covid-19`` data package files
``countries-aggregated.csv``, ``worldwide-aggregate.csv`` and ``countries.csv``
(by default ``../shared/data/covid19`` beside the repository; see its
SOURCES.md).  Output, in ``shortcodes/cards/data/``:

``covid19-jhu.csv.gz``
    gzip'd CSV, header ``region,name,start,field,values...``; three lines per
    region (``field`` = ``confirmed``, ``deaths``, ``recovered``), the world
    first as region ``WORLD``, then countries by ISO alpha-2 code.  ``start``
    is the first date; there is one value per day from then on, stored as the
    difference from the previous known value (the first value is absolute).
    An empty value is unknown (a recovered count JHU did not report; see
    ``shortcodes.sources.mark_unreported_recoveries``), and the next value
    continues from the last known one.
``countries.csv``
    ``iso2,iso3,name,aliases``: the rows of the input ``countries.csv`` that
    have an ISO code, plus the few additions and English aliases listed below.

The output is byte-identical on every run for the same input (sorted rows,
gzip header without time stamp or file name); ``--check`` verifies that the
files in the package are up to date instead of writing them.

    python3 tools/build_dataset.py [--source DIR] [--out DIR] [--check]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shortcodes.cards.figures import mark_unreported_recoveries  # noqa: E402

DATA_FILE = "covid19-jhu.csv.gz"
COUNTRIES_FILE = "countries.csv"
WORLD = "WORLD"

# Countries the input table lacks (JHU files from 2022 on name it).
EXTRA_COUNTRIES = [("KP", "PRK", "Korea, North")]

# Other English names for the same countries: the names disease.sh, OWID and
# WordPress COVID plugins use (matched case-insensitively).
ALIASES = {
    "CD": ["Democratic Republic of Congo", "Democratic Republic of the Congo", "DRC"],
    "CG": ["Congo", "Republic of the Congo"],
    "CI": ["Côte d'Ivoire", "Ivory Coast"],
    "CV": ["Cape Verde"],
    "CZ": ["Czech Republic"],
    "GB": ["UK"],
    "KP": ["North Korea"],
    "KR": ["South Korea", "S. Korea"],
    "MK": ["Macedonia"],
    "MM": ["Myanmar"],
    "PS": ["Palestine"],
    "RU": ["Russian Federation"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
    "TR": ["Turkiye", "Türkiye"],
    "TW": ["Taiwan"],
    "US": ["USA", "United States", "United States of America"],
    "VA": ["Vatican City", "Vatican"],
    "VN": ["Viet Nam"],
}


class BuildError(Exception):
    """The input is not what the build expects; the message names the file and line."""


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as exc:
        raise BuildError(f"{path}: {exc.strerror or exc}") from None


def _int(path: Path, line: int, row: dict[str, str], field: str) -> int:
    try:
        return int(row[field])
    except (KeyError, TypeError, ValueError):
        raise BuildError(f"{path}:{line}: {field} is {row.get(field)!r}, not a whole number") from None


def _date(path: Path, line: int, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BuildError(f"{path}:{line}: date {text!r} is not YYYY-MM-DD") from None


def _series_lines(key: str, name: str, path: Path, rows: list[tuple[int, dict[str, str]]]) -> list[list[str]]:
    """Three output rows for one region (rows: (line number, csv row) in date order)."""
    dates = [_date(path, line, row["Date"]) for line, row in rows]
    for (line, _), a, b in zip(rows[1:], dates, dates[1:]):
        if (b - a).days != 1:
            raise BuildError(f"{path}:{line}: {name} jumps from {a} to {b}; the rows must be daily")
    confirmed = [_int(path, line, row, "Confirmed") for line, row in rows]
    deaths = [_int(path, line, row, "Deaths") for line, row in rows]
    recovered = mark_unreported_recoveries(
        dates, confirmed, [_int(path, line, row, "Recovered") for line, row in rows]
    )
    out = []
    for field, values in (("confirmed", confirmed), ("deaths", deaths), ("recovered", recovered)):
        cells: list[str] = []
        last = 0
        for v in values:
            if v is None:
                cells.append("")
            else:
                cells.append(str(v - last))
                last = v
        out.append([key, name, dates[0].isoformat(), field, *cells])
    return out


def build(source: Path) -> dict[str, bytes]:
    """The output files' bytes, by file name."""
    countries_path = source / "countries.csv"
    table: dict[str, tuple[str, str]] = {}  # name -> (iso2, iso3)
    for line, row in enumerate(_read_csv(countries_path), start=2):
        if row.get("iso2"):
            if len(row["iso2"]) != 2 or len(row.get("iso3", "")) != 3:
                raise BuildError(f"{countries_path}:{line}: bad ISO codes {row['iso2']!r}, {row.get('iso3')!r}")
            table[row["country"]] = (row["iso2"].upper(), row["iso3"].upper())
    for iso2, iso3, name in EXTRA_COUNTRIES:
        table.setdefault(name, (iso2, iso3))

    countries_csv = io.StringIO(newline="")
    writer = csv.writer(countries_csv, lineterminator="\n")
    writer.writerow(["iso2", "iso3", "name", "aliases"])
    for name, (iso2, iso3) in sorted(table.items(), key=lambda item: item[1]):
        writer.writerow([iso2, iso3, name, "|".join(ALIASES.get(iso2, []))])

    agg_path = source / "countries-aggregated.csv"
    by_country: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in enumerate(_read_csv(agg_path), start=2):
        by_country.setdefault(row["Country"], []).append((line, row))
    world_path = source / "worldwide-aggregate.csv"
    world_rows = list(enumerate(_read_csv(world_path), start=2))

    data_csv = io.StringIO(newline="")
    writer = csv.writer(data_csv, lineterminator="\n")
    writer.writerow(["region", "name", "start", "field", "values..."])
    writer.writerows(_series_lines(WORLD, "World", world_path, world_rows))
    coded = sorted((table[name][0], name) for name in by_country if name in table)
    for iso2, name in coded:
        rows = sorted(by_country[name], key=lambda item: item[1]["Date"])
        writer.writerows(_series_lines(iso2, name, agg_path, rows))

    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
        gz.write(data_csv.getvalue().encode("utf-8"))
    return {DATA_FILE: raw.getvalue(), COUNTRIES_FILE: countries_csv.getvalue().encode("utf-8")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data" / "covid19",
                        help="folder with the datahub.io CSV files (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=ROOT / "shortcodes" / "cards" / "data",
                        help="output folder (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="only check that the output folder is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    try:
        files = build(args.source)
    except BuildError as exc:
        print(f"build_dataset: {exc}", file=sys.stderr)
        return 2
    stale = []
    for name, data in files.items():
        target = args.out / name
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(str(target))
            continue
        from shortcodes.common.fileio import atomic_write_bytes

        atomic_write_bytes(target, data)
        print(f"wrote {target} ({len(data):,} bytes)")
    if stale:
        print("build_dataset: out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
