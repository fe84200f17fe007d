"""Where shortcodes run inside HTML: WordPress's ``do_shortcode()`` pre-pass, for the renderer.

WordPress never runs a shortcode inside an HTML comment or a CDATA section,
and inside an HTML tag only in attribute values, through
``do_shortcodes_in_html_tags()`` with KSES filtering; it then encodes every
``[`` and ``]`` left in those elements, so none of them can start or end a
shortcode in the main pass.  :func:`parse` ``()`` does not model this (its
AST keeps every bracketed name); the renderer does, with the port's own code
(:func:`~shortcodes.wordpress.shortcodes.html_elements`,
:func:`~shortcodes.wordpress.shortcodes.expand_html_element`):

* :func:`html_view` masks the brackets WordPress encodes (same length, so
  every span is an offset in the real text) and lists the elements whose
  attributes may hold shortcodes;
* :func:`parse_view` parses the masked text (WordPress's main pass sees
  exactly these tags, paired as they are there) and gives the nodes their
  real text back;
* the renderer expands the attribute shortcodes of those elements itself,
  through :func:`~shortcodes.wordpress.shortcodes.expand_html_element`.

>>> view = html_view('<a title="[b]">[b]</a> <!-- [c] -->')
>>> [view.source[a:b] for a, b in view.elements]
['<a title="[b]">', '<!-- [c] -->']
>>> doc = parse_view(view, None)
>>> [(sc.name, sc.span) for sc in doc.shortcodes]
[('b', (15, 18))]
>>> str(doc) == view.source
True
"""
from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from typing import Iterable

from ..core.nodes import Document, Node, Text
from ..core.parser import parse
from ..wordpress.shortcodes import html_elements

__all__ = ["HtmlView", "html_view", "content_view", "parse_view"]

# Noncharacters, meant for internal use: the first two not in the text stand for '[' and ']'.
_MASK_CANDIDATES = [chr(c) for c in range(0xFDD0, 0xFDF0)]


@dataclass(frozen=True)
class HtmlView:
    """A text as WordPress's main shortcode pass sees it.

    ``source`` is the text; ``masked`` the same text with every ``[`` and
    ``]`` inside :attr:`elements` replaced by a mask character (the same
    length: offsets agree); ``elements`` the spans of the HTML elements
    that hold brackets (comments and CDATA included), in order; ``unmask``
    the :meth:`str.translate` table back.
    """

    source: str
    masked: str
    elements: tuple[tuple[int, int], ...] = ()
    unmask: "dict[int, str] | None" = None


def html_view(source: str) -> HtmlView:
    """The :class:`HtmlView` of ``source``."""
    if "<" not in source or "[" not in source and "]" not in source:
        return HtmlView(source, source)
    return _masked(source, tuple(html_elements(source)))


def content_view(source: str, doc: Document) -> HtmlView:
    """The view of a shortcode's own text, as WordPress runs it inside an attribute value.

    There the regex has matched the tag in the raw attribute text; a handler
    that runs ``do_shortcode($content)`` then sees its content through the
    HTML pre-pass.  So only the content of ``doc``'s top-level tags is masked.

    >>> text = '[b]x<!-- [c] -->[/b]'
    >>> view = content_view(text, parse(text))
    >>> [text[a:b] for a, b in view.elements]
    ['<!-- [c] -->']
    """
    if "<" not in source:
        return HtmlView(source, source)
    elements: list[tuple[int, int]] = []
    for node in doc.children:
        if isinstance(node, Text) or node.escaped or not node.content or "<" not in node.content:
            continue
        start = node.span[0] + len(node.open_tag)
        elements.extend((start + a, start + b) for a, b in html_elements(node.content))
    return _masked(source, tuple(elements))


def _masked(source: str, elements: tuple[tuple[int, int], ...]) -> HtmlView:
    if not elements:
        return HtmlView(source, source)
    masks = [c for c in _MASK_CANDIDATES if c not in source][:2]
    if len(masks) < 2:  # pragma: no cover - a text holding 30 noncharacters
        masks = [c for c in map(chr, range(0xE000, 0xF900)) if c not in source][:2]
    mask = str.maketrans({"[": masks[0], "]": masks[1]})
    parts: list[str] = []
    pos = 0
    for start, end in elements:
        parts.append(source[pos:start])
        parts.append(source[start:end].translate(mask))
        pos = end
    parts.append(source[pos:])
    return HtmlView(source, "".join(parts), elements, {ord(masks[0]): "[", ord(masks[1]): "]"})


def parse_view(view: HtmlView, tags: "Iterable[str] | None") -> Document:
    """``parse()`` of what WordPress's main pass sees, with the real text in every node.

    Spans are offsets in ``view.source``; ``str(doc) == view.source``.
    """
    doc = parse(view.masked, tags)
    if view.unmask is None:
        return doc
    return _unmasked(doc, view)


def _unmasked(doc: Document, view: HtmlView) -> Document:
    """``doc`` (parsed from ``view.masked``) with the masked brackets put back in every node that has one."""
    table = view.unmask
    assert table is not None
    starts = [a for a, _b in view.elements]

    def masked(span: tuple[int, int]) -> bool:  # nodes never cut an element in two
        i = bisect.bisect_left(starts, span[0])
        return i < len(starts) and starts[i] < span[1]

    def back(text: "str | None") -> "str | None":
        return None if text is None else text.translate(table)

    # Post-order without recursion (any depth): a node is rebuilt after its children.
    done: dict[int, Node] = {}
    stack: list[tuple[Node, bool]] = [(n, False) for n in reversed(doc.children)]
    while stack:
        node, expanded = stack.pop()
        if not masked(node.span):
            done[id(node)] = node
        elif isinstance(node, Text):
            done[id(node)] = Text(node.text.translate(table), node.span)
        elif not expanded and node.children:
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(node.children))
        else:
            attributes = tuple(dataclasses.replace(a, value=a.value.translate(table), raw=a.raw.translate(table),
                                                   quote=a.quote.translate(table),
                                                   close_quote=a.close_quote.translate(table))
                               for a in node.attributes)
            done[id(node)] = dataclasses.replace(
                node, attributes=attributes, open_tag=node.open_tag.translate(table),
                children=tuple(done.pop(id(c)) for c in node.children),
                content=back(node.content), close_tag=back(node.close_tag))
    children = tuple(done.pop(id(c)) for c in doc.children)
    diagnostics = tuple(dataclasses.replace(d, message=d.message.translate(table)) for d in doc.diagnostics)
    return dataclasses.replace(doc, children=children, diagnostics=diagnostics, source=view.source)
