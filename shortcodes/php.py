"""The few PHP behaviours WordPress's shortcode code depends on.

Kept in one place so that the AST parser (:mod:`shortcodes.parser`) and the
WordPress port (:mod:`shortcodes.wordpress`) decode attribute values the same
way.

>>> stripcslashes(r'C:\\\\new \\x41\\101\\n')
'C:\\\\new AA\\n'
>>> finish_value('a\\xa0\\xa0b'), finish_value('a < b'), finish_value('<b>bold')
('a b', '', '<b>bold')
"""
from __future__ import annotations

import re

__all__ = ["stripcslashes", "finish_value", "unclosed_html", "php_array_key", "WS", "NBSP_RUN"]

#: PCRE ``\s`` without the ``u`` flag: ASCII whitespace only.
WS = " \t\n\x0b\x0c\r"
#: shortcode_parse_atts() turns each run of NBSP / ZWSP into one space first.
NBSP_RUN = re.compile("[\u00a0\u200b]+")
_UNCLOSED_OK = re.compile(r"^[^<]*+(?:<[^>]*+>[^<]*+)*+$")
_INT_KEY = re.compile(r"^(?:0|-?[1-9][0-9]*)$")

_SIMPLE = {
    ord("n"): 0x0A, ord("r"): 0x0D, ord("a"): 0x07, ord("t"): 0x09,
    ord("v"): 0x0B, ord("b"): 0x08, ord("f"): 0x0C, ord("\\"): 0x5C,
}
_HEX = frozenset(b"0123456789abcdefABCDEF")
_OCT = frozenset(b"01234567")


def stripcslashes(value: str) -> str:
    """PHP's ``stripcslashes()``: C escapes (``\\n``, ``\\x41``, ``\\101``, ``\\\\``).

    Works on the UTF-8 bytes as PHP does; bytes that do not form UTF-8 after
    decoding become U+FFFD.
    """
    if "\\" not in value:
        return value
    src = value.encode("utf-8", "surrogatepass")
    out = bytearray()
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c != 0x5C or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        i += 1
        c = src[i]
        if c in _SIMPLE:
            out.append(_SIMPLE[c])
            i += 1
            continue
        if c == 0x78 and i + 1 < n and src[i + 1] in _HEX:  # \xH or \xHH
            j = i + 1
            k = j + 1 if j + 1 < n and src[j + 1] in _HEX else j
            out.append(int(src[j : k + 1], 16))
            i = k + 1
            continue
        j = i
        while j < n and j - i < 3 and src[j] in _OCT:
            j += 1
        if j > i:
            out.append(int(src[i:j], 8) & 0xFF)
            i = j
        else:
            out.append(c)
            i += 1
    return out.decode("utf-8", "replace")


def unclosed_html(value: str) -> bool:
    """True when WordPress would reject ``value`` for an unclosed ``<``."""
    return "<" in value and _UNCLOSED_OK.match(value) is None


def finish_value(value: str) -> str:
    """Decode one attribute value as shortcode_parse_atts() does.

    NBSP/ZWSP runs become one space, then ``stripcslashes``, then a value
    holding an unclosed HTML ``<`` becomes ``''``.
    """
    if "\u00a0" in value or "\u200b" in value:
        value = NBSP_RUN.sub(" ", value)
    value = stripcslashes(value)
    if unclosed_html(value):
        return ""
    return value


def php_array_key(name: str) -> "int | str":
    """The key PHP uses for ``$array[name]``: canonical decimal integers become ints."""
    if _INT_KEY.match(name):
        n = int(name)
        if -(2**63) <= n < 2**63:
            return n
    return name
