"""WordPress 6.1.9's ``wp-includes/shortcodes.php``, ported line by line.

Everything here gives the same result as WordPress for the same input, byte
for byte (:func:`do_shortcode`, :func:`strip_shortcodes`,
:func:`has_shortcode`, :func:`shortcode_parse_atts`, :func:`shortcode_atts`,
...); shortcodes inside HTML attributes go through the KSES checks of
:mod:`shortcodes.wordpress.kses`.  ``tests/test_wordpress.py`` checks it
against the real PHP (the oracle in ``shared/oracle``).  There is **no**
curly-quote recovery here: this is what WordPress itself does (see
:mod:`shortcodes.core.parser` for the forgiving reader).

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
from typing import Any, Callable, Iterable, Iterator, Mapping, Union

from ..core.values import unclosed_html
from ..php.strings import SURROGATE, TRIM_CHARS, php_array_key, php_empty, php_trim, preg_quote, stripcslashes
from .formatting import _HTML_ELEMENT, _HTML_SKIP
from .kses import wp_kses_attr_parse, wp_kses_one_attr

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
    "html_elements",
    "expand_html_element",
    "tag_candidates",
    "shortcode_pattern",
    "handler_output",
    "Expand",
]

#: What a handler receives as ``$atts``: ``''`` or {name or index: value}.
Atts = Union[str, dict[Union[int, str], str]]
#: ``fn(atts, content, tag) -> str``, an ``add_shortcode()`` callback.
Handler = Callable[[Atts, str, str], Any]

A = re.ASCII  # PCRE without /u: \w \s \b and case folding are ASCII only.
_TO_ENTITIES = str.maketrans({"[": "&#91;", "]": "&#93;"})

# ------------------------------------------------------------------- tag names
_INVALID_TAG = re.compile(r"[<>&/\[\]\x00-\x20=]")
#: do_shortcode()'s pre-filter: every run of name characters after a '['.
_CANDIDATES = re.compile(r"\[([^<>&/\[\]\x00-\x20=]++)")


def _check_tag(tag: object) -> str:
    """What ``add_shortcode()`` accepts; ``ValueError`` naming the tag otherwise."""
    if not isinstance(tag, str):
        raise TypeError(f"shortcode tag names are str, not {type(tag).__name__}: {tag!r}")
    if php_trim(tag) == "":
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
    if not text.isascii() and SURROGATE.search(text):
        return ""  # preg_replace('/…/u') fails on invalid UTF-8: null, no match, ltrim(null)
    matches = _ATTS_RE.findall(text)
    if not matches:
        return text.lstrip(TRIM_CHARS)
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
            out = handler_output(out, tag)
        return pre + out + post

    text = _do_shortcodes_in_html_tags(text, ignore_html, pattern, do_shortcode_tag)
    text = pattern.sub(do_shortcode_tag, text)
    return unescape_invalid_shortcodes(text)


#: WordPress 5.4+ name for :func:`do_shortcode`.
apply_shortcodes = do_shortcode


def handler_output(out: object, tag: str) -> str:
    """What PHP prints of a handler's return value: ``None``/``False`` -> ``''``, ``True`` -> ``'1'``, ints."""
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
    visited (:func:`html_elements`), each with WordPress's own logic.
    """
    if "&#9" in content:
        content = content.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
    out: list[str] = []
    pos = 0
    for stop, end in html_elements(content):
        out.append(content[pos:stop])
        out.append(_html_element(content[stop:end], ignore_html, pattern, callback))
        pos = end
    if not out:
        return content
    out.append(content[pos:])
    return "".join(out)


def html_elements(content: str) -> Iterator[tuple[int, int]]:
    """The spans of the HTML elements ``do_shortcodes_in_html_tags()`` works on, in order.

    Those are the pieces of ``wp_html_split()`` that are elements (comments
    and CDATA included) and hold a ``[`` or a ``]``; WordPress encodes every
    bracket in them, so none can start or end a shortcode afterwards
    (``<!`` elements other than comments are visited too).

    >>> text = 'a <b title="[x]">c</b> <!-- [y] --> <i>'
    >>> [text[a:b] for a, b in html_elements(text)]
    ['<b title="[x]">', '<!-- [y] -->']
    """
    if "<" not in content:
        return
    n = len(content)
    pos = 0
    while True:
        stop = _HTML_SKIP.match(content, pos).end()  # type: ignore[union-attr]
        if stop >= n:
            return
        end = _HTML_ELEMENT.match(content, stop).end()  # type: ignore[union-attr]  # always matches at a '<'
        yield stop, end
        pos = end


#: ``expand(piece, offset) -> (new piece, number of shortcodes replaced)``: runs the shortcodes of
#: one piece of an element (``offset``: where the piece starts in the element).
Expand = Callable[[str, int], "tuple[str, int]"]


def _html_element(element: str, ignore_html: bool, pattern: "re.Pattern[str]",
                  callback: "Callable[[re.Match[str]], str]") -> str:
    """The loop body of ``do_shortcodes_in_html_tags()`` for one element."""
    return expand_html_element(element, lambda piece, _offset: pattern.subn(callback, piece),
                               ignore_html=ignore_html).translate(_TO_ENTITIES)


def expand_html_element(element: str, expand: Expand, *, ignore_html: bool = False) -> str:
    """What ``do_shortcodes_in_html_tags()`` makes of one element, before it encodes ``[`` and ``]``.

    Comments, CDATA and elements KSES cannot parse are left alone
    (``ignore_html=True``: every element is).  Otherwise ``expand`` runs the
    shortcodes of each attribute that holds a ``[`` and a ``]``; when the
    ``[`` comes before any quote (``<div [x]>``, ``a=[x]``) its output is
    used as it is, else (``a="[x]"``) the new attribute goes through
    :func:`~shortcodes.wordpress.kses.wp_kses_one_attr` and is used only if
    KSES leaves something of it.  WordPress then encodes the brackets left
    in the element (:func:`do_shortcode` does; the renderer masks them
    instead).

    >>> up = lambda piece, offset: (piece.replace("[x]", "<X>"), piece.count("[x]"))
    >>> expand_html_element('<a title="[x]" onclick="[x]" [x]>', up)
    '<a title="&lt;X&gt;" onclick="[x]" <X>>'
    >>> expand_html_element('<!-- [x] -->', up)
    '<!-- [x] -->'
    """
    if "[" not in element or "]" not in element:
        return element  # this element does not contain shortcodes
    if ignore_html or element.startswith("<!--") or element.startswith("<![CDATA["):
        return element
    attributes = wp_kses_attr_parse(element)
    if attributes is None:
        # Some plugins are doing things like [name] <[email]>.
        if _PLUGIN_EMAIL.match(element):
            element = expand(element, 0)[0]
        # Looks like we found some crazy unfiltered HTML.  Skipping it for sanity.
        return element
    front = attributes[0]
    back = attributes[-1]
    attrs = attributes[1:-1]
    elname = _ALNUM.search(front).group()  # type: ignore[union-attr]
    # Look for shortcodes in each attribute separately.
    offset = len(front)
    for j, attr in enumerate(attrs):
        start = offset
        offset += len(attr)
        open_ = attr.find("[")
        if open_ < 0 or "]" not in attr:
            continue  # square braces are escaped at the end
        double = attr.find('"')
        single = attr.find("'")
        if (single < 0 or open_ < single) and (double < 0 or open_ < double):
            # '[' before any quote: <div [shortcode]> or name=[shortcode], unfiltered HTML.
            attrs[j] = expand(attr, start)[0]
        else:
            # name="[shortcode]": sanitize the shortcode output using KSES.
            new_attr, count = expand(attr, start)
            if count > 0:
                new_attr = wp_kses_one_attr(new_attr, elname)
                if php_trim(new_attr) != "":
                    attrs[j] = new_attr
    return front + "".join(attrs) + back


def tag_candidates(text: str) -> set[str]:
    """Every run of tag-name characters after a ``[`` (``do_shortcode()``'s pre-filter of registered names).

    >>> sorted(tag_candidates('[a x=1] [/b] [[c]] <[d.e]>'))
    ['a', 'c', 'd.e']
    """
    return set(_CANDIDATES.findall(text))


def shortcode_pattern(tags: "Iterable[str]") -> "re.Pattern[str]":
    """:func:`get_shortcode_regex` compiled as WordPress runs it (cached)."""
    return _shortcode_re(_tag_tuple(tags))


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
        if not php_empty(inner) and _has(inner, tag, pattern):
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
        if not php_empty(inner):
            found.extend(_tags_in(inner, pattern))
    return found


