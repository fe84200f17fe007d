"""The ``[covid19-ultimate-card]`` shortcode: attributes, colours, figures, formatting.

The template ``covid19-ultimate-card.html`` stays thin: it calls
``covid19_card(node, ctx)`` (this module's :func:`card_view`) and writes out
the :class:`CardView` it gets back.  Everything that needs judgement is here:

* what each attribute means, and its default (:data:`ATTRIBUTES`);
* CSS colour validation (:func:`parse_color`): a colour that is not valid
  CSS colour syntax is refused with a diagnostic and never written into a
  style;
* WCAG contrast (:func:`contrast_ratio`), checked for the card's colours;
* number formatting with Babel (:func:`format_number`,
  :func:`format_percent`), in the locale's own digits (``ar-EG``: Arabic-Indic);
* the figures, from ``ctx.provider`` (see :mod:`shortcodes.sources`), and the
  "no data" state when there are none.

Attributes (all optional):

``region``
    ISO 3166 alpha-2 code (``EG``); absent: the whole world.
``region-name``
    the heading; absent: the country's name in the card's language
    (Babel's territory names; ``World`` / ``العالم`` for the world).
``confirmed-label``, ``deaths-label``, ``recovered-label``, ``active-label``,
``confirmed-24h-label``, ``deaths-24h-label``, ``deaths-rate-label``, ``last-update-label``
    row labels; default English, or Arabic on an Arabic card.
``confirmed-24h``, ``deaths-24h``, ``deaths-rate``
    ``true``/``false`` (default ``false``): show the new-in-24-hours rows and
    the death rate row.
``font-color``, ``bg-color``
    CSS colours (hex, ``rgb()``/``rgba()``/``hsl()``/``hsla()``, named).
``bg-position``
    ``right``/``left``/``center`` (default ``right``): where the decorative
    background motif sits (physical sides, as CSS ``background-position``).
``rtl``
    ``true``: the card is right-to-left; ``false``: left-to-right; absent:
    the direction of the card's language.
``last-update``
    a PHP ``date()`` format for the figures' date (default ``Y-m-d``).  When
    the source gives only a day, time-of-day characters (``H``, ``i``, …) are
    left out with their separators instead of printing an invented ``00:00``.

The card's language is the renderer's locale when there is one; otherwise
Arabic when ``rtl="true"`` or a label is written in Arabic letters; else
English.  Numbers use the locale's own digits (``locale="ar-EG"``:
Arabic-Indic digits ``٣١٢٬٤١٣``); with no locale, Western digits.

>>> parse_color("#0C3278")
(12, 50, 120, 1.0)
>>> parse_color("red;background:url(x)") is None
True
>>> round(contrast_ratio(parse_color("white"), parse_color("#0c3278")), 2)
12.05
>>> format_number(1234567, "ar-EG"), format_number(-5, "en", signed=True), format_percent(5.66341, "en")
('١٬٢٣٤٬٥٦٧', '-5', '5.66%')
"""
from __future__ import annotations

import colorsys
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:  # pragma: no cover
    from babel import Locale

    from .nodes import Shortcode
    from .renderer import RenderContext
    from .sources import Figures

__all__ = [
    "TAG",
    "ATTRIBUTES",
    "DEFAULT_FONT_COLOR",
    "DEFAULT_BG_COLOR",
    "LABELS",
    "CardView",
    "Row",
    "Value",
    "card_view",
    "parse_color",
    "normalize_color",
    "contrast_ratio",
    "relative_luminance",
    "format_number",
    "format_percent",
    "localize_digits",
    "script_language",
    "date_only_format",
]

TAG = "covid19-ultimate-card"

#: Default colours: white on dark blue (contrast 12.8:1, WCAG AAA).
DEFAULT_FONT_COLOR = "#ffffff"
DEFAULT_BG_COLOR = "#16325c"
DEFAULT_BG_POSITION = "right"
DEFAULT_DATE_FORMAT = "Y-m-d"
BG_POSITIONS = ("right", "left", "center")
MIN_CONTRAST = 4.5

#: Built-in labels, by language.
LABELS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "confirmed": "Confirmed",
        "confirmed-24h": "New cases (24 h)",
        "deaths": "Deaths",
        "deaths-24h": "New deaths (24 h)",
        "deaths-rate": "Death rate",
        "recovered": "Recovered",
        "active": "Active",
        "last-update": "Last updated:",
        "source": "Source:",
        "unknown": "unknown",
        "no-data": "No figures are available for {region}.",
        "no-data-on": "No figures are available for {region} on {date}.",
    },
    "ar": {
        "confirmed": "إجمالي الحالات",
        "confirmed-24h": "الحالات الجديدة (آخر 24 ساعة)",
        "deaths": "إجمالي الوفيات",
        "deaths-24h": "الوفيات الجديدة (آخر 24 ساعة)",
        "deaths-rate": "نسبة الوفيات",
        "recovered": "المتعافون",
        "active": "الحالات النشطة",
        "last-update": "آخر تحديث:",
        "source": "المصدر:",
        "unknown": "غير معروف",
        "no-data": "لا تتوفر بيانات عن {region}.",
        "no-data-on": "لا تتوفر بيانات عن {region} بتاريخ {date}.",
    },
}

#: Every attribute the card reads, with what it means.
ATTRIBUTES: Mapping[str, str] = {
    "region": "ISO 3166 alpha-2 code; absent: the world",
    "region-name": "heading; absent: the region's name in the card's language",
    "confirmed-label": "label of the confirmed-cases row",
    "deaths-label": "label of the deaths row",
    "recovered-label": "label of the recovered row",
    "active-label": "label of the active-cases row",
    "confirmed-24h": "true/false: show new cases in the last 24 hours",
    "confirmed-24h-label": "label of the new-cases row",
    "deaths-24h": "true/false: show new deaths in the last 24 hours",
    "deaths-24h-label": "label of the new-deaths row",
    "deaths-rate": "true/false: show deaths per 100 confirmed cases",
    "deaths-rate-label": "label of the death-rate row",
    "font-color": "CSS colour of the text",
    "bg-color": "CSS colour of the background",
    "bg-position": "right/left/center: where the background motif sits",
    "rtl": "true/false: right-to-left card",
    "last-update": "PHP date() format of the figures' date",
    "last-update-label": "text before the date",
}

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})
_RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "sd", "ug", "yi", "dv"})
_ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "ckb", "sd", "ug"})

# ---------------------------------------------------------------------------
# CSS colours
# ---------------------------------------------------------------------------

# The 148 named colours of CSS Color 4 (plus transparent and currentcolor below).
_NAMED_HEX = (
    "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc "
    "bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a "
    "burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 "
    "cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b "
    "darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b "
    "darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000 "
    "darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f "
    "darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff "
    "dimgray 696969 dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 "
    "forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff goldenrod daa520 "
    "gold ffd700 gray 808080 green 008000 greenyellow adff2f grey 808080 honeydew f0fff0 "
    "hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavenderblush fff0f5 "
    "lavender e6e6fa lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 "
    "lightcyan e0ffff lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 "
    "lightgrey d3d3d3 lightpink ffb6c1 lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa "
    "lightslategray 778899 lightslategrey 778899 lightsteelblue b0c4de lightyellow ffffe0 "
    "lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000 "
    "mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db "
    "mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc "
    "mediumvioletred c71585 midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 "
    "navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 "
    "orangered ff4500 orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee "
    "palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd "
    "powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f "
    "royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 "
    "seashell fff5ee sienna a0522d silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 "
    "slategrey 708090 snow fffafa springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 "
    "thistle d8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff "
    "whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32"
).split()
NAMED_COLORS: Mapping[str, str] = {_NAMED_HEX[i]: "#" + _NAMED_HEX[i + 1] for i in range(0, len(_NAMED_HEX), 2)}

RGBA = tuple[float, float, float, float]

_WS = r"[ \t\n\r\f]*"
_WS1 = r"[ \t\n\r\f]+"
_NUM = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_PCT = _NUM + "%"
_HUE = _NUM + r"(?:deg|grad|rad|turn)?"
_ALPHA = rf"(?:{_PCT}|{_NUM})"


def _rx(body: str) -> "re.Pattern[str]":
    return re.compile(body, re.IGNORECASE | re.ASCII)


_HEX_RX = _rx(r"#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})")
_RGB_LEGACY_NUM = _rx(rf"rgba?\({_WS}({_NUM}){_WS},{_WS}({_NUM}){_WS},{_WS}({_NUM}){_WS}(?:,{_WS}({_ALPHA}){_WS})?\)")
_RGB_LEGACY_PCT = _rx(rf"rgba?\({_WS}({_PCT}){_WS},{_WS}({_PCT}){_WS},{_WS}({_PCT}){_WS}(?:,{_WS}({_ALPHA}){_WS})?\)")
_RGB_MODERN = _rx(rf"rgba?\({_WS}({_PCT}|{_NUM}|none){_WS1}({_PCT}|{_NUM}|none){_WS1}({_PCT}|{_NUM}|none)"
                  rf"{_WS}(?:/{_WS}({_ALPHA}|none){_WS})?\)")
_HSL_LEGACY = _rx(rf"hsla?\({_WS}({_HUE}){_WS},{_WS}({_PCT}){_WS},{_WS}({_PCT}){_WS}(?:,{_WS}({_ALPHA}){_WS})?\)")
_HSL_MODERN = _rx(rf"hsla?\({_WS}({_HUE}|none){_WS1}({_PCT}|{_NUM}|none){_WS1}({_PCT}|{_NUM}|none)"
                  rf"{_WS}(?:/{_WS}({_ALPHA}|none){_WS})?\)")


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return lo if x < lo else hi if x > hi else x


def _channel(token: str, scale: float = 255.0) -> float:
    """A 0..1 value from a number (0..scale) or a percentage; ``none`` is 0."""
    token = token.lower()
    if token == "none":
        return 0.0
    if token.endswith("%"):
        return _clamp(float(token[:-1]) / 100)
    return _clamp(float(token) / scale)


def _alpha(token: str | None) -> float:
    if token is None:
        return 1.0
    return _channel(token, 1.0)


def _hue(token: str) -> float:
    token = token.lower()
    if token == "none":
        return 0.0
    for unit, per_turn in (("grad", 400.0), ("deg", 360.0), ("rad", 6.283185307179586), ("turn", 1.0)):
        if token.endswith(unit):
            return (float(token[: -len(unit)]) / per_turn) % 1.0
    return (float(token) / 360.0) % 1.0


def parse_color(value: str) -> RGBA | None:
    """Parse a CSS colour into ``(r, g, b, alpha)`` (0–255 channels, alpha 0–1).

    Accepts hex (``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``),
    ``rgb()``/``rgba()``/``hsl()``/``hsla()`` in the comma syntax and the
    modern space syntax (``rgb(12 50 120 / 50%)``, ``none``), the named
    colours, ``transparent`` and ``currentcolor``.  Returns ``None`` for
    anything else.  ``currentcolor`` has no value of its own: it parses as
    ``(0, 0, 0, 0)``.

    >>> parse_color("rgb(12 50 120 / 50%)")
    (12, 50, 120, 0.5)
    >>> parse_color("hsl(120deg, 100%, 25%)")
    (0, 128, 0, 1.0)
    >>> [parse_color(v) for v in ("expression(alert(1))", "#12345", "red }", "")]
    [None, None, None, None]
    """
    if not isinstance(value, str):
        return None
    v = value.strip(" \t\n\r\f")
    if not v or len(v) > 200:
        return None
    low = v.lower()
    if low in NAMED_COLORS:
        return parse_color(NAMED_COLORS[low])
    if low == "transparent" or low == "currentcolor":
        return (0, 0, 0, 0.0)
    m = _HEX_RX.fullmatch(v)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h)
        r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
        a = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
        return (r, g, b, round(a, 4))
    for rx in (_RGB_LEGACY_NUM, _RGB_LEGACY_PCT, _RGB_MODERN):
        m = rx.fullmatch(v)
        if m:
            r, g, b = (round(_channel(t) * 255) for t in m.group(1, 2, 3))
            return (r, g, b, round(_alpha(m.group(4)), 4))
    for rx in (_HSL_LEGACY, _HSL_MODERN):
        m = rx.fullmatch(v)
        if m:
            h = _hue(m.group(1))
            s, lum = (_channel(t, 100.0) for t in m.group(2, 3))
            r, g, b = (round(c * 255) for c in colorsys.hls_to_rgb(h, lum, s))
            return (r, g, b, round(_alpha(m.group(4)), 4))
    return None


def normalize_color(value: str) -> str | None:
    """``value`` as it may be written into a style (trimmed, lower-case), or ``None``.

    Only strings :func:`parse_color` accepts come back, so the result holds
    nothing but ``#``, letters, digits, ``.,%/+-()`` and single spaces.

    >>> normalize_color("  RGB(0,  0, 0) "), normalize_color("red;x")
    ('rgb(0, 0, 0)', None)
    """
    if parse_color(value) is None:
        return None
    return re.sub(r"[ \t\n\r\f]+", " ", value.strip(" \t\n\r\f")).lower()


def relative_luminance(color: RGBA) -> float:
    """WCAG 2 relative luminance of an sRGB colour (alpha ignored)."""
    def lin(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = color[:3]
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast_ratio(a: RGBA, b: RGBA) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1 to 21).

    >>> contrast_ratio((0, 0, 0, 1.0), (255, 255, 255, 1.0))
    21.0
    """
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


# ---------------------------------------------------------------------------
# Numbers, digits, scripts
# ---------------------------------------------------------------------------

# First code point (digit zero) of the decimal numbering systems CLDR locales use by default.
_DIGIT_ZERO: Mapping[str, int] = {
    "arab": 0x0660, "arabext": 0x06F0, "deva": 0x0966, "beng": 0x09E6, "guru": 0x0A66,
    "gujr": 0x0AE6, "orya": 0x0B66, "tamldec": 0x0BE6, "telu": 0x0C66, "knda": 0x0CE6,
    "mlym": 0x0D66, "thai": 0x0E50, "laoo": 0x0ED0, "tibt": 0x0F20, "mymr": 0x1040,
    "khmr": 0x17E0, "olck": 0x1C50, "mtei": 0xABF0, "nkoo": 0x07C0, "fullwide": 0xFF10,
    "adlm": 0x1E950, "rohg": 0x10D30,
}


@lru_cache(maxsize=64)
def _locale(value: "str | Locale") -> "Locale":
    from babel import Locale

    if isinstance(value, Locale):
        return value
    return Locale.parse(str(value).replace("-", "_"))


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


def _is_arabic_letter(cp: int) -> bool:
    return (0x0620 <= cp <= 0x064A or 0x066E <= cp <= 0x06D3 or 0x06FA <= cp <= 0x06FC
            or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08C9 or 0xFB50 <= cp <= 0xFDFF
            or 0xFE70 <= cp <= 0xFEFC)


def script_language(text: str) -> str | None:
    """``"ar"`` when Arabic letters outnumber Latin (and Hebrew) ones, ``"he"`` for Hebrew, else ``None``.

    >>> script_language("اجمالي الحالات"), script_language("Total cases"), script_language("123")
    ('ar', None, None)
    """
    arabic = hebrew = latin = 0
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            if ch.isalpha():
                latin += 1
        elif _is_arabic_letter(cp):
            arabic += 1
        elif 0x05D0 <= cp <= 0x05EA:
            hebrew += 1
        elif ch.isalpha() and cp < 0x0250:
            latin += 1
    if arabic and arabic > latin and arabic >= hebrew:
        return "ar"
    if hebrew and hebrew > latin:
        return "he"
    return None


# ---------------------------------------------------------------------------
# PHP date formats without a time of day
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# The card
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One figure: ``text`` as shown, ``machine`` for ``<data value>``; ``None`` text = unknown."""

    text: str | None
    machine: str = ""

    @property
    def known(self) -> bool:
        return self.text is not None


@dataclass(frozen=True)
class Row:
    """One label → value line; ``key`` is a stable name (``confirmed``, ``deaths-24h``, …)."""

    key: str
    label: str
    value: Value


@dataclass(frozen=True)
class CardView:
    """Everything the card template writes, already decided and formatted.

    Strings are plain text (the template escapes them); ``style`` holds only
    validated colours.
    """

    lang: str
    dir: str
    title: str
    region: str          # the code as given (upper case), "" for the world
    classes: str
    style: str
    rows: tuple[Row, ...] = ()
    no_data: bool = False               # True: no figures; the sentence below is shown instead
    no_data_before: str = ""            # the sentence, split around the date
    no_data_date: str | None = None     # (the template isolates the date with <bdi>)
    no_data_after: str = ""
    updated_label: str = ""
    updated_text: str = ""
    updated_iso: str = ""
    source_label: str = ""
    source: str = ""
    unknown_text: str = "unknown"


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
                      + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
                      + "]")


def _clean_text(value: str) -> str:
    """``value`` without the characters HTML forbids in text (C0/C1 controls, noncharacters, surrogates)."""
    return _CONTROL.sub("", value)


def _bool_attr(attrs: Mapping[str, str], name: str, ctx: "RenderContext | None", default: bool) -> bool:
    raw = attrs.get(name)
    if raw is None:
        return default
    v = raw.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    if ctx is not None:
        ctx.diagnose("bad-attribute", f'[{TAG}] {name}="{raw}" is not true or false; '
                     f'using {str(default).lower()}')
    return default


def _color_attr(attrs: Mapping[str, str], name: str, ctx: "RenderContext | None") -> str | None:
    raw = attrs.get(name)
    if raw is None or raw.strip() == "":
        return None
    color = normalize_color(raw)
    if color is None and ctx is not None:
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        ctx.diagnose("bad-color", f"[{TAG}] {name}={shown!r} is not a CSS colour; the default is used")
    return color


def _card_locale(attrs: Mapping[str, str], ctx: "RenderContext | None", rtl: bool | None) -> tuple["Locale", str, str]:
    """(locale for numbers and names, language of the labels ``en``/``ar``, lang attribute)."""
    texts = " ".join(v for k, v in attrs.items() if k.endswith("-label") or k == "region-name")
    written = script_language(texts)
    if ctx is not None and ctx.locale is not None:
        loc = ctx.locale
    elif rtl or written == "ar":
        loc = _locale("ar")
    else:
        loc = _locale("en")
    label_lang = "ar" if loc.language == "ar" else "en"
    lang = "-".join(p for p in (loc.language, loc.script, loc.territory) if p)
    if written == "ar" and loc.language not in _ARABIC_SCRIPT_LANGUAGES:
        lang = "ar"
    return loc, label_lang, lang


def _region_title(code: str | None, loc: "Locale", label_lang: str) -> str:
    if code is None:
        name = loc.territories.get("001") or ("العالم" if label_lang == "ar" else "World")
        return name[:1].upper() + name[1:]
    return loc.territories.get(code) or code


def _updated(fig: "Figures", fmt: str | None) -> tuple[str, str]:
    """(text, ISO value for <time datetime>) of the figures' timestamp."""
    from .phpdate import php_date

    fmt = DEFAULT_DATE_FORMAT if fmt is None or not fmt.strip() else fmt
    if fig.updated is not None:
        return php_date(fmt, fig.updated), fig.updated.isoformat()
    day = _dt.datetime.combine(fig.date, _dt.time())
    date_fmt = date_only_format(fmt)
    text = php_date(date_fmt, day) if date_fmt.strip() else fig.date.isoformat()
    return text.strip(), fig.date.isoformat()


def card_view(node: "Shortcode", ctx: "RenderContext | None" = None) -> CardView:
    """Decide everything about one ``[covid19-ultimate-card]``: the template's ``card``.

    Problems (a bad colour, an unknown region, no figures for the date) are
    reported with ``ctx.diagnose`` and the card falls back to a default or to
    its "no data" state; this never raises for any attribute values.
    """
    attrs = {k: _clean_text(v) for k, v in node.attrs.items()}
    for name in attrs:
        if name not in ATTRIBUTES and ctx is not None:
            ctx.diagnose("unknown-attribute", f"[{TAG}] has no attribute {name!r}; it is ignored")
    if node.positional and ctx is not None:
        ctx.diagnose("unknown-attribute", f"[{TAG}] ignores values without a name: "
                     + ", ".join(repr(p) for p in node.positional[:5]))

    rtl_attr = attrs.get("rtl")
    rtl: bool | None = None if rtl_attr is None else _bool_attr(attrs, "rtl", ctx, False)
    loc, label_lang, lang = _card_locale(attrs, ctx, rtl)
    labels = LABELS[label_lang]
    if rtl is None:
        direction = "rtl" if lang.split("-")[0] in _RTL_LANGUAGES else "ltr"
    else:
        direction = "rtl" if rtl else "ltr"

    def label(key: str) -> str:
        given = attrs.get(f"{key}-label")
        return given.strip() if given is not None and given.strip() else localize_digits(labels[key], loc)

    fg = _color_attr(attrs, "font-color", ctx)
    bg = _color_attr(attrs, "bg-color", ctx)
    style = ";".join(f"{var}:{val}" for var, val in (("--sc-covid-fg", fg), ("--sc-covid-bg", bg)) if val)
    _check_contrast(fg, bg, ctx)

    position = (attrs.get("bg-position") or "").strip().lower()
    if position not in BG_POSITIONS:
        if position and ctx is not None:
            ctx.diagnose("bad-attribute", f"[{TAG}] bg-position={attrs.get('bg-position')!r} is not one of "
                         f"{', '.join(BG_POSITIONS)}; using {DEFAULT_BG_POSITION}")
        position = DEFAULT_BG_POSITION

    raw_region = (attrs.get("region") or "").strip()
    code: str | None = raw_region.upper() or None
    given_title = (attrs.get("region-name") or "").strip()
    classes = ["sc-covid-card", f"sc-covid-card--bg-{position}", f"sc-covid-card--{direction}"]

    def no_data(reason: str, title_code: str | None) -> CardView:
        if ctx is not None:
            ctx.diagnose("no-data", f"[{TAG}] {reason}")
        title = given_title or _region_title(title_code, loc, label_lang)
        when = None if ctx is None or ctx.as_of is None else ctx.as_of
        key = "no-data" if when is None else "no-data-on"
        before, _sep, after = labels[key].replace("{region}", title).partition("{date}")
        return CardView(lang=lang, dir=direction, title=title, region=code or "",
                        classes=" ".join(classes + ["sc-covid-card--no-data"]), style=style, no_data=True,
                        no_data_before=before, no_data_after=after,
                        no_data_date=None if when is None else localize_digits(when.isoformat(), loc),
                        unknown_text=labels["unknown"])

    if ctx is None:
        raise ValueError("card_view needs a RenderContext for its figures")
    from .sources import NoData

    try:
        fig = ctx.provider.figures(code, ctx.as_of)
    except NoData as exc:
        return no_data(str(exc), code)

    def num(n: int | None, signed: bool = False) -> Value:
        if n is None:
            return Value(None)
        return Value(format_number(n, loc, signed=signed), str(n))

    rows = [Row("confirmed", label("confirmed"), num(fig.confirmed))]
    if _bool_attr(attrs, "confirmed-24h", ctx, False):
        rows.append(Row("confirmed-24h", label("confirmed-24h"), num(fig.new_confirmed, True)))
    rows.append(Row("deaths", label("deaths"), num(fig.deaths)))
    if _bool_attr(attrs, "deaths-24h", ctx, False):
        rows.append(Row("deaths-24h", label("deaths-24h"), num(fig.new_deaths, True)))
    if _bool_attr(attrs, "deaths-rate", ctx, False):
        rate = fig.death_rate
        rows.append(Row("deaths-rate", label("deaths-rate"),
                        Value(None) if rate is None else Value(format_percent(rate, loc), f"{rate:.4f}")))
    rows.append(Row("recovered", label("recovered"), num(fig.recovered)))
    rows.append(Row("active", label("active"), num(fig.active)))

    try:
        updated_text, updated_iso = _updated(fig, attrs.get("last-update"))
    except Exception as exc:  # noqa: BLE001 - a bad format must not lose the card
        ctx.diagnose("bad-attribute", f"[{TAG}] last-update={attrs.get('last-update')!r} could not be used "
                     f"({exc}); the ISO date is shown")
        updated_text, updated_iso = fig.date.isoformat(), fig.date.isoformat()
    title = given_title or _region_title(fig.region, loc, label_lang)
    return CardView(
        lang=lang, dir=direction, title=title, region=code or "", classes=" ".join(classes), style=style,
        rows=tuple(rows), updated_label=label("last-update"), updated_text=localize_digits(updated_text, loc),
        updated_iso=updated_iso, source_label=labels["source"], source=fig.source, unknown_text=labels["unknown"],
    )


def _check_contrast(fg: str | None, bg: str | None, ctx: "RenderContext | None") -> None:
    if ctx is None or (fg is None and bg is None):
        return
    a = parse_color(fg or DEFAULT_FONT_COLOR)
    b = parse_color(bg or DEFAULT_BG_COLOR)
    if a is None or b is None or a[3] < 1 or b[3] < 1:
        return  # translucent or currentcolor: depends on what is behind the card
    ratio = contrast_ratio(a, b)
    if ratio < MIN_CONTRAST:
        ctx.diagnose("low-contrast", f"[{TAG}] text {fg or DEFAULT_FONT_COLOR} on {bg or DEFAULT_BG_COLOR} has "
                     f"contrast {ratio:.2f}:1, below the {MIN_CONTRAST}:1 that WCAG AA asks for")
