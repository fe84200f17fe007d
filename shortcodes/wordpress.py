"""WordPress 6.1.9's shortcode API, ported line by line from its PHP.

Everything here gives the same result as WordPress for the same input, byte
for byte: ``wp-includes/shortcodes.php`` (:func:`do_shortcode`,
:func:`strip_shortcodes`, :func:`has_shortcode`, :func:`shortcode_parse_atts`,
:func:`shortcode_atts`, ...) and the parts of ``kses.php`` /
``formatting.php`` that ``do_shortcodes_in_html_tags()`` needs
(:func:`wp_html_split`, :func:`wp_kses_attr_parse`, :func:`wp_kses_one_attr`,
:func:`esc_attr`, :func:`wp_kses_bad_protocol`, :func:`safecss_filter_attr`).
``tests/test_wordpress.py`` checks it against the real PHP (the oracle in
``shared/oracle``).  There is **no** curly-quote recovery here: this is what
WordPress itself does (see :mod:`shortcodes.parser` for the forgiving reader).

WordPress keeps its registered shortcodes in a global; here they are an
argument.  ``handlers`` maps each tag to ``fn(atts, content, tag) -> str``,
called exactly as WordPress calls an ``add_shortcode()`` callback, in the
mapping's order (= registration order):

>>> def box(atts, content, tag):
...     return f"<div class={atts['class']!r}>{do_shortcode(content, handlers)}</div>"
>>> def year(atts, content, tag):
...     return "2024"
>>> handlers = {"box": box, "year": year}
>>> do_shortcode('[box class="note"]© [year][/box] [[year]] [nope]', handlers)
"<div class='note'>© 2024</div> [year] [nope]"

``atts`` is ``''`` when a tag has no attributes (WordPress before 6.5), else a
dict with ``str`` keys for named and ``int`` keys for positional values;
``content`` is ``''`` for a tag that encloses nothing (never ``None``):

>>> seen = []
>>> _ = do_shortcode('[t a=1 B="x y" 5=z q][t]', {"t": lambda a, c, t: seen.append((a, c)) or ""})
>>> seen
[({'a': '1', 'b': 'x y', 5: 'z', 6: 'q'}, ''), ('', '')]

Strings stand for PHP's UTF-8 byte strings; a lone surrogate in a ``str``
stands for invalid UTF-8 where WordPress's ``/u`` regexes would fail.  Bytes
that ``stripcslashes()`` makes and that are not UTF-8 (``\\xff``) become
U+FFFD, one per maximal invalid sequence, as a browser would show them.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterable, Mapping, Union

from .php import php_array_key, stripcslashes, unclosed_html

__all__ = [
    "Atts",
    "Handler",
    "do_shortcode",
    "apply_shortcodes",
    "strip_shortcodes",
    "has_shortcode",
    "shortcode_exists",
    "get_shortcode_tags_in_content",
    "get_shortcode_regex",
    "get_shortcode_atts_regex",
    "shortcode_parse_atts",
    "shortcode_atts",
    "unescape_invalid_shortcodes",
    "preg_quote",
    "wp_html_split",
    "wp_kses_attr_parse",
    "wp_kses_hair_parse",
    "wp_kses_one_attr",
    "wp_kses_attr_check",
    "wp_kses_no_null",
    "wp_kses_bad_protocol",
    "wp_kses_normalize_entities",
    "wp_kses_decode_entities",
    "safecss_filter_attr",
    "esc_attr",
    "WP_ALLOWED_PROTOCOLS",
    "WP_KSES_URI_ATTRIBUTES",
]

#: What a handler receives as ``$atts``: ``''`` or {name or index: value}.
Atts = Union[str, dict[Union[int, str], str]]
#: ``fn(atts, content, tag) -> str``, an ``add_shortcode()`` callback.
Handler = Callable[[Atts, str, str], Any]

A = re.ASCII  # PCRE without /u: \w \s \b and case folding are ASCII only.
_PHP_TRIM = " \t\n\r\0\x0b"  # PHP trim()'s default characters
_SURROGATE = re.compile("[\ud800-\udfff]")
_TO_ENTITIES = str.maketrans({"[": "&#91;", "]": "&#93;"})


def _trim(s: str) -> str:
    return s.strip(_PHP_TRIM)


def _empty(s: "str | None") -> bool:
    """PHP's ``empty()`` for a string: ``''`` and ``'0'`` are empty."""
    return not s or s == "0"


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _strtolower(s: str) -> str:
    """PHP 8.2's ``strtolower()``: ASCII letters only."""
    return s.translate(_ASCII_LOWER)


# ------------------------------------------------------------------- tag names
_INVALID_TAG = re.compile(r"[<>&/\[\]\x00-\x20=]")
#: do_shortcode()'s pre-filter: every run of name characters after a '['.
_CANDIDATES = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")


def _check_tag(tag: object) -> str:
    """What ``add_shortcode()`` accepts; ``ValueError`` naming the tag otherwise."""
    if not isinstance(tag, str):
        raise TypeError(f"shortcode tag names are str, not {type(tag).__name__}: {tag!r}")
    if _trim(tag) == "":
        raise ValueError(f"invalid shortcode name {tag!r}: empty name")
    if _INVALID_TAG.search(tag):
        raise ValueError(
            f"invalid shortcode name {tag!r}: do not use spaces or reserved characters: & / < > [ ] ="
        )
    return tag


@functools.lru_cache(maxsize=512)
def _registered(tags: tuple) -> tuple[str, ...]:
    return tuple(_check_tag(t) for t in dict.fromkeys(tags))


def _tag_tuple(tags: "Iterable[str]") -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = (tags,)
    return _registered(tuple(tags))


def _present(content: str, tags: tuple[str, ...]) -> tuple[str, ...]:
    """``array_intersect(registered, candidates)``: registered order kept."""
    candidates = set(_CANDIDATES.findall(content))
    return tuple(t for t in tags if t in candidates)


def preg_quote(s: str) -> str:
    r"""PHP's ``preg_quote()`` without a delimiter.

    >>> preg_quote('a.b-c#d/e')
    'a\\.b\\-c\\#d/e'
    """
    return _PREG_QUOTE.sub(_preg_quote_one, s)


_PREG_QUOTE = re.compile(r"[.\\+*?\[^\]$(){}=!<>|:\-#\x00]")


def _preg_quote_one(m: "re.Match[str]") -> str:
    c = m.group()
    return "\\000" if c == "\x00" else "\\" + c


# ------------------------------------------------------------------- regexes
def get_shortcode_regex(tags: "Iterable[str]") -> str:
    r"""The regex WordPress's ``get_shortcode_regex($tags)`` returns (PHP syntax).

    Groups: 1 ``[`` of ``[[``, 2 name, 3 attribute text, 4 ``/`` of ``/]``,
    5 content, 6 ``]`` of ``]]``.  Python's :mod:`re` reads it the same way
    (with :data:`re.ASCII`); :func:`do_shortcode` uses exactly this string.

    >>> get_shortcode_regex(['gallery', 'caption'])[:33]
    '\\[(\\[?)(gallery|caption)(?![\\w-])'
    """
    return _shortcode_regex_source(_tag_tuple(tags))


@functools.lru_cache(maxsize=512)
def _shortcode_regex_source(tags: tuple[str, ...]) -> str:
    tagregexp = "|".join(preg_quote(t) for t in tags)
    return (
        "\\["
        "(\\[?)"
        f"({tagregexp})"
        "(?![\\w-])"
        "("
        "[^\\]\\/]*"
        "(?:"
        "\\/(?!\\])"
        "[^\\]\\/]*"
        ")*?"
        ")"
        "(?:"
        "(\\/)"
        "\\]"
        "|"
        "\\]"
        "(?:"
        "("
        "[^\\[]*+"
        "(?:"
        "\\[(?!\\/\\2\\])"
        "[^\\[]*+"
        ")*+"
        ")"
        "\\[\\/\\2\\]"
        ")?"
        ")"
        "(\\]?)"
    )


@functools.lru_cache(maxsize=512)
def _shortcode_re(tags: tuple[str, ...]) -> "re.Pattern[str]":
    return re.compile(_shortcode_regex_source(tags), A)


#: A closing tag ``[/name]`` (what the content branch of the regex must end with).
_CLOSER = re.compile(r"\[/([^<>&/\[\]\x00-\x20=]++)\]")
_WORD_NAME = re.compile(r"[\w-]+", A)


def _do_shortcode_re(tags: tuple[str, ...], text: str) -> "tuple[re.Pattern[str], tuple[int, ...]]":
    """The pattern ``do_shortcode`` runs on ``text``, and the indexes of WordPress's six groups in it.

    WordPress's regex tries, after every opening tag, to reach a closing
    ``[/name]`` by scanning the rest of the text: O(n) per tag, quadratic over
    a long document.  When ``[/name]`` occurs nowhere in ``text``, that branch
    cannot match, so for those names the equivalent pattern of
    :func:`_closer_aware_re` does not try it (same matches, same groups).
    This needs every name to be a ``[\\w-]`` run: then the name followed by
    ``(?![\\w-])`` can match in one way only, whatever the order of the
    alternatives.  Other names get WordPress's regex unchanged.
    """
    if len(text) < _CLOSER_AWARE_MIN or not _word_names(tags):
        return _shortcode_re(tags), _WP_GROUPS  # short texts: the extra pass costs more than it saves
    closers = set(_CLOSER.findall(text)) if "[/" in text else set()
    closable = tuple(t for t in tags if t in closers)
    if len(closable) == len(tags):
        return _shortcode_re(tags), _WP_GROUPS
    return _closer_aware_re(tags, closable), (1, 2, 4, 5, 6, 7)


_WP_GROUPS = (1, 2, 3, 4, 5, 6)
#: Texts shorter than this (in characters) use WordPress's regex as it is.
_CLOSER_AWARE_MIN = 32768


@functools.lru_cache(maxsize=512)
def _word_names(tags: tuple[str, ...]) -> bool:
    return all(_WORD_NAME.fullmatch(t) for t in tags)


@functools.lru_cache(maxsize=512)
def _closer_aware_re(tags: tuple[str, ...], closable: tuple[str, ...]) -> "re.Pattern[str]":
    """WordPress's regex with the content branch only for ``closable`` names.

    Group 3 is an empty group that takes part only when a closable name
    matched; ``(?(3)...)`` tries the content branch only then.  Groups 1, 2,
    4, 5, 6, 7 are WordPress's 1-6.
    """
    source = _shortcode_regex_source(tags)
    tagregexp = "|".join(preg_quote(t) for t in tags)
    plain = "|".join(preg_quote(t) for t in tags if t not in closable)
    marked = "(?:" + "|".join(preg_quote(t) for t in closable) + ")()" if closable else "(?!)()"
    head = f"({tagregexp})"
    content = "(?:([^\\[]*+(?:\\[(?!\\/\\2\\])[^\\[]*+)*+)\\[\\/\\2\\])?"
    assert source.count(head) == 1 and source.count(content) == 1, source
    source = source.replace(head, f"({plain}|{marked})").replace(content, "(?(3)" + content + ")")
    return re.compile(source, A)


_ATTS_REGEX = (
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_ATTS_RE = re.compile(_ATTS_REGEX, A)
_KEY_START = frozenset("-0123456789")  # php_array_key() can only make an int of these
_NBSP_ZWSP = re.compile("[\u00a0\u200b]+")


def get_shortcode_atts_regex() -> str:
    """The attribute regex of ``get_shortcode_atts_regex()``, with its ``/`` delimiters.

    >>> get_shortcode_atts_regex().startswith('/([\\\\w-]+)\\\\s*=')
    True
    """
    return "/" + _ATTS_REGEX + "/"


# ------------------------------------------------------------------- attributes
def shortcode_parse_atts(text: str) -> Atts:
    """WordPress 6.1.9's ``shortcode_parse_atts()``.

    Returns ``ltrim(text)`` (normally ``''``) when there is no attribute,
    else a dict: lower-cased ``str`` names, ``int`` keys for positional
    values and numeric names, values through ``stripcslashes()``, values with
    an unclosed ``<`` replaced by ``''``.

    >>> shortcode_parse_atts(' a="1" B=\\'2\\' c=3 "p" \\'q\\' r')
    {'a': '1', 'b': '2', 'c': '3', 0: 'p', 1: 'q', 2: 'r'}
    >>> shortcode_parse_atts(' 5=x "p" 0=dropped ""'), shortcode_parse_atts('  ')
    ({5: 'x', 6: 'p'}, '')
    >>> shortcode_parse_atts(' x="a < b" y=”EG” z="C:\\\\\\\\new"')
    {'x': '', 'y': '”EG”', 'z': 'C:\\\\new'}
    """
    if "\u00a0" in text or "\u200b" in text:
        text = _NBSP_ZWSP.sub(" ", text)
    if not text.isascii() and _SURROGATE.search(text):
        return ""  # preg_replace('/…/u') fails on invalid UTF-8: null, no match, ltrim(null)
    matches = _ATTS_RE.findall(text)
    if not matches:
        return text.lstrip(_PHP_TRIM)
    atts: dict[int | str, str] = {}
    next_index = 0
    # findall() gives '' for the groups of the alternatives that did not match.
    for n1, v1, n2, v2, n3, v3, p1, p2, p3 in matches:
        if n1 and n1 != "0":
            key, value = n1, v1
        elif n2 and n2 != "0":
            key, value = n2, v2
        elif n3 and n3 != "0":
            key, value = n3, v3
        else:
            value = p1 or p2 or p3  # "" and '' store nothing, nor does a name "0"
            if value:
                atts[next_index] = stripcslashes(value) if "\\" in value else value
                next_index += 1
            continue
        k: int | str = key.lower()
        if k[0] in _KEY_START:  # type: ignore[index]
            k = php_array_key(k)  # type: ignore[arg-type]
            if isinstance(k, int) and k >= next_index:
                next_index = k + 1
        atts[k] = stripcslashes(value) if "\\" in value else value
    for k, value in atts.items():
        if "<" in value and unclosed_html(value):  # "Reject any unclosed HTML elements."
            atts[k] = ""
    return atts


def shortcode_atts(pairs: Mapping, atts: "Atts | Mapping | None", shortcode: str = "") -> dict:
    """``shortcode_atts()``: the keys of ``pairs`` with values from ``atts`` or the defaults.

    Keys are compared as PHP array keys (``'1'`` is ``1``); the
    ``shortcode_atts_{$shortcode}`` filter is the identity (no plugins).

    >>> shortcode_atts({'region': 'world', 'rtl': 'false'}, {'region': 'EG', 'x': '1'})
    {'region': 'EG', 'rtl': 'false'}
    >>> shortcode_atts({0: 'd'}, '')   # (array) '' is [0 => '']
    {0: ''}
    """
    if atts is None:
        arr: dict = {}
    elif isinstance(atts, str):
        arr = {0: atts}
    else:
        arr = {_key(k): v for k, v in atts.items()}
    out: dict = {}
    for name, default in pairs.items():
        k = _key(name)
        out[k] = arr[k] if k in arr else default
    return out


def _key(k: object) -> object:
    return php_array_key(k) if isinstance(k, str) else k


# ------------------------------------------------------------------- do_shortcode
def do_shortcode(text: str, handlers: Mapping[str, Handler], *, ignore_html: bool = False) -> str:
    """WordPress's ``do_shortcode($content, $ignore_html)`` with ``handlers`` registered.

    ``handlers`` maps tag -> ``fn(atts, content, tag)``; a handler returns a
    ``str`` (``None`` counts as ``''``, as PHP would print nothing) and may
    itself call ``do_shortcode(content, ...)``.  Shortcodes inside HTML
    attributes are expanded first and filtered as WordPress's KSES does;
    ``ignore_html=True`` leaves everything inside HTML tags alone.  Invalid
    tag names (what ``add_shortcode()`` rejects) raise ``ValueError``.

    >>> do_shortcode('<a href="[url]">x</a> [url]', {'url': lambda a, c, t: 'https://wp.org/'})
    '<a href="https://wp.org/">x</a> https://wp.org/'
    >>> do_shortcode('<a href="[url]">', {'url': lambda a, c, t: 'javascript:alert(1)'})
    '<a href="alert(1)">'
    """
    if "[" not in text or not handlers:
        return text
    registered = _registered(tuple(handlers))
    tagnames = _present(text, registered)
    if not tagnames:
        return text
    pattern, groups = _do_shortcode_re(tagnames, text)

    def do_shortcode_tag(m: "re.Match[str]") -> str:
        pre, tag, attr_text, _slash, content, post = m.group(*groups)
        if pre and post:  # [[tag]] escapes
            return m.group()[1:-1]
        atts = shortcode_parse_atts(attr_text)
        handler = handlers[tag]
        if not callable(handler):
            raise TypeError(f"the handler of [{tag}] is not callable: {handler!r}")
        out = handler(atts, content or "", tag)
        if type(out) is not str:
            out = _php_string(out, tag)
        return pre + out + post

    text = _do_shortcodes_in_html_tags(text, ignore_html, pattern, do_shortcode_tag)
    text = pattern.sub(do_shortcode_tag, text)
    return unescape_invalid_shortcodes(text)


#: WordPress 5.4+ name for :func:`do_shortcode`.
apply_shortcodes = do_shortcode


def _php_string(out: object, tag: str) -> str:
    if out is None or out is False:
        return ""
    if out is True:
        return "1"
    if isinstance(out, str):
        return str(out)  # a subclass such as markupsafe.Markup: plain text from here on
    if isinstance(out, int):
        return str(out)
    raise TypeError(f"the handler of [{tag}] returned {type(out).__name__}, not str")


def unescape_invalid_shortcodes(text: str) -> str:
    """``&#91;`` -> ``[`` and ``&#93;`` -> ``]`` (the last step of do_shortcode)."""
    if "&#9" in text:
        text = text.replace("&#91;", "[").replace("&#93;", "]")
    return text


_PLUGIN_EMAIL = re.compile(r"^<\s*\[\[?[^\[\]]+\]", A)
_ALNUM = re.compile(r"[a-zA-Z0-9]+")


def _do_shortcodes_in_html_tags(content: str, ignore_html: bool, pattern: "re.Pattern[str]",
                                callback: "Callable[[re.Match[str]], str]") -> str:
    """``do_shortcodes_in_html_tags()``: shortcodes in attributes, brackets in tags encoded.

    WordPress walks every piece of ``wp_html_split()``; here one C-level
    regex (:data:`_HTML_SKIP`) jumps over text and over the elements that
    WordPress would leave unchanged (no ``[``/``]``), so only the others are
    visited, each with WordPress's own logic.
    """
    if "&#9" in content:
        content = content.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
    if "<" not in content:
        return content
    n = len(content)
    out: list[str] = []
    pos = 0
    while True:
        stop = _HTML_SKIP.match(content, pos).end()  # type: ignore[union-attr]
        if stop >= n:
            break
        m = _HTML_ELEMENT.match(content, stop)  # always matches at a '<'
        end = m.end()  # type: ignore[union-attr]
        out.append(content[pos:stop])
        out.append(_html_element(content[stop:end], ignore_html, pattern, callback))
        pos = end
    if not out:
        return content
    out.append(content[pos:])
    return "".join(out)


def _html_element(element: str, ignore_html: bool, pattern: "re.Pattern[str]",
                  callback: "Callable[[re.Match[str]], str]") -> str:
    """The loop body of ``do_shortcodes_in_html_tags()`` for one element."""
    noopen = "[" not in element
    noclose = "]" not in element
    if noopen or noclose:  # this element does not contain shortcodes
        if noopen != noclose:  # encode a stray '[' or ']'
            return element.translate(_TO_ENTITIES)
        return element
    if ignore_html or element.startswith("<!--") or element.startswith("<![CDATA["):
        return element.translate(_TO_ENTITIES)
    attributes = wp_kses_attr_parse(element)
    if attributes is None:
        # Some plugins are doing things like [name] <[email]>.
        if _PLUGIN_EMAIL.match(element):
            element = pattern.sub(callback, element)
        # Looks like we found some crazy unfiltered HTML.  Skipping it for sanity.
        return element.translate(_TO_ENTITIES)
    front = attributes[0]
    back = attributes[-1]
    attrs = attributes[1:-1]
    elname = _ALNUM.search(front).group()  # type: ignore[union-attr]
    # Look for shortcodes in each attribute separately.
    for j, attr in enumerate(attrs):
        open_ = attr.find("[")
        if open_ < 0 or "]" not in attr:
            continue  # square braces are escaped at the end
        double = attr.find('"')
        single = attr.find("'")
        if (single < 0 or open_ < single) and (double < 0 or open_ < double):
            # '[' before any quote: <div [shortcode]> or name=[shortcode], unfiltered HTML.
            attrs[j] = pattern.sub(callback, attr)
        else:
            # name="[shortcode]": sanitize the shortcode output using KSES.
            new_attr, count = pattern.subn(callback, attr)
            if count > 0:
                new_attr = wp_kses_one_attr(new_attr, elname)
                if _trim(new_attr) != "":
                    attrs[j] = new_attr
    # Now encode any remaining '[' or ']' chars.
    return (front + "".join(attrs) + back).translate(_TO_ENTITIES)


# ------------------------------------------------------------------- strip / has
def strip_shortcodes(text: str, tags: Iterable[str]) -> str:
    """``strip_shortcodes()`` with ``tags`` registered: removes them and what they enclose.

    Shortcodes inside HTML tags are kept; ``[[tag]]`` becomes ``[tag]``.

    >>> strip_shortcodes('a[tag]b[b]c[/b]d [[tag]] <a title="[tag]">', ['tag', 'b'])
    'abd [tag] <a title="[tag]">'
    """
    if "[" not in text:
        return text
    registered = _tag_tuple(tags)
    if not registered:
        return text
    tagnames = _present(text, registered)
    if not tagnames:
        return text
    pattern = _shortcode_re(tagnames)
    text = _do_shortcodes_in_html_tags(text, True, pattern, _strip_shortcode_tag)
    text = pattern.sub(_strip_shortcode_tag, text)
    return unescape_invalid_shortcodes(text)


def _strip_shortcode_tag(m: "re.Match[str]") -> str:
    if m.group(1) and m.group(6):
        return m.group()[1:-1]
    return m.group(1) + m.group(6)


def shortcode_exists(tag: str, tags: Iterable[str]) -> bool:
    """True when ``tag`` is one of the registered ``tags``."""
    return tag in _tag_tuple(tags)


def has_shortcode(text: str, tag: str, tags: Iterable[str]) -> bool:
    """``has_shortcode()``: is ``tag`` (which must be registered) used, also nested?

    >>> has_shortcode('[a][b x=1][/a]', 'b', ['a', 'b']), has_shortcode('[b]', 'b', ['a'])
    (True, False)
    """
    if "[" not in text:
        return False
    registered = _tag_tuple(tags)
    if tag not in registered:
        return False
    return _has(text, tag, _shortcode_re(registered))


def _has(text: str, tag: str, pattern: "re.Pattern[str]") -> bool:
    if "[" not in text:
        return False
    for m in pattern.finditer(text):
        if m.group(2) == tag:
            return True
        inner = m.group(5)
        if not _empty(inner) and _has(inner, tag, pattern):
            return True
    return False


def get_shortcode_tags_in_content(text: str, tags: Iterable[str]) -> list[str]:
    """``get_shortcode_tags_in_content()``: registered tags used, in order, nested ones too.

    >>> get_shortcode_tags_in_content('[a][b][/a] [a]', ['a', 'b'])
    ['a', 'b', 'a']
    """
    if "[" not in text:
        return []
    return _tags_in(text, _shortcode_re(_tag_tuple(tags)))


def _tags_in(text: str, pattern: "re.Pattern[str]") -> list[str]:
    if "[" not in text:
        return []
    found: list[str] = []
    for m in pattern.finditer(text):
        found.append(m.group(2))
        inner = m.group(5)
        if not _empty(inner):
            found.extend(_tags_in(inner, pattern))
    return found


# ------------------------------------------------------------------- wp_html_split
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


# ------------------------------------------------------------------- kses
_ATTR_PARSE = re.compile(r"^(<\s*)(/\s*)?([a-zA-Z0-9]+\s*)([^>]*)(>?)$", A)
_XHTML_SLASH = re.compile(r"\s*/\s*$", A)
_HAIR = (
    r"""(?:[_a-zA-Z][-_a-zA-Z0-9:.]*|\[\[?[^\[\]]+\]\]?)"""
    r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"']+(?:\s|$))|(?:\s|$))\s*"""
)
_HAIR_VALID = re.compile(f"^(?:{_HAIR})+$", A)
_HAIR_EXTRACT = re.compile(_HAIR, A)


def wp_kses_attr_parse(element: str) -> "list[str] | None":
    """``wp_kses_attr_parse()``: [front, attribute, ..., back], or ``None`` (PHP ``false``).

    >>> wp_kses_attr_parse('<a href="x" title=y />')
    ['<a ', 'href="x" ', 'title=y', ' />']
    """
    m = _ATTR_PARSE.match(element)
    if m is None:
        return None
    begin, slash, elname, attr, end = m.groups()
    if slash:
        return None  # closing elements are not parsed
    s = _XHTML_SLASH.search(attr)
    if s is not None:
        xhtml_slash = s.group()
        attr = attr[: -len(xhtml_slash)]
    else:
        xhtml_slash = ""
    attrarr = wp_kses_hair_parse(attr)
    if attrarr is None:
        return None
    return [begin + elname, *attrarr, xhtml_slash + end]


def wp_kses_hair_parse(attr: str) -> "list[str] | None":
    """``wp_kses_hair_parse()``: the attributes of an element, or ``None`` (PHP ``false``)."""
    if attr == "":
        return []
    if _HAIR_VALID.match(attr) is None:
        return None
    return _HAIR_EXTRACT.findall(attr)


#: wp_allowed_protocols() with no filters.
WP_ALLOWED_PROTOCOLS: tuple[str, ...] = (
    "http", "https", "ftp", "ftps", "mailto", "news", "irc", "irc6", "ircs", "gopher", "nntp", "feed",
    "telnet", "mms", "rtsp", "sms", "svn", "tel", "fax", "xmpp", "webcal", "urn",
)
#: wp_kses_uri_attributes() with no filters.
WP_KSES_URI_ATTRIBUTES: frozenset[str] = frozenset((
    "action", "archive", "background", "cite", "classid", "codebase", "data", "formaction", "href",
    "icon", "longdesc", "manifest", "poster", "profile", "src", "usemap", "xmlns",
))

_GLOBAL_ATTRIBUTES = (
    "aria-describedby", "aria-details", "aria-label", "aria-labelledby", "aria-hidden", "class", "data-*",
    "dir", "id", "lang", "style", "title", "role", "xml:lang",
)
_POST_TAGS_SPEC = {
    "address": "", "a": "href rel rev name target download=valueless:y", "abbr": "", "acronym": "",
    "area": "alt coords href nohref shape target", "article": "align", "aside": "align",
    "audio": "autoplay controls loop muted preload src", "b": "", "bdo": "", "big": "",
    "blockquote": "cite", "br": "", "button": "disabled name type value", "caption": "align",
    "cite": "", "code": "", "col": "align char charoff span valign width",
    "colgroup": "align char charoff span valign width", "del": "datetime", "dd": "", "dfn": "",
    "details": "align open", "div": "align", "dl": "", "dt": "", "em": "", "fieldset": "",
    "figure": "align", "figcaption": "align", "font": "color face size", "footer": "align",
    "h1": "align", "h2": "align", "h3": "align", "h4": "align", "h5": "align", "h6": "align",
    "header": "align", "hgroup": "align", "hr": "align noshade size width", "i": "",
    "img": "alt align border height hspace loading longdesc vspace src usemap width",
    "ins": "datetime cite", "kbd": "", "label": "for", "legend": "align", "li": "align value",
    "main": "align", "map": "name", "mark": "", "menu": "type", "nav": "align",
    "object": "data=value_callback:pdf type=values:application/pdf", "p": "align", "pre": "width",
    "q": "cite", "rb": "", "rp": "", "rt": "", "rtc": "", "ruby": "", "s": "", "samp": "", "span": "align",
    "section": "align", "small": "", "strike": "", "strong": "", "sub": "", "summary": "align", "sup": "",
    "table": "align bgcolor border cellpadding cellspacing rules summary width",
    "tbody": "align char charoff valign",
    "td": "abbr align axis bgcolor char charoff colspan headers height nowrap rowspan scope valign width",
    "textarea": "cols rows disabled name readonly", "tfoot": "align char charoff valign",
    "th": "abbr align axis bgcolor char charoff colspan headers height nowrap rowspan scope valign width",
    "thead": "align char charoff valign", "title": "", "tr": "align bgcolor char charoff valign",
    "track": "default kind label src srclang", "tt": "", "u": "", "ul": "type",
    "ol": "start type reversed", "var": "",
    "video": "autoplay controls height loop muted playsinline poster preload src width",
}


def _build_allowed_post_tags() -> dict[str, dict[str, Any]]:
    """``$allowedposttags`` after ``_wp_add_global_attributes()``: attr -> True or {check: value}."""
    tags: dict[str, dict[str, Any]] = {}
    for element, spec in _POST_TAGS_SPEC.items():
        attrs: dict[str, Any] = {}
        for item in spec.split():
            if "=" in item:
                name, check = item.split("=", 1)
                kind, value = check.split(":", 1)
                attrs[name] = {"required": True, kind: value} if kind != "valueless" else {kind: value}
            else:
                attrs[item] = True
        for name in _GLOBAL_ATTRIBUTES:
            attrs[name] = True
        tags[element] = attrs
    return tags


_ALLOWED_POST_TAGS = _build_allowed_post_tags()
_DATA_ATTR = re.compile(r"^data(?:-[a-z0-9_]+)+$")
_LEAD_WS = re.compile(r"^\s*", A)
_TRAIL_WS = re.compile(r"\s*$", A)
_EQ_SPLIT = re.compile(r"\s*=\s*", A)


def wp_kses_one_attr(string: str, element: str) -> str:
    """``wp_kses_one_attr()``: one ``name="value"`` made safe for ``element``, or ``''``.

    >>> wp_kses_one_attr('title="a <b> & \\'c\\'"', 'a')
    'title="a &lt;b&gt; &amp; &#039;c&#039;"'
    >>> wp_kses_one_attr('href="javascript:alert(1)"', 'a'), wp_kses_one_attr('onclick="x"', 'a')
    ('href="alert(1)"', '')
    """
    string = wp_kses_no_null(string, keep_slash_zero=True)
    lead = _LEAD_WS.match(string).group()  # type: ignore[union-attr]
    trail = _TRAIL_WS.search(string).group()  # type: ignore[union-attr]
    string = string[len(lead):len(string) - len(trail)]  # PHP substr() gives '' on overlap
    split = _EQ_SPLIT.split(string, 1)
    name = split[0]
    if len(split) == 2:
        value = split[1]
        quote = value[:1]
        if quote == '"' or quote == "'":
            if value[-1:] != quote:
                return ""
            value = value[1:-1]
        else:
            quote = '"'
        value = esc_attr(value)
        if _strtolower(name) in WP_KSES_URI_ATTRIBUTES:
            value = wp_kses_bad_protocol(value)
        string = f"{name}={quote}{value}{quote}"
        vless = "n"
    else:
        value = ""
        vless = "y"
    ok, name, value, string = wp_kses_attr_check(name, value, string, vless, element)
    return lead + string + trail


def wp_kses_attr_check(name: str, value: str, whole: str, vless: str, element: str
                       ) -> tuple[bool, str, str, str]:
    """``wp_kses_attr_check()`` against ``$allowedposttags``.

    PHP changes ``$name``, ``$value`` and ``$whole`` by reference; here they
    come back with the verdict: ``(allowed, name, value, whole)``.
    """
    name_low = _strtolower(name)
    allowed_attr = _ALLOWED_POST_TAGS.get(_strtolower(element))
    if allowed_attr is None:
        return False, "", "", ""
    rule = allowed_attr.get(name_low)
    if rule is None:
        if name_low.startswith("data-") and allowed_attr.get("data-*") and _DATA_ATTR.match(name_low):
            rule = allowed_attr["data-*"]
        else:
            return False, "", "", ""
    if name_low == "style":
        new_value = safecss_filter_attr(value)
        if _empty(new_value):
            return False, "", "", ""
        if value:
            whole = whole.replace(value, new_value)
        value = new_value
    if isinstance(rule, dict):
        for checkname, checkvalue in rule.items():
            if not _kses_check_attr_val(value, vless, checkname, checkvalue):
                return False, "", "", ""
    return True, name, value, whole


def _kses_check_attr_val(value: str, vless: str, checkname: str, checkvalue: str) -> bool:
    if checkname == "valueless":
        return _strtolower(checkvalue) == vless
    if checkname == "values":
        return _strtolower(value) == checkvalue
    if checkname == "value_callback":  # _wp_kses_allow_pdf_objects()
        if "?" in value or "#" in value or not value.endswith(".pdf"):
            return False
        # Safe only on the site's own upload host, which a site-less port does not have.
        return False
    return True  # 'required' is not a check


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SLASH_ZERO = re.compile(r"\\+0+")


def wp_kses_no_null(string: str, *, keep_slash_zero: bool = False) -> str:
    """``wp_kses_no_null()``: removes control characters (and ``\\0`` unless kept)."""
    string = _CONTROL.sub("", string)
    if not keep_slash_zero and "\\" in string:
        string = _SLASH_ZERO.sub("", string)
    return string


_COLON_ENTITY_FIX = re.compile(r"(&#0*58(?![;0-9])|&#x0*3a(?![;a-f0-9]))", re.I | A)
_COLON_SPLIT = re.compile(r":|&#0*58;|&#x0*3a;|&colon;", re.I | A)
_WS_RE = re.compile(r"\s", A)


def wp_kses_bad_protocol(string: str, allowed_protocols: Iterable[str] = WP_ALLOWED_PROTOCOLS) -> str:
    """``wp_kses_bad_protocol()``: strips URL schemes that are not allowed.

    >>> wp_kses_bad_protocol('javascript:alert(1)'), wp_kses_bad_protocol('HTTP://x.org/')
    ('alert(1)', 'http://x.org/')
    """
    allowed = tuple(_strtolower(p) for p in allowed_protocols)
    string = wp_kses_no_null(string)
    iterations = 0
    while True:
        original = string
        string = _bad_protocol_once(string, allowed)
        iterations += 1
        if not (original != string and iterations < 6):
            break
    if original != string:
        return ""
    return string


def _bad_protocol_once(string: str, allowed: tuple[str, ...], count: int = 1) -> str:
    if "&" in string:
        string = _COLON_ENTITY_FIX.sub(r"\1;", string)
    parts = _COLON_SPLIT.split(string, 1)
    if len(parts) == 2 and "/?" not in parts[0]:
        rest = _trim(parts[1])
        protocol = _bad_protocol_once2(parts[0], allowed)
        if protocol == "feed:":
            if count > 2:
                return ""
            count += 1
            rest = _bad_protocol_once(rest, allowed, count)
            if _empty(rest):
                return rest
        string = protocol + rest
    return string


def _bad_protocol_once2(scheme: str, allowed: tuple[str, ...]) -> str:
    s = wp_kses_decode_entities(scheme)
    s = _WS_RE.sub("", s)
    s = wp_kses_no_null(s)
    s = _strtolower(s)
    return s + ":" if s in allowed else ""


_DEC_ENTITY = re.compile(r"&#([0-9]+);")
_HEX_ENTITY = re.compile(r"&#[Xx]([0-9A-Fa-f]+);")


def wp_kses_decode_entities(string: str) -> str:
    """``wp_kses_decode_entities()``: ``&#NN;``/``&#xHH;`` to PHP ``chr()`` (a byte).

    Bytes above 127 come back as the Latin-1 character of that byte (PHP
    would give a lone byte); they only ever take part in comparisons.
    """
    if "&#" not in string:
        return string
    string = _DEC_ENTITY.sub(lambda m: chr(int(m.group(1)) & 0xFF), string)
    return _HEX_ENTITY.sub(lambda m: chr(int(m.group(1), 16) & 0xFF), string)


# ------------------------------------------------------------------- entities, esc_attr
_ALLOWED_ENTITY_NAMES = frozenset("""
nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn acute
micro para middot cedil ordm raquo iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave
Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash
Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave
eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash
ugrave uacute ucirc uuml yacute thorn yuml quot amp lt gt apos OElig oelig Scaron scaron Yuml circ
tilde ensp emsp thinsp zwnj zwj lrm rlm ndash mdash lsquo rsquo sbquo ldquo rdquo bdquo dagger Dagger
permil lsaquo rsaquo euro fnof Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu
Xi Omicron Pi Rho Sigma Tau Upsilon Phi Chi Psi Omega alpha beta gamma delta epsilon zeta eta theta
iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega thetasym upsih
piv bull hellip prime Prime oline frasl weierp image real trade alefsym larr uarr rarr darr harr crarr
lArr uArr rArr dArr hArr forall part exist empty nabla isin notin ni prod sum minus lowast radic prop
infin ang and or cap cup int sim cong asymp ne equiv le ge sub sup nsub sube supe oplus otimes perp
sdot lceil rceil lfloor rfloor lang rang loz spades clubs hearts diams sup1 sup2 sup3 frac14 frac12
frac34 there4
""".split())
_NAMED_ENTITY = re.compile(r"&amp;([A-Za-z]{2,8}[0-9]{0,2});")
_DEC_ENTITY_AMP = re.compile(r"&amp;#(0*[0-9]{1,7});")
_HEX_ENTITY_AMP = re.compile(r"&amp;#[Xx](0*[0-9A-Fa-f]{1,6});")


def _valid_unicode(i: int) -> bool:
    return i in (0x9, 0xA, 0xD) or 0x20 <= i <= 0xD7FF or 0xE000 <= i <= 0xFFFD or 0x10000 <= i <= 0x10FFFF


def _named_entity(m: "re.Match[str]") -> str:
    name = m.group(1)
    return f"&{name};" if name in _ALLOWED_ENTITY_NAMES else f"&amp;{name};"


def _dec_entity(m: "re.Match[str]") -> str:
    i = m.group(1)
    if _empty(i):
        return ""
    if _valid_unicode(int(i)):
        return "&#" + i.lstrip("0").rjust(3, "0") + ";"
    return f"&amp;#{i};"


def _hex_entity(m: "re.Match[str]") -> str:
    h = m.group(1)
    if _empty(h):
        return ""
    if not _valid_unicode(int(h, 16)):
        return f"&amp;#x{h};"
    return "&#x" + h.lstrip("0") + ";"


def wp_kses_normalize_entities(string: str) -> str:
    """``wp_kses_normalize_entities()`` (HTML context): every ``&`` starts a valid entity after.

    >>> wp_kses_normalize_entities('AT&T &hellip; &#00058; &#XYZZY; &bogus; &#0;')
    'AT&amp;T &hellip; &#058; &amp;#XYZZY; &amp;bogus; '
    """
    if "&" not in string:
        return string
    string = string.replace("&", "&amp;")
    string = _NAMED_ENTITY.sub(_named_entity, string)
    string = _DEC_ENTITY_AMP.sub(_dec_entity, string)
    return _HEX_ENTITY_AMP.sub(_hex_entity, string)


_SPECIALCHARS = re.compile("[&<>\"']")
# Allowed by KSES but not in PHP's HTML 4.01 entity table, so htmlspecialchars()
# (double_encode=false) does not recognise them and encodes their '&'.
_NOT_HTML401 = re.compile("&(apos);")
_ESCAPE_ATTR = str.maketrans({"<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;"})


def esc_attr(text: str) -> str:
    """WordPress's ``esc_attr()`` (UTF-8 site, no filters).

    >>> esc_attr('a "b" <c> & &amp; &hellip; &#0058; \\'d\\'')
    'a &quot;b&quot; &lt;c&gt; &amp; &amp; &hellip; &#058; &#039;d&#039;'
    """
    if not text:
        return ""
    if not text.isascii() and _SURROGATE.search(text):
        return ""  # wp_check_invalid_utf8() refuses invalid UTF-8
    if _SPECIALCHARS.search(text) is None:
        return text
    text = wp_kses_normalize_entities(text)
    if "&apos;" in text:
        text = _NOT_HTML401.sub(r"&amp;\1;", text)
    return text.translate(_ESCAPE_ATTR)


# ------------------------------------------------------------------- safecss_filter_attr
_SAFE_STYLE_CSS = frozenset("""
background background-color background-image background-position background-size background-attachment
background-blend-mode border border-radius border-width border-color border-style border-right
border-right-color border-right-style border-right-width border-bottom border-bottom-color
border-bottom-left-radius border-bottom-right-radius border-bottom-style border-bottom-width border-left
border-left-color border-left-style border-left-width border-top border-top-color border-top-left-radius
border-top-right-radius border-top-style border-top-width border-spacing border-collapse caption-side
columns column-count column-fill column-gap column-rule column-span column-width color filter font
font-family font-size font-style font-variant font-weight letter-spacing line-height text-align
text-decoration text-indent text-transform height min-height max-height width min-width max-width
margin margin-right margin-bottom margin-left margin-top margin-block-start margin-block-end
margin-inline-start margin-inline-end padding padding-right padding-bottom padding-left padding-top
padding-block-start padding-block-end padding-inline-start padding-inline-end flex flex-basis
flex-direction flex-flow flex-grow flex-shrink flex-wrap gap row-gap grid-template-columns
grid-auto-columns grid-column-start grid-column-end grid-column-gap grid-template-rows grid-auto-rows
grid-row-start grid-row-end grid-row-gap grid-gap justify-content justify-items justify-self
align-content align-items align-self clear cursor direction float list-style-type object-fit
object-position overflow vertical-align --*
""".split())
_CSS_URL_TYPES = frozenset(("background", "background-image", "cursor", "list-style", "list-style-image"))
_CSS_GRADIENT_TYPES = frozenset(("background", "background-image"))
_CSS_VAR_NAME = re.compile(r"^--[a-zA-Z0-9_-]+$")
_CSS_URL = re.compile(r"url\([^)]+\)")
_CSS_URL_PIECES = re.compile(r"^url\(\s*(['\"]?)(.*)(\1)\s*\)$", A)
_CSS_GRADIENT = re.compile(r"^(repeating-)?(linear|radial|conic)-gradient\(([^()]|rgb[a]?\([^()]*\))*\)$")
_CSS_FUNCTION = re.compile(r"\b(?:var|calc|min|max|minmax|clamp)\(", A)
_CSS_FORBIDDEN = re.compile(r"[\\(&=}]|/\*")


def _strip_css_functions(s: str) -> str:
    r"""``preg_replace('/\b(?:var|calc|min|max|minmax|clamp)(\((?:[^()]|(?1))*\))/', '', $s)``."""
    out: list[str] = []
    pos = 0  # where the next search starts
    done = 0  # how much of s has been copied or dropped
    while True:
        m = _CSS_FUNCTION.search(s, pos)
        if m is None:
            break
        depth = 0
        end = -1
        for k in range(m.end() - 1, len(s)):
            c = s[k]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    end = k + 1
                    break
        if end < 0:
            pos = m.start() + 1
            continue
        out.append(s[done:m.start()])
        done = pos = end
    out.append(s[done:])
    return "".join(out)


def safecss_filter_attr(css: str) -> str:
    """``safecss_filter_attr()``: keeps the declarations KSES allows in a ``style``.

    >>> safecss_filter_attr('color: red; position: fixed; width: calc(100% - 2px); background: url(javascript:x)')
    'color: red;width: calc(100% - 2px)'
    """
    css = wp_kses_no_null(css)
    css = css.replace("\n", "").replace("\r", "").replace("\t", "")
    result = ""
    for item in _trim(css).split(";"):
        if item == "":
            continue
        item = _trim(item)
        test = item
        found = url_attr = gradient_attr = False
        value_part = ""
        if ":" not in item:
            found = True
        else:
            selector, value_part = item.split(":", 1)
            selector = _trim(selector)
            is_custom_var = _CSS_VAR_NAME.match(selector) is not None
            if is_custom_var or selector in _SAFE_STYLE_CSS:
                found = True
                url_attr = selector in _CSS_URL_TYPES
                gradient_attr = selector in _CSS_GRADIENT_TYPES
            if is_custom_var:
                css_value = _trim(value_part)
                url_attr = css_value.startswith("url(")
                gradient_attr = "-gradient(" in css_value
        if found and url_attr:
            for url_match in _CSS_URL.findall(value_part):
                pieces = _CSS_URL_PIECES.match(url_match)
                inner = pieces.group(2) if pieces else ""
                if _empty(inner):
                    found = False
                    break
                url = _trim(inner)
                if _empty(url) or wp_kses_bad_protocol(url) != url:
                    found = False
                    break
                test = test.replace(url_match, "")
        if found and gradient_attr:
            css_value = _trim(value_part)
            if _CSS_GRADIENT.match(css_value):
                test = test.replace(css_value, "")
        if found:
            if "(" in test:
                test = _strip_css_functions(test)
            if _CSS_FORBIDDEN.search(test) is None:
                if result != "":
                    result += ";"
                result += item
    return result
