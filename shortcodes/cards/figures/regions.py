"""Regions: ISO 3166 codes, the data's English names, and the world (``None``)."""
from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

from ...common.errors import NoData
from ..data import DATA_PACKAGE

_COUNTRIES_FILE = "countries.csv"
_WORLD_KEY = "WORLD"
_WORLD_ALIASES = frozenset({"", "world", "owid_wrl"})


@dataclass(frozen=True)
class _CountryTable:
    names: Mapping[str, str]  # alpha-2 -> name as in the data
    lookup: Mapping[str, str]  # casefolded alpha-2 / alpha-3 / name -> alpha-2
    alpha3: Mapping[str, str]  # alpha-3 -> alpha-2


@functools.lru_cache(maxsize=1)
def _countries() -> _CountryTable:
    text = resources.files(DATA_PACKAGE).joinpath(_COUNTRIES_FILE).read_text(encoding="utf-8")
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
    shortcodes.common.errors.NoData: No COVID-19 figures for Atlantis: unknown region (use an ISO 3166 alpha-2 code such as "EG").
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


def _normalize(region: str | None, as_of: _dt.date | None) -> str | None:
    try:
        return normalize_region(region)
    except NoData as exc:
        raise NoData(exc.region, as_of, exc.reason) from None
