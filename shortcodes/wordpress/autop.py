"""WordPress 6.1.9's ``wpautop()`` and ``shortcode_unautop()``, ported from ``formatting.php``.

(A module apart from :mod:`~shortcodes.wordpress.formatting` because
``shortcode_unautop()`` reads the registered shortcodes of ``shortcodes.php``,
which itself needs ``formatting.php``'s ``wp_html_split()``.)

Both give WordPress's result byte for byte (``tests/test_wordpress.py``
compares them with the real PHP).  ``wpautop`` turns blank-line separated
text into ``<p>`` paragraphs and single newlines into ``<br />``;
``shortcode_unautop`` then unwraps a registered shortcode that sits alone in
its paragraph, which is the order WordPress's ``the_content`` filter uses
before ``do_shortcode``:

>>> html = wpautop('[gallery ids="1,2"]\\n\\nFirst line\\nsecond line')
>>> html
'<p>[gallery ids="1,2"]</p>\\n<p>First line<br />\\nsecond line</p>\\n'
>>> shortcode_unautop(html, ['gallery'])
'[gallery ids="1,2"]\\n<p>First line<br />\\nsecond line</p>\\n'
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from ..php.strings import php_trim, preg_quote
from .formatting import _HTML_SPLIT
from .shortcodes import _tag_tuple

__all__ = ["wpautop", "shortcode_unautop"]

A = re.ASCII  # PCRE without /u

_ALLBLOCKS = (
    "(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    "|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header"
    "|footer|nav|figure|figcaption|details|menu|summary)"
)


def _c(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    return re.compile(pattern, A | flags)


_BR_BR = _c(r"<br\s*/?>\s*<br\s*/?>")
_BLOCK_OPEN = _c(r"(<" + _ALLBLOCKS + r"[\s/>])")
_BLOCK_CLOSE = _c(r"(</" + _ALLBLOCKS + r">)")
_HR = _c(r"(<hr\s*?/?>)")
# A regex that starts with \s* is tried at every position of a run of spaces, and each try runs to
# the end of the run: `(?<!\s)` starts it only where a run begins, which gives the same matches.
_OPTION_BEFORE = _c(r"(?<!\s)\s*<option")
_OPTION_AFTER = _c(r"</option>\s*")
_OBJECT_CLOSE = _c(r"(?<!\s)\s*</object>")
_MEDIA_CLOSE = _c(r"(?<!\s)\s*([<\[]/(?:audio|video)[>\]])")
_FIGCAPTION_CLOSE = _c(r"</figcaption>\s*")


class _Element:
    """``(HEAD[^>]*>)TAIL`` -> ``\\1``, as ``preg_replace`` does it, in linear time.

    The regex scans from every start to the next ``>`` (or ``stop``
    character), quadratic when many starts share one (``'<li' * n``).  All
    starts before that ``>`` end there and meet the same ``TAIL``, so when
    it fails there they all fail: the search goes on after it.  ``lead``:
    the regex starts with ``\\s*`` (dropped, like the tail): the match then
    starts where the spaces before the head start (not before the end of the
    previous match).
    """

    __slots__ = ("head", "stop", "tail", "lead")

    def __init__(self, head: str, tail: str = "", stop: str = ">", lead: bool = False) -> None:
        self.lead = lead
        self.head = _c(head)
        self.stop = _c("[" + re.escape(stop) + "]")
        self.tail = _c(tail)

    def sub(self, text: str) -> str:
        out: list[str] = []
        pos = 0
        at = 0
        while True:
            m = self.head.search(text, at)
            if m is None:
                break
            stop = self.stop.search(text, m.end())
            if stop is None:
                break  # no later start can reach one either
            end = stop.end()
            tail = self.tail.match(text, end)
            if tail is None:
                at = end
                continue
            start = m.start()
            if self.lead:
                while start > pos and text[start - 1] in _ASCII_SPACE:
                    start -= 1
            out.append(text[pos:start])
            out.append(text[m.start():end])
            pos = at = tail.end()
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)


_ASCII_SPACE = frozenset(" \t\n\r\x0b\x0c")  # \s without /u
_OBJECT_OPEN = _Element(r"<object", r"\s*")
_PARAM_EMBED = _Element(r"</?(?:param|embed)", r"\s*", lead=True)
_MEDIA_OPEN = _Element(r"[<\[](?:audio|video)", r"\s*", stop=">]")
_SOURCE_TRACK = _Element(r"<(?:source|track)", r"\s*", lead=True)
_FIGCAPTION_OPEN = _Element(r"<figcaption", lead=True)
_MULTI_NL = _c(r"\n\n+")
_PARA_SPLIT = _c(r"\n\s*\n")
_EMPTY_P = _c(r"<p>\s*</p>")
_P_IN_DIV = _c(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK = _c(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>")
_P_LI = _c(r"<p>(<li.+?)</p>")
_P_BLOCKQUOTE = _c(r"<p><blockquote([^>]*)>", re.I)
_P_BEFORE_BLOCK = _c(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)")
_P_AFTER_BLOCK = _Element(r"</?" + _ALLBLOCKS, r"\s*</p>")
#: A run of ``\s`` (maybe empty).
_SPACE_RUN = _c(r"\s*")
_BR_AFTER_BLOCK = _Element(r"</?" + _ALLBLOCKS, r"\s*<br />")
_BR_BEFORE_BLOCK = _c(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_LAST_NL_P = _c(r"\n</p>$")


def wpautop(text: str, br: bool = True) -> str:
    """WordPress's ``wpautop($text, $br)``: paragraphs and line breaks.

    >>> wpautop('a\\nb\\n\\n<div>c</div>')
    '<p>a<br />\\nb</p>\\n<div>c</div>\\n'
    >>> wpautop('a\\nb', br=False), wpautop(' \\n ')
    ('<p>a\\nb</p>\\n', '')
    """
    pre_tags: dict[str, str] = {}
    if php_trim(text) == "":
        return ""
    text = text + "\n"  # just to make things a little easier, pad the end

    # Pre tags shouldn't be touched by autop: replace them with placeholders.
    if "<pre" in text:
        text_parts = text.split("</pre>")
        last_part = text_parts.pop()
        pieces: list[str] = []
        i = 0
        for text_part in text_parts:
            start = text_part.find("<pre")
            if start < 0:  # malformed HTML?
                pieces.append(text_part)
                continue
            name = f"<pre wp-pre-tag-{i}></pre>"
            pre_tags[name] = text_part[start:] + "</pre>"
            pieces.append(text_part[:start])
            pieces.append(name)
            i += 1
        pieces.append(last_part)
        text = "".join(pieces)

    text = _BR_BR.sub("\n\n", text)
    text = _BLOCK_OPEN.sub(lambda m: "\n\n" + m.group(1), text)
    text = _BLOCK_CLOSE.sub(lambda m: m.group(1) + "\n\n", text)
    text = _HR.sub(lambda m: m.group(1) + "\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_newlines_in_html_tags(text)

    if "<option" in text:
        text = _OPTION_BEFORE.sub("<option", text)
        text = _OPTION_AFTER.sub("</option>", text)
    if "</object>" in text:
        text = _OBJECT_OPEN.sub(text)
        text = _OBJECT_CLOSE.sub("</object>", text)
        text = _PARAM_EMBED.sub(text)
    if "<source" in text or "<track" in text:
        text = _MEDIA_OPEN.sub(text)
        text = _MEDIA_CLOSE.sub(r"\1", text)
        text = _SOURCE_TRACK.sub(text)
    if "<figcaption" in text:
        text = _FIGCAPTION_OPEN.sub(text)
        text = _FIGCAPTION_CLOSE.sub("</figcaption>", text)

    text = _MULTI_NL.sub("\n\n", text)
    paragraphs = [p for p in _PARA_SPLIT.split(text) if p != ""]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    text = _EMPTY_P.sub("", text)
    text = _P_IN_DIV.sub(r"<p>\1</p></\2>", text)
    text = _P_AROUND_BLOCK.sub(r"\1", text)
    text = _P_LI.sub(r"\1", text)
    text = _P_BLOCKQUOTE.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _P_BEFORE_BLOCK.sub(r"\1", text)
    text = _P_AFTER_BLOCK.sub(text)

    if br:
        text = _preserve_newlines(text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _newlines_to_br(text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = _BR_AFTER_BLOCK.sub(text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _LAST_NL_P.sub("</p>", text)

    if pre_tags:
        text = _put_back(text, pre_tags)

    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


def _newlines_to_br(text: str) -> str:
    """``preg_replace('|(?<!<br />)\\s*\\n|', "<br />\\n", $text)``, in linear time.

    The regex tries every position of a run of spaces and scans the run from
    each (quadratic on a long run without a newline).  A match lies in one
    run of ``\\s`` holding a newline and ends after its last newline; it
    starts where the run starts, or one later when ``<br />`` comes just
    before the run (inside the run, what precedes is a space).  Only the
    runs that hold a newline are visited: from each newline (``str.find``),
    back to the start of its run and on to its end.
    """
    i = text.find("\n")
    if i < 0:
        return text
    out: list[str] = []
    pos = 0
    while i >= 0:
        start = i
        while start > pos and text[start - 1] in _ASCII_SPACE:  # runs are whole: the previous ended before
            start -= 1
        end = _SPACE_RUN.match(text, i).end()  # type: ignore[union-attr]
        last = text.rfind("\n", i, end)
        if text.endswith("<br />", 0, start):
            start += 1
        if start <= last:
            out.append(text[pos:start])
            out.append("<br />\n")
            pos = last + 1
        i = text.find("\n", end)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


_PLACEHOLDER = re.compile(r"<pre wp-pre-tag-\d+></pre>")


def _put_back(text: str, pre_tags: dict[str, str]) -> str:
    """``str_replace(array_keys($pre_tags), array_values($pre_tags), $text)``, in one pass.

    PHP replaces one placeholder after the other in the whole text, so a
    ``<pre>`` block whose own text ends with a later placeholder
    (``<pre>a<pre wp-pre-tag-3></pre>``) gets that one replaced too, and one
    ending with an earlier placeholder keeps it.  No replacement can make a
    placeholder across its edges (each starts with ``<pre`` and ends with
    ``</pre>``), so each block's final text is known from the later ones.
    """
    final: dict[str, str] = {}

    def expanded(m: "re.Match[str]") -> str:
        return final.get(m.group(), m.group())

    for name in reversed(list(pre_tags)):  # a block's text holds only later placeholders' final text
        original = pre_tags[name]
        final[name] = _PLACEHOLDER.sub(expanded, original) if "<pre wp-pre-tag-" in original else original
    return _PLACEHOLDER.sub(expanded, text)


_PRESERVE_OPEN = re.compile(r"<(script|style|svg)", A)


def _preserve_newlines(text: str) -> str:
    """``preg_replace_callback('/<(script|style|svg).*?<\\/\\1>/s', …)`` with newlines kept, in linear time.

    The lazy regex looks for the closing tag from every opening one; here a
    closing tag that does not occur after some point is looked for once.
    """
    out: list[str] = []
    pos = 0
    missing: set[str] = set()
    for m in _PRESERVE_OPEN.finditer(text):
        if m.start() < pos:
            continue
        name = m.group(1)
        if name in missing:
            continue
        close = text.find("</" + name + ">", m.end())
        if close == -1:
            missing.add(name)
            continue
        end = close + len(name) + 3
        out.append(text[pos:m.start()])
        out.append(text[m.start():end].replace("\n", "<WPPreserveNewline />"))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _replace_newlines_in_html_tags(text: str) -> str:
    """``wp_replace_in_html_tags($text, array("\\n" => ' <!-- wpnl --> '))``."""
    if "<" not in text:
        return text
    parts = _HTML_SPLIT.split(text)
    changed = False
    for i in range(1, len(parts), 2):
        if "\n" in parts[i]:
            parts[i] = parts[i].replace("\n", " <!-- wpnl --> ")
            changed = True
    return "".join(parts) if changed else text


_SPACES = r"(?:[\r\n\t ]|\xa0|&nbsp;)"  # wp_spaces_regexp(): [\r\n\t ]|\xC2\xA0|&nbsp;


@functools.lru_cache(maxsize=256)
def _unautop_re(tags: tuple[str, ...]) -> "re.Pattern[str]":
    tagregexp = "|".join(preg_quote(t) for t in tags)
    return re.compile(
        "<p>"
        + _SPACES + "*+"
        + "("
        "\\["
        f"({tagregexp})"
        "(?![\\w-])"
        "[^\\]\\/]*"
        "(?:"
        "\\/(?!\\])"
        "[^\\]\\/]*"
        ")*?"
        "(?:"
        "\\/\\]"
        "|"
        "\\]"
        "(?:"
        "[^\\[]*+"
        "(?:"
        "\\[(?!\\/\\2\\])"
        "[^\\[]*+"
        ")*+"
        "\\[\\/\\2\\]"
        ")?"
        ")"
        ")"
        + _SPACES + "*+"
        + "<\\/p>",
        A,
    )


def shortcode_unautop(text: str, tags: Iterable[str]) -> str:
    """``shortcode_unautop()`` with ``tags`` registered: unwraps ``<p>[tag]</p>``.

    Only a shortcode alone in its paragraph (spaces, NBSP and ``&nbsp;``
    allowed around it) is unwrapped; its enclosed content may span paragraphs.

    >>> shortcode_unautop('<p>&nbsp;[gallery]&nbsp;</p>\\n<p>text [gallery]</p>', ['gallery'])
    '[gallery]\\n<p>text [gallery]</p>'
    """
    registered = _tag_tuple(tags)
    if not registered:
        return text
    if "<p>" not in text:
        return text
    return _Unautop(text, registered).run()


_SPACES_RUN = re.compile(_SPACES + "*+")
_TAG_HEAD = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")
_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_UNSEARCHED = (1 << 62, -1)


class _Unautop:
    """What ``preg_replace(_unautop_re(tags), '$1', text)`` does, in linear time.

    WordPress's regex, at every ``<p>``, searches for the tag's ``]`` and its
    ``[/tag]`` again, and backtracks over both: quadratic on many paragraphs
    that start with a tag (``'<p>[b]</p>' * n``).  Here each search is made
    once per position range (the queries only move forward) and the same
    alternatives are tried in the regex's order: each registered name that
    fits, in order; the tag with its content, then without.
    """

    __slots__ = ("text", "order", "tags", "_rb", "_closers", "_tails")

    def __init__(self, text: str, tags: tuple[str, ...]) -> None:
        self.text = text
        self.tags = tags
        self.order = frozenset(tags)
        self._rb = _UNSEARCHED  # (searched from, first "]" from there)
        self._closers: dict[str, tuple[int, int]] = {}
        self._tails: dict[int, int] = {}

    def _next(self, memo: "tuple[int, int]", needle: str, pos: int) -> "tuple[tuple[int, int], int]":
        start, found = memo
        if start <= pos and (found == -1 or pos <= found):
            return memo, found
        found = self.text.find(needle, pos)
        return (pos, found), found

    def _tail(self, pos: int) -> int:
        """Where ``SPACES*+</p>`` at ``pos`` ends, or -1."""
        hit = self._tails.get(pos)
        if hit is None:
            end = _SPACES_RUN.match(self.text, pos).end()  # type: ignore[union-attr]
            hit = end + 4 if self.text.startswith("</p>", end) else -1
            self._tails[pos] = hit
        return hit

    def _at(self, q: int) -> "tuple[int, int] | None":
        """The shortcode ``[tag…]`` at ``q`` that makes the paragraph match: (its end, end of ``</p>``)."""
        text = self.text
        m = _TAG_HEAD.match(text, q)
        if m is None:
            return None
        run = m.group(1)
        for tag in self.tags:
            if not run.startswith(tag) or (len(tag) < len(run) and run[len(tag)] in _WORD):
                continue
            name_end = q + 1 + len(tag)
            self._rb, r = self._next(self._rb, "]", name_end)
            if r == -1:
                return None  # no ']' after this tag, nor after any other name here
            if r > name_end and text[r - 1] == "/":
                tail = self._tail(r + 1)
                if tail != -1:
                    return r + 1, tail
                continue
            closer = "[/" + tag + "]"
            memo, c = self._next(self._closers.get(tag, _UNSEARCHED), closer, r + 1)
            self._closers[tag] = memo
            if c != -1:
                end = c + len(closer)
                tail = self._tail(end)
                if tail != -1:
                    return end, tail
            tail = self._tail(r + 1)
            if tail != -1:
                return r + 1, tail
        return None

    def run(self) -> str:
        text = self.text
        out: list[str] = []
        pos = 0
        p = text.find("<p>")
        while p != -1:
            q = _SPACES_RUN.match(text, p + 3).end()  # type: ignore[union-attr]
            found = self._at(q) if text.startswith("[", q) else None
            if found is None:
                p = text.find("<p>", p + 1)
                continue
            end, tail = found
            out.append(text[pos:p])
            out.append(text[q:end])
            pos = tail
            p = text.find("<p>", tail)
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)
