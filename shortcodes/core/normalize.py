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


def _normalized_attribute(attr: Attribute, quote_bare: bool = True) -> str | None:
    """``attr.raw`` with straight quotes, or None when nothing must change.

    ``quote_bare=False`` writes a changed bare value unquoted.
    """
    a, b = _value_bounds(attr)
    raw = attr.raw
    quoted = raw[a:b]
    inner = quoted[len(attr.quote): len(quoted) - len(attr.close_quote)]
    fixed = untexturize(inner)
    if not attr.recovered and fixed == inner:
        return None
    if attr.quote and not attr.recovered:  # already straight-quoted; fix the inside only
        if attr.quote not in fixed:
            return raw[:a] + attr.quote + fixed + attr.close_quote
        # `"”"` in a tag with recovered values reads `"`: written `'"'`
        # (left as it is, WordPress would read `”`)
    elif not attr.quote and not quote_bare:
        return raw[:a] + fixed
    # A bare value that changed is quoted: unquoted, `3&#215;4=` would become
    # `3x4=`, which WordPress could read as a name followed by `=`.
    q = straight_quote_for(fixed)
    if q in fixed:  # holds both kinds of quote: WordPress has no way to write it
        return None
    return raw[:a] + q + fixed + q


def _meaning(sc: Shortcode) -> tuple:
    return dict(sc.attrs), sc.positional


def _tag_edits(sc: Shortcode) -> list[tuple[tuple[int, int], str]]:
    """The edits of one recovered tag that WordPress reads as recovery read the tag, or none.

    Each attribute is rewritten on its own; the new opening tag is then parsed
    strictly (as WordPress will) and kept only if it means the same: a
    rewritten value can change how its neighbours are read (a quoted value
    after a bare ``c=`` makes ``c`` its name).  Bare values are then tried
    unquoted; a tag that cannot be written the same way is left as it is.
    """
    start = sc.span[0] + sc.escaped
    for quote_bare in (True, False):
        edits = []
        for attr in sc.attributes:
            new = _normalized_attribute(attr, quote_bare)
            if new is not None and new != attr.raw:
                edits.append((attr.span, new))
        if not edits:
            return []
        tag = splice(sc.open_tag, [((a - start, b - start), new) for (a, b), new in edits])
        written = parse(tag, (sc.name,), strict=True).children
        if written and isinstance(written[0], Shortcode) and _meaning(written[0]) == _meaning(sc):
            return edits
    return []


def normalize_document(doc: Document) -> str:
    """The text of ``doc`` with recovered quotes written as straight quotes."""
    edits: list[tuple[tuple[int, int], str]] = []
    for node in doc.walk():
        if isinstance(node, Shortcode) and node.recovered:
            edits.extend(_tag_edits(node))
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
