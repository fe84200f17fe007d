"""Where the COVID-19 cards' figures come from.

A *provider* answers one question: "what were the figures for this region,
as of this date?"  It returns a :class:`Figures` or raises :class:`NoData`.

Three providers ship with the library, each a module of this package and an
entry of :data:`PROVIDERS`, the table ``--stats`` (:func:`provider_from_spec`)
chooses from:

* :class:`BundledProvider` -- the dataset bundled in ``shortcodes/cards/data/``:
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

import functools
import os
import urllib.parse
from dataclasses import dataclass
from typing import Callable

from ...common.errors import NoData, SourceUnavailable
from ...common.registry import Registry
from .bundled import BUNDLED_SOURCE, BundledProvider
from .csv_files import CsvProvider
from .model import JHU_RECOVERED_STOP, Figures, Provider, mark_unreported_recoveries
from .regions import normalize_region, region_name

__all__ = [
    "Figures",
    "NoData",
    "SourceUnavailable",
    "Provider",
    "BundledProvider",
    "DiseaseShProvider",
    "CsvProvider",
    "ProviderKind",
    "PROVIDERS",
    "default_provider",
    "provider_from_spec",
    "check_provider",
    "normalize_region",
    "region_name",
    "mark_unreported_recoveries",
    "JHU_RECOVERED_STOP",
    "BUNDLED_SOURCE",
]


@dataclass(frozen=True)
class ProviderKind:
    """One kind of ``--stats`` source: ``accepts(spec)`` says whether a spec is one, ``make(spec)`` opens it."""

    accepts: Callable[[str], bool]
    make: Callable[[str], Provider]
    description: str


@functools.lru_cache(maxsize=1)
def default_provider() -> Provider:
    """The process-wide :class:`BundledProvider` (created once).

    >>> default_provider() is default_provider()
    True
    """
    return BundledProvider()


def _is_url(text: str) -> bool:
    return urllib.parse.urlsplit(text).scheme.lower() in ("http", "https")


#: The kinds of figures source, tried in order.
PROVIDERS: Registry[ProviderKind] = Registry("figures source", entry_points="wp_shortcodes.figures")
def _disease_sh(spec: str) -> Provider:
    """A :class:`DiseaseShProvider` (its module, with the HTTP client, is imported only for one)."""
    return __getattr__("DiseaseShProvider")(spec)


def __getattr__(name: str) -> type:
    if name == "DiseaseShProvider":
        from .disease_sh import DiseaseShProvider  # reason: defers http.client/urllib.request (ssl, email)

        return DiseaseShProvider
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PROVIDERS.register("bundled", ProviderKind(lambda s: s.lower() in ("", "bundled"), lambda s: default_provider(),
                                           "bundled (the JHU CSSE data shipped with the package)"))
PROVIDERS.register("disease.sh-url", ProviderKind(_is_url, _disease_sh, "an http(s) URL"))
PROVIDERS.register("disease.sh-file", ProviderKind(lambda s: s.lower().endswith((".json", ".json.gz")),
                                                   _disease_sh, "a disease.sh .json file"))
PROVIDERS.register("csv", ProviderKind(lambda s: s.lower().endswith((".csv", ".csv.gz")), CsvProvider,
                                       "a .csv file"))


def check_provider(provider: Provider) -> None:
    """Read ``provider``'s data now, once, if it can say (its ``check()``); raise :class:`SourceUnavailable` if unusable.

    The command line does this before the first card, so that an unusable
    ``--stats`` source is one error naming it rather than one "no data"
    diagnostic per card; the data read is kept for every card after.
    """
    check = getattr(provider, "check", None)
    if callable(check):
        check()


def provider_from_spec(spec: str | os.PathLike[str], *, check: bool = False) -> Provider:
    """The provider for a ``--stats`` value: the first kind in :data:`PROVIDERS` that accepts it.

    With ``check=True`` its data is read at once (:func:`check_provider`).

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
    for name in PROVIDERS.names():
        kind = PROVIDERS[name]
        if kind.accepts(text):
            provider = kind.make(text)
            if check:
                check_provider(provider)
            return provider
    kinds = [PROVIDERS[name].description for name in PROVIDERS.names() if name != "bundled"]
    listed = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    raise ValueError(f"cannot tell what kind of source {text!r} is: give {listed}")
