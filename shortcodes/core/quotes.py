"""Curly-quote recovery: reading shortcodes that wptexturize() has damaged.

WordPress's ``wptexturize()`` leaves the quotes of *registered* shortcodes
alone, but a shortcode whose plugin is not active where the text is displayed
(a feed, an excerpt, a readme, a scraped page, a migrated post) is plain text
to it: ``region="EG"`` becomes ``region=&#8221;EG&#8221;`` and, after a
browser or a scraper decodes the entities, ``region=”EG”``.  WordPress's own
parser then reads the value ``”EG”`` and splits multi-word values.

The grammar (``grammar/shortcode.lark``, terminals ``*_CURLY_*``) recognises
values delimited by such quotes.  This module holds what happens next: the
delimiters themselves, and :func:`untexturize`, which undoes the other
substitutions wptexturize made inside the values of a tag whose quotes had to
be recovered (only where that is unambiguous).

>>> untexturize('It&#8217;s 300&#215;200 &#038; more&#8230;')
"It's 300x200 & more..."
>>> untexturize('It’s 300×200…')
"It's 300x200..."
"""
from __future__ import annotations

import re

__all__ = [
    "DOUBLE_QUOTE_CHARS",
    "SINGLE_QUOTE_CHARS",
    "TEXTURIZE_CHARS",
    "untexturize",
    "split_delimiters",
    "straight_quote_for",
]

#: Typographic double quotes read as delimiters (wptexturize's “ ” ″ and others).
DOUBLE_QUOTE_CHARS = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
#: Typographic single quotes read as delimiters (wptexturize's ‘ ’ ′ and others).
SINGLE_QUOTE_CHARS = "\u2018\u2019\u201a\u201b\u2032\u2039\u203a"
#: Characters wptexturize itself produces from ASCII quotes; inside the values
#: of a recovered tag they are turned back into straight quotes.
TEXTURIZE_CHARS = {"\u201c": '"', "\u201d": '"', "\u2033": '"',
                   "\u2018": "'", "\u2019": "'", "\u2032": "'"}

# Entities wptexturize writes (always these exact numeric forms), plus the
# entity forms of straight quotes that HTML escaping produces.
_ENTITIES = {
    "&#8220;": '"', "&#8221;": '"', "&#8243;": '"',
    "&#8216;": "'", "&#8217;": "'", "&#8242;": "'",
    "&quot;": '"', "&#34;": '"', "&#x22;": '"',
    "&#039;": "'", "&#39;": "'", "&#x27;": "'", "&apos;": "'",
    "&#038;": "&", "&#8230;": "...",
}
_ENTITY_RX = re.compile("|".join(re.escape(e) for e in _ENTITIES))
# wptexturize: \b(\d[\d\.,]*)x(\d[\d\.,]*)\b -> $1&#215;$2
_TIMES_RX = re.compile(r"(?<=\d)(?:&#215;|\u00d7)(?=\d)")
# Dashes only in their entity form (a typed – or — may be meant): wptexturize
# writes " &#8211; " for " - ", "&#8211;" for "--", "&#8212;" for "---".
_DASH_RX = re.compile(r" &#8211; |&#8211;|&#8212;")
_DASHES = {" &#8211; ": " - ", "&#8211;": "--", "&#8212;": "---"}
_CHAR_TABLE = str.maketrans({**TEXTURIZE_CHARS, "\u2026": "..."})


def untexturize(value: str) -> str:
    """Undo wptexturize inside one attribute value, where unambiguous.

    Entity forms (``&#8217;``, ``&#038;``, ``&#215;``, ``&#8230;``, dash
    entities) and the characters “ ” ″ ‘ ’ ′ … and × between digits.  Call it
    only for tags whose quotes had to be recovered: in clean text a curly
    apostrophe may be exactly what the author meant.
    """
    if "&" in value:
        value = _ENTITY_RX.sub(lambda m: _ENTITIES[m.group()], value)
        if "&#82" in value:
            value = _DASH_RX.sub(lambda m: _DASHES[m.group()], value)
    if "\u00d7" in value or "&#215;" in value:
        value = _TIMES_RX.sub("x", value)
    return value.translate(_CHAR_TABLE)


_OPEN_ENTITY = re.compile(r"&#?[0-9A-Za-z]+;")


def split_delimiters(quoted: str) -> tuple[str, str, str]:
    """Split ``”EG″`` / ``&#8221;EG&#8221;`` into (open, inner, close).

    ``quoted`` is a value as matched by a ``*_CURLY_*`` terminal: it starts
    with one opening delimiter and ends with one closing delimiter, each a
    character or an entity.

    >>> split_delimiters('&#8221;a b&#8243;')
    ('&#8221;', 'a b', '&#8243;')
    """
    if quoted.startswith("&"):
        m = _OPEN_ENTITY.match(quoted)
        open_ = m.group() if m else quoted[0]
    else:
        open_ = quoted[0]
    rest = quoted[len(open_):]
    if rest.endswith(";") and "&" in rest:
        close = rest[rest.rindex("&"):]
    else:
        close = rest[-1:]
    return open_, rest[: len(rest) - len(close)], close


def straight_quote_for(value: str) -> str:
    """The straight quote to write ``value`` with: ``"``, or ``'`` when it holds ``"``."""
    return "'" if '"' in value and "'" not in value else '"'
