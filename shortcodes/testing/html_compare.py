"""Comparing HTML as trees: whitespace between elements, attribute order and class order do not count.

>>> assert_html_equal('<p class="b a" id=x>Hi  <b>there</b></p>',
...                   '<p id="x" class="a b">\\n  Hi\\n  <b>there</b>\\n</p>')
>>> print(canonical_html('<div><p class="b a">Hi <br> there <b> you</b></div>'))
<div>
  <p class="a b">
    Hi
    <br>
    there
    <b>you</b>
  </p>
</div>
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["assert_html_equal", "canonical_html"]


_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: Elements whose text is kept exactly (whitespace included).
_PRESERVE = frozenset(("pre", "textarea", "script", "style"))
_RAW_TEXT = frozenset(("script", "style"))
#: Start tags that close an open <p> (HTML's "close a p element").
_CLOSES_P = frozenset(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
#: Start tags that close an open element of the listed kinds (implied end tags).
_IMPLIED = {
    "li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
    "td": ("td", "th"), "th": ("td", "th"), "option": ("option",),
}
#: Elements that end the search for an element to close implicitly (HTML's scopes, roughly).
_SCOPE = frozenset("table td th caption button object template select ul ol dl".split())
_HTML_WS = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Node:
    tag: str  # "#text", "#comment", "#decl", "#stray" or an element name
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    text: str = ""


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def _open(self, tag: str) -> None:
        if tag in _CLOSES_P:
            self._close_if_open(("p",), stop_at_block=True)
        if tag in _IMPLIED:
            self._close_if_open(_IMPLIED[tag], stop_at_block=True)

    def _close_if_open(self, tags: tuple[str, ...], stop_at_block: bool) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in tags:
                del self.stack[i:]
                return
            if stop_at_block and t in _SCOPE:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag)
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag)
        self.stack[-1].children.append(_Node(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        self.stack[-1].children.append(_Node("#stray", text=tag))

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and children[-1].tag == "#text":  # the parser may split one text ("a < b")
            children[-1].text += data
        else:
            children.append(_Node("#text", text=data))

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(_Node("#comment", text=data))

    def handle_decl(self, decl: str) -> None:
        self.stack[-1].children.append(_Node("#decl", text=decl))

    def unknown_decl(self, data: str) -> None:
        self.stack[-1].children.append(_Node("#decl", text=data))

    def handle_pi(self, data: str) -> None:
        self.stack[-1].children.append(_Node("#decl", text="?" + data))


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;")


def _escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("\u00a0", "&nbsp;")


def _canonical_attrs(attrs: list[tuple[str, str | None]], ignore_class_order: bool) -> str:
    seen: dict[str, str] = {}
    for name, value in attrs:
        if name not in seen:  # HTML keeps the first of duplicate attributes
            seen[name] = "" if value is None else value
    parts = []
    for name in sorted(seen):
        value = seen[name]
        if name == "class":
            tokens = _HTML_WS.split(value.strip()) if value.strip() else []
            value = " ".join(sorted(tokens) if ignore_class_order else tokens)
        elif name == "style":
            decls = [d.strip() for d in value.split(";")]
            value = "; ".join(_style_decl(d) for d in decls if d)
        parts.append(f' {name}="{_escape_attr(value)}"')
    return "".join(parts)


def _style_decl(decl: str) -> str:
    prop, sep, val = decl.partition(":")
    return f"{prop.strip().lower()}: {_HTML_WS.sub(' ', val.strip())}" if sep else _HTML_WS.sub(" ", decl)


def _inline(node: _Node, raw: bool, ignore_class_order: bool) -> str:
    """Serialise a subtree exactly (for pre, textarea, script, style)."""
    if node.tag == "#text":
        return node.text if raw else _escape_text(node.text)
    if node.tag == "#comment":
        return f"<!--{node.text}-->"
    if node.tag == "#decl":
        return f"<!{node.text}>"
    if node.tag == "#stray":
        return f"</{node.text}>"
    inner_raw = raw or node.tag in _RAW_TEXT
    inner = "".join(_inline(c, inner_raw, ignore_class_order) for c in node.children)
    start = f"<{node.tag}{_canonical_attrs(node.attrs, ignore_class_order)}>"
    return start if node.tag in _VOID else f"{start}{inner}</{node.tag}>"


def _pretty(node: _Node, depth: int, out: list[str], ignore_class_order: bool) -> None:
    pad = "  " * depth
    for child in node.children:
        tag = child.tag
        if tag == "#text":
            text = _HTML_WS.sub(" ", child.text).strip(" ")
            if text:
                out.append(pad + _escape_text(text))
        elif tag == "#comment":
            out.append(f"{pad}<!--{_HTML_WS.sub(' ', child.text).strip(' ')}-->")
        elif tag == "#decl":
            out.append(f"{pad}<!{_HTML_WS.sub(' ', child.text).strip(' ')}>")
        elif tag == "#stray":
            out.append(f"{pad}</{child.text}>")
        elif tag in _PRESERVE:
            out.append(pad + _inline(child, False, ignore_class_order))
        else:
            start = f"<{tag}{_canonical_attrs(child.attrs, ignore_class_order)}>"
            if tag in _VOID:
                out.append(pad + start)
            elif not child.children:
                out.append(f"{pad}{start}</{tag}>")
            else:
                mark = len(out)
                _pretty(child, depth + 1, out, ignore_class_order)
                if len(out) == mark:  # only whitespace inside
                    out.append(f"{pad}{start}</{tag}>")
                elif len(out) == mark + 1 and not out[mark].lstrip().startswith("<"):  # one text: one line
                    out[mark] = f"{pad}{start}{out[mark].lstrip()}</{tag}>"
                else:
                    out.insert(mark, pad + start)
                    out.append(f"{pad}</{tag}>")


def canonical_html(fragment: str, *, ignore_class_order: bool = True) -> str:
    """A canonical, pretty-printed form of an HTML fragment, for comparisons.

    Parsed with the standard library's :class:`html.parser.HTMLParser`
    (plus HTML's implied end tags for ``p``, ``li``, ``dt``/``dd``, table
    rows and cells, ``option``); then written one node per line, indented by
    two spaces, with:

    * attributes sorted by name, always double-quoted (``disabled`` →
      ``disabled=""``; of duplicates the first wins, as in browsers);
    * class tokens sorted (unless ``ignore_class_order=False``);
    * ``style`` declarations written ``prop: value`` and joined by ``; ``
      (their order is kept: it matters in CSS);
    * character references decoded and re-escaped the same way everywhere
      (``&#038;`` and ``&amp;`` are equal; a no-break space is ``&nbsp;``);
    * whitespace collapsed, and dropped between elements and at the edges of
      text (so ``a <b>b</b>`` equals ``a<b>b</b>``), except inside ``pre``,
      ``textarea``, ``script`` and ``style``, which are kept exactly;
    * an end tag without start tag kept where it is.

    The result is itself HTML whose canonical form is the same text.

    >>> canonical_html('<ul><li>one<li>two</ul>')
    '<ul>\\n  <li>one</li>\\n  <li>two</li>\\n</ul>'
    """
    builder = _TreeBuilder()
    builder.feed(str(fragment))
    builder.close()
    out: list[str] = []
    _pretty(builder.root, 0, out, ignore_class_order)
    return "\n".join(out)


def _diff(expected: str, actual: str, from_name: str = "expected", to_name: str = "actual") -> str:
    return "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), from_name, to_name,
                                          lineterm="", n=3))


def assert_html_equal(actual: str, expected: str, *, ignore_class_order: bool = True) -> None:
    """Assert that two HTML fragments are the same tree (see :func:`canonical_html`).

    Whitespace between elements, attribute order and (by default) the order
    of class names do not matter.  On a difference, the message is a unified
    diff of the canonical forms (``-`` expected, ``+`` actual).

    >>> assert_html_equal('<b>1</b>', '<b>2</b>')
    Traceback (most recent call last):
    ...
    AssertionError: HTML differs (canonical forms; - expected, + actual):
    --- expected
    +++ actual
    @@ -1 +1 @@
    -<b>2</b>
    +<b>1</b>
    """
    __tracebackhide__ = True
    a = canonical_html(actual, ignore_class_order=ignore_class_order)
    e = canonical_html(expected, ignore_class_order=ignore_class_order)
    if a != e:
        raise AssertionError(f"HTML differs (canonical forms; - expected, + actual):\n{_diff(e, a)}")
