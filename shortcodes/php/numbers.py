"""PHP 8's number conversions that WordPress's media code relies on: ``(int)``, ``round()``, ``absint()``.

>>> [intval(s) for s in ("300", " 300px", "1e3", "0x10", "1.9", "abc", "99999999999999999999")]
[300, 300, 1000, 0, 1, 0, 9223372036854775807]
>>> php_round(2.5), php_round(-2.5), php_round(337.5)
(3, -3, 338)
"""
from __future__ import annotations

import math
import re

__all__ = ["intval", "php_round", "absint", "PHP_INT_MAX", "PHP_INT_MIN"]

PHP_INT_MAX = 2**63 - 1
PHP_INT_MIN = -(2**63)
# A leading-numeric string: PHP's whitespace, then an integer or a float literal.
_LEADING = re.compile(r"[ \t\n\r\x0b\x0c]*([+-]?)(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _clamp(n: int) -> int:
    return PHP_INT_MAX if n > PHP_INT_MAX else PHP_INT_MIN if n < PHP_INT_MIN else n


def intval(value: object) -> int:
    """PHP ``(int) $value`` for a string, int, float, bool or ``None`` (saturating on 64 bits)."""
    if type(value) is int:  # the common cases first: a plain int, a string of ASCII digits
        return value if PHP_INT_MIN <= value <= PHP_INT_MAX else _clamp(value)
    if type(value) is str and value.isdigit() and value.isascii():
        return _clamp(int(value))
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return _clamp(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return 0 if math.isnan(value) else (PHP_INT_MAX if value > 0 else PHP_INT_MIN)
        return _clamp(int(value))
    if value is None:
        return 0
    m = _LEADING.match(str(value))
    if m is None:
        return 0
    sign, digits, exponent = m.groups()
    if exponent is None and "." not in digits:
        return _clamp(int(sign + digits))
    f = float(sign + digits + (exponent or ""))
    if math.isinf(f):
        return PHP_INT_MAX if f > 0 else PHP_INT_MIN
    return _clamp(int(f))


def php_round(value: float) -> int:
    """PHP ``round()`` to a whole number: halves away from zero (returned as an int)."""
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


def absint(value: object) -> int:
    """WordPress's ``absint()``: ``abs((int) $value)``."""
    return abs(intval(value))
