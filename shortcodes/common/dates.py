"""Dates given by users (``as_of``, ``--as-of``, a variants file, an ini key): one way to read them.

>>> coerce_date("2021-10-10"), coerce_date(None), coerce_date("")
(datetime.date(2021, 10, 10), None, None)
>>> coerce_date("2021-10-10 08:30:00", prefix=True)
datetime.date(2021, 10, 10)
>>> coerce_date("10/10/2021", "--as-of")
Traceback (most recent call last):
...
ValueError: --as-of '10/10/2021' is not a date (use YYYY-MM-DD)
"""
from __future__ import annotations

import datetime as _dt

__all__ = ["coerce_date", "DateLike"]

DateLike = "_dt.date | _dt.datetime | str | None"


def coerce_date(value: "_dt.date | _dt.datetime | str | None", what: str = "as_of", *,
                prefix: bool = False) -> _dt.date | None:
    """``value`` as a :class:`datetime.date` (``None`` and ``""`` give ``None``).

    A :class:`~datetime.datetime` gives its date; a string must be
    ``YYYY-MM-DD`` (with ``prefix=True``, only its first ten characters are
    read, so a WordPress ``post_date`` works).  ``what`` names the value in
    the :class:`ValueError` (a string that is not a date) or
    :class:`TypeError` (anything else).
    """
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value if type(value) is _dt.date else _dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if prefix:
            text = text[:10]
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a date (use YYYY-MM-DD)") from None
    raise TypeError(f"{what}: expected a date or a YYYY-MM-DD string, not {type(value).__name__}")
