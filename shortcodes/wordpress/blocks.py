"""Block-editor content: WordPress 6.1.9's block parser (``class-wp-block-parser.php``), ``has_blocks``
and ``do_blocks`` (``blocks.php``) without a PHP runtime.

Posts written in the block editor keep their structure in HTML comments:
``<!-- wp:paragraph -->`` … ``<!-- /wp:paragraph -->``, a JSON object of
attributes after the name (``<!-- wp:image {"id":12} -->``), ``/-->`` for a
block with no content (``<!-- wp:latest-posts /-->``), and a namespace
before the name (``core/`` when none is written).  On a WordPress site
``the_content`` runs ``do_blocks`` first: the delimiters go, each *static*
block's saved HTML is kept as it is, each *dynamic* block is replaced by
what its PHP ``render_callback`` prints, and ``wpautop`` is switched off
for the whole post (``has_blocks``).

What is ported here, and where the output deviates from a live site:

* :func:`parse_blocks` is ``WP_Block_Parser::parse`` exactly (its delimiter
  regular expression, freeform HTML between blocks, nesting, the repair of
  unclosed blocks at the end of the text, ``json_decode`` of the attributes);
* :func:`render_block` concatenates a block's ``innerContent`` with its inner
  blocks rendered in place, as ``WP_Block::render`` does, and runs the one
  callback that needs no site: ``core/shortcode`` (``wpautop`` of its text,
  which ``do_shortcode`` then expands: the renderer does that afterwards);
* a dynamic block (:data:`DYNAMIC_BLOCKS`: latest posts, archives, the
  calendar, navigation, query loops… whose output PHP computes from the
  database) keeps its saved HTML where it has some and is otherwise empty;
  :func:`dynamic_blocks` names the ones a text uses, so a caller can say so.
  Blocks whose callback only decorates saved HTML (:data:`DECORATED_BLOCKS`:
  image, gallery, cover, file) keep that HTML undecorated.

>>> text = '<!-- wp:paragraph -->\\n<p>Hi</p>\\n<!-- /wp:paragraph -->\\n\\n<!-- wp:latest-posts /-->'
>>> has_blocks(text), do_blocks(text)
(True, '\\n<p>Hi</p>\\n\\n\\n')
>>> [b.name for b in parse_blocks(text)], dynamic_blocks(text)
(['core/paragraph', None, 'core/latest-posts'], ['core/latest-posts'])
>>> do_blocks('<!-- wp:shortcode -->\\n[gallery ids="1,2"]\\n<!-- /wp:shortcode -->')
'<p>[gallery ids="1,2"]</p>\\n'
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Union

from .autop import wpautop

__all__ = [
    "Block",
    "has_blocks",
    "parse_blocks",
    "render_block",
    "do_blocks",
    "walk_blocks",
    "dynamic_blocks",
    "DYNAMIC_BLOCKS",
    "DECORATED_BLOCKS",
    "BLOCK_DELIMITER",
]

#: ``WP_Block_Parser::next_token``'s expression.  PCRE's ``\s`` without ``/u`` is ASCII white space.
BLOCK_DELIMITER = re.compile(
    r"<!--[ \t\n\x0b\f\r]+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)"
    r"[ \t\n\x0b\f\r]+(?P<attrs>\{(?:(?:[^}]+|\}+(?=\})|(?!\}[ \t\n\x0b\f\r]+/?-->).)*+)?\}[ \t\n\x0b\f\r]+)?"
    r"(?P<void>/)?-->",
    re.S,
)

#: Core blocks registered with a ``render_callback`` in WordPress 6.1.9
#: (``wp-includes/blocks/require-dynamic-blocks.php``) whose output is computed
#: by PHP from the site (posts, terms, comments, menus, options), less
#: ``core/shortcode`` (run here) and :data:`DECORATED_BLOCKS`.
DYNAMIC_BLOCKS: frozenset[str] = frozenset("core/" + n for n in (
    "archives", "avatar", "block", "calendar", "categories", "comment-author-name", "comment-content",
    "comment-date", "comment-edit-link", "comment-reply-link", "comment-template", "comments",
    "comments-pagination", "comments-pagination-next", "comments-pagination-numbers",
    "comments-pagination-previous", "comments-title", "home-link", "latest-comments", "latest-posts",
    "loginout", "navigation", "navigation-link", "navigation-submenu", "page-list", "pattern",
    "post-author", "post-author-biography", "post-comments-form", "post-content", "post-date",
    "post-excerpt", "post-featured-image", "post-navigation-link", "post-template", "post-terms",
    "post-title", "query", "query-no-results", "query-pagination", "query-pagination-next",
    "query-pagination-numbers", "query-pagination-previous", "query-title", "read-more", "rss", "search",
    "site-logo", "site-tagline", "site-title", "social-link", "tag-cloud", "template-part",
    "term-description", "legacy-widget", "widget-group",
))

#: Core blocks with a ``render_callback`` that only adds to the saved HTML (ids, classes, a script):
#: their saved HTML is the content, kept as saved.
DECORATED_BLOCKS: frozenset[str] = frozenset({"core/image", "core/gallery", "core/cover", "core/file"})

Chunk = Union[str, None]


@dataclass
class Block:
    """One parsed block, as ``parse_blocks()`` returns it (``WP_Block_Parser_Block``).

    ``name`` is ``None`` for freeform HTML between blocks; ``attrs`` is the
    decoded JSON (``None`` when the JSON is invalid, as ``json_decode``
    returns); ``inner_content`` holds the block's own HTML chunks with a
    ``None`` where each inner block goes; ``start``/``end`` are the offsets
    of the block's delimiters (its text) in the parsed document.
    """

    name: "str | None"
    attrs: Any = field(default_factory=dict)
    inner_blocks: list["Block"] = field(default_factory=list)
    inner_html: str = ""
    inner_content: list[Chunk] = field(default_factory=list)
    start: int = 0
    end: int = 0


def has_blocks(text: str) -> bool:
    """``has_blocks()`` for a text: WordPress's test is whether ``<!-- wp:`` occurs in it.

    >>> has_blocks('<p>x</p>'), has_blocks('<!-- wp:paragraph --><p>x</p><!-- /wp:paragraph -->')
    (False, True)
    """
    return "<!-- wp:" in text


def _decode_attrs(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:  # json_decode() returns null
        return None


@dataclass
class _Frame:
    block: Block
    token_start: int
    token_length: int
    prev_offset: int
    leading_html_start: "int | None"


class _Parser:
    """``WP_Block_Parser``: the same states, the same repairs."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.offset = 0
        self.output: list[Block] = []
        self.stack: list[_Frame] = []

    def parse(self) -> list[Block]:
        while self.proceed():
            pass
        return self.output

    def next_token(self) -> "tuple[str, str | None, Any, int, int]":
        m = BLOCK_DELIMITER.search(self.document, self.offset)
        if m is None:
            return "no-more-tokens", None, None, 0, 0
        name = (m.group("namespace") or "core/") + m.group("name")
        attrs = _decode_attrs(m.group("attrs")) if m.group("attrs") is not None else {}
        start, length = m.start(), m.end() - m.start()
        if m.group("void") is not None:
            return "void-block", name, attrs, start, length
        if m.group("closer") is not None:
            return "block-closer", name, None, start, length
        return "block-opener", name, attrs, start, length

    def proceed(self) -> bool:
        token, name, attrs, start, length = self.next_token()
        depth = len(self.stack)
        leading = self.offset if start > self.offset else None
        if token == "no-more-tokens":
            if depth == 0:
                self.add_freeform()
                return False
            if depth == 1:  # an implicit closer
                self.add_block_from_stack()
                return False
            while self.stack:
                self.add_block_from_stack()
            return False
        if token == "void-block":
            block = Block(name, attrs, start=start, end=start + length)
            if depth == 0:
                if leading is not None:
                    self.output.append(self.freeform(self.document[leading:start], leading))
                self.output.append(block)
            else:
                self.add_inner_block(block, start, length)
            self.offset = start + length
            return True
        if token == "block-opener":
            self.stack.append(_Frame(Block(name, attrs, start=start), start, length, start + length, leading))
            self.offset = start + length
            return True
        # block-closer
        if depth == 0:  # a closer with no opener: the rest is freeform HTML
            self.add_freeform()
            return False
        if depth == 1:
            self.add_block_from_stack(start, start + length)
            self.offset = start + length
            return True
        top = self.stack.pop()
        html = self.document[top.prev_offset:start]
        top.block.inner_html += html
        top.block.inner_content.append(html)
        top.prev_offset = start + length
        top.block.end = start + length
        self.add_inner_block(top.block, top.token_start, top.token_length, start + length)
        self.offset = start + length
        return True

    def freeform(self, html: str, start: int) -> Block:
        return Block(None, {}, [], html, [html], start=start, end=start + len(html))

    def add_freeform(self, length: "int | None" = None) -> None:
        length = length or len(self.document) - self.offset
        if length == 0:
            return
        self.output.append(self.freeform(self.document[self.offset:self.offset + length], self.offset))

    def add_inner_block(self, block: Block, token_start: int, token_length: int,
                        last_offset: "int | None" = None) -> None:
        parent = self.stack[-1]
        parent.block.inner_blocks.append(block)
        html = self.document[parent.prev_offset:token_start]
        if html and html != "0":  # PHP's empty(): "" and "0"
            parent.block.inner_html += html
            parent.block.inner_content.append(html)
        parent.block.inner_content.append(None)
        parent.prev_offset = last_offset if last_offset else token_start + token_length

    def add_block_from_stack(self, end_offset: "int | None" = None, token_end: "int | None" = None) -> None:
        top = self.stack.pop()
        prev = top.prev_offset
        html = self.document[prev:end_offset] if end_offset is not None else self.document[prev:]
        if html and html != "0":
            top.block.inner_html += html
            top.block.inner_content.append(html)
        top.block.end = token_end if token_end is not None else len(self.document)
        if top.leading_html_start is not None:
            self.output.append(self.freeform(self.document[top.leading_html_start:top.token_start],
                                             top.leading_html_start))
        self.output.append(top.block)


def parse_blocks(text: str) -> list[Block]:
    """``parse_blocks()``: the top-level blocks of ``text`` (freeform HTML between them as ``name=None``)."""
    return _Parser(text).parse()


#: The last text the readers below parsed and its blocks: a converted post's text is parsed once for
#: :func:`do_blocks` (rendering) and once more for :func:`dynamic_blocks` (the site's summary).
_LAST_PARSED: "tuple[str, tuple[Block, ...]]" = ("", ())


def _read_blocks(text: str) -> tuple[Block, ...]:
    """``parse_blocks(text)`` for callers that only read the blocks (the same objects for the same text object)."""
    global _LAST_PARSED
    last = _LAST_PARSED
    if last[0] is text:
        return last[1]
    blocks = tuple(parse_blocks(text))
    _LAST_PARSED = (text, blocks)
    return blocks


def walk_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block of ``blocks`` and, depth first, their inner blocks."""
    stack = list(reversed(list(blocks)))
    while stack:
        block = stack.pop()
        yield block
        stack.extend(reversed(block.inner_blocks))


def render_block(block: Block) -> str:
    """A block's HTML without a site: its saved HTML with its inner blocks rendered in place
    (``WP_Block::render``); ``core/shortcode`` through ``wpautop`` as its callback does."""
    out: list[str] = []
    inner = iter(block.inner_blocks)
    for chunk in block.inner_content:
        out.append(chunk if chunk is not None else render_block(next(inner)))
    html = "".join(out)
    if block.name == "core/shortcode":
        return wpautop(html)
    return html


def do_blocks(text: str) -> str:
    """``do_blocks()`` without a site: every block delimiter removed, static HTML kept as saved, the text of
    ``<!-- wp:shortcode -->`` blocks left for ``do_shortcode`` (see the module docs)."""
    if not has_blocks(text):
        return text
    return "".join(render_block(b) for b in _read_blocks(text))


def dynamic_blocks(content: "str | Iterable[Block]") -> list[str]:
    """The names of the blocks in ``content`` (a text or parsed blocks) whose output needs PHP, each once,
    in order of use: the core :data:`DYNAMIC_BLOCKS`, and a plugin's block (another namespace) that saved
    no HTML of its own."""
    blocks = _read_blocks(content) if isinstance(content, str) else content
    seen: dict[str, None] = {}
    for block in walk_blocks(blocks):
        name = block.name
        if name is None or name in seen:
            continue
        if name in DYNAMIC_BLOCKS or (not name.startswith("core/") and not block.inner_html.strip()
                                      and not block.inner_blocks):
            seen[name] = None
    return list(seen)
