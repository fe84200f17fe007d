r"""PHP's ``date()`` format strings, in Python.

WordPress shortcodes take PHP date formats (``last-update="Y-m-d H:i"``);
:func:`php_date` formats a :class:`datetime.datetime` exactly as PHP 8.2's
``date()`` / ``DateTime::format()`` would, with PHP's English day and month
names.

>>> from datetime import datetime, timezone
>>> from zoneinfo import ZoneInfo
>>> when = datetime(2021, 10, 10, 14, 5, 9, tzinfo=timezone.utc)
>>> php_date("Y-m-d H:i", when)
'2021-10-10 14:05'
>>> php_date("l, jS F Y \\a\\t g:i A T", when.astimezone(ZoneInfo("Asia/Gaza")))
'Sunday, 10th October 2021 at 5:05 PM EEST'
>>> php_date("D, d M Y H:i:s O", datetime(2000, 12, 21, 16, 1, 7)) == php_date("r", datetime(2000, 12, 21, 16, 1, 7))
True

Every format character of PHP 8.2 is implemented: ``d D j l N S w z W F m M
n t L o X x Y y a A B g G h H i s u v e I O P p T Z c r U``; a backslash
makes the next character literal (a trailing backslash gives a NUL
character, as in PHP), and any other character is copied as it is.

Time zones:

* an aware datetime is formatted in its own zone: ``e`` is the zone's name
  (a :class:`zoneinfo.ZoneInfo` key such as ``Africa/Cairo``; ``UTC`` for
  :data:`datetime.timezone.utc`, which is also what ``timezone(timedelta(0))``
  returns; ``+02:00`` for another unnamed fixed offset; the name of a named
  :class:`datetime.timezone`),
  ``T`` its abbreviation (``EEST``, ``+04``; ``GMT+0200`` for an unnamed fixed
  offset, as PHP), ``I`` whether daylight saving time is in effect;
* a **naive datetime is taken to be UTC** (PHP's ``date()`` would use the
  server's default zone; WordPress sets that to UTC).

``u`` and ``v`` give the datetime's microseconds and milliseconds (as
``DateTime::format()``; PHP's ``date()`` takes whole seconds and always
prints ``000000``).
"""
from __future__ import annotations

import calendar
import datetime as _dt
from typing import Callable

__all__ = ["php_date", "FORMAT_CHARACTERS"]

#: The characters that :func:`php_date` replaces (every other one is literal).
FORMAT_CHARACTERS = frozenset("dDjlNSwzWFmMntLoXxYyaABgGhHisuveIOPpTZcrU")

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_SECOND = _dt.timedelta(seconds=1)


def _suffix(day: int) -> str:
    if 10 <= day % 100 <= 19:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _year(year: int) -> str:
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _offset_parts(seconds: int) -> tuple[str, int, int]:
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    return sign, hours, rest // 60


class _Moment:
    """The pieces of one datetime that the format characters need."""

    def __init__(self, when: _dt.datetime) -> None:
        tz = when.tzinfo
        offset = when.utcoffset() if tz is not None else None
        if offset is None:  # naive (or a tzinfo that gives no offset): UTC
            when = when.replace(tzinfo=_dt.timezone.utc)
            tz = _dt.timezone.utc
            offset = _dt.timedelta(0)
        self.when = when
        self.offset = int(offset.total_seconds() // 1)
        sign, hh, mm = _offset_parts(self.offset)
        self.colon_offset = f"{sign}{hh:02d}:{mm:02d}"
        self.plain_offset = f"{sign}{hh:02d}{mm:02d}"
        if tz is _dt.timezone.utc:
            self.zone, self.abbr, self.dst = "UTC", "UTC", False
        elif isinstance(tz, _dt.timezone):
            name = tz.tzname(None)
            if name == _dt.timezone(offset).tzname(None):  # no name of its own: an offset zone
                self.zone, self.abbr = self.colon_offset, f"GMT{self.plain_offset}"
            else:
                self.zone = self.abbr = name
            self.dst = False
        else:
            abbr = when.tzname() or f"GMT{self.plain_offset}"
            self.abbr = abbr
            self.zone = getattr(tz, "key", None) or getattr(tz, "zone", None) or abbr
            dst = when.dst()
            self.dst = bool(dst)

    @property
    def timestamp(self) -> int:
        return (self.when - _EPOCH) // _SECOND

    def swatch(self) -> str:
        beats = ((self.timestamp % 86400 + 3600) * 10 // 864) % 1000
        return f"{beats:03d}"

    def z_char(self) -> str:
        return "Z" if self.abbr in ("UTC", "Z", "GMT+0000") else self.colon_offset


def _hour12(w: _dt.datetime) -> int:
    return w.hour % 12 or 12


_HANDLERS: dict[str, Callable[[_Moment], str]] = {
    # day
    "d": lambda m: f"{m.when.day:02d}",
    "D": lambda m: _DAYS[m.when.weekday()][:3],
    "j": lambda m: str(m.when.day),
    "l": lambda m: _DAYS[m.when.weekday()],
    "N": lambda m: str(m.when.isoweekday()),
    "S": lambda m: _suffix(m.when.day),
    "w": lambda m: str(m.when.isoweekday() % 7),
    "z": lambda m: str(m.when.timetuple().tm_yday - 1),
    # week
    "W": lambda m: f"{m.when.isocalendar()[1]:02d}",
    # month
    "F": lambda m: _MONTHS[m.when.month - 1],
    "m": lambda m: f"{m.when.month:02d}",
    "M": lambda m: _MONTHS[m.when.month - 1][:3],
    "n": lambda m: str(m.when.month),
    "t": lambda m: str(calendar.monthrange(m.when.year, m.when.month)[1]),
    # year
    "L": lambda m: "1" if calendar.isleap(m.when.year) else "0",
    "o": lambda m: str(m.when.isocalendar()[0]),
    "X": lambda m: ("-" if m.when.year < 0 else "+") + f"{abs(m.when.year):04d}",
    "x": lambda m: (("-" if m.when.year < 0 else "+") + f"{abs(m.when.year):04d}")
    if not 0 <= m.when.year < 10000 else _year(m.when.year),
    "Y": lambda m: _year(m.when.year),
    "y": lambda m: f"{m.when.year % 100:02d}",
    # time
    "a": lambda m: "pm" if m.when.hour >= 12 else "am",
    "A": lambda m: "PM" if m.when.hour >= 12 else "AM",
    "B": _Moment.swatch,
    "g": lambda m: str(_hour12(m.when)),
    "G": lambda m: str(m.when.hour),
    "h": lambda m: f"{_hour12(m.when):02d}",
    "H": lambda m: f"{m.when.hour:02d}",
    "i": lambda m: f"{m.when.minute:02d}",
    "s": lambda m: f"{m.when.second:02d}",
    "u": lambda m: f"{m.when.microsecond:06d}",
    "v": lambda m: f"{m.when.microsecond // 1000:03d}",
    # time zone
    "e": lambda m: m.zone,
    "I": lambda m: "1" if m.dst else "0",
    "O": lambda m: m.plain_offset,
    "P": lambda m: m.colon_offset,
    "p": _Moment.z_char,
    "T": lambda m: m.abbr,
    "Z": lambda m: str(m.offset),
    # full date/time
    "c": lambda m: f"{_year(m.when.year)}-{m.when.month:02d}-{m.when.day:02d}T"
    f"{m.when.hour:02d}:{m.when.minute:02d}:{m.when.second:02d}{m.colon_offset}",
    "r": lambda m: f"{_DAYS[m.when.weekday()][:3]}, {m.when.day:02d} {_MONTHS[m.when.month - 1][:3]} "
    f"{_year(m.when.year)} {m.when.hour:02d}:{m.when.minute:02d}:{m.when.second:02d} {m.plain_offset}",
    "U": lambda m: str(m.timestamp),
}
assert frozenset(_HANDLERS) == FORMAT_CHARACTERS


def php_date(format: str, when: _dt.datetime | _dt.date) -> str:
    """Format ``when`` the way PHP's ``date(format)`` does.

    A naive datetime is taken to be UTC; a :class:`datetime.date` is midnight
    UTC of that day.

    >>> from datetime import datetime, timedelta, timezone
    >>> cairo_summer = timezone(timedelta(hours=3))
    >>> php_date("c | e | T | U", datetime(2021, 8, 4, 23, 30, tzinfo=cairo_summer))
    '2021-08-04T23:30:00+03:00 | +03:00 | GMT+0300 | 1628109000'
    >>> php_date("N jS z t L W o B", datetime(2020, 12, 31, 22, 0))
    '4 31st 365 31 1 53 2020 958'
    >>> php_date(r"\\Y\\-\\m: Y-m", datetime(2021, 1, 2))
    'Y-m: 2021-01'
    """
    if not isinstance(format, str):
        raise TypeError(f"format must be a str, not {type(format).__name__}")
    if not isinstance(when, _dt.datetime):
        if isinstance(when, _dt.date):
            when = _dt.datetime(when.year, when.month, when.day)
        else:
            raise TypeError(f"when must be a datetime, not {type(when).__name__}")
    moment = _Moment(when)
    out: list[str] = []
    i, n = 0, len(format)
    while i < n:
        ch = format[i]
        if ch == "\\":
            i += 1
            out.append(format[i] if i < n else "\0")
        else:
            handler = _HANDLERS.get(ch)
            out.append(handler(moment) if handler is not None else ch)
        i += 1
    return "".join(out)
