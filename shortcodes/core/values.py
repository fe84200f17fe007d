"""How WordPress finishes an attribute value (the last steps of ``shortcode_parse_atts()``).

Shared by the AST parser (:mod:`shortcodes.core.parser`) and the WordPress port
(:mod:`shortcodes.wordpress.shortcodes`), so both decode values the same way.

>>> finish_value('a\\xa0\\xa0b'), finish_value('a < b'), finish_value('<b>bold')
('a b', '', '<b>bold')
"""
from __future__ import annotations

import re

from ..php.strings import stripcslashes

__all__ = ["finish_value", "unclosed_html", "NBSP_RUN"]

#: shortcode_parse_atts() turns each run of NBSP / ZWSP into one space first.
NBSP_RUN = re.compile("[\u00a0\u200b]+")
_UNCLOSED_OK = re.compile(r"^[^<]*+(?:<[^>]*+>[^<]*+)*+$")


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
