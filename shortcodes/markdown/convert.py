"""HTML (a rendered post body) → Markdown for one target syntax.

Three passes, each linear in the input:

1. **prepare** (Python, one scan of the tags with :mod:`.htmlscan`): elements
   Markdown cannot express are cut out and replaced by placeholder tokens
   (serialised by :mod:`.rawhtml`); ``<style>`` is collected, ``<script>``,
   ``<template>`` and comments dropped (scripts and templates reported),
   ``<noscript>`` unwrapped; kept shortcodes (``<md-shortcode data-key>``,
   see :mod:`.kept`) become tokens; Markdown-significant characters in text
   become sentinels (:mod:`.escape`), code is left alone.
2. **convert** with ``html-to-markdown`` (Rust; chosen by measurement, see
   ``README.md``): headings, paragraphs, lists, links, emphasis, code,
   blockquotes, simple tables.
3. **finish**: sentinels resolved in context, setext look-alikes escaped,
   placeholder tokens spliced back as blocks (blank line before and after,
   with the blockquote/list prefix of where they stand) or inline.

>>> print(convert_html('<h2>Hi</h2><p>2*3 [gallery] <em>x</em></p><figure><img src="a.jpg" alt="A"></figure>').markdown)
## Hi
<BLANKLINE>
2\\*3 [gallery] *x*
<BLANKLINE>
<figure>
<img src="a.jpg" alt="A" />
</figure>
<BLANKLINE>
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from re import Pattern
from typing import Any, Literal

from . import escape as esc
from .htmlscan import TAG_RE, VOID, parse_attrs, unescape
from .rawhtml import serialize_result, start_tag

__all__ = [
    "BLOCK_KEPT",
    "DEFAULT_KEEP_CLASSES",
    "INLINE_KEPT",
    "SC_TOKEN",
    "SHORTCODE_ELEMENT",
    "Converted",
    "ShortcodeWriter",
    "Stylesheet",
    "Syntax",
    "convert_html",
]

#: The element a caller puts where a kept shortcode was (see :mod:`.kept`).
SHORTCODE_ELEMENT = "md-shortcode"

#: Always kept as raw HTML blocks: Markdown has no syntax for them.
BLOCK_KEPT = frozenset(["figure", "audio", "video", "iframe", "picture", "object", "embed", "svg", "math", "canvas", "details", "dl", "form", "fieldset", "select", "textarea", "map"])
#: Kept as raw inline tags around converted content (Markdown cannot say what they mean).
INLINE_KEPT = frozenset(["bdi", "bdo", "sup", "sub", "u", "mark", "small", "abbr", "ins", "q", "time", "data", "var"])
_STRIKE = frozenset(["del", "s", "strike"])
_CODE = frozenset(["pre", "code", "kbd", "samp", "tt"])
_DROP = frozenset(["script", "template"])
#: Elements whose presence inside a table makes it too complex for a pipe table.
_COMPLEX_TABLE = re.compile(r"\b(?:colspan|rowspan)\s*=|<(?:table|p|ul|ol|dl|div|pre|blockquote|h[1-6]|br|caption"
                            r"|figure|section)\b", re.IGNORECASE)
#: Classes whose element is kept raw: WordPress's media markup and this project's cards.
DEFAULT_KEEP_CLASSES = (r"sc-[a-z0-9-]+", r"wp-caption", r"gallery", r"wp-video", r"wp-audio-shortcode",
                        r"wp-playlist", r"wp-block-embed", r"wp-embedded-content", r"wp-block-gallery",
                        r"wp-block-audio", r"wp-block-video", r"wp-block-table", r"wp-block-columns")
_PHRASING_BLOCKS = frozenset(["audio", "video", "iframe", "picture", "object", "embed", "svg", "math", "canvas", "select", "textarea", "map", "img"])

_BLOCK_TOKEN = re.compile("\ufdee(\\d+)\ufdef")
_INLINE_TOKEN = re.compile("\ufdec(\\d+)\ufded")
SC_TOKEN = re.compile("\ufdea(\\d+)\ufdeb")
_PREFIX = re.compile(r"[ ]*(?:>[ ]?)*[ ]*(?:(?:[-+*]|\d{1,9}[.)])[ ]+)?")
_CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SETEXT = re.compile(r"^([ ]{0,3})(=+|-+)[ ]*$")
_FENCE = re.compile(r"^[ ]*(?:>[ ]?)*[ ]*(?:(?:[-+*]|\d{1,9}[.)])[ ]+)?(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class Syntax:
    """What a target's Markdown can say; flavours carry one (:mod:`.flavour`).

    ``text_style``: how braces and ``<`` are escaped (:data:`.escape.TextStyle`).
    ``mdx``: raw HTML is JSX (void tags self-closed everywhere anyway; text in
    it escaped as Markdown; attribute names checked).  ``tables``: GFM pipe
    tables (otherwise every table is raw HTML).  ``strikethrough``: ``~~x~~``
    (otherwise ``<del>`` stays HTML).
    """

    text_style: esc.TextStyle = "commonmark"
    mdx: bool = False
    tables: bool = False
    strikethrough: bool = False


@dataclass(frozen=True, slots=True)
class Stylesheet:
    """A ``<style>`` block taken out of the content: ``name`` (its ``data-sc-style``, or ``""``) and ``css``."""

    name: str
    css: str


@dataclass(frozen=True, slots=True)
class Converted:
    """The Markdown body, the stylesheets removed from it, and notes on what changed form or was dropped."""

    markdown: str
    stylesheets: tuple[Stylesheet, ...] = ()
    notes: tuple[str, ...] = ()


#: ``writer(key, block, prefix) -> text`` for a kept shortcode's placeholder.
ShortcodeWriter = Callable[[str, bool], str]


@dataclass
class _State:
    syntax: Syntax
    lang: str
    dir: str
    keep_class: Pattern[str] | None
    keep_tags: frozenset[str]
    images: str
    blocks: list[tuple[str, str, str]] = field(default_factory=list)   # (block html, one-line html, tag)
    inlines: list[str] = field(default_factory=list)
    shortcodes: list[str] = field(default_factory=list)
    stylesheets: list[Stylesheet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _find_end(html: str, name: str, pos: int) -> tuple[int, int]:
    """``(start, end)`` of the end tag matching an open ``name`` element whose start tag ends at ``pos``."""
    depth = 1
    while True:
        m = TAG_RE.search(html, pos)
        if m is None:
            return len(html), len(html)
        pos = m.end()
        tag = m.group(2)
        if tag is None or tag.lower() != name:
            continue
        if m.group(1):
            depth -= 1
            if depth == 0:
                return m.start(), m.end()
        elif not m.group(3).endswith("/"):
            depth += 1


def _differs(attrs: str, st: _State) -> bool:
    """True when the element's ``dir``/``lang`` say something the page does not."""
    found = dict(parse_attrs(attrs))
    d, lang = found.get("dir"), found.get("lang")
    if d is not None and d.lower() != st.dir.lower():
        return True
    return lang is not None and lang.lower().split("-")[0] != st.lang.lower().split("-")[0]


def _keep_by_class(attrs: str, st: _State) -> bool:
    if st.keep_class is None or "class" not in attrs.lower():
        return False
    m = _CLASS_ATTR.search(attrs)
    if not m:
        return False
    value = m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(3)
    return any(st.keep_class.fullmatch(c) for c in value.split())


_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_NAMED = sorted(BLOCK_KEPT | INLINE_KEPT | _STRIKE | _CODE | _DROP
                | {"a", "img", "style", "noscript", "table", SHORTCODE_ELEMENT}, key=len, reverse=True)
#: Only what decides something is visited in Python; every other tag is left
#: to the library (its attributes are ignored by it, so sentinels there are harmless).
_INTERESTING = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[!?][^>]*>?"
    r"|<(/?)(" + "|".join(re.escape(t) for t in _NAMED) + r")(?![\w:-])(" + _ATTRS + r")>"
    r"|<()([A-Za-z][\w:.-]*)(\s" + _ATTRS + r"""\b(?:dir|lang|class)\s*=""" + _ATTRS + r")>",
    re.DOTALL | re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_SPECIAL_CHARS = tuple(c for c in esc.SENTINELS if c not in "<>&")
_LINK_CHARS = {**{c: esc.SENTINELS[c] for c in _SPECIAL_CHARS}, "[": esc.LINK_OPEN, "]": esc.LINK_CLOSE}
_BARE_LT = re.compile(r"<(?![A-Za-z/!?])")


def _entity(m: re.Match[str]) -> str:
    """A character reference in text, decoded as a browser does (``&#159;`` is Ÿ there, not U+009F);
    one that decodes to Markdown syntax becomes its sentinel."""
    raw = m.group()
    char = unescape(raw)
    if char == raw:
        return raw.replace("&", esc.AMP, 1)       # not a reference: a literal "&"
    return "".join(esc.SENTINELS.get(c, c) for c in char)


def _protect_segment(seg: str, in_link: bool) -> str:
    """Text and uninteresting tags between two visited tags, escaped at C speed."""
    if "\n" in seg:
        seg = seg.replace("\n", " ")
    if "&" in seg:
        seg = _ENTITY.sub(_entity, seg)
    table = _LINK_CHARS if in_link else esc.SENTINELS
    for c in _SPECIAL_CHARS:
        if c in seg:
            seg = seg.replace(c, table[c])
    if "<" in seg and _BARE_LT.search(seg):
        seg = _BARE_LT.sub(esc.LT, seg)
    return seg


def _prepare(html: str, st: _State) -> str:
    out: list[str] = []
    pos = 0
    link = 0
    ends: list[tuple[int, int, str]] = []     # pending end tags of inline-kept elements (innermost last)
    n = len(html)
    mdx, notes = st.syntax.mdx, st.notes
    while pos < n:
        m = _INTERESTING.search(html, pos)
        stop = m.start() if m else n
        if ends and ends[-1][0] <= stop:     # the innermost kept inline element ends first
            s_end, e_end, ename = ends.pop()
            if s_end > pos:
                out.append(_protect_segment(html[pos:s_end], bool(link)))
            out.append(_inline(st, f"</{ename}>"))
            pos = max(pos, e_end)
            continue
        if stop > pos:
            seg = _protect_segment(html[pos:stop], bool(link))
            if seg.endswith("!") and m is not None and (m.group(2) or "").lower() in ("a", "img"):
                seg = seg[:-1] + esc.BANG
            out.append(seg)
        if m is None:
            break
        pos = m.end()
        if m.group(2) is not None:
            closing, name, attrs = bool(m.group(1)), m.group(2).lower(), m.group(3)
        elif m.group(5) is not None:
            closing, name, attrs = False, m.group(5).lower(), m.group(6)
        else:
            continue                # comment, doctype, CDATA, processing instruction: dropped
        if closing:
            if name == "a" and link:
                link -= 1
            if name != "noscript":
                out.append(m.group())
            continue
        if name == SHORTCODE_ELEMENT:
            key = dict(parse_attrs(attrs)).get("data-key") or ""
            if not attrs.rstrip().endswith("/"):
                _, pos = _find_end(html, name, pos)
            st.shortcodes.append(key)
            out.append(f"\ufdea{len(st.shortcodes) - 1}\ufdeb")
            continue
        if name == "style" or name in _DROP:
            s_end, e_end = _find_end(html, name, pos)
            body = html[pos:s_end]
            if name == "style":
                label = dict(parse_attrs(attrs)).get("data-sc-style") or ""
                st.stylesheets.append(Stylesheet(label, body.strip("\n")))
            else:
                notes.append(f"<{name}> removed ({len(body)} characters)")
            pos = e_end
            continue
        if name == "noscript":
            continue
        if name in _CODE:           # code is written literally: the library gets it untouched
            s_end, e_end = _find_end(html, name, pos)
            out.append(html[m.start():e_end])
            pos = e_end
            continue
        keep_block = name in BLOCK_KEPT or name in st.keep_tags or (name == "table" and not st.syntax.tables)
        if not keep_block and attrs:
            low = attrs.lower()
            if ("dir" in low or "lang" in low) and name not in INLINE_KEPT and _differs(attrs, st):
                if name in _PHRASING_OK:    # a phrasing element with its own direction: inline tags
                    s_end, e_end = _find_end(html, name, pos)
                    ends.append((s_end, e_end, name))
                    out.append(_inline(st, start_tag(name, parse_attrs(attrs), mdx=mdx, notes=notes)))
                    continue
                keep_block = True
            elif "class" in low and _keep_by_class(attrs, st):
                keep_block = True
        if name == "table" and not keep_block:
            s_end, _ = _find_end(html, "table", pos)
            keep_block = _COMPLEX_TABLE.search(html, pos, s_end) is not None
        if keep_block:
            if name in VOID or attrs.rstrip().endswith("/"):
                e_end = pos
            else:
                _, e_end = _find_end(html, name, pos)
            out.append(_block(st, html[m.start():e_end], name))
            pos = e_end
            continue
        if name in INLINE_KEPT or (name in _STRIKE and not st.syntax.strikethrough):
            s_end, e_end = _find_end(html, name, pos)
            ends.append((s_end, e_end, name))
            out.append(_inline(st, start_tag(name, parse_attrs(attrs), mdx=mdx, notes=notes)))
            continue
        if name == "a":
            found = dict(parse_attrs(attrs))
            if found.get("href") is None:
                if found.get("id") or found.get("name"):   # an anchor: kept, links point at it
                    s_end, e_end = _find_end(html, "a", pos)
                    ends.append((s_end, e_end, "a"))
                    out.append(_inline(st, start_tag("a", parse_attrs(attrs), mdx=mdx, notes=notes)))
                continue
            link += 1
        elif name == "img":
            if st.images == "html":
                out.append(_inline(st, start_tag("img", parse_attrs(attrs), void=True, mdx=mdx, notes=notes)))
                continue
            alt = dict(parse_attrs(attrs)).get("alt")
            if alt and esc._PROTECT.search(alt):
                out.append(_img_with_alt(attrs, esc.protect(alt, in_link=True)))
                continue
        out.append(m.group())
    while ends:
        out.append(_inline(st, f"</{ends.pop()[2]}>"))
    return "".join(out)


_PHRASING_OK = frozenset(["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "del", "ins", "label", "output"])


def _img_with_alt(attrs: str, alt: str) -> str:
    rest = [f'{k}="{v}"' if v is not None else k for k, v in parse_attrs(attrs) if k != "alt" for v in [v]]
    q = alt.replace("&", "&amp;").replace('"', "&quot;")
    return "<img " + " ".join(rest + [f'alt="{q}"']) + ">"


def _inline(st: _State, html: str) -> str:
    st.inlines.append(html)
    return f"\ufdec{len(st.inlines) - 1}\ufded"


@functools.lru_cache(maxsize=4096)
def _serialized(fragment: str, mdx: bool) -> tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Cached: the same widget markup (a card, a player) recurs across the posts of a site."""
    res = serialize_result(fragment, mdx=mdx)
    return res.html, tuple(res.stylesheets), tuple(res.notes)


def _block(st: _State, fragment: str, name: str) -> str:
    html, sheets, notes = _serialized(fragment, st.syntax.mdx)
    one = html.replace("\n", " ") if "\n" in html else html
    st.stylesheets.extend(Stylesheet(n, c) for n, c in sheets)
    st.notes.extend(notes)
    st.blocks.append((html, one, name))
    token = f"\ufdee{len(st.blocks) - 1}\ufdef"
    # A flow element is a paragraph of its own (as a browser closes <p> before <figure>);
    # a phrasing one (<iframe>, <audio>) stays where it is, inline if text surrounds it.
    return token if name in _PHRASING_BLOCKS else f"<p>{token}</p>"


# --------------------------------------------------------------------- library

def _library_options() -> object:
    from html_to_markdown import ConversionOptions, PreprocessingOptions

    return ConversionOptions(
        heading_style="atx", bullets="-", strong_em_symbol="*", code_block_style="backticks",
        newline_style="backslash", autolinks=False, extract_metadata=False, escape_asterisks=False,
        escape_underscores=False, escape_misc=False, escape_ascii=False, expand_abbreviations=False,
        include_blockquote_citations=False, compact_tables=True, hidden_content="all",
        preprocessing=PreprocessingOptions(enabled=False, remove_navigation=False, remove_forms=False),
    )


_CONVERT: list[Callable[[str], str]] = []


def _library() -> Callable[[str], str]:
    """The library call, with its options converted to the native object once.

    ``html_to_markdown.convert(html, options)`` converts the options on every
    call, which costs about a quarter of the time on post-sized inputs
    (measured: 10.0 → 13.5 MB/s), so the native function is called with
    options built once.  If a later 3.x release moves those internals, the
    public ``convert()`` is used (same output, slower).
    """
    if not _CONVERT:
        import html_to_markdown
        from html_to_markdown import api

        opts: Any = _library_options()
        try:
            internals: Any = api
            native: Any = internals._to_rust_conversion_options(opts)
            rust: Any = internals._rust

            def run(html: str) -> str:
                return str(rust.convert(html=html, options=native, visitor=None).content or "")
        except (AttributeError, TypeError):     # pragma: no cover - depends on the library's internals
            def run(html: str) -> str:
                return str(html_to_markdown.convert(html, opts).content or "")

        _CONVERT.append(run)
    return _CONVERT[0]


# ---------------------------------------------------------------------- finish

def _fix_lines(md: str) -> str:
    """Escape a line of ``===``/``---`` that would make the line before it a setext heading."""
    if "==" not in md and "--" not in md and "\n=" not in md and "\n-" not in md:
        return md
    lines = md.split("\n")
    fence = ""
    for i, line in enumerate(lines):
        f = _FENCE.match(line)
        if f:
            mark = f.group(1)
            if not fence:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = ""
            continue
        if fence or i == 0:
            continue
        s = _SETEXT.match(line)
        if s and lines[i - 1].strip() and not _FENCE.match(lines[i - 1]):
            prev = lines[i - 1].lstrip()
            if s.group(2)[0] == "-" and (prev.startswith(("|", "-", "*", "+")) or not prev):
                continue
            lines[i] = s.group(1) + "\\" + line[len(s.group(1)):]
    return "\n".join(lines)


def _prefix_of(line: str) -> tuple[str, str]:
    """``(first-line prefix, continuation prefix)`` of a line inside blockquotes/list items."""
    m = _PREFIX.match(line)
    first = m.group() if m else ""
    if first.strip() == "" and len(first) < 2:
        first = ""          # a stray space the library left before a token, not an indent
    cont = re.sub(r"(?:[-+*]|\d{1,9}[.)])([ ]+)$", lambda x: " " * (len(x.group()) ), first)
    return first, cont


def _splice_blocks(md: str, st: _State) -> str:
    if not st.blocks:
        return md
    out: list[str] = []
    for line in md.split("\n"):
        if "\ufdee" not in line:
            out.append(line)
            continue
        first, cont = _prefix_of(line)
        body = line[len(first):]
        table_or_heading = line.lstrip().startswith(("|", "#"))
        if _BLOCK_TOKEN.fullmatch(body.strip()) and not table_or_heading:
            entry = st.blocks[int(_BLOCK_TOKEN.fullmatch(body.strip()).group(1))]  # type: ignore[union-attr]
            # MDX reads a line with text inside JSX as a paragraph, which cannot close an element
            # opened on another line: for MDX the whole element goes on one line.
            html = entry[1] if st.syntax.mdx else entry[0]
            lines = html.split("\n")
            if out and out[-1].strip(" >") and not first.strip(" >"):
                out.append(cont.rstrip())
            out.append(first + lines[0])
            out.extend((cont + x).rstrip() if x else cont.rstrip() for x in lines[1:])
            out.append(_AFTER_BLOCK + cont.rstrip())    # a blank line ends a CommonMark HTML block
            continue
        # In a table row, a heading or the middle of text a block cannot stand:
        # it goes on one line, as inline HTML (CommonMark and MDX accept it there).
        out.append(_BLOCK_TOKEN.sub(lambda m: st.blocks[int(m.group(1))][1], line))
    text = "\n".join(out)
    # The blank line after each block, unless one follows already.
    return _DUP_BLANK.sub("", text).replace(_AFTER_BLOCK, "")


_AFTER_BLOCK = "\ufde9"
_DUP_BLANK = re.compile("\ufde9[ >]*\n(?=[ >]*(?:\n|\\Z))|\ufde9[ >]*\\Z")


def convert_html(html: str, *, syntax: Syntax | None = None, lang: str = "", dir: str = "",
                 keep_classes: tuple[str, ...] = DEFAULT_KEEP_CLASSES, keep_tags: tuple[str, ...] = (),
                 images: Literal["markdown", "html"] = "markdown",
                 shortcodes: ShortcodeWriter | None = None,
                 finish: Callable[[str, list[str]], str] | None = None) -> Converted:
    """Convert one post body.

    ``syntax``: what the target can express (default: plain CommonMark).
    ``lang``/``dir``: the page's language and direction; elements whose
    ``dir``/``lang`` differ are kept as HTML (the same ones say nothing).
    ``keep_classes``: regular expressions; an element with a matching class
    is kept as raw HTML.  ``keep_tags``: more element names to keep raw.
    ``images``: ``"markdown"`` writes ``![alt](src "title")`` (``width``,
    ``height``, ``class``, ``srcset`` are dropped: Markdown has no place for
    them); ``"html"`` keeps every ``<img />``.  ``shortcodes``: writes each
    kept shortcode's placeholder (``writer(key, block)``); without it a
    placeholder's key is written as a verbatim line.  ``finish(markdown, notes)``:
    the flavour's last escapes, run before the kept shortcodes are put back.

    >>> convert_html('<p dir="ltr">Hello <bdi>عربي</bdi></p>', lang="ar", dir="rtl").markdown
    '<p dir="ltr">\\nHello <bdi>عربي</bdi>\\n</p>\\n'
    """
    syntax = syntax or Syntax()
    pattern = re.compile("|".join(f"(?:{p})" for p in keep_classes)) if keep_classes else None
    st = _State(syntax, lang, dir, pattern, frozenset(t.lower() for t in keep_tags), images)
    prepared = _prepare(html, st)
    md = _library()(prepared) if prepared.strip() else ""
    md = esc.resolve(md, syntax.text_style)
    md = _fix_lines(md)
    md = _splice_blocks(md, st)
    if st.inlines:
        md = _INLINE_TOKEN.sub(lambda m: st.inlines[int(m.group(1))], md)
    if finish is not None:
        md = finish(md, st.notes)
    if st.shortcodes:
        writer = shortcodes or (lambda key, block: key)
        md = _splice_shortcodes(md, st, writer)
    md = md.strip("\n")
    return Converted(md + "\n" if md else "", tuple(st.stylesheets), tuple(st.notes))


def _splice_shortcodes(md: str, st: _State, writer: ShortcodeWriter) -> str:
    out: list[str] = []
    for line in md.split("\n"):
        if "\ufdea" not in line:
            out.append(line)
            continue
        first, cont = _prefix_of(line)
        body = line[len(first):]
        if SC_TOKEN.fullmatch(body.strip()):
            text = writer(st.shortcodes[int(SC_TOKEN.fullmatch(body.strip()).group(1))], True)  # type: ignore[union-attr]
            lines = text.split("\n")
            out.append(first + lines[0])
            out.extend((cont + x) if x else cont.rstrip() for x in lines[1:])
            continue
        # Inline: on a line of its own inside the paragraph (a soft line break each side).
        def inline(m: re.Match[str], cont: str = cont) -> str:
            text = writer(st.shortcodes[int(m.group(1))], False)
            return "\n" + cont + text.replace("\n", "\n" + cont) + "\n" + cont
        new = SC_TOKEN.sub(inline, body)
        parts = [p.strip() for p in new.split("\n")]
        parts = [cont + p for p in parts if p]
        if parts:
            parts[0] = first + parts[0][len(cont):]
        out.extend(parts)
    return "\n".join(out)
