"""A small, fast HTML tokenizer: just enough to find elements, not a parser.

The converter does not build a DOM: the HTML library (``html-to-markdown``)
parses the post body once, in Rust.  This module only has to find, in
linear time and with one compiled regular expression, the tags that decide
what the library is given: the elements kept as raw HTML, code regions,
links, comments, ``<style>`` and ``<script>``.

>>> [(t.kind, t.name) for t in tokens('<p class="a>b">x<br/><!-- c --></p>')]
[('start', 'p'), ('text', ''), ('start', 'br'), ('comment', ''), ('end', 'p')]
>>> parse_attrs(' src="a.jpg" alt=\\'x "y"\\' controls width=300')
(('src', 'a.jpg'), ('alt', 'x "y"'), ('controls', None), ('width', '300'))
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["BLOCK", "TAG_RE", "VOID", "Token", "parse_attrs", "tokens", "unescape"]

#: Elements that never have content (serialised self-closed: ``<img … />``).
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"])

#: Elements that close an open ``<p>`` (HTML's "implied end tags").
BLOCK = frozenset(
    ["address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul"])

# One alternation, tried at each "<": comment, CDATA, doctype/processing
# instruction, or a tag whose attribute values may contain ">" in quotes.
TAG_RE = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"|<(/?)([A-Za-z][A-Za-z0-9:._-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.DOTALL)

_ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


@dataclass(frozen=True, slots=True)
class Token:
    """One piece of HTML source: ``kind`` is start, end, text, comment or other.

    ``name`` is the lower-cased tag name (``""`` for text and comments),
    ``attrs`` the raw attribute source of a tag, ``self_closing`` a trailing
    ``/``, and ``start``/``end`` the offsets in the source.
    """

    kind: str
    name: str
    start: int
    end: int
    attrs: str = ""
    self_closing: bool = False


def tokens(source: str) -> Iterator[Token]:
    """The tokens of ``source`` in order; the text between tags is a ``text`` token."""
    pos = 0
    for m in TAG_RE.finditer(source):
        if m.start() > pos:
            yield Token("text", "", pos, m.start())
        name = m.group(2)
        if name is None:
            kind = "comment" if m.group().startswith("<!--") else "other"
            yield Token(kind, "", m.start(), m.end())
        else:
            attrs = m.group(3)
            closing = attrs.endswith("/")
            yield Token("end" if m.group(1) else "start", name.lower(), m.start(), m.end(),
                        attrs[:-1] if closing else attrs, closing)
        pos = m.end()
    if pos < len(source):
        yield Token("text", "", pos, len(source))


def parse_attrs(source: str) -> tuple[tuple[str, str | None], ...]:
    """``(name, value)`` pairs of a tag's attribute source, names lower-cased, values decoded.

    A name without ``=`` has the value ``None`` (``controls``).  Repeated
    names keep the first, as browsers do.
    """
    seen: dict[str, str | None] = {}
    for m in _ATTR_RE.finditer(source):
        name = m.group(1).lower()
        if name in seen:
            continue
        raw = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        seen[name] = None if raw is None else unescape(raw)
    return tuple(seen.items())


def unescape(text: str) -> str:
    """HTML character references decoded (``&amp;`` → ``&``); fast when there are none."""
    return html.unescape(text) if "&" in text else text
