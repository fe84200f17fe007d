"""The card's "last updated" date: PHP ``date()`` formats, without an invented time of day."""
from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from ..php.date import php_date
from .attributes import DEFAULT_DATE_FORMAT

if TYPE_CHECKING:  # pragma: no cover
    from .figures import Figures

__all__ = ["date_only_format", "updated_date"]

_PHP_DATE_CHARS = frozenset("dDjlNSwzWFmMntLoXxYyc" "rU")
_PHP_TIME_CHARS = frozenset("aABgGhHisuveIOPpTZ")


def date_only_format(fmt: str) -> str:
    """Drop time-of-day characters (and the separators around them) from a PHP date format.

    Used when the figures carry a day but no time, so ``Y-m-d H:i`` does not
    print an invented ``00:00``.  ``c`` becomes ``Y-m-d`` and ``r``
    becomes ``D, d M Y``.

    >>> date_only_format("Y-m-d H:i"), date_only_format("H:i, d/m/Y"), date_only_format("l \\\\a\\\\t g:i a, j F")
    ('Y-m-d', 'd/m/Y', 'l, j F')
    >>> date_only_format("H:i")
    ''
    """
    tokens: list[tuple[str, str]] = []   # (kind, text): kind in date / time / lit
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "\\" and i + 1 < len(fmt):
            tokens.append(("lit", fmt[i:i + 2]))
            i += 2
            continue
        if ch == "c":
            tokens.append(("date", "Y-m-d"))
        elif ch == "r":
            tokens.append(("date", "D, d M Y"))
        elif ch in _PHP_DATE_CHARS:
            tokens.append(("date", ch))
        elif ch in _PHP_TIME_CHARS:
            tokens.append(("time", ch))
        else:
            tokens.append(("lit", ch))
        i += 1
    out: list[str] = []
    j = 0
    n = len(tokens)
    while j < n:
        if tokens[j][0] == "date":
            out.append(tokens[j][1])
            j += 1
            continue
        k = j
        while k < n and tokens[k][0] != "date":
            k += 1
        group = tokens[j:k]
        if not any(kind == "time" for kind, _ in group):
            out.extend(t for _, t in group)
        elif j > 0 and k < n:
            # between two date parts: keep the separator after the time (", " in
            # "l, H:i, d F"), else the one before it
            def plain(group: list[tuple[str, str]]) -> list[str]:
                kept: list[str] = []
                for kind, t in group:
                    if kind == "time" or t.startswith("\\"):
                        break
                    kept.append(t)
                return kept
            prefix = plain(group[::-1])[::-1] or plain(group)
            out.append("".join(prefix) or " ")
        j = k
    return "".join(out)


def updated_date(fig: "Figures", fmt: str | None) -> tuple[str, str]:
    """(text, ISO value for <time datetime>) of the figures' timestamp."""
    fmt = DEFAULT_DATE_FORMAT if fmt is None or not fmt.strip() else fmt
    if fig.updated is not None:
        return php_date(fmt, fig.updated), fig.updated.isoformat()
    day = _dt.datetime.combine(fig.date, _dt.time())
    date_fmt = date_only_format(fmt)
    text = php_date(date_fmt, day) if date_fmt.strip() else fig.date.isoformat()
    return text.strip(), fig.date.isoformat()
