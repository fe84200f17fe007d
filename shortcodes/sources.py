"""Where the COVID-19 cards' figures come from.

A *provider* answers one question: "what were the figures for this region,
as of this date?"  It returns a :class:`Figures` or raises :class:`NoData`.

Three providers ship with the library:

* :class:`BundledProvider` -- the dataset bundled in ``shortcodes/data/``:
  Johns Hopkins University CSSE figures as collated by the datahub.io
  ``covid-19`` data package (PDDL 1.0), daily, every country from 2020-01-22
  to 2021-10-10 and the world to 2022-04-16.  It needs no network.
* :class:`DiseaseShProvider` -- disease.sh v3 JSON (what the WordPress COVID
  plugins read), from a file or an ``http(s)`` URL.
* :class:`CsvProvider` -- CSV downloads: Our World in Data's
  ``owid-covid-data.csv``, datahub's ``countries-aggregated.csv`` /
  ``worldwide-aggregate.csv`` and the JHU CSSE ``time_series_covid19_*``
  files.

Regions are ISO 3166-1 alpha-2 codes (``"EG"``, ``"AE"``, ``"PS"``), matched
case-insensitively; alpha-3 codes (``"EGY"``) and the English names used by
the data (``"West Bank and Gaza"``, ``"Korea, South"``) are accepted too.  The
whole world is ``None``; ``""``, ``"world"`` (any case) and ``"OWID_WRL"``
mean the world as well.

>>> from datetime import date
>>> p = default_provider()
>>> eg = p.figures("eg", date(2021, 10, 10))
>>> eg.region, eg.name, eg.date.isoformat()
('EG', 'Egypt', '2021-10-10')
>>> eg.confirmed, eg.deaths, eg.new_confirmed, eg.new_deaths
(312413, 17695, 837, 37)
>>> eg.recovered is None and eg.active is None    # JHU stopped counting recoveries
True
>>> round(eg.death_rate, 2)
5.66
>>> p.figures(None).date.isoformat()              # the world runs to April 2022
'2022-04-16'

Recovered counts: JHU CSSE stopped reporting recoveries on 2021-08-05 (the
last day with figures is 2021-08-04); from then on every ``Recovered`` cell is
0.  A zero that means "not reported" is never passed on as a fact: the rule
in :func:`mark_unreported_recoveries` turns it into ``None`` (unknown), and
``active`` (confirmed - deaths - recovered) is ``None`` whenever recovered is
unknown -- never confirmed minus deaths.
"""
from __future__ import annotations

import bisect
import csv
import datetime as _dt
import errno
import functools
import gzip
import hashlib
import http.client
import io
import json
import math
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Protocol, Sequence, runtime_checkable

__all__ = [
    "Figures",
    "NoData",
    "SourceUnavailable",
    "Provider",
    "BundledProvider",
    "DiseaseShProvider",
    "CsvProvider",
    "default_provider",
    "provider_from_spec",
    "normalize_region",
    "region_name",
    "mark_unreported_recoveries",
    "JHU_RECOVERED_STOP",
    "BUNDLED_SOURCE",
]

#: First day on which JHU CSSE no longer reported recoveries (every
#: ``Recovered`` cell is 0 from this day on; 2021-08-04 is the last day with
#: figures).
JHU_RECOVERED_STOP = _dt.date(2021, 8, 5)

#: Attribution of the bundled dataset (``Figures.source`` of the bundled provider).
BUNDLED_SOURCE = (
    "COVID-19 Data Repository by the Center for Systems Science and Engineering (CSSE) "
    "at Johns Hopkins University, via the datahub.io covid-19 data package (PDDL 1.0)"
)

_DATA_FILE = "covid19-jhu.csv.gz"
_COUNTRIES_FILE = "countries.csv"
_WORLD_KEY = "WORLD"
_WORLD_ALIASES = frozenset({"", "world", "owid_wrl"})
_USER_AGENT = "wp-shortcodes (+https://pypi.org/project/wp-shortcodes/)"
_MAX_BODY = 64 * 1024 * 1024


# --------------------------------------------------------------------------
# Errors and the value type
# --------------------------------------------------------------------------


class NoData(LookupError):
    """No figures for this region and date; ``str()`` says why in a sentence.

    >>> err = NoData("EG", _dt.date(2019, 12, 1), "the data begins on 2020-01-22")
    >>> str(err)
    'No COVID-19 figures for EG on or before 2019-12-01: the data begins on 2020-01-22.'
    >>> err.region, err.reason
    ('EG', 'the data begins on 2020-01-22')
    """

    def __init__(self, region: str | None, as_of: _dt.date | None, reason: str) -> None:
        self.region = region
        self.as_of = as_of
        self.reason = reason
        super().__init__(region, as_of, reason)

    def __str__(self) -> str:
        where = "the world" if self.region is None else self.region
        when = "" if self.as_of is None else f" on or before {self.as_of.isoformat()}"
        reason = self.reason.rstrip(".")
        return f"No COVID-19 figures for {where}{when}: {reason}."


class SourceUnavailable(NoData):
    """The source itself failed: unreachable, timed out, or not the expected data.

    ``.source`` is the URL or file path, ``.reason`` what went wrong.

    >>> str(SourceUnavailable("https://example.invalid/v3/covid-19/all", "timed out after 10 s"))
    'Cannot read COVID-19 figures from https://example.invalid/v3/covid-19/all: timed out after 10 s.'
    """

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        region: str | None = None,
        as_of: _dt.date | None = None,
    ) -> None:
        self.source = source
        super().__init__(region, as_of, reason)

    def __str__(self) -> str:
        return f"Cannot read COVID-19 figures from {self.source}: {self.reason.rstrip('.')}."


@dataclass(frozen=True)
class Figures:
    """The figures of one region on one day.

    ``None`` in a count means *unknown*, never zero.

    >>> f = Figures(region="PS", name="West Bank and Gaza", date=_dt.date(2021, 1, 1),
    ...             updated=None, confirmed=200, deaths=3, recovered=None, active=None,
    ...             new_confirmed=-1, new_deaths=0, source="test")
    >>> f.death_rate
    1.5
    >>> Figures(**{**f.__dict__, "confirmed": 0}).death_rate is None
    True
    """

    region: str | None
    name: str
    date: _dt.date
    updated: _dt.datetime | None
    confirmed: int | None
    deaths: int | None
    recovered: int | None
    active: int | None
    new_confirmed: int | None
    new_deaths: int | None
    source: str

    @property
    def death_rate(self) -> float | None:
        """Deaths per 100 confirmed cases; ``None`` when unknown or nothing confirmed."""
        if self.deaths is None or not self.confirmed or self.confirmed < 0:
            return None
        return self.deaths / self.confirmed * 100


@runtime_checkable
class Provider(Protocol):
    """Anything that can answer ``figures(region, as_of)``."""

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Latest figures for ``region`` on or before ``as_of``; raises :class:`NoData`."""
        ...


# --------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _CountryTable:
    names: Mapping[str, str]  # alpha-2 -> name as in the data
    lookup: Mapping[str, str]  # casefolded alpha-2 / alpha-3 / name -> alpha-2
    alpha3: Mapping[str, str]  # alpha-3 -> alpha-2


@functools.lru_cache(maxsize=1)
def _countries() -> _CountryTable:
    text = resources.files("shortcodes.data").joinpath(_COUNTRIES_FILE).read_text(encoding="utf-8")
    names: dict[str, str] = {}
    lookup: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        a2, a3, name = row["iso2"], row["iso3"], row["name"]
        names[a2] = name
        alpha3[a3] = a2
        for key in (a2, a3, name, *filter(None, row.get("aliases", "").split("|"))):
            lookup.setdefault(key.casefold(), a2)
    return _CountryTable(names, lookup, alpha3)


def normalize_region(region: str | None) -> str | None:
    """The canonical region code: upper-case ISO alpha-2, or ``None`` for the world.

    Raises :class:`NoData` for a region the country table does not know.

    >>> normalize_region("ps"), normalize_region("EGY"), normalize_region("united arab emirates")
    ('PS', 'EG', 'AE')
    >>> normalize_region("World") is None and normalize_region(None) is None
    True
    >>> normalize_region("Atlantis")
    Traceback (most recent call last):
      ...
    shortcodes.sources.NoData: No COVID-19 figures for Atlantis: unknown region (use an ISO 3166 alpha-2 code such as "EG").
    """
    if region is None:
        return None
    if not isinstance(region, str):
        raise TypeError(f"region must be a str or None, not {type(region).__name__}")
    key = region.strip().casefold()
    if key in _WORLD_ALIASES:
        return None
    code = _countries().lookup.get(key)
    if code is None:
        raise NoData(region, None, 'unknown region (use an ISO 3166 alpha-2 code such as "EG")')
    return code


def region_name(region: str | None) -> str:
    """The English name of a region as the bundled data spells it.

    >>> region_name("PS"), region_name(None)
    ('West Bank and Gaza', 'World')
    """
    code = normalize_region(region)
    return "World" if code is None else _countries().names[code]


def _as_date(as_of: _dt.date | _dt.datetime | str | None) -> _dt.date | None:
    if as_of is None or type(as_of) is _dt.date:
        return as_of
    if isinstance(as_of, _dt.datetime):
        return as_of.date()
    if isinstance(as_of, _dt.date):
        return _dt.date(as_of.year, as_of.month, as_of.day)
    if isinstance(as_of, str):
        text = as_of.strip()
        try:
            return _dt.date.fromisoformat(text[:10]) if len(text) >= 10 else _dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"as_of {as_of!r} is not a date in the form YYYY-MM-DD") from None
    raise TypeError(f"as_of must be a date, a YYYY-MM-DD string or None, not {type(as_of).__name__}")


# --------------------------------------------------------------------------
# Recovered counts that were never reported
# --------------------------------------------------------------------------


def mark_unreported_recoveries(
    dates: Sequence[_dt.date],
    confirmed: Sequence[int | None],
    recovered: Sequence[int | None],
    *,
    stop: _dt.date | None = JHU_RECOVERED_STOP,
) -> list[int | None]:
    """Replace recovered counts that mean "not reported" by ``None``.

    A recovered count is unknown when

    * the day is on or after ``stop`` (JHU CSSE stopped reporting recoveries
      on 2021-08-05; pass ``stop=None`` for other sources);
    * it is negative or missing;
    * it is 0 while cases are confirmed, and the series either reported more
      than 0 recoveries on an earlier day (the source stopped counting: the US
      from 2020-12-14, Belgium, Serbia) or never reports any before ``stop``
      (Sweden).  A 0 before a country's first reported recovery stays 0.

    >>> d = [_dt.date(2021, 8, 2) + _dt.timedelta(days=i) for i in range(5)]
    >>> mark_unreported_recoveries(d, [5, 9, 9, 12, 12], [0, 2, 0, 4, 0])
    [0, 2, None, None, None]
    >>> mark_unreported_recoveries(d[:2], [3, 4], [0, 0])      # never reported
    [None, None]
    >>> mark_unreported_recoveries(d[:2], [0, 0], [0, 0])      # nothing to recover from
    [0, 0]
    """
    ever = any(r is not None and r > 0 for day, r in zip(dates, recovered) if stop is None or day < stop)
    seen = False
    out: list[int | None] = []
    for day, c, r in zip(dates, confirmed, recovered):
        if r is None or r < 0 or (stop is not None and day >= stop):
            out.append(None)
        elif r > 0:
            seen = True
            out.append(r)
        elif c is not None and c > 0 and (seen or not ever):
            out.append(None)
        else:
            out.append(r)
    return out


# --------------------------------------------------------------------------
# A region's daily series (shared by the bundled and the CSV providers)
# --------------------------------------------------------------------------


class _Series:
    """One region's rows, sorted by date (dates as proleptic ordinals)."""

    __slots__ = ("name", "days", "confirmed", "deaths", "recovered", "new_confirmed", "new_deaths")

    def __init__(
        self,
        name: str,
        days: list[int],
        confirmed: list[int | None],
        deaths: list[int | None],
        recovered: list[int | None],
        new_confirmed: list[int | None] | None = None,
        new_deaths: list[int | None] | None = None,
    ) -> None:
        self.name = name
        self.days = days
        self.confirmed = confirmed
        self.deaths = deaths
        self.recovered = recovered
        self.new_confirmed = new_confirmed if new_confirmed is not None else _daily_difference(days, confirmed)
        self.new_deaths = new_deaths if new_deaths is not None else _daily_difference(days, deaths)

    @property
    def first(self) -> _dt.date:
        return _dt.date.fromordinal(self.days[0])

    @property
    def last(self) -> _dt.date:
        return _dt.date.fromordinal(self.days[-1])

    def figures(self, region: str | None, as_of: _dt.date | None, source: str) -> Figures:
        if not self.days:
            raise NoData(region, as_of, f"{source} has no rows for {self.name}")
        if as_of is None:
            i = len(self.days) - 1
        else:
            i = bisect.bisect_right(self.days, as_of.toordinal()) - 1
            if i < 0:
                raise NoData(
                    region, as_of, f"the figures for {self.name} begin on {self.first.isoformat()}"
                )
        c, d, r = self.confirmed[i], self.deaths[i], self.recovered[i]
        return Figures(
            region=region,
            name=self.name,
            date=_dt.date.fromordinal(self.days[i]),
            updated=None,
            confirmed=c,
            deaths=d,
            recovered=r,
            active=_active(c, d, r),
            new_confirmed=self.new_confirmed[i],
            new_deaths=self.new_deaths[i],
            source=source,
        )


def _daily_difference(days: Sequence[int], values: Sequence[int | None]) -> list[int | None]:
    out: list[int | None] = [None] * len(values)
    for i in range(1, len(values)):
        a, b = values[i - 1], values[i]
        if a is not None and b is not None and days[i] - days[i - 1] == 1:
            out[i] = b - a
    return out


def _active(confirmed: int | None, deaths: int | None, recovered: int | None) -> int | None:
    if confirmed is None or deaths is None or recovered is None:
        return None
    active = confirmed - deaths - recovered
    return active if active >= 0 else None  # an inconsistent row is no fact either


# --------------------------------------------------------------------------
# The bundled dataset
# --------------------------------------------------------------------------


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
            name, start = meta[key]
            self._rows[key] = (name, start, fields["confirmed"], fields["deaths"], fields["recovered"])

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
    """Figures from the dataset shipped in ``shortcodes/data/`` (no network).

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
    shortcodes.sources.NoData: No COVID-19 figures for EG on or before 2019-12-31: the figures for Egypt begin on 2020-01-22.
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
                    origin = f"shortcodes/data/{_DATA_FILE}"
                    try:
                        raw = resources.files("shortcodes.data").joinpath(_DATA_FILE).read_bytes()
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

    def regions(self) -> list[str | None]:
        """Every region the dataset has: ``None`` (the world) first, then codes."""
        keys = self._data().keys
        return [None, *sorted(k for k in keys if k != _WORLD_KEY)] if _WORLD_KEY in keys else sorted(keys)

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
        when = _as_date(as_of)
        code = _normalize(region, when)
        return self._series(code, when).figures(code, when, self.source)


def _normalize(region: str | None, as_of: _dt.date | None) -> str | None:
    try:
        return normalize_region(region)
    except NoData as exc:
        raise NoData(exc.region, as_of, exc.reason) from None


# --------------------------------------------------------------------------
# disease.sh
# --------------------------------------------------------------------------


class DiseaseShProvider:
    """disease.sh v3 JSON (``/v3/covid-19/all``, ``/v3/covid-19/countries``).

    ``source`` is one of

    * an API root such as ``https://disease.sh`` or
      ``https://disease.sh/v3/covid-19/countries``: the world comes from
      ``<root>/v3/covid-19/all``, countries from ``<root>/v3/covid-19/countries``
      (one request for all countries);
    * any other ``http(s)`` URL, or a file path: one JSON document, either the
      ``countries`` list, a single country object, or the ``all`` object (an
      object without a ``country`` field is the world).

    Fields read: ``cases``, ``todayCases``, ``deaths``, ``todayDeaths``,
    ``recovered``, ``active``, ``updated`` (milliseconds since the epoch),
    ``country`` and ``countryInfo.iso2``.  ``Figures.date`` is the UTC date of
    ``updated`` and ``Figures.updated`` the exact time; ``new_confirmed`` and
    ``new_deaths`` are ``todayCases`` and ``todayDeaths``.  disease.sh
    reports 0 recovered (and so ``active`` = cases - deaths) for countries
    that do not count recoveries; a 0 while cases are confirmed, or a
    ``null``, is therefore unknown (``None``), and so is ``active``.

    The figures are current ones, so ``figures(region, as_of)`` raises
    :class:`NoData` when ``as_of`` is before the source's date.

    Requests time out after ``timeout`` seconds.  With ``cache_dir`` each
    response is kept on disk and reused for ``cache_ttl`` seconds; a stale
    copy is used when the source cannot be reached (the figures carry their
    own date).  A failure raises :class:`SourceUnavailable` (a
    :class:`NoData`) naming the URL or file and the reason; a file that does
    not exist raises :class:`FileNotFoundError` at once.
    """

    def __init__(
        self,
        source: str | os.PathLike[str],
        *,
        timeout: float = 10.0,
        cache_dir: str | os.PathLike[str] | None = None,
        cache_ttl: float = 3600.0,
    ) -> None:
        self.timeout = float(timeout)
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.cache_ttl = float(cache_ttl)
        self._docs: dict[str, Any] = {}
        self._failures: dict[str, SourceUnavailable] = {}
        self._lock = threading.Lock()
        text = os.fspath(source)
        scheme = urllib.parse.urlsplit(text).scheme.lower() if isinstance(text, str) else ""
        self._root: str | None = None
        self._url: str | None = None
        self._path: Path | None = None
        if scheme in ("http", "https"):
            parts = urllib.parse.urlsplit(text)
            marker = parts.path.find("/v3/covid-19")
            if marker >= 0 or parts.path in ("", "/"):
                base = parts.path[:marker] if marker >= 0 else ""
                self._root = urllib.parse.urlunsplit((parts.scheme, parts.netloc, base + "/v3/covid-19", "", ""))
            else:
                self._url = text
            self.source = f"disease.sh API ({text})"
        else:
            self._path = Path(text)
            if not self._path.is_file():
                raise FileNotFoundError(errno.ENOENT, "no such disease.sh JSON file", text)
            self.source = f"disease.sh data ({self._path.name})"

    def __repr__(self) -> str:
        where = self._root or self._url or str(self._path)
        return f"DiseaseShProvider({where!r}, timeout={self.timeout})"

    # -- fetching ----------------------------------------------------------

    def _document(self, where: str) -> Any:
        """The parsed JSON at ``where``: read once; a failure is remembered too,
        so a page with many cards waits for an unreachable source only once."""
        with self._lock:
            if where in self._failures:
                raise self._failures[where]
            if where not in self._docs:
                try:
                    body = self._read_file(where) if self._path is not None else self._fetch(where)
                    try:
                        self._docs[where] = json.loads(body)
                    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                        raise SourceUnavailable(where, f"not valid JSON ({exc})") from None
                except SourceUnavailable as exc:
                    self._failures[where] = exc
                    raise
            return self._docs[where]

    @staticmethod
    def _read_file(where: str) -> bytes:
        try:
            raw = Path(where).read_bytes()
            return gzip.decompress(raw) if where.lower().endswith(".gz") else raw
        except (OSError, EOFError) as exc:
            raise SourceUnavailable(where, getattr(exc, "strerror", None) or str(exc)) from None

    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"disease-sh-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:32]}.json"

    def _fetch(self, url: str) -> bytes:
        cached = self._cache_file(url)
        if cached is not None and cached.is_file():
            if time.time() - cached.stat().st_mtime < self.cache_ttl:
                return cached.read_bytes()
        try:
            body = self._download(url)
        except SourceUnavailable:
            if cached is not None and cached.is_file():
                return cached.read_bytes()
            raise
        if cached is not None:
            try:
                json.loads(body)
            except ValueError:
                return body  # reported by the caller; never cache a bad answer
            from .fileio import atomic_write_bytes

            try:
                atomic_write_bytes(cached, body)
            except OSError:
                pass  # a cache that cannot be written is no reason to fail
        return body

    def _download(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(_MAX_BODY + 1)
        except urllib.error.HTTPError as exc:
            raise SourceUnavailable(url, f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                raise SourceUnavailable(url, f"timed out after {self.timeout:g} s") from None
            raise SourceUnavailable(url, str(reason)) from None
        except TimeoutError:
            raise SourceUnavailable(url, f"timed out after {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise SourceUnavailable(url, f"{type(exc).__name__}: {exc}") from None
        if len(body) > _MAX_BODY:
            raise SourceUnavailable(url, f"the answer is larger than {_MAX_BODY // (1024 * 1024)} MB")
        return body

    # -- answering ---------------------------------------------------------

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Current figures for ``region``; see the class docstring."""
        when = _as_date(as_of)
        code = _normalize(region, when)
        if self._root is not None:
            where = f"{self._root}/all" if code is None else f"{self._root}/countries"
        else:
            where = str(self._path) if self._path is not None else str(self._url)
        doc = self._document(where)
        obj = _pick(doc, code, where, when)
        figures = _disease_sh_figures(obj, code, where, self.source)
        if when is not None and figures.date > when:
            raise NoData(
                code,
                when,
                f"{where} only has figures for {figures.date.isoformat()} (it serves current figures)",
            )
        return figures


def _pick(doc: Any, code: str | None, where: str, as_of: _dt.date | None) -> Mapping[str, Any]:
    if isinstance(doc, Mapping):
        items: list[Any] = [doc]
    elif isinstance(doc, list):
        items = doc
    else:
        raise SourceUnavailable(where, f"expected a JSON object or list, found {type(doc).__name__}")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise SourceUnavailable(where, f"item {index} is a {type(item).__name__}, not an object")
        if "message" in item and "cases" not in item:
            raise SourceUnavailable(where, f"the API answered: {item['message']}")
    if code is None:
        for item in items:
            if "country" not in item:
                return item
        raise NoData(None, as_of, f"{where} has no world totals (those come from /v3/covid-19/all)")
    table = _countries()
    for item in items:
        info = item.get("countryInfo")
        iso2 = info.get("iso2") if isinstance(info, Mapping) else None
        if isinstance(iso2, str) and iso2.upper() == code:
            return item
    for item in items:  # no ISO code in the object: match the name
        name = item.get("country")
        if isinstance(name, str) and table.lookup.get(name.strip().casefold()) == code:
            return item
    raise NoData(code, as_of, f"{where} has no figures for {region_name(code)}")


def _count(obj: Mapping[str, Any], field: str, where: str, *, required: bool = False) -> int | None:
    if field not in obj or obj[field] is None:
        if required:
            raise SourceUnavailable(where, f"the field {field!r} is missing")
        return None
    value = obj[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
        isinstance(value, float) and not (math.isfinite(value) and value.is_integer())
    ):
        raise SourceUnavailable(where, f"the field {field!r} is {value!r}, not a whole number")
    return int(value)


def _disease_sh_figures(obj: Mapping[str, Any], code: str | None, where: str, source: str) -> Figures:
    confirmed = _count(obj, "cases", where, required=True)
    deaths = _count(obj, "deaths", where, required=True)
    recovered = _count(obj, "recovered", where)
    if recovered is not None and (recovered < 0 or (recovered == 0 and confirmed)):
        recovered = None
    active = _count(obj, "active", where) if recovered is not None else None
    if active is None and recovered is not None:
        active = _active(confirmed, deaths, recovered)
    if active is not None and active < 0:
        active = None
    stamp = _count(obj, "updated", where, required=True)
    assert stamp is not None
    try:
        updated = _dt.datetime.fromtimestamp(stamp / 1000, tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise SourceUnavailable(where, f"the field 'updated' is {stamp!r}, not a time in milliseconds") from None
    name = obj.get("country") if code is not None else "World"
    if not isinstance(name, str) or not name:
        name = region_name(code)
    return Figures(
        region=code,
        name=name,
        date=updated.date(),
        updated=updated,
        confirmed=confirmed,
        deaths=deaths,
        recovered=recovered,
        active=active,
        new_confirmed=_count(obj, "todayCases", where),
        new_deaths=_count(obj, "todayDeaths", where),
        source=source,
    )


# --------------------------------------------------------------------------
# CSV downloads
# --------------------------------------------------------------------------

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

    def regions(self) -> list[str | None]:
        """The regions the file has figures for (``None`` = the world first)."""
        series = self._load()
        return ([None] if None in series else []) + sorted(k for k in series if k is not None)

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Latest figures on or before ``as_of`` (see :class:`BundledProvider`)."""
        when = _as_date(as_of)
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
                    raise SourceUnavailable(str(self.path), f"{type(exc).__name__}: {exc}") from None
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
            raise self._error(line, f"{column} is {cell!r}, not a number") from None
        if not (math.isfinite(value) and value.is_integer()):
            raise self._error(line, f"{column} is {cell!r}, not a whole number")
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
            get = lambda key: self._number(row[cols[key]], line, header[cols[key]]) if key in cols else None  # noqa: E731
            acc.setdefault(code, {})[self._date(row[cols["date"]], line)] = (
                get("cases"),
                get("deaths"),
                get("new_cases"),
                get("new_deaths"),
            )
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
                        except ValueError:
                            raise SourceUnavailable(
                                f"{path}:{line}", f"{header[i]} is {cell!r}, not a number"
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


# --------------------------------------------------------------------------
# Choosing a provider
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def default_provider() -> Provider:
    """The process-wide :class:`BundledProvider` (created once).

    >>> default_provider() is default_provider()
    True
    """
    return BundledProvider()


def provider_from_spec(spec: str | os.PathLike[str]) -> Provider:
    """The provider for a ``--stats`` value.

    * ``http://...`` / ``https://...`` or a ``.json`` file: :class:`DiseaseShProvider`;
    * a ``.csv`` (or ``.csv.gz``) file: :class:`CsvProvider` (shape told by the header);
    * ``bundled`` (or an empty string): the bundled dataset.

    Raises :class:`ValueError` for anything else and :class:`FileNotFoundError`
    for a file that does not exist.

    >>> provider_from_spec("https://disease.sh")
    DiseaseShProvider('https://disease.sh/v3/covid-19', timeout=10.0)
    >>> provider_from_spec("figures.txt")
    Traceback (most recent call last):
      ...
    ValueError: cannot tell what kind of source 'figures.txt' is: give an http(s) URL, a disease.sh .json file or a .csv file
    """
    text = os.fspath(spec).strip()
    if text.lower() in ("", "bundled"):
        return default_provider()
    if urllib.parse.urlsplit(text).scheme.lower() in ("http", "https"):
        return DiseaseShProvider(text)
    lower = text.lower()
    if lower.endswith((".json", ".json.gz")):
        return DiseaseShProvider(text)
    if lower.endswith((".csv", ".csv.gz")):
        return CsvProvider(text)
    raise ValueError(
        f"cannot tell what kind of source {text!r} is: give an http(s) URL, a disease.sh .json file or a .csv file"
    )
