"""WordPress 6.1.9's ``formatting.php``: splitting HTML, and ``wptexturize()``.

``wp_html_split()`` is what ``do_shortcode()`` (and ``wpautop()``) use to tell
text from HTML elements; :func:`wptexturize` is the filter that curls quotes
in post text, the cause of the ``region=”EG”`` damage this library recovers
from.  Both match the real PHP byte for byte (``tests/test_wordpress.py``).
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

__all__ = ["wp_html_split", "wptexturize"]

A = re.ASCII  # PCRE without /u: \w \s \b and case folding are ASCII only.


_HTML_SPLIT_SOURCE = (
    "("
    "<"
    "(?:"
    # Comments: everything until -->, or all input.  (PHP: a conditional
    # subpattern; both escaped forms always match once their start is seen.)
    "(?=!--)"
    "!(?:-(?!->)[^\\-]*+)*+(?:-->)?"
    "|"
    "(?=!\\[CDATA\\[)"
    "!\\[CDATA\\[[^\\]]*+(?:](?!]>)[^\\]]*+)*+(?:]]>)?"
    "|"
    "[^>]*>?"
    ")"
    ")"
)
_HTML_SPLIT = re.compile(_HTML_SPLIT_SOURCE, A)
_HTML_ELEMENT = re.compile(_HTML_SPLIT_SOURCE[1:-1], A)
# Text, and the elements do_shortcodes_in_html_tags() leaves alone: normal
# elements and comments without '[' or ']', each with its wp_html_split()
# extent.  (Other '<!' elements and CDATA are never skipped.)
_HTML_SKIP = re.compile(
    "(?:"
    "[^<]++"
    "|<(?!!)[^>\\[\\]]*+(?:>|\\Z)"
    "|<(?=!--)!(?:-(?!->)[^\\-\\[\\]]*+)*+(?:-->|\\Z)"
    ")*+",
    A,
)


def wp_html_split(text: str) -> list[str]:
    """``wp_html_split()``: text, element, text, ... (comments and CDATA are elements).

    >>> wp_html_split('a<b>c<!-- d > -->e')
    ['a', '<b>', 'c', '<!-- d > -->', 'e']
    """
    return _HTML_SPLIT.split(text)


# ---------------------------------------------------------------------------
# wptexturize() for text in which no shortcode is registered
# ---------------------------------------------------------------------------

_A = A
_SP = r"(?:[\r\n\t ]|\xa0|&nbsp;)"
_AFTER_SP = r"(?:(?<=[\r\n\t \xa0])|(?<=&nbsp;))"
_NOT_AFTER_SP = r"(?<![\r\n\t \xa0])(?<!&nbsp;)"
_PZ = r"(?=\n?\Z)"  # PCRE's \Z: at the end or before a final newline
_OQ, _OSQ, _APOS = "<!--oq-->", "<!--osq-->", "<!--apos-->"
_PRIME_FLAG = "<!--wp-prime-or-quote-->"

_STATIC = (("...", "&#8230;"), ("``", "&#8220;"), ("''", "&#8221;"), (" (tm)", " &#8482;"),
           ("'tain't", "&#8217;tain&#8217;t"), ("'twere", "&#8217;twere"), ("'twas", "&#8217;twas"),
           ("'tis", "&#8217;tis"), ("'twill", "&#8217;twill"), ("'til", "&#8217;til"),
           ("'bout", "&#8217;bout"), ("'nuff", "&#8217;nuff"), ("'round", "&#8217;round"),
           ("'cause", "&#8217;cause"), ("'em", "&#8217;em"))
_END_PUNCT = rf"(?:{_PZ}|[.,:;!?)}}\-\]]|&gt;|{_SP})"
_APOS_RULES = (
    (re.compile(rf"'(\d\d)'(?={_END_PUNCT})", _A), _APOS + r"\1&#8217;"),
    (re.compile(rf"'(\d\d)\"(?={_END_PUNCT})", _A), _APOS + r"\1&#8221;"),
    (re.compile(rf"'(?=\d\d(?:{_PZ}|(?![%\d]|[.,]\d)))", _A), _APOS),
    (re.compile(rf"(?:\A|{_AFTER_SP})'(\d[.,\d]*)'", _A), _OSQ + r"\1&#8217;"),
    (re.compile(rf"(?:\A|(?<=[(\[{{\"\-])|(?<=&lt;)|{_AFTER_SP})'", _A), _OSQ),
    (re.compile(rf"{_NOT_AFTER_SP}'(?!{_PZ}|[.,:;!?\"'(){{}}\[\]\-]|&[lg]t;|{_SP})", _A), _APOS),
)
_QUOTE_RULES = (
    (re.compile(rf"(?:\A|{_AFTER_SP})\"(\d[.,\d]*)\"", _A), _OQ + r"\1&#8221;"),
    (re.compile(rf"(?:\A|(?<=[(\[{{\-])|(?<=&lt;)|{_AFTER_SP})\"(?!{_SP})", _A), _OQ),
)
_DASH_RULES = (
    (re.compile(r"---"), "&#8212;"),
    (re.compile(rf"(?:^|{_AFTER_SP})--(?=$|{_SP})", _A), "&#8212;"),
    (re.compile(r"(?<!xn)--"), "&#8211;"),
    (re.compile(rf"(?:^|{_AFTER_SP})-(?=$|{_SP})", _A), "&#8211;"),
)
_TIMES_PROBE = re.compile(r"(?<=\d)x\d", _A)
_TIMES = re.compile(r"\b(0[\d.,]+|[1-9][\d.,]*)x(\d[\d.,]*)\b", _A)
_AMP = re.compile(r"&(?!#(?:\d+|x[a-f0-9]+);|[a-z1-4]{1,8};)", _A | re.IGNORECASE)
_SPLIT = re.compile(r"(<(?:(?=!--)!(?:-(?!->)[^\-]*+)*+(?:-->)?|(?!!--)[^>]*>?))")
_NO_TEXTURIZE_TAGS = ("pre", "code", "kbd", "style", "script", "tt")


def _primes(text: str, needle: str, prime: str, open_flag: str, close_quote: str) -> str:
    quote_rx = re.compile(re.escape(needle) + rf"(?={_END_PUNCT})", _A)
    prime_rx = re.compile(r"(?<=\d)" + re.escape(needle), _A)
    flag_after_digit = re.compile(r"(?<=\d)" + re.escape(_PRIME_FLAG), _A)
    flag_no_digit = re.compile(r"(?<!\d)" + re.escape(_PRIME_FLAG), _A)
    sentences = text.split(open_flag)
    for key, sentence in enumerate(sentences):
        if needle not in sentence:
            continue
        if key != 0 and close_quote not in sentence:
            sentence, count = quote_rx.subn(_PRIME_FLAG, sentence)
            if count > 1:
                sentence, count2 = flag_no_digit.subn(close_quote, sentence)
                if count2 == 0:
                    if _PRIME_FLAG + "." in sentence:
                        pos = sentence.rindex(_PRIME_FLAG + ".")
                    else:
                        pos = sentence.rindex(_PRIME_FLAG)
                    sentence = sentence[:pos] + close_quote + sentence[pos + len(_PRIME_FLAG):]
                sentence = prime_rx.sub(prime, sentence)
                sentence = flag_after_digit.sub(prime, sentence)
                sentence = sentence.replace(_PRIME_FLAG, close_quote)
            elif count == 1:
                sentence = sentence.replace(_PRIME_FLAG, close_quote)
                sentence = prime_rx.sub(prime, sentence)
            else:
                sentence = prime_rx.sub(prime, sentence)
        else:
            sentence = prime_rx.sub(prime, sentence)
            sentence = quote_rx.sub(close_quote, sentence)
        if needle == '"' and '"' in sentence:
            sentence = sentence.replace('"', close_quote)
        sentences[key] = sentence
    return open_flag.join(sentences)


def _texturize_segment(curl: str) -> str:
    for old, new in _STATIC:
        curl = curl.replace(old, new)
    if "'" in curl:
        for rx, repl in _APOS_RULES:
            curl = rx.sub(repl, curl)
        curl = _primes(curl, "'", "&#8242;", _OSQ, "&#8217;")
        curl = curl.replace(_APOS, "&#8217;").replace(_OSQ, "&#8216;")
    if '"' in curl:
        for rx, repl in _QUOTE_RULES:
            curl = rx.sub(repl, curl)
        curl = _primes(curl, '"', "&#8243;", _OQ, "&#8221;")
        curl = curl.replace(_OQ, "&#8220;")
    if "-" in curl:
        for rx, repl in _DASH_RULES:
            curl = rx.sub(repl, curl)
    if _TIMES_PROBE.search(curl):
        curl = _TIMES.sub(r"\1&#215;\2", curl)
    return _AMP.sub("&#038;", curl)


def wptexturize(text: str, shortcodes: "Iterable[str]" = ()) -> str:
    """WordPress 6.1.9's ``wptexturize()`` (en_US), with ``shortcodes`` registered.

    What a post looks like on a page where the shortcodes' plugin is not
    active (``shortcodes`` empty, the default): straight quotes become
    curly-quote entities (also inside shortcode attributes), ``...`` an
    ellipsis, ``--`` dashes, ``300x200`` a multiplication sign, a bare ``&``
    ``&#038;``; HTML tags and the insides of ``<pre> <code> <kbd> <style>
    <script> <tt>`` are left alone.  The tags of registered ``shortcodes``
    (in ``add_shortcode()`` order) are left alone too, and so is the content of
    a registered ``[code]``, as ``the_content`` texturizes a post.  Filters
    (``run_wptexturize``, ``no_texturize_tags``…) are not emulated.

    >>> wptexturize('[gallery ids="1,2,3" size="300x200"]')
    '[gallery ids=&#8221;1,2,3&#8243; size=&#8221;300&#215;200&#8243;]'
    >>> wptexturize('[gallery ids="1,2,3"] "Hi"', ["caption", "gallery"])
    '[gallery ids="1,2,3"] &#8220;Hi&#8221;'
    >>> wptexturize("<p>It's \\"quoted\\" -- really...</p>")
    '<p>It&#8217;s &#8220;quoted&#8221; &#8212; really&#8230;</p>'
    """
    if not text:
        return text
    split, shortcode_re = _SPLIT, None
    registered = tuple(shortcodes)
    if registered and "[" in text:
        present = set(_SC_NAMES.findall(text))
        tagnames = tuple(t for t in dict.fromkeys(registered) if t in present)
        if tagnames:
            split, shortcode_re = _texturize_split(tagnames)
    no_texturize_shortcodes = ("code",)
    stack: list[str] = []
    sc_stack: list[str] = []
    out: list[str] = []
    for curl in split.split(text):
        if not curl:
            continue
        first = curl[0]
        if first == "<":
            if curl.startswith("<!--"):
                out.append(curl)
                continue
            curl = _AMP.sub("&#038;", curl)
            _pushpop(curl, stack)
        elif curl.strip(" \t\n\r\0\x0b") == "":
            pass
        elif first == "[" and shortcode_re is not None and shortcode_re.match(curl):
            if not curl.startswith("[[") and not curl.endswith("]]"):
                _pushpop(curl, sc_stack, no_texturize_shortcodes)
        elif not stack and not sc_stack:
            curl = _texturize_segment(curl)
        out.append(curl)
    return "".join(out)


_SC_NAMES = re.compile(r"\[/?([^<>&/\[\]\x00-\x20=]++)")


@functools.lru_cache(maxsize=64)
def _texturize_split(tagnames: tuple[str, ...]) -> "tuple[re.Pattern[str], re.Pattern[str]]":
    """``_get_wptexturize_split_regex(_get_wptexturize_shortcode_regex($tagnames))`` and the shortcode regex anchored."""
    tags = "|".join(re.escape(t) for t in tagnames)
    sc = (r"\[[\/\[]?(?:" + tags + r")(?=[\s\]\/])(?:[^\[\]<>]+|<[^\[\]>]*>)*+\]\]?")
    html = _SPLIT.pattern[1:-1]
    return re.compile("(" + html + "|" + sc + ")", A), re.compile("(?:" + sc + r")(?=\n?\Z)", A)


def _pushpop(element: str, stack: list[str], disabled: tuple[str, ...] = _NO_TEXTURIZE_TAGS) -> None:
    """_wptexturize_pushpop_element() (default: the no_texturize_tags)."""
    if len(element) > 1 and element[1] != "/":
        opening, offset = True, 1
    elif not stack:
        return
    else:
        opening, offset = False, 2
    space = element.find(" ")
    tag = element[offset:] if space == -1 else element[offset:space]
    if space == -1:
        tag = tag[:-1]  # substr($text, $offset, -1): drop the last character
    if tag in disabled:
        if opening:
            stack.append(tag)
        elif stack[-1] == tag:
            stack.pop()
