"""A region's daily series: the shape the bundled and the CSV providers both read into."""
from __future__ import annotations

import bisect
import datetime as _dt
from typing import Sequence

from ...common.errors import NoData
from .model import Figures, check_totals


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
        check_totals(source, region, as_of, confirmed=c, deaths=d)
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
