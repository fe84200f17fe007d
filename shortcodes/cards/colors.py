"""CSS colours for the card: validation (nothing else reaches a ``style``) and the WCAG contrast check.

>>> parse_color("#0C3278")
(12, 50, 120, 1.0)
>>> parse_color("red;background:url(x)") is None
True
>>> round(contrast_ratio(parse_color("white"), parse_color("#0c3278")), 2)
12.05
"""
from __future__ import annotations

import colorsys
import re
from typing import TYPE_CHECKING, Mapping

from .attributes import DEFAULT_BG_COLOR, DEFAULT_FONT_COLOR, MIN_CONTRAST, TAG

if TYPE_CHECKING:  # pragma: no cover
    from ..renderer.context import RenderContext

__all__ = ["RGBA", "parse_color", "normalize_color", "relative_luminance", "contrast_ratio", "check_contrast"]

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


def check_contrast(fg: str | None, bg: str | None, ctx: "RenderContext | None") -> None:
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
