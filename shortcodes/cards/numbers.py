"""Numbers on the card: grouped by Babel, in the locale's own digits (``ar-EG``: ``٣١٢٬٤١٣``).

>>> format_number(1234567, "ar-EG"), format_number(-5, "en", signed=True), format_percent(5.66341, "en")
('١٬٢٣٤٬٥٦٧', '-5', '5.66%')
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from ..common.locales import coerce_locale

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

__all__ = ["format_number", "format_percent", "localize_digits"]

# First code point (digit zero) of the decimal numbering systems CLDR locales use by default.
_DIGIT_ZERO: Mapping[str, int] = {
    "arab": 0x0660, "arabext": 0x06F0, "deva": 0x0966, "beng": 0x09E6, "guru": 0x0A66,
    "gujr": 0x0AE6, "orya": 0x0B66, "tamldec": 0x0BE6, "telu": 0x0C66, "knda": 0x0CE6,
    "mlym": 0x0D66, "thai": 0x0E50, "laoo": 0x0ED0, "tibt": 0x0F20, "mymr": 0x1040,
    "khmr": 0x17E0, "olck": 0x1C50, "mtei": 0xABF0, "nkoo": 0x07C0, "fullwide": 0xFF10,
    "adlm": 0x1E950, "rohg": 0x10D30,
}


def _locale(value: "str | Locale") -> "Locale":
    loc = coerce_locale(value)
    if loc is None:
        raise ValueError("a locale is needed")
    return loc


def _numbering_system(locale: "Locale") -> str:
    return getattr(locale, "default_numbering_system", "latn") or "latn"


def localize_digits(text: str, locale: "str | Locale") -> str:
    """Write ASCII digits in ``text`` in the locale's default numbering system.

    >>> localize_digits("2021-10-10", "ar-EG"), localize_digits("2021-10-10", "ar")
    ('٢٠٢١-١٠-١٠', '2021-10-10')
    """
    zero = _DIGIT_ZERO.get(_numbering_system(_locale(locale)))
    if zero is None:
        return text
    return text.translate({0x30 + i: zero + i for i in range(10)})


def _babel_format(number: float, pattern: str | None, locale: "Locale") -> str:
    from babel.numbers import format_decimal

    try:
        return format_decimal(number, format=pattern, locale=locale, numbering_system="default")
    except TypeError:  # Babel < 2.14 has no numbering_system
        return format_decimal(number, format=pattern, locale=locale)


_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))


def _symbols(locale: "Locale") -> tuple[str, str, str]:
    """(plus, minus, percent) of the locale's numbering system, without bidi marks.

    The card isolates every number with ``dir="ltr"``, so CLDR's LRM/ALM
    marks are not needed (and would only get in the way of copy and paste).
    """
    table = locale.number_symbols.get(_numbering_system(locale)) or locale.number_symbols.get("latn") or {}
    def sym(name: str, default: str) -> str:
        return (table.get(name) or default).translate(_BIDI_MARKS) or default
    return sym("plusSign", "+"), sym("minusSign", "-"), sym("percentSign", "%")


def _localize(text: str, loc: "Locale") -> str:
    plus, minus, percent = _symbols(loc)
    text = text.replace("%", percent).replace("+", plus)
    if text.startswith("-"):
        text = minus + text[1:]
    return localize_digits(text, loc)


def format_number(n: int, locale: "str | Locale" = "en", *, signed: bool = False) -> str:
    """``n`` grouped as the locale groups it, in the locale's digits.

    ``signed=True`` prefixes ``+`` to positive numbers (new cases); negative
    numbers (corrections) always keep their minus sign; zero has no sign.

    >>> format_number(1234, signed=True), format_number(-12, signed=True), format_number(0, signed=True)
    ('+1,234', '-12', '0')
    >>> format_number(-1234, "fa")
    '−۱٬۲۳۴'
    """
    loc = _locale(locale)
    if signed and n > 0:
        text = _babel_format(n, "+#,##0;-#,##0", loc)
    else:
        text = _babel_format(n, None, loc)
    return _localize(text, loc)


def format_percent(value: float, locale: "str | Locale" = "en") -> str:
    """``value`` (already a percentage) with two decimals and the locale's percent sign.

    >>> format_percent(5.66341, "ar-EG"), format_percent(5.66341, "ar")
    ('٥٫٦٦٪', '5.66%')
    """
    loc = _locale(locale)
    return _localize(_babel_format(value, "#,##0.00", loc) + "%", loc)
