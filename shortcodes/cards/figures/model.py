"""The figures a card shows (:class:`Figures`), what answers for them (:class:`Provider`), and the JHU recovery rule."""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

from ...common.errors import SourceUnavailable

#: First day on which JHU CSSE no longer reported recoveries (every
#: ``Recovered`` cell is 0 from this day on; 2021-08-04 is the last day with
#: figures).
JHU_RECOVERED_STOP = _dt.date(2021, 8, 5)


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
    """Anything that can answer ``figures(region, as_of)``.

    A provider may also have ``check()``, which reads its data at once and
    raises :class:`SourceUnavailable` when it cannot be used (see
    :func:`~shortcodes.cards.figures.check_provider`); the bundled ones do.
    """

    def figures(self, region: str | None, as_of: _dt.date | None = None) -> Figures:
        """Latest figures for ``region`` on or before ``as_of``; raises :class:`NoData`."""
        ...


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


#: The largest total a source may report: more people than have ever lived is no count.
MAX_TOTAL = 10**12

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, limit: int = 200) -> str:
    r"""``text`` from a remote source, safe to print: control and bidi-override characters escaped, length cut.

    >>> printable("\x1b[31mred\x1b[0m"), printable("x" * 300)[-2:]
    ('\\x1b[31mred\\x1b[0m', 'x…')
    """
    out = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                           else f"\\u{ord(m.group()):04x}", text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def check_totals(where: str, region: "str | None", as_of: "_dt.date | None", **totals: "int | None") -> None:
    """Refuse totals no source can mean: negative, or above :data:`MAX_TOTAL` (a :class:`SourceUnavailable`).

    >>> check_totals("x.json", "EG", None, cases=5, deaths=None)
    >>> check_totals("x.json", "EG", None, cases=-5)
    Traceback (most recent call last):
    ...
    shortcodes.common.errors.SourceUnavailable: Cannot read COVID-19 figures from x.json: cases is -5, a negative total.
    """
    for name, value in totals.items():
        if value is None:
            continue
        if value < 0:
            raise SourceUnavailable(where, f"{name} is {value}, a negative total", region=region, as_of=as_of)
        if value > MAX_TOTAL:
            raise SourceUnavailable(where, f"{name} is {str(value)[:20]}… ({len(str(value))} digits), "
                                    "not a plausible total", region=region, as_of=as_of)
