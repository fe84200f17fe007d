"""Nodes back to text: lossless serialisation, splicing, normalising, building.

>>> from shortcodes import parse
>>> text = 'Before [x a=”1″ b=’it’s’] after'
>>> str(parse(text)) == text
True
>>> normalize(text)
'Before [x a="1" b="it\\'s"] after'
>>> build_shortcode("gallery", {"ids": "1,2", "title": 'say "hi"'})
'[gallery ids="1,2" title=\\'say "hi"\\']'
"""
from __future__ import annotations

from typing import Iterable, Mapping, Union

from .nodes import Attribute, Document, Node, Shortcode, Text
from .quotes import straight_quote_for, untexturize

__all__ = ["to_source", "splice", "normalize", "normalize_document", "build_shortcode", "attribute_source", "to_dict"]

_WSALL = " \t\n\x0b\x0c\r\u00a0\u200b"


def to_source(node: "Document | Node | Attribute") -> str:
    """The text of ``node``: exactly what was parsed, for a parsed node.

    Iterative, so a document nested ten thousand levels deep serialises too.
    """
    parts: list[str] = []
    stack: list[object] = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            parts.append(x)
        elif isinstance(x, Text):
            parts.append(x.text)
        elif isinstance(x, Shortcode):
            if x.escaped:
                parts.append("[")
            parts.append(x.open_tag)
            tail: list[object] = []
            if x.content is not None:
                if x.children and not x.escaped:
                    tail.extend(x.children)
                else:
                    tail.append(x.content)
                tail.append(x.close_tag if x.close_tag is not None else f"[/{x.name}]")
            if x.escaped:
                tail.append("]")
            stack.extend(reversed(tail))
        elif isinstance(x, Document):
            stack.extend(reversed(x.children))
        elif isinstance(x, Attribute):
            parts.append(x.raw)
        else:
            raise TypeError(f"cannot serialise {type(x).__name__}")
    return "".join(parts)


def splice(source: str, replacements: "Mapping[Node, Union[Node, str]] | Iterable[tuple[tuple[int, int], str]]") -> str:
    """``source`` with the spans of some nodes replaced; every other byte kept.

    ``replacements`` maps nodes to nodes or text, or is an iterable of
    ``((start, end), text)``.  A replacement nested inside another one is
    ignored (the outer one wins).
    """
    items: list[tuple[tuple[int, int], str]] = []
    if isinstance(replacements, Mapping):
        for old, new in replacements.items():
            items.append((old.span, new if isinstance(new, str) else to_source(new)))
    else:
        items.extend(replacements)
    items.sort(key=lambda it: (it[0][0], -it[0][1]))
    out: list[str] = []
    pos = 0
    for (a, b), new in items:
        if a < pos:  # nested in (or overlapping) a replacement already made
            continue
        out.append(source[pos:a])
        out.append(new)
        pos = b
    out.append(source[pos:])
    return "".join(out)


def _value_bounds(attr: Attribute) -> tuple[int, int]:
    """Offsets, within ``attr.raw``, of the value including its delimiters."""
    raw = attr.raw
    if attr.name is None:
        return 0, len(raw)
    i = raw.index("=") + 1
    while i < len(raw) and raw[i] in _WSALL:
        i += 1
    return i, len(raw)


def attribute_source(name: str | None, value: str) -> str:
    """``name="value"`` (or ``'value'`` when it holds ``"``) for a new attribute."""
    q = straight_quote_for(value)
    if q in value:
        raise ValueError(f"WordPress cannot quote a value holding both \" and ': {value!r}")
    quoted = f"{q}{value}{q}"
    return quoted if name is None else f"{name}={quoted}"


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
    from .parser import parse

    return normalize_document(parse(text, tags))


def build_shortcode(name: str, attrs: "Mapping[str, str] | None" = None, content: str | None = None,
                    *, positional: Iterable[str] = (), self_closing: bool = False) -> str:
    """Source text for a new shortcode, with straight quotes.

    >>> build_shortcode("caption", {"id": "a"}, "A photo")
    '[caption id="a"]A photo[/caption]'
    """
    parts = [f"[{name}"]
    for key, value in (attrs or {}).items():
        parts.append(" " + attribute_source(key, value))
    for value in positional:
        parts.append(" " + attribute_source(None, value))
    if content is None:
        parts.append(" /]" if self_closing else "]")
        return "".join(parts)
    return "".join(parts) + f"]{content}[/{name}]"


def to_dict(node: "Document | Node | Attribute") -> dict:
    """A JSON-ready dict of ``node`` (what ``shortcodes parse`` prints).

    >>> from shortcodes import parse
    >>> to_dict(parse('[b x=1]'))["children"][0]["attrs"]
    {'x': '1'}
    """
    if isinstance(node, Document):
        return {
            "type": "document",
            "span": list(node.span),
            "children": [to_dict(c) for c in node.children],
            "diagnostics": [
                {"kind": d.kind, "severity": d.severity, "message": d.message,
                 "line": d.line, "column": d.column, "span": list(d.span)}
                for d in node.diagnostics
            ],
        }
    if isinstance(node, Text):
        return {"type": "text", "span": list(node.span), "text": node.text}
    if isinstance(node, Attribute):
        return {"name": node.name, "value": node.value, "raw": node.raw, "span": list(node.span),
                "quote": node.quote, "close_quote": node.close_quote, "recovered": node.recovered}
    if isinstance(node, Shortcode):
        return {
            "type": "shortcode",
            "name": node.name,
            "span": list(node.span),
            "attrs": dict(node.attrs),
            "positional": list(node.positional),
            "attributes": [to_dict(a) for a in node.attributes],
            "self_closing": node.self_closing,
            "enclosing": node.enclosing,
            "escaped": node.escaped,
            "content": node.content,
            "children": [to_dict(c) for c in node.children],
        }
    raise TypeError(f"cannot convert {type(node).__name__}")
