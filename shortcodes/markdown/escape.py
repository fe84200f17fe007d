"""Escaping text for Markdown: sentinels in, context-aware escapes out.

The HTML→Markdown library (``html-to-markdown``) decodes ``&lt;b&gt;`` into
a live ``<b>`` tag, turns the text ``[a](b)`` into a link, writes ``2*3*4``
as emphasis and drops NBSP (measured; see ``README.md``).  So before the
library sees a text node, every character that can mean something in
Markdown is replaced by a Unicode *noncharacter* (U+FDD0–U+FDEF: reserved
"for internal use" and never valid in interchange), which the library
passes through untouched.  Afterwards, :func:`resolve` turns each sentinel
into what the target needs *in its context*, which is only known then:

* ``*`` `` ` `` ``~`` → ``\\*`` `` \\` `` ``\\~``; ``_`` → ``\\_`` unless it is inside a
  word (``snake_case`` cannot open emphasis);
* ``[`` and ``]`` stay as they are (``[gallery ids="1"]``, ``[1]``, ``[citation
  needed]`` stay readable), except that a ``(`` or ``:`` right after a
  ``]`` is escaped, so text never becomes an inline link or a link reference
  definition; inside link text and image descriptions, brackets are escaped;
* ``<`` → ``\\<`` when a tag or autolink could start there (always for MDX);
  ``>`` → ``\\>`` at the start of a line; ``#`` → ``\\#`` where it would open or
  close a heading; ``|`` → ``\\|`` in table rows; ``\\`` → ``\\\\`` before
  punctuation; ``&`` → ``&amp;`` before something entity-like;
  NBSP → ``&nbsp;``; ``!`` before a link → ``\\!``;
* ``{`` ``}`` per target: MDX ``\\{``; kramdown (Jekyll) ``\\{`` (``{:`` is an
  attribute list there, and Liquid then never sees ``{{``/``{%``); Hugo only
  where ``{{<``/``{{%`` would start a shortcode (``{&#123;``).

>>> resolve(protect("2*3 [gallery] [a](b) snake_case _x_ a < b {{< y >}}"), "commonmark")
'2\\\\*3 [gallery] [a]\\\\(b) snake_case \\\\_x\\\\_ a < b {{< y >}}'
>>> resolve(protect("{{< y >}} a<b"), "hugo"), resolve(protect("{x} a < b"), "mdx")
('{&#123;< y >}} a\\\\<b', '\\\\{x\\\\} a \\\\< b')
"""
from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "BANG",
    "LINK_CLOSE",
    "LINK_OPEN",
    "SENTINELS",
    "TextStyle",
    "has_sentinels",
    "protect",
    "protect_code_free",
    "resolve",
    "strip_sentinels",
]

#: How ``{``/``}`` and ``<`` are written: the target's rules.
TextStyle = Literal["commonmark", "hugo", "kramdown", "mdx"]

STAR, UNDER, TICK, BSL, LBR, RBR, LT, GT = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd4", "\ufdd5", "\ufdd6", "\ufdd7"
LBRACE, RBRACE, BANG, PIPE, TILDE, AMP, NBSP, HASH = (
    "\ufdd8", "\ufdd9", "\ufdda", "\ufddb", "\ufddc", "\ufddd", "\ufdde", "\ufddf")
LINK_OPEN, LINK_CLOSE = "\ufde0", "\ufde1"     # brackets inside link text / image descriptions

SENTINELS = {"*": STAR, "_": UNDER, "`": TICK, "\\": BSL, "[": LBR, "]": RBR, "<": LT, ">": GT,
             "{": LBRACE, "}": RBRACE, "|": PIPE, "~": TILDE, "&": AMP, "\u00a0": NBSP, "#": HASH}
_PROTECT = re.compile("[" + re.escape("".join(SENTINELS)) + "]")
_PROTECT_LINK = {**SENTINELS, "[": LINK_OPEN, "]": LINK_CLOSE}
_ANY = re.compile("[\ufdd0-\ufde1]")
_BACK = {v: k for k, v in SENTINELS.items()} | {LINK_OPEN: "[", LINK_CLOSE: "]", BANG: "!"}


def protect(text: str, *, in_link: bool = False) -> str:
    """Decoded text with every Markdown-significant character replaced by its sentinel.

    Newlines become spaces: inside HTML text they are white space, and in
    Markdown a line starting with ``-``, ``1.`` or ``===`` would be syntax.
    """
    if "\n" in text:
        text = text.replace("\n", " ")
    table = _PROTECT_LINK if in_link else SENTINELS
    return _PROTECT.sub(lambda m: table[m.group()], text)


def protect_code_free(text: str) -> str:
    """Only what the HTML library itself must not see (``<``, ``&``) in code: it is written literally."""
    return text.replace("&", AMP).replace("<", LT) if ("&" in text or "<" in text) else text


def has_sentinels(text: str) -> bool:
    """True if ``text`` holds any of this module's sentinels."""
    return _ANY.search(text) is not None


def strip_sentinels(text: str) -> str:
    """The sentinels turned back into the characters they stand for (for plain-text uses)."""
    return _ANY.sub(lambda m: _BACK[m.group()], text)


_LINE_START = re.compile(r"[ ]*(?:>[ ]?)*(?:(?:[-+*]|\d{1,9}[.)])[ ]+)?\Z")
_PUNCT = (frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") | frozenset(_BACK)
          | frozenset("\ufde9\ufdea\ufdeb\ufdec\ufded\ufdee\ufdef"))   # placeholder tokens start with tags
_ENTITY_LIKE = re.compile(r"#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};")
_TAG_START = re.compile(r"[A-Za-z/!?]")


def _at_line_start(s: str, i: int) -> bool:
    j = s.rfind("\n", 0, i) + 1
    return _LINE_START.match(s, j, i) is not None if i - j < 64 else False


def _word(c: str) -> bool:
    return c.isalnum()


def resolve(text: str, style: TextStyle) -> str:
    """Every sentinel in ``text`` (Markdown from the library) replaced by its escape for ``style``."""
    if not _ANY.search(text):
        return text
    n = len(text)

    def sub(m: re.Match[str]) -> str:
        c, i = m.group(), m.start()
        nxt = text[i + 1] if i + 1 < n else "\n"
        if c == STAR:
            return "\\*"
        if c == UNDER:
            prev = text[i - 1] if i else " "
            return "_" if _word(prev) and _word(nxt) else "\\_"
        if c == TICK:
            return "\\`"
        if c == TILDE:
            return "\\~"
        if c == LBR:
            return "["
        if c == RBR:
            return "]\\" if nxt in "(:" else "]"
        if c in (LINK_OPEN, LINK_CLOSE):
            return "\\[" if c == LINK_OPEN else "\\]"
        if c == BSL:
            return "\\\\" if nxt in _PUNCT or nxt == "\n" else "\\"
        if c == LT:
            if style == "mdx" or _TAG_START.match(nxt) or nxt in _BACK:
                return "\\<"
            return "<"
        if c == GT:
            return "\\>" if _at_line_start(text, i) else ">"
        if c == HASH:
            if _at_line_start(text, i):
                return "\\#"
            prev = text[i - 1] if i else " "
            return "\\#" if prev in " #\ufddf" and (nxt == "\n" or nxt in " #\ufddf") else "#"
        if c == PIPE:
            j = text.rfind("\n", 0, i) + 1
            return "\\|" if text.startswith("|", j) else "|"
        if c == AMP:
            return "&amp;" if _ENTITY_LIKE.match(text, i + 1) else "&"
        if c == NBSP:
            return "&nbsp;"
        if c == BANG:
            return "\\!"
        if c in (LBRACE, RBRACE):
            brace = "{" if c == LBRACE else "}"
            if style in ("mdx", "kramdown"):
                return "\\" + brace
            if style == "hugo" and c == LBRACE and text[i - 1:i] == LBRACE and nxt in (LT, "%", "<"):
                return "&#123;"          # "{{<" / "{{%" would open a Hugo shortcode
            return brace
        return c  # pragma: no cover - every sentinel is handled above

    out = _ANY.sub(sub, text)
    return out
