"""PHP string behaviours that WordPress's shortcode code depends on.

>>> stripcslashes(r'C:\\\\new \\x41\\101\\n')
'C:\\\\new AA\\n'
>>> php_array_key("12"), php_array_key("012"), php_array_key("-3")
(12, '012', -3)
"""
from __future__ import annotations

import re

__all__ = ["stripcslashes", "php_array_key", "php_trim", "php_empty", "strtolower", "preg_quote", "WS", "SURROGATE", "TRIM_CHARS"]

#: PCRE ``\s`` without the ``u`` flag: ASCII whitespace only.
WS = " \t\n\x0b\x0c\r"
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


def php_array_key(name: str) -> "int | str":
    """The key PHP uses for ``$array[name]``: canonical decimal integers become ints."""
    if _INT_KEY.match(name):
        n = int(name)
        if -(2**63) <= n < 2**63:
            return n
    return name

#: PHP trim()'s default characters.
TRIM_CHARS = " \t\n\r\0\x0b"
#: A lone surrogate: what stands for invalid UTF-8 in a ``str`` (PHP's ``/u`` regexes fail on it).
SURROGATE = re.compile("[\ud800-\udfff]")


def php_trim(s: str) -> str:
    """PHP's ``trim()`` with its default characters."""
    return s.strip(TRIM_CHARS)


def php_empty(s: "str | None") -> bool:
    """PHP's ``empty()`` for a string: ``''`` and ``'0'`` are empty."""
    return not s or s == "0"


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def strtolower(s: str) -> str:
    """PHP 8.2's ``strtolower()``: ASCII letters only."""
    return s.translate(_ASCII_LOWER)


def preg_quote(s: str) -> str:
    r"""PHP's ``preg_quote()`` without a delimiter.

    >>> preg_quote('a.b-c#d/e')
    'a\\.b\\-c\\#d/e'
    """
    return _PREG_QUOTE.sub(_preg_quote_one, s)


_PREG_QUOTE = re.compile(r"[.\\+*?\[^\]$(){}=!<>|:\-#\x00]")


def _preg_quote_one(m: "re.Match[str]") -> str:
    c = m.group()
    return "\\000" if c == "\x00" else "\\" + c
