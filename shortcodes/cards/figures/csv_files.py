"""CSV downloads: Our World in Data, datahub.io's aggregates, and JHU CSSE's time series."""
from __future__ import annotations

import csv
import datetime as _dt
import errno
import gzip
import io
import math
import os
import re
import threading
from pathlib import Path
from typing import IO, Iterable, Iterator, Mapping, Sequence

from ...common.dates import coerce_date
from ...common.errors import NoData, SourceUnavailable
from .model import Figures, mark_unreported_recoveries, printable
from .regions import _countries, _normalize, region_name
from .series import _Series

_CSV_FORMATS = ("auto", "owid", "datahub", "jhu-timeseries")
_JHU_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_JHU_METRIC = re.compile(r"confirmed|deaths|recovered", re.IGNORECASE)
# OWID's own codes for places without an ISO code that are countries here.
_OWID_CODES = {"OWID_KOS": "XK"}


class CsvProvider:
    """Figures from a CSV file in one of the shapes people download.

    ``format`` is ``"auto"`` (tell by the header) or one of

    * ``"owid"`` -- Our World in Data ``owid-covid-data.csv``: ``iso_code``
      (alpha-3; ``OWID_WRL`` is the world, ``OWID_KOS`` Kosovo; other
      ``OWID_*`` aggregates are skipped), ``location``, ``date``,
      ``total_cases``, ``new_cases``, ``total_deaths``, ``new_deaths``.  OWID
      has no recovered counts, so ``recovered`` and ``active`` are ``None``.
    * ``"datahub"`` -- ``Date,Country,Confirmed,Recovered,Deaths``
      (``countries-aggregated.csv``; the world is the sum of every row of a
      day) or ``Date,Confirmed,Recovered,Deaths`` (``worldwide-aggregate.csv``,
      the world only).
    * ``"jhu-timeseries"`` -- JHU CSSE ``time_series_covid19_<figure>_global.csv``
      (``Province/State,Country/Region,Lat,Long,1/22/20,...``; provinces are
      summed, the world is the sum of all rows) or the ``..._US.csv`` shape.
      Each file holds one figure, told by its name; the files for the other
      figures are read from the same folder when they are there.

    Country names (JHU) and alpha-3 codes (OWID) are mapped to alpha-2 codes
    with the bundled country table; rows it does not know (cruise ships,
    Olympic games) are left out and listed in :attr:`skipped`.  Recovered
    counts in JHU-derived files follow :func:`mark_unreported_recoveries`.
    The file is read on first use (a ``.gz`` file is decompressed); a file
    that does not exist raises :class:`FileNotFoundError` at once, one that
    cannot be read or understood :class:`SourceUnavailable` (naming
    ``file:line``) on first use.
    """

    def __init__(self, path: str | os.PathLike[str], format: str = "auto") -> None:
        if format not in _CSV_FORMATS:
            raise ValueError(f"format must be one of {', '.join(_CSV_FORMATS)}, not {format!r}")
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(errno.ENOENT, "no such COVID-19 CSV file", str(self.path))
        self.format = format
        self.source = f"{self.path.name}"
        self._series: dict[str | None, _Series] | None = None
        self._skipped: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CsvProvider({str(self.path)!r}, format={self.format!r})"

    @property
    def skipped(self) -> tuple[str, ...]:
        """Names or codes in the file that are no country here (sorted)."""
        self._load()
        return self._skipped

    def check(self) -> None:
        """Read the file now; raise :class:`SourceUnavailable` (naming ``file:line``) if it cannot be used."""
        self._load()

    def regions(self) -> list[str | None]:
        """The regions the file has figures for (``None`` = the world first)."""
        series = self._load()
        return ([None] if None in series else []) + sorted(k for k in series if k is not None)

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Latest figures on or before ``as_of`` (see :class:`BundledProvider`)."""
        when = coerce_date(as_of, prefix=True)
        code = _normalize(region, when)
        series = self._load().get(code)
        if series is None:
            raise NoData(code, when, f"{self.path.name} has no figures for {region_name(code)}")
        return series.figures(code, when, self.source)

    # -- reading -----------------------------------------------------------

    def _load(self) -> dict[str | None, _Series]:
        with self._lock:
            if self._series is None:
                try:
                    self._series = self._read()
                except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
                    raise SourceUnavailable(str(self.path), printable(f"{type(exc).__name__}: {exc}")) from None
            return self._series

    def _open(self, path: Path) -> IO[str]:
        if path.suffix.lower() == ".gz":
            return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
        return open(path, encoding="utf-8-sig", newline="")

    def _read(self) -> dict[str | None, _Series]:
        with self._open(self.path) as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                raise SourceUnavailable(str(self.path), "the file is empty")
            shape = self.format if self.format != "auto" else _csv_shape(header)
            if shape is None:
                raise SourceUnavailable(
                    str(self.path),
                    "cannot tell the CSV's shape from its header "
                    f"{','.join(header[:6])}{',...' if len(header) > 6 else ''} "
                    "(expected OWID, datahub or JHU CSSE time-series columns)",
                )
            if shape == "owid":
                self.source = f"Our World in Data COVID-19 dataset ({self.path.name})"
                return self._read_owid(header, reader)
            self.source = f"COVID-19 Data Repository by CSSE at Johns Hopkins University ({self.path.name})"
            if shape == "datahub":
                return self._read_datahub(header, reader)
        return self._read_jhu()

    def _error(self, line: int, message: str) -> SourceUnavailable:
        return SourceUnavailable(f"{self.path}:{line}", message)

    def _columns(self, header: list[str], wanted: Mapping[str, Sequence[str]], optional: Iterable[str] = ()) -> dict[str, int]:
        index = {name.strip().lower(): i for i, name in enumerate(header)}
        out: dict[str, int] = {}
        for key, names in wanted.items():
            for name in names:
                if name.lower() in index:
                    out[key] = index[name.lower()]
                    break
            else:
                if key not in optional:
                    raise self._error(1, f"no {names[0]!r} column in the header")
        return out

    def _number(self, cell: str, line: int, column: str) -> int | None:
        cell = cell.strip()
        if not cell:
            return None
        try:
            return int(cell)
        except ValueError:
            pass
        try:
            value = float(cell)
        except ValueError:
            raise self._error(line, f"{column} is {_shown(cell)}, not a number") from None
        if not (math.isfinite(value) and value.is_integer()):
            raise self._error(line, f"{column} is {_shown(cell)}, not a whole number")
        return int(value)

    def _date(self, cell: str, line: int) -> int:
        try:
            return _dt.date.fromisoformat(cell.strip()[:10]).toordinal()
        except ValueError:
            raise self._error(line, f"date {cell!r} is not YYYY-MM-DD") from None

    def _read_owid(self, header: list[str], rows: Iterator[list[str]]) -> dict[str | None, _Series]:
        cols = self._columns(
            header,
            {
                "code": ("iso_code", "code"),
                "name": ("location", "country", "entity"),
                "date": ("date",),
                "cases": ("total_cases",),
                "deaths": ("total_deaths",),
                "new_cases": ("new_cases",),
                "new_deaths": ("new_deaths",),
            },
            optional=("new_cases", "new_deaths"),
        )
        table = _countries()
        acc: dict[str | None, dict[int, tuple[int | None, ...]]] = {}
        names: dict[str | None, str] = {}
        skipped: set[str] = set()
        width = max(cols.values()) + 1
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) < width:
                raise self._error(line, f"{len(row)} fields, the header has {len(header)}")
            iso = row[cols["code"]].strip().upper()
            if iso == "OWID_WRL":
                code: str | None = None
            else:
                found = _OWID_CODES.get(iso) or table.alpha3.get(iso)
                if found is None:
                    skipped.add(iso or row[cols["name"]])
                    continue
                code = found
            names.setdefault(code, "World" if code is None else row[cols["name"]].strip() or table.names[code])
            acc.setdefault(code, {})[self._date(row[cols["date"]], line)] = tuple(
                self._number(row[cols[key]], line, header[cols[key]]) if key in cols else None
                for key in ("cases", "deaths", "new_cases", "new_deaths"))
        self._skipped = tuple(sorted(skipped))
        out: dict[str | None, _Series] = {}
        for code, by_day in acc.items():
            days = sorted(by_day)
            vals = [by_day[d] for d in days]
            confirmed = [v[0] for v in vals]
            deaths = [v[1] for v in vals]
            new_c = [v[2] for v in vals] if "new_cases" in cols else None
            new_d = [v[3] for v in vals] if "new_deaths" in cols else None
            out[code] = _Series(names[code], days, confirmed, deaths, [None] * len(days), new_c, new_d)
        return out

    def _read_datahub(self, header: list[str], rows: Iterator[list[str]]) -> dict[str | None, _Series]:
        cols = self._columns(
            header,
            {
                "date": ("Date",),
                "country": ("Country", "Country/Region", "Country_Region"),
                "confirmed": ("Confirmed",),
                "recovered": ("Recovered",),
                "deaths": ("Deaths",),
            },
            optional=("country", "recovered"),
        )
        table = _countries()
        width = max(cols.values()) + 1
        country = cols.get("country")
        groups: dict[str, list[tuple[int, list[str]]]] = {}
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) < width:
                raise self._error(line, f"{len(row)} fields, the header has {len(header)}")
            key = "" if country is None else row[country].strip()
            group = groups.get(key)
            if group is None:
                group = groups[key] = []
            group.append((line, row))
        per: dict[str | None, dict[int, list[int | None]]] = {}
        world: dict[int, list[int | None]] = {}
        names: dict[str, str] = {}
        skipped: set[str] = set()
        for name, group in groups.items():
            lines = [line for line, _ in group]
            days = self._dates([r[cols["date"]] for _, r in group], lines)
            columns = [
                self._numbers([r[cols[k]] for _, r in group], lines, header[cols[k]])
                if k in cols else [None] * len(group)
                for k in ("confirmed", "deaths", "recovered")
            ]
            values = list(zip(days, *columns))
            if country is None:
                per[None] = {day: [c, d, r] for day, c, d, r in values}
                continue
            for day, c, d, r in values:
                total = world.get(day)
                if total is None:
                    world[day] = [c, d, r]
                else:
                    a, b, e = total
                    total[0] = None if a is None or c is None else a + c
                    total[1] = None if b is None or d is None else b + d
                    total[2] = None if e is None or r is None else e + r
            code = table.lookup.get(name.casefold())
            if code is None:
                skipped.add(name)
                continue
            names.setdefault(code, name)
            by_day = per.setdefault(code, {})
            if not by_day and len(set(days)) == len(days):
                by_day.update((day, [c, d, r]) for day, c, d, r in values)
            else:  # provinces, or the same day twice: add them up
                for day, c, d, r in values:
                    _add(by_day, day, [c, d, r])
        if country is not None and world:
            per[None] = world
        self._skipped = tuple(sorted(skipped))
        return {code: _jhu_series("World" if code is None else names[code], by_day) for code, by_day in per.items()}

    def _dates(self, cells: list[str], lines: list[int]) -> list[int]:
        try:
            return [_dt.date.fromisoformat(cell).toordinal() for cell in cells]
        except ValueError:
            return [self._date(cell, line) for cell, line in zip(cells, lines)]

    def _numbers(self, cells: list[str], lines: list[int], column: str) -> list[int | None]:
        try:
            return [int(cell) for cell in cells]
        except ValueError:
            return [self._number(cell, line, column) for cell, line in zip(cells, lines)]

    def _read_jhu(self) -> dict[str | None, _Series]:
        match = list(_JHU_METRIC.finditer(self.path.name))
        if not match:
            raise SourceUnavailable(
                str(self.path),
                "a JHU CSSE time-series file holds one figure, told by its name "
                "(time_series_covid19_confirmed_global.csv, ..._deaths_..., ..._recovered_...)",
            )
        m = match[-1]
        table = _countries()
        figures: dict[str, dict[str | None, dict[int, int | None]]] = {}
        names: dict[str, str] = {}
        skipped: set[str] = set()
        for metric in ("confirmed", "deaths", "recovered"):
            path = self.path.with_name(self.path.name[: m.start()] + metric + self.path.name[m.end():])
            if path != self.path and not path.is_file():
                continue
            per: dict[str | None, dict[int, int | None]] = {}
            with self._open(path) as f:
                reader = csv.reader(f)
                header = next(reader, [])
                try:
                    country_col = next(
                        i for i, h in enumerate(header) if h.strip() in ("Country/Region", "Country_Region")
                    )
                except StopIteration:
                    raise SourceUnavailable(str(path), "no Country/Region column in the header") from None
                date_cols: list[tuple[int, int]] = []
                for i, h in enumerate(header):
                    dm = _JHU_DATE.match(h.strip())
                    if dm:
                        month, dom, year = int(dm[1]), int(dm[2]), int(dm[3])
                        year = year + 2000 if year < 100 else year
                        try:
                            date_cols.append((i, _dt.date(year, month, dom).toordinal()))
                        except ValueError:
                            raise SourceUnavailable(f"{path}:1", f"column {h!r} is not a date") from None
                if not date_cols:
                    raise SourceUnavailable(f"{path}:1", "no date columns (m/d/yy) in the header")
                global_shape = header[country_col].strip() == "Country/Region"
                for line, row in enumerate(reader, start=2):
                    if not row:
                        continue
                    if len(row) < len(header):
                        raise SourceUnavailable(f"{path}:{line}", f"{len(row)} fields, the header has {len(header)}")
                    name = row[country_col].strip()
                    code = table.lookup.get(name.casefold())
                    targets: list[str | None] = [None] if global_shape else []
                    if code is None:
                        skipped.add(name)
                    else:
                        names.setdefault(code, name)
                        targets.append(code)
                    for i, day in date_cols:
                        cell = row[i].strip()
                        try:
                            value: int | None = int(float(cell)) if cell else None
                        except (ValueError, OverflowError):  # OverflowError: 1e400, inf
                            raise SourceUnavailable(
                                f"{path}:{line}", f"{printable(header[i])} is {_shown(cell)}, not a number"
                            ) from None
                        for target in targets:
                            by_day = per.setdefault(target, {})
                            prev = by_day.get(day, 0)
                            by_day[day] = None if value is None or prev is None else prev + value
            figures[metric] = per
        self._skipped = tuple(sorted(skipped))
        out: dict[str | None, _Series] = {}
        codes = set().union(*(per.keys() for per in figures.values()))
        for code in codes:
            merged: dict[int, list[int | None]] = {}
            for k, metric in enumerate(("confirmed", "deaths", "recovered")):
                for day, value in figures.get(metric, {}).get(code, {}).items():
                    merged.setdefault(day, [None, None, None])[k] = value
            out[code] = _jhu_series("World" if code is None else names[code], merged)
        return out


def _shown(cell: str) -> str:
    """A cell in a message: quoted, control characters escaped, long ones cut."""
    return printable(repr(cell), 60)


def _add(by_day: dict[int, list[int | None]], day: int, values: list[int | None]) -> None:
    have = by_day.get(day)
    if have is None:
        by_day[day] = list(values)
    else:
        by_day[day] = [None if a is None or b is None else a + b for a, b in zip(have, values)]


def _jhu_series(name: str, by_day: Mapping[int, Sequence[int | None]]) -> _Series:
    days = sorted(by_day)
    confirmed = [by_day[d][0] for d in days]
    deaths = [by_day[d][1] for d in days]
    recovered = mark_unreported_recoveries(
        [_dt.date.fromordinal(d) for d in days], confirmed, [by_day[d][2] for d in days]
    )
    return _Series(name, days, confirmed, deaths, recovered)


def _csv_shape(header: Sequence[str]) -> str | None:
    names = {h.strip().lower() for h in header}
    if "date" in names and "total_cases" in names and names & {"iso_code", "code"}:
        return "owid"
    if {"date", "confirmed", "deaths"} <= names:
        return "datahub"
    if names & {"country/region", "country_region"} and any(_JHU_DATE.match(h.strip()) for h in header):
        return "jhu-timeseries"
    return None
