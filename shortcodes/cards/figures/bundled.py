"""The bundled dataset: JHU CSSE figures, daily, in ``shortcodes/cards/data/``; no network needed."""
from __future__ import annotations

import csv
import datetime as _dt
import gzip
import io
import os
import threading
from importlib import resources
from pathlib import Path

from ...common.dates import coerce_date
from ...common.errors import NoData, SourceUnavailable
from ..data import DATA_PACKAGE
from .model import Figures
from .regions import _WORLD_KEY, _normalize, normalize_region, region_name
from .series import _Series

#: Attribution of the bundled dataset (``Figures.source`` of the bundled provider).
BUNDLED_SOURCE = (
    "COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) "
    "at Johns Hopkins University, via the datahub.io covid-19 data package (PDDL 1.0)"
)

_DATA_FILE = "covid19-jhu.csv.gz"


class _BundledData:
    """The parsed bundled file: raw rows per region, decoded on first use."""

    def __init__(self, raw: bytes, origin: str) -> None:
        self.origin = origin
        self._rows: dict[str, tuple[str, int, list[str], list[str], list[str]]] = {}
        self._series: dict[str, _Series] = {}
        self._lock = threading.Lock()
        text = gzip.decompress(raw).decode("utf-8")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if header != ["region", "name", "start", "field", "values..."]:
            raise SourceUnavailable(origin, f"unexpected header {header!r}")
        pending: dict[str, dict[str, list[str]]] = {}
        meta: dict[str, tuple[str, int]] = {}
        for row in reader:
            key, name, start, field = row[0], row[1], row[2], row[3]
            meta[key] = (name, _dt.date.fromisoformat(start).toordinal())
            pending.setdefault(key, {})[field] = row[4:]
        for key, fields in pending.items():
            label, first_day = meta[key]
            self._rows[key] = (label, first_day, fields["confirmed"], fields["deaths"], fields["recovered"])

    def series(self, key: str) -> _Series | None:
        with self._lock:
            found = self._series.get(key)
            if found is None and key in self._rows:
                name, start, c, d, r = self._rows.pop(key)
                found = _Series(
                    name,
                    list(range(start, start + len(c))),
                    _undelta(c),
                    _undelta(d),
                    _undelta(r),
                )
                self._series[key] = found
            return found

    @property
    def keys(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._rows) | frozenset(self._series)


def _undelta(cells: list[str]) -> list[int | None]:
    """Cumulative values from delta cells; an empty cell is an unknown value
    and the next delta continues from the last known one."""
    out: list[int | None] = []
    total = 0
    for cell in cells:
        if cell:
            total += int(cell)
            out.append(total)
        else:
            out.append(None)
    return out


_BUNDLED_CACHE: dict[str, _BundledData] = {}
_BUNDLED_LOCK = threading.Lock()


class BundledProvider:
    """Figures from the dataset shipped in ``shortcodes/cards/data/`` (no network).

    ``figures(region, as_of)`` gives the latest row on or before ``as_of``
    (the region's last row when ``as_of`` is ``None``); ``Figures.date`` is
    that row's date.  New cases and deaths are the difference from the
    previous day (negative after a correction; ``None`` on the first day).
    The file is read on first use, once per process.

    >>> from datetime import date
    >>> f = BundledProvider().figures("AE", date(2020, 6, 30))
    >>> f.name, f.date.isoformat(), f.confirmed, f.recovered, f.active
    ('United Arab Emirates', '2020-06-30', 48667, 37566, 10786)
    >>> BundledProvider().figures("PS", date(2030, 1, 1)).date.isoformat()
    '2021-10-10'
    >>> BundledProvider().figures("EG", date(2019, 12, 31))
    Traceback (most recent call last):
      ...
    shortcodes.common.errors.NoData: No COVID-19 figures for EG on or before 2019-12-31: the figures for Egypt begin on 2020-01-22.
    """

    source = BUNDLED_SOURCE

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._path = None if path is None else Path(path)

    def __repr__(self) -> str:
        return f"BundledProvider({'' if self._path is None else repr(str(self._path))})"

    def _data(self) -> _BundledData:
        key = "" if self._path is None else str(self._path.resolve())
        data = _BUNDLED_CACHE.get(key)
        if data is not None:
            return data
        with _BUNDLED_LOCK:
            data = _BUNDLED_CACHE.get(key)
            if data is None:
                if self._path is None:
                    origin = f"shortcodes/cards/data/{_DATA_FILE}"
                    try:
                        raw = resources.files(DATA_PACKAGE).joinpath(_DATA_FILE).read_bytes()
                    except OSError as exc:
                        raise SourceUnavailable(origin, f"the bundled dataset is missing ({exc})") from exc
                else:
                    origin = str(self._path)
                    try:
                        raw = self._path.read_bytes()
                    except OSError as exc:
                        raise SourceUnavailable(origin, exc.strerror or str(exc)) from exc
                try:
                    data = _BundledData(raw, origin)
                except (OSError, EOFError, ValueError, KeyError, IndexError) as exc:
                    raise SourceUnavailable(origin, f"not a bundled dataset ({exc})") from exc
                _BUNDLED_CACHE[key] = data
        return data

    def check(self) -> None:
        """Read the dataset now; raise :class:`SourceUnavailable` if it cannot be used."""
        self._data()

    def regions(self) -> list[str | None]:
        """Every region the dataset has: ``None`` (the world) first, then codes."""
        keys = self._data().keys
        countries: list[str | None] = [k for k in sorted(keys) if k != _WORLD_KEY]
        return [None, *countries] if _WORLD_KEY in keys else countries

    def date_range(self, region: str | None) -> tuple[_dt.date, _dt.date]:
        """The first and last date with figures for ``region``.

        >>> [d.isoformat() for d in BundledProvider().date_range("world")]
        ['2020-01-22', '2022-04-16']
        """
        series = self._series(normalize_region(region), None)
        return series.first, series.last

    def _series(self, code: str | None, as_of: _dt.date | None) -> _Series:
        series = self._data().series(_WORLD_KEY if code is None else code)
        if series is None:
            raise NoData(code, as_of, f"the bundled dataset has no figures for {region_name(code)}")
        return series

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Latest figures on or before ``as_of``; see the class docstring."""
        when = coerce_date(as_of, prefix=True)
        code = _normalize(region, when)
        return self._series(code, when).figures(code, when, self.source)
