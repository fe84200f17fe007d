"""Nodes to other text: new shortcodes, and the JSON form of the AST.

(A node prints its own source: :meth:`~shortcodes.core.nodes.Document.to_source`;
repairing quotes is :mod:`shortcodes.core.normalize`.)

>>> build_shortcode("gallery", {"ids": "1,2", "title": 'say "hi"'})
'[gallery ids="1,2" title=\\'say "hi"\\']'
"""
from __future__ import annotations

import json
import re
from typing import Iterable, Iterator, Mapping

from .grammar import tag_name_regex
from .nodes import Attribute, Document, Node, Shortcode, Text
from .quotes import straight_quote_for
from .values import unclosed_html

__all__ = ["build_shortcode", "attribute_source", "to_dict", "json_chunks"]


_ATTRIBUTE_NAME = re.compile(r"[a-z0-9_-]+")


def attribute_source(name: str | None, value: str) -> str:
    """``name="value"`` (or ``'value'`` when it holds ``"``) for a new attribute.

    Written so that WordPress reads back exactly ``name`` and ``value``;
    what it cannot say is refused with :class:`ValueError`: a name that is
    not lower-case ``[a-z0-9_-]`` (WordPress lower-cases names) or is ``0``
    (dropped), a value holding ``]`` (it would end the tag), both kinds of
    quote, NBSP/ZWSP (read as spaces), an unclosed ``<`` (read as ``''``), an
    empty positional value (ignored).  Backslashes are doubled
    (``stripcslashes`` undoes that).

    >>> print(attribute_source("title", 'say "hi"'), attribute_source(None, "C:\\\\new"))
    title='say "hi"' "C:\\\\new"
    >>> attribute_source("x", "a]b")
    Traceback (most recent call last):
    ...
    ValueError: a shortcode attribute value cannot hold ']' (it would end the tag): 'a]b'
    """
    if name is not None:
        if not isinstance(name, str) or not _ATTRIBUTE_NAME.fullmatch(name) or name == "0":
            raise ValueError(f"invalid shortcode attribute name {name!r}: WordPress reads lower-case "
                             "[a-z0-9_-] names (not 0)")
    if not isinstance(value, str):
        raise TypeError(f"shortcode attribute values are str, not {type(value).__name__}: {value!r}")
    if "]" in value:
        raise ValueError(f"a shortcode attribute value cannot hold ']' (it would end the tag): {value!r}")
    if "\u00a0" in value or "\u200b" in value:
        raise ValueError(f"WordPress reads NBSP and ZWSP in attribute values as spaces: {value!r}")
    if unclosed_html(value):
        raise ValueError(f"WordPress reads a value with an unclosed '<' as '': {value!r}")
    if name is None and not value:
        raise ValueError("WordPress ignores an empty positional value")
    q = straight_quote_for(value)
    if q in value:
        raise ValueError(f"WordPress cannot quote a value holding both \" and ': {value!r}")
    quoted = f"{q}{value.replace(chr(92), chr(92) * 2)}{q}"
    return quoted if name is None else f"{name}={quoted}"


def build_shortcode(name: str, attrs: "Mapping[str, str] | None" = None, content: str | None = None,
                    *, positional: Iterable[str] = (), self_closing: bool = False) -> str:
    """Source text for a new shortcode, with straight quotes.

    ``parse(build_shortcode(name, attrs, content))`` gives back exactly that
    name, those attributes and that content (``tests/test_parser.py`` checks
    it for any valid input); what cannot be written so is refused with
    :class:`ValueError` (see :func:`attribute_source`; a name WordPress does
    not accept, content holding its own closing tag ``[/name]``).

    >>> build_shortcode("caption", {"id": "a"}, "A photo")
    '[caption id="a"]A photo[/caption]'
    >>> build_shortcode("covid19-ultimate-card", {"region-name": "Egypt]<img src=x onerror=alert(1)>"})
    Traceback (most recent call last):
    ...
    ValueError: a shortcode attribute value cannot hold ']' (it would end the tag): 'Egypt]<img src=x onerror=alert(1)>'
    """
    if not isinstance(name, str) or not name or not tag_name_regex().fullmatch(name):
        raise ValueError(f"invalid shortcode name {name!r}: do not use spaces or reserved characters: & / < > [ ] =")
    parts = [f"[{name}"]
    for key, value in (attrs or {}).items():
        parts.append(" " + attribute_source(key, value))
    for value in positional:
        parts.append(" " + attribute_source(None, value))
    if content is None:
        parts.append(" /]" if self_closing else "]")
        return "".join(parts)
    if f"[/{name}]" in content:
        raise ValueError(f"the content of [{name}] cannot hold its closing tag [/{name}]: {content!r}")
    return "".join(parts) + f"]{content}[/{name}]"


def to_dict(node: "Document | Node | Attribute") -> dict:
    """A JSON-ready dict of ``node`` (what ``shortcodes parse`` prints).

    Built without recursion, so any nesting depth works (write it with
    :func:`json_chunks`: :func:`json.dumps` recurses).  Every byte of the text
    is in it once, so its size is linear in the text's: a shortcode's
    ``content_span`` bounds its inner text, and ``content`` holds that text
    only when it has no ``children`` (an escaped tag, empty content); else
    ``content`` is ``null`` and the children hold the text.

    >>> from shortcodes import parse
    >>> to_dict(parse('[b x=1]'))["children"][0]["attrs"]
    {'x': '1'}
    >>> [(d["content"], d["content_span"], len(d["children"])) for d in to_dict(parse('[b]in[/b] [[b]x[/b]]'))["children"][::2]]
    [(None, [3, 5], 1), ('x', [14, 15], 0)]
    """
    root: dict = {}
    # (node, the dict to fill)
    stack: list[tuple[object, dict]] = [(node, root)]
    while stack:
        x, out = stack.pop()
        if isinstance(x, Document):
            out.update(type="document", span=list(x.span), children=[], diagnostics=[
                {"kind": d.kind, "severity": d.severity, "message": d.message,
                 "line": d.line, "column": d.column, "span": list(d.span)}
                for d in x.diagnostics
            ])
            children = x.children
        elif isinstance(x, Text):
            out.update(type="text", span=list(x.span), text=x.text)
            continue
        elif isinstance(x, Attribute):
            out.update(_attribute_dict(x))
            continue
        elif isinstance(x, Shortcode):
            out.update(type="shortcode", name=x.name, span=list(x.span), attrs=dict(x.attrs),
                       positional=list(x.positional), attributes=[_attribute_dict(a) for a in x.attributes],
                       self_closing=x.self_closing, enclosing=x.enclosing, escaped=x.escaped,
                       content=None if x.children else x.content, content_span=_content_span(x), children=[])
            children = x.children
        else:
            raise TypeError(f"cannot convert {type(x).__name__}")
        slots = out["children"]
        slots.extend({} for _ in children)
        stack.extend(zip(reversed(children), reversed(slots)))
    return root


def _content_span(x: Shortcode) -> "list[int] | None":
    if not x.enclosing:
        return None
    start = x.span[0] + x.escaped + len(x.open_tag)
    return [start, x.span[1] - x.escaped - len(x.close_tag if x.close_tag is not None else f"[/{x.name}]")]


def _attribute_dict(a: Attribute) -> dict:
    return {"name": a.name, "value": a.value, "raw": a.raw, "span": list(a.span),
            "quote": a.quote, "close_quote": a.close_quote, "recovered": a.recovered}


def json_chunks(value: object, *, indent: "int | None" = None) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` in pieces, without recursion.

    For the JSON-ready values of :func:`to_dict` (dicts with ``str`` keys,
    lists, scalars) nested to any depth; the text is the same as
    :func:`json.dumps` writes.

    >>> ''.join(json_chunks({"a": [1, {"b": None}], "c": "é"}))
    '{"a": [1, {"b": null}], "c": "é"}'
    >>> ''.join(json_chunks({"a": [], "b": [True]}, indent=2))
    '{\\n  "a": [],\\n  "b": [\\n    true\\n  ]\\n}'
    """
    item_sep = "," if indent is not None else ", "
    # a stack of iterators over (prefix, value) pairs; the closers to write when each ends
    stack: list[tuple[Iterator[tuple[str, object]], str]] = []
    pending: object = value
    prefix = ""
    depth = 0
    while True:
        if pending is not _DONE:
            if isinstance(pending, dict) and pending:
                depth += 1
                nl = "" if indent is None else "\n" + " " * (indent * depth)
                yield prefix + "{"
                stack.append((iter([((item_sep if i else "") + nl + _key(k) + ": ", v)
                                    for i, (k, v) in enumerate(pending.items())]),
                              ("" if indent is None else "\n" + " " * (indent * (depth - 1))) + "}"))
            elif isinstance(pending, list) and pending:
                depth += 1
                nl = "" if indent is None else "\n" + " " * (indent * depth)
                yield prefix + "["
                stack.append((iter([((item_sep if i else "") + nl, v) for i, v in enumerate(pending)]),
                              ("" if indent is None else "\n" + " " * (indent * (depth - 1))) + "]"))
            else:
                yield prefix + json.dumps(pending, ensure_ascii=False)
            pending = _DONE
        if not stack:
            return
        it, closer = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            stack.pop()
            depth -= 1
            yield closer
            continue
        prefix, pending = nxt


_DONE = object()


def _key(k: object) -> str:
    if not isinstance(k, str):
        raise TypeError(f"JSON object keys are str here, not {type(k).__name__}")
    return json.dumps(k, ensure_ascii=False)
