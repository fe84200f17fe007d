"""Serialise an element Markdown cannot express as an HTML block that CommonMark and MDX both accept.

The rules (``shared/research/wordpress-media.md`` §4.2, checked with
markdown-it-py and ``@mdx-js/mdx`` in the tests):

* balanced markup: end tags HTML implies are written (``<li>a<li>b`` →
  ``<li>a</li><li>b</li>``), stray end tags are dropped, what is still open
  at the end is closed;
* void elements self-closed (``<img … />``, ``<source … />``): MDX is JSX;
* no comments (the IE conditional comment around ``[audio]``/``[video]``
  is dead since IE 9), no doctype, no processing instructions;
* ``<style>`` blocks are removed and handed back, so the caller writes one
  site-level stylesheet; ``<script>`` elements are removed and reported
  (MDX cannot hold them, and nothing in a post body needs them);
* no blank line inside the block (a blank line ends a CommonMark HTML
  block): runs of white space between tags become one newline, white space
  inside text becomes one space (outside ``<pre>``/``<textarea>``);
* the root start tag alone on the first line and its end tag alone on the
  last, so CommonMark sees an HTML block (type 7 needs the tag alone on its
  line for ``<audio>``, ``<video>``, ``<iframe>``…);
* text and attribute values re-escaped: ``& < >`` always, ``{ }`` as
  character references (a Hugo shortcode or a Liquid tag must not appear,
  and MDX reads a bare ``{`` as an expression).  For MDX, text is Markdown
  inside JSX, so ``* _ ` \\ ~`` and ``://`` are written as character
  references too.

>>> print(serialize('<figure class="wp-caption"><img src="a.jpg" alt="برج"><figcaption>x</figcaption></figure>'))
<figure class="wp-caption">
<img src="a.jpg" alt="برج" /><figcaption>x</figcaption>
</figure>
>>> serialize('<audio controls><!--[if lt IE 9]><script>x</script><![endif]--><source src="a.mp3"></audio>', inline=True)
'<audio controls><source src="a.mp3" /></audio>'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .htmlscan import BLOCK, TAG_RE, VOID, parse_attrs, unescape

__all__ = ["RawResult", "escape_attr", "escape_text", "serialize", "serialize_result", "start_tag"]

_WS = re.compile(r"[ \t\n\r\f]+")
# Attributes already in the normal form (double quotes, nothing to re-escape): copied as they are.
_SIMPLE_ATTRS = re.compile(r"""(?:\s+[A-Za-z_:][\w:.-]*(?:="[^"&<{}\u00a0\n]*")?)*\s*""")
_BLANK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_MDX_NAME = re.compile(r"^[A-Za-z_:][A-Za-z0-9_:.-]*$")
_PRESERVE = frozenset({"pre", "textarea", "listing", "plaintext"})
# Start tags that close an open element of the same family.
_CLOSES = {
    "li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
    "td": ("td", "th"), "th": ("td", "th"), "option": ("option",), "thead": ("tbody", "tfoot"),
    "tbody": ("thead", "tbody", "tr", "td", "th"), "tfoot": ("thead", "tbody", "tr", "td", "th"),
}

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;", "\u00a0": "&nbsp;"})
_TEXT_MDX = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;",
                           "\u00a0": "&nbsp;", "*": "&#42;", "_": "&#95;", "`": "&#96;",
                           "\\": "&#92;", "~": "&#126;"})
_ATTR = str.maketrans({"&": "&amp;", '"': "&quot;", "<": "&lt;", "{": "&#123;", "}": "&#125;",
                       "\u00a0": "&nbsp;"})


def escape_text(text: str, mdx: bool = False) -> str:
    """Text for inside a raw HTML block (``&<>{}`` always; Markdown syntax too for MDX).

    >>> escape_text("a < b {x}"), escape_text("*a* https://x", mdx=True)
    ('a &lt; b &#123;x&#125;', '&#42;a&#42; https&#58;//x')
    """
    if mdx:
        out = text.translate(_TEXT_MDX)
        # GFM's autolink literals (Astro turns GFM on) would link URLs in text.
        return out.replace("://", "&#58;//").replace("](", "]&#40;") if ("://" in out or "](" in out) else out
    return text.translate(_TEXT)


def escape_attr(value: str) -> str:
    """An attribute value for inside double quotes."""
    return value.translate(_ATTR)


def start_tag(name: str, attrs: tuple[tuple[str, str | None], ...], *, void: bool = False,
              mdx: bool = False, notes: list[str] | None = None) -> str:
    """``<name a="v" b>`` (``/>`` for a void element); attribute names MDX cannot read are dropped."""
    parts = [name]
    for key, value in attrs:
        if mdx and not _MDX_NAME.match(key):
            if notes is not None:
                notes.append(f"attribute {key!r} of <{name}> dropped: not a valid JSX attribute name")
            continue
        parts.append(key if value is None else f'{key}="{escape_attr(value)}"')
    return "<" + " ".join(parts) + (" />" if void else ">")


@dataclass
class RawResult:
    """What :func:`serialize_result` produced: the HTML, stylesheets removed, and notes."""

    html: str
    stylesheets: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def serialize(fragment: str, *, mdx: bool = False, inline: bool = False) -> str:
    """``fragment`` (one element's outer HTML) as a normalised raw HTML block; see the module doc."""
    return serialize_result(fragment, mdx=mdx, inline=inline).html


def serialize_result(fragment: str, *, mdx: bool = False, inline: bool = False) -> RawResult:
    """Like :func:`serialize`, also returning the ``<style>`` blocks and notes about what was dropped.

    ``inline=True`` writes everything on one line (for a table cell or a
    heading, where a block cannot go).

    >>> r = serialize_result('<div class="gallery"><style>#g{float:left}</style><p>a<p>b</div>')
    >>> r.html, r.stylesheets
    ('<div class="gallery">\\n<p>a</p><p>b</p>\\n</div>', [('', '#g{float:left}')])
    """
    result = RawResult("")
    out: list[str] = []
    stack: list[str] = []
    skip_until: str | None = None     # inside <style> or <script>
    skip_start = 0
    style_attrs: tuple[tuple[str, str | None], ...] = ()
    preserve = 0
    pos = 0
    n = len(fragment)
    while pos <= n:
        m = TAG_RE.search(fragment, pos)
        stop = m.start() if m else n
        if skip_until is None and stop > pos:
            text = unescape(fragment[pos:stop])
            if preserve:
                out.append(escape_text(text, mdx).replace("\n\n", "\n&#10;") if not mdx
                           else escape_text(text, mdx).replace("\n", "&#10;"))
            elif not text.strip(" \t\n\r\f"):
                out.append("\n" if ("\n" in text and not inline) else " ")
            else:
                out.append(escape_text(_WS.sub(" ", text), mdx))
        if m is None:
            break
        pos = m.end()
        name = m.group(2)
        if name is None:
            continue            # comments, doctype, CDATA, processing instructions: dropped
        name = name.lower()
        closing = bool(m.group(1))
        if skip_until is not None:
            if closing and name == skip_until:
                body = fragment[skip_start:m.start()]
                if skip_until == "style":
                    label = dict(style_attrs).get("data-sc-style") or ""
                    result.stylesheets.append((label, body.strip("\n")))
                else:
                    result.notes.append(f"<script> removed ({len(body)} characters)")
                skip_until = None
            continue
        attrs = m.group(3)
        self_closing = attrs.endswith("/")
        if self_closing:
            attrs = attrs[:-1]
        if not closing:
            if name in ("style", "script"):
                if not self_closing:
                    skip_until, skip_start = name, pos
                    style_attrs = parse_attrs(attrs)
                continue
            if stack:
                if stack[-1] == "p" and name in BLOCK:
                    out.append("</p>")
                    stack.pop()
                closes = _CLOSES.get(name)
                while closes and stack and stack[-1] in closes:
                    out.append(f"</{stack.pop()}>")
            void = name in VOID
            if _SIMPLE_ATTRS.fullmatch(attrs):
                rest = attrs.rstrip()
                out.append(f"<{name}{rest} />" if void else f"<{name}{rest}>")
            else:
                out.append(start_tag(name, parse_attrs(attrs), void=void, mdx=mdx, notes=result.notes))
            if not void:
                if self_closing:      # <div/> is not closed in HTML; XHTML-style authors mean it
                    out.append(f"</{name}>")
                else:
                    stack.append(name)
                    if name in _PRESERVE:
                        preserve += 1
        else:
            if name in VOID or name not in stack:
                continue
            while stack:
                top = stack.pop()
                out.append(f"</{top}>")
                if top in _PRESERVE:
                    preserve -= 1
                if top == name:
                    break
    if skip_until == "script":
        result.notes.append("unterminated <script> removed")
    while stack:
        out.append(f"</{stack.pop()}>")
    text = _BLANK.sub("\n", "".join(out)).strip(" \n")
    if inline:
        result.html = text
        return result
    # The root start tag alone on the first line and its end tag alone on the last.
    m = re.match(r"<[^>]*>", text)
    if m and not m.group().endswith("/>") and text.endswith(">"):
        first, rest = m.group(), text[m.end():]
        end_tag = re.search(r"</[A-Za-z][^>]*>\Z", rest)
        if end_tag:
            body = rest[:end_tag.start()].strip(" \n")
            text = first + ("\n" + body if body else "") + "\n" + end_tag.group()
    result.html = text
    return result
