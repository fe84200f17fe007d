"""Nodes to other text: new shortcodes, and the JSON form of the AST.

(A node prints its own source: :meth:`~shortcodes.core.nodes.Document.to_source`;
repairing quotes is :mod:`shortcodes.core.normalize`.)

>>> build_shortcode("gallery", {"ids": "1,2", "title": 'say "hi"'})
'[gallery ids="1,2" title=\\'say "hi"\\']'
"""
from __future__ import annotations

from typing import Iterable, Mapping

from .nodes import Attribute, Document, Node, Shortcode, Text
from .quotes import straight_quote_for

__all__ = ["build_shortcode", "attribute_source", "to_dict"]


def attribute_source(name: str | None, value: str) -> str:
    """``name="value"`` (or ``'value'`` when it holds ``"``) for a new attribute."""
    q = straight_quote_for(value)
    if q in value:
        raise ValueError(f"WordPress cannot quote a value holding both \" and ': {value!r}")
    quoted = f"{q}{value}{q}"
    return quoted if name is None else f"{name}={quoted}"


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
