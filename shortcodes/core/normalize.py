"""Repairing quotes: curly/entity-quoted attribute values rewritten with straight quotes.

>>> text = 'Before [x a=”1″ b=’it’s’] after'
>>> normalize(text)
'Before [x a="1" b="it\\'s"] after'
"""
from __future__ import annotations

from typing import Iterable

from .grammar import whitespace
from .nodes import Attribute, Document, Shortcode, splice
from .parser import parse
from .quotes import straight_quote_for, untexturize

__all__ = ["normalize", "normalize_document"]


def _value_bounds(attr: Attribute) -> tuple[int, int]:
    """Offsets, within ``attr.raw``, of the value including its delimiters."""
    raw = attr.raw
    if attr.name is None:
        return 0, len(raw)
    i = raw.index("=") + 1
    ws = whitespace()
    while i < len(raw) and raw[i] in ws:
        i += 1
    return i, len(raw)


def _normalized_attribute(attr: Attribute) -> str | None:
    """``attr.raw`` with straight quotes, or None when nothing must change."""
    a, b = _value_bounds(attr)
    raw = attr.raw
    quoted = raw[a:b]
    inner = quoted[len(attr.quote): len(quoted) - len(attr.close_quote)]
    fixed = untexturize(inner)
    if not attr.recovered and fixed == inner:
        return None
    if attr.quote and not attr.recovered:  # already straight-quoted; fix the inside only
        if attr.quote in fixed:
            return None
        return raw[:a] + attr.quote + fixed + attr.close_quote
    # A bare value that changed is quoted: unquoted, `3&#215;4=` would become
    # `3x4=`, which WordPress could read as a name followed by `=`.
    q = straight_quote_for(fixed)
    if q in fixed:  # holds both kinds of quote: WordPress has no way to write it
        return None
    return raw[:a] + q + fixed + q


def normalize_document(doc: Document) -> str:
    """The text of ``doc`` with recovered quotes written as straight quotes."""
    edits: list[tuple[tuple[int, int], str]] = []
    for node in doc.walk():
        if isinstance(node, Shortcode) and node.recovered:
            for attr in node.attributes:
                new = _normalized_attribute(attr)
                if new is not None and new != attr.raw:
                    edits.append((attr.span, new))
    if not edits:
        return doc.source
    return splice(doc.source, edits)


def normalize(text: str, tags: "Iterable[str] | None" = None) -> str:
    """Rewrite curly/entity-quoted attribute values with straight quotes.

    Only the delimiters of recovered values change (``"``, or ``'`` where the
    value holds ``"``), plus the wptexturize substitutions undone inside the
    values of those tags (``&#8217;`` -> ``'``, ``&#215;`` -> ``x``,
    ``&#8230;`` -> ``...``); every other byte is kept.  WordPress then parses
    the result the way :func:`shortcodes.parse` read the damaged text.
    """
    return normalize_document(parse(text, tags))
