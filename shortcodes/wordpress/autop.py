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
_OPTION_BEFORE = _c(r"\s*<option")
_OPTION_AFTER = _c(r"</option>\s*")
_OBJECT_OPEN = _c(r"(<object[^>]*>)\s*")
_OBJECT_CLOSE = _c(r"\s*</object>")
_PARAM_EMBED = _c(r"\s*(</?(?:param|embed)[^>]*>)\s*")
_MEDIA_OPEN = _c(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*")
_MEDIA_CLOSE = _c(r"\s*([<\[]/(?:audio|video)[>\]])")
_SOURCE_TRACK = _c(r"\s*(<(?:source|track)[^>]*>)\s*")
_FIGCAPTION_OPEN = _c(r"\s*(<figcaption[^>]*>)")
_FIGCAPTION_CLOSE = _c(r"</figcaption>\s*")
_MULTI_NL = _c(r"\n\n+")
_PARA_SPLIT = _c(r"\n\s*\n")
_EMPTY_P = _c(r"<p>\s*</p>")
_P_IN_DIV = _c(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK = _c(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>")
_P_LI = _c(r"<p>(<li.+?)</p>")
_P_BLOCKQUOTE = _c(r"<p><blockquote([^>]*)>", re.I)
_P_BEFORE_BLOCK = _c(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)")
_P_AFTER_BLOCK = _c(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>")
_PRESERVE = _c(r"<(script|style|svg).*?</\1>", re.S)
_NL_TO_BR = _c(r"(?<!<br />)\s*\n")
_BR_AFTER_BLOCK = _c(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />")
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
        text = ""
        i = 0
        for text_part in text_parts:
            start = text_part.find("<pre")
            if start < 0:  # malformed HTML?
                text += text_part
                continue
            name = f"<pre wp-pre-tag-{i}></pre>"
            pre_tags[name] = text_part[start:] + "</pre>"
            text += text_part[:start] + name
            i += 1
        text += last_part

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
        text = _OBJECT_OPEN.sub(r"\1", text)
        text = _OBJECT_CLOSE.sub("</object>", text)
        text = _PARAM_EMBED.sub(r"\1", text)
    if "<source" in text or "<track" in text:
        text = _MEDIA_OPEN.sub(r"\1", text)
        text = _MEDIA_CLOSE.sub(r"\1", text)
        text = _SOURCE_TRACK.sub(r"\1", text)
    if "<figcaption" in text:
        text = _FIGCAPTION_OPEN.sub(r"\1", text)
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
    text = _P_AFTER_BLOCK.sub(r"\1", text)

    if br:
        text = _PRESERVE.sub(lambda m: m.group().replace("\n", "<WPPreserveNewline />"), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = _NL_TO_BR.sub("<br />\n", text)
        text = text.replace("<WPPreserveNewline />", "\n")

    text = _BR_AFTER_BLOCK.sub(r"\1", text)
    text = _BR_BEFORE_BLOCK.sub(r"\1", text)
    text = _LAST_NL_P.sub("</p>", text)

    for name, original in pre_tags.items():  # str_replace() with arrays: one pair after the other
        text = text.replace(name, original)

    if "<!-- wpnl -->" in text:
        text = text.replace(" <!-- wpnl --> ", "\n").replace("<!-- wpnl -->", "\n")
    return text


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
    return _unautop_re(registered).sub(r"\1", text)
