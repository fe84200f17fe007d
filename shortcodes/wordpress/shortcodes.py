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

The regex WordPress runs (:func:`get_shortcode_regex`) takes quadratic time
on some texts (``'[b /' * n``); every function here finds its matches with a
linear scanner instead (:func:`shortcode_matches`), same matches, same groups.

Strings stand for PHP's UTF-8 byte strings; a lone surrogate in a ``str``
stands for invalid UTF-8 where WordPress's ``/u`` regexes would fail.  Bytes
that ``stripcslashes()`` makes and that are not UTF-8 (``\\xff``) become
U+FFFD, one per maximal invalid sequence, as a browser would show them.
"""
from __future__ import annotations

import functools
import re
import sys
from bisect import bisect_left
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Union

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
    "shortcode_matches",
    "shortcode_subn",
    "WPMatch",
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


#: A closing tag ``[/name]``; every ``[/tag]`` of a valid tag name is one of these matches.
_CLOSER = re.compile(r"\[/([^<>&/\[\]\x00-\x20=]++)\]")


# ------------------------------------------------------------------- the linear scanner
class WPMatch(NamedTuple):
    """One match of WordPress's shortcode regex, found in linear time (see :func:`shortcode_matches`).

    ``start``/``end`` bound the whole match in the scanned text; the other
    fields are the regex's six groups: ``pre`` (``[`` of ``[[``), ``tag``,
    ``attrs`` (the attribute text), ``slash`` (``/`` of ``/]``), ``content``
    (``None`` when the tag encloses nothing) and ``post`` (``]`` of ``]]``).
    """

    start: int
    end: int
    pre: str
    tag: str
    attrs: str
    slash: str
    content: "str | None"
    post: str

    def source(self) -> str:
        """The matched text (the groups put back together).

        >>> next(shortcode_matches('x [[b a=1]in[/b]] y', ['b'])).source()
        '[[b a=1]in[/b]]'
        """
        close = "/]" if self.slash else "]"
        inner = "" if self.content is None else f"{self.content}[/{self.tag}]"
        return f"[{self.pre}{self.tag}{self.attrs}{close}{inner}{self.post}"


#: ``(start, '[' or '', tag, end of the name)`` of the next tag head in ``text[pos:end]``, or None.
_HeadSearch = Callable[[str, int, int], "tuple[int, str, str, int] | None"]
#: Up to this many names, heads are found by one regex alternation; past it by name runs.
_ALTERNATION_MAX = 48
_RUN = re.compile(r"\[(\[?)([^<>&/\[\]\x00-\x20=]++)")
_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@functools.lru_cache(maxsize=512)
def _head_regex(tags: tuple[str, ...]) -> "re.Pattern[str] | None":
    """``\\[(\\[?)(names)(?![\\w-])``, compiled, for up to :data:`_ALTERNATION_MAX` names (else None)."""
    if len(tags) > _ALTERNATION_MAX:
        return None
    return re.compile("\\[(\\[?)(" + "|".join(preg_quote(t) for t in tags) + ")(?![\\w-])", A)


@functools.lru_cache(maxsize=512)
def _head_search(tags: tuple[str, ...], by_runs: bool = False) -> _HeadSearch:
    """How :func:`shortcode_matches` finds ``\\[(\\[?)(names)(?![\\w-])``, WordPress's regex up to the attributes.

    Few names: that regex itself.  Many (a regex of thousands of
    alternatives costs more to compile than to run, and nested
    ``do_shortcode()`` calls each have their own set): every ``[`` followed
    by a run of name characters, and the first name in ``tags`` order among
    the run's prefixes that end before a non-word character.  The two give
    the same heads (``tests/test_wordpress.py`` compares them).
    """
    rx = None if by_runs else _head_regex(tags)
    if rx is not None:

        def search(text: str, pos: int, end: int) -> "tuple[int, str, str, int] | None":
            m = rx.search(text, pos, end)
            return None if m is None else (m.start(), m.group(1), m.group(2), m.end())
        return search
    order = {t: i for i, t in enumerate(tags)}
    run_rx = _RUN

    def search_runs(text: str, pos: int, end: int) -> "tuple[int, str, str, int] | None":
        while True:
            m = run_rx.search(text, pos, end)
            if m is None:
                return None
            run = m.group(2)
            best = order.get(run)
            name = run
            if len(order) > 1 or best is None:
                for j, ch in enumerate(run):
                    if ch not in _WORD_CHARS:
                        i = order.get(run[:j])
                        if i is not None and (best is None or i < best):
                            best, name = i, run[:j]
            if best is not None:
                return m.start(), m.group(1), name, m.start(2) + len(name)
            pos = m.start() + 1
    return search_runs


def shortcode_matches(text: str, tags: "Iterable[str]", start: int = 0, end: "int | None" = None,
                      closers: "dict[str, list[int]] | None" = None, *, by_runs: bool = False) -> Iterator[WPMatch]:
    """The matches of ``get_shortcode_regex(tags)`` in ``text[start:end]``, left to right, in linear time.

    The same matches, with the same groups, as ``re.finditer`` with
    :func:`get_shortcode_regex` (``tests/test_wordpress.py`` checks this
    against the regex and against WordPress): at a ``[``, the first name (in
    ``tags`` order) not followed by ``[\\w-]``; the tag ends at the next
    ``]`` (``/]``: self-closing); an opening tag encloses up to the first
    ``[/name]`` after it, if there is one; then an optional ``]``.
    WordPress's backtracking regex takes quadratic time on text such as
    ``'[b /' * n``; here every position is looked at a bounded number of
    times: the ``]`` after a tag is searched once (no ``]`` left: no match
    can follow), and a closer that does not occur is searched for once per
    name.  ``closers`` (name -> sorted positions of ``[/name]`` in ``text``)
    replaces the closer searches when the caller scans nested regions of one
    text (:func:`get_shortcode_tags_in_content`).  ``by_runs`` finds the tag
    heads the way used for many names, whatever their number (for tests).

    >>> [(m.tag, m.attrs, m.content) for m in shortcode_matches('[a x=1][b]in[/b] [a /]', ['a', 'b'])]
    [('a', ' x=1', None), ('b', '', 'in'), ('a', ' ', None)]
    """
    tag_tuple = _tag_tuple(tags)
    if tag_tuple:
        yield from _scan(text, _head_search(tag_tuple, by_runs), start, len(text) if end is None else end, closers)


def _scan(text: str, search: _HeadSearch, start: int, end: int,
          closers: "dict[str, list[int]] | None" = None) -> Iterator[WPMatch]:
    """:func:`shortcode_matches` with the tag heads found by ``search``."""
    if "[" not in text:
        return
    missing: set[str] = set()  # names whose closer does not occur after the scan position
    pos = start
    while True:
        head = search(text, pos, end)
        if head is None:
            return
        p, pre, tag, name_end = head
        extent = _extent(text, tag, name_end, end, missing, closers)
        if extent is None:
            return  # no ']' after this tag: no later tag can end either
        attrs, slash, content, post, stop = extent
        yield WPMatch(p, stop, pre, tag, attrs, slash, content, post)
        pos = stop


def _extent(text: str, tag: str, name_end: int, end: int, missing: set[str],
            closers: "dict[str, list[int]] | None" = None) -> "tuple[str, str, str | None, str, int] | None":
    """The rest of the tag whose name ends at ``name_end`` as WordPress's regex takes it (up to ``end``):
    ``(attrs, slash, content, post, stop)`` (``content`` None: nothing enclosed; ``stop``: past the match),
    or None when no ``]`` follows.  ``missing``: the names whose closer does not occur after the scan
    position (added to here); ``closers``: :func:`_closer_index` of ``text``, else ``find`` looks."""
    r = text.find("]", name_end, end)
    if r == -1:
        return None
    slash = "/" if r > name_end and text[r - 1] == "/" else ""
    attrs = text[name_end:r - 1] if slash else text[name_end:r]
    stop = r + 1
    content = None
    if not slash and tag not in missing:
        closer = "[/" + tag + "]"
        if closers is None:
            c = text.find(closer, stop, end)
        else:
            c = _first_at(closers.get(tag), stop, end - len(closer))
        if c == -1:
            missing.add(tag)
        else:
            content = text[stop:c]
            stop = c + len(closer)
    post = "]" if stop < end and text[stop] == "]" else ""
    return attrs, slash, content, post, stop + 1 if post else stop


def _first_at(positions: "list[int] | None", low: int, high: int) -> int:
    """The first of the sorted ``positions`` in ``[low, high]``, or -1."""
    if not positions:
        return -1
    i = bisect_left(positions, low)
    return positions[i] if i < len(positions) and positions[i] <= high else -1


def _closer_index(text: str) -> dict[str, list[int]]:
    """name -> sorted positions of ``[/name]`` in ``text``."""
    index: dict[str, list[int]] = {}
    if "[/" in text:
        for m in _CLOSER.finditer(text):
            index.setdefault(m.group(1), []).append(m.start())
    return index


def _subn(text: str, tags: tuple[str, ...], fn: "Callable[[WPMatch], str]") -> tuple[str, int]:
    """``preg_replace_callback(get_shortcode_regex(tags), fn, text)`` and the number of matches, linear."""
    if not tags:
        return text, 0
    return _subn_by(text, _head_search(tags), fn)


def _subn_by(text: str, search: _HeadSearch, fn: "Callable[[WPMatch], str]") -> tuple[str, int]:
    """:func:`_subn` with the tag heads found by ``search``."""
    out: list[str] = []
    pos = 0
    for m in _scan(text, search, 0, len(text)):
        out.append(text[pos:m.start])
        out.append(fn(m))
        pos = m.end
    if not out:
        return text, 0
    out.append(text[pos:])
    return "".join(out), len(out) // 2


def shortcode_subn(text: str, tags: "Iterable[str]", fn: "Callable[[WPMatch], str]") -> tuple[str, int]:
    """Every match of WordPress's shortcode regex replaced by ``fn(match)``, and how many (linear time).

    What ``preg_replace_callback(get_shortcode_regex(tags), fn, text)`` does;
    ``fn`` receives a :class:`WPMatch`.

    >>> shortcode_subn('a [b x=1] [[b]] c', ['b'], lambda m: '<' + m.tag + m.attrs + '>')
    ('a <b x=1> <b> c', 2)
    """
    return _subn(text, _tag_tuple(tags), fn)


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


#: shortcode_parse_atts() results per attribute text (posts repeat the same tags); bounded.
_ATTS_CACHE: dict[str, Atts] = {}
_ATTS_CACHE_SIZE = 4096
_ATTS_CACHE_TEXT = 4096


def _parse_atts_cached(text: str) -> Atts:
    """:func:`shortcode_parse_atts`, remembered; each caller gets its own dict (handlers may change it)."""
    if len(text) > _ATTS_CACHE_TEXT:
        return shortcode_parse_atts(text)
    hit = _ATTS_CACHE.get(text)
    if hit is None:
        if len(_ATTS_CACHE) >= _ATTS_CACHE_SIZE:
            _ATTS_CACHE.clear()
        hit = _ATTS_CACHE[text] = shortcode_parse_atts(text)
    return hit if isinstance(hit, str) else dict(hit)


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
    if not isinstance(k, str):
        return k
    got = _ARRAY_KEYS.get(k)
    if got is None:
        if len(_ARRAY_KEYS) >= 4096:
            _ARRAY_KEYS.clear()
        got = _ARRAY_KEYS[k] = php_array_key(k)
    return got


#: attribute name -> its PHP array key (``php_array_key``): the same few names come again and again
_ARRAY_KEYS: "dict[str, int | str]" = {}


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
    search = _NameFilter(text, _registered(tuple(handlers)))
    head = search(text, 0, len(text))
    if head is None:
        return text  # no registered name in the text: WordPress returns it as it is

    global _depth
    _depth += 1
    try:
        if _depth > _DEEP:
            _make_room()
        clean = text is _clean_content or _brackets_outside_html(text)
        if "&" in text and "&#9" in text:
            text = text.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
            head = search(text, 0, len(text))
        if not clean:
            text = _html_tags_by(text, ignore_html, search, functools.partial(_do_shortcode_tag, handlers))
            head = search(text, 0, len(text))
        text = _replace_heads(text, search, head, handlers, clean)
    finally:
        _depth -= 1
        if _depth == 0 and _saved_limit:
            sys.setrecursionlimit(_saved_limit.pop())
    return unescape_invalid_shortcodes(text)


def _do_shortcode_tag(handlers: Mapping[str, Handler], m: WPMatch) -> str:
    """``do_shortcode_tag()``: what replaces the match ``m``."""
    if m.pre and m.post:  # [[tag]] escapes
        return m.source()[1:-1]
    return m.pre + _call(handlers, m.tag, m.attrs, m.content) + m.post


def _call(handlers: Mapping[str, Handler], tag: str, attrs: str, content: "str | None") -> str:
    """The handler of ``tag`` called as WordPress calls it, its result as PHP prints it."""
    handler = handlers[tag]
    if not callable(handler):
        raise TypeError(f"the handler of [{tag}] is not callable: {handler!r}")
    atts = _ATTS_CACHE.get(attrs)
    if atts is None:
        atts = _parse_atts_cached(attrs)
    elif type(atts) is dict:
        atts = dict(atts)  # each handler gets its own dict (it may change it)
    out = handler(atts, content or "", tag)
    return out if type(out) is str else handler_output(out, tag)


#: The content last handed to a handler by a call whose text no HTML element of holds a bracket.
#: Such content starts and ends outside the elements, so none of its elements holds a bracket
#: either: a handler's ``do_shortcode(content)`` need not look again (by identity: this
#: reference keeps the object alive).
_clean_content: "str | None" = None


def _replace_heads(text: str, search: _HeadSearch, head: "tuple[int, str, str, int] | None",
                   handlers: Mapping[str, Handler], clean: bool = False) -> str:
    """``preg_replace_callback(regex, 'do_shortcode_tag', text)``: :func:`_subn` and
    :func:`_do_shortcode_tag` in one loop (no match objects), from ``head``, the first head.

    ``clean``: no element of ``text`` holds a bracket (:data:`_clean_content`)."""
    global _clean_content
    out: list[str] = []
    append = out.append
    end = len(text)
    missing: set[str] = set()  # names whose closer does not occur after the scan position
    pos = 0
    while head is not None:
        p, pre, tag, name_end = head
        extent = _extent(text, tag, name_end, end, missing)
        if extent is None:
            break  # no ']' after this tag: no later tag can end either
        attrs, _slash, content, post, stop = extent
        append(text[pos:p])
        if pre and post:  # [[tag]] escapes
            append(text[p + 1:stop - 1])
            pos = stop
            head = search(text, pos, end)
            continue
        if clean:
            _clean_content = content
        if pre or post:
            append(pre + _call(handlers, tag, attrs, content) + post)
        else:
            append(_call(handlers, tag, attrs, content))
        pos = stop
        head = search(text, pos, end)
    if not out:
        return text
    append(text[pos:])
    return "".join(out)


#: Characters that end a run of tag-name characters (what ``_CANDIDATES`` stops at).
_NAME_STOP = frozenset("<>&/[]=" + "".join(map(chr, range(0x21))))


class _NameFilter:
    """Tag heads as WordPress's regex of the *present* names finds them, without finding those names first.

    ``do_shortcode()`` puts in its regex only the registered names that
    follow some ``[`` as a whole run of name characters
    (:func:`_present`).  A head of the regex of every registered name whose
    name is such a whole run (the next character ends the run) is a head of
    that regex too, with the same name: the name is present, and no name
    before it matched there.  So heads are looked for with every registered
    name, and only at the first head whose name may be part of a longer run
    (``[gallery.x``, or the text ends) are the present names computed, the
    head looked for again and the rest scanned with them, exactly as before.
    ``text`` is the text given to ``do_shortcode()``: the pieces scanned
    are regions of it, unchanged around every ``[``.
    """

    __slots__ = ("text", "names", "rx", "search")

    def __init__(self, text: str, registered: tuple[str, ...]) -> None:
        self.text = text
        self.names: "tuple[str, ...] | None" = registered  # None once filtered
        self.rx = _head_regex(registered)
        self.search = _no_heads if self.rx is not None else _head_search(registered)

    def __call__(self, s: str, pos: int, end: int) -> "tuple[int, str, str, int] | None":
        rx = self.rx
        head: "tuple[int, str, str, int] | None"
        if rx is not None:
            m = rx.search(s, pos, end)
            if m is None:
                return None
            head = m.start(), m.group(1), m.group(2), m.end()
        else:
            head = self.search(s, pos, end)
            if head is None:
                return None
        if self.names is not None:
            name_end = head[3]
            if name_end >= len(s) or s[name_end] not in _NAME_STOP:
                present = _present(self.text, self.names)
                self.names = None
                self.rx = _head_regex(present) if present else None
                self.search = _no_heads if self.rx is not None or not present else _head_search(present)
                return self(s, pos, end)
        return head


def _no_heads(text: str, pos: int, end: int) -> None:
    """The head search of no names."""
    return None


def _brackets_outside_html(text: str) -> bool:
    """True when no element of ``wp_html_split(text)`` holds a ``[`` or ``]`` (then
    ``do_shortcodes_in_html_tags()`` changes nothing but the ``&#91;``/``&#93;`` it escapes first).

    May say False when it is not sure (then the elements are walked).  A
    bracket is inside a tag (``<a``, ``<!DOCTYPE``, ``<![CDATA[`` up to the
    first ``>``) exactly when the nearest ``<`` or ``>`` before it is a
    ``<``; inside a comment when no ``-->`` follows the last ``<!--`` before
    it.  Brackets with no ``<`` between them are inside or outside together,
    so one look serves each run of them up to the next ``<``.

    >>> _brackets_outside_html('<p>[a x="1"]</p><!-- b > c -->[/a]'), _brackets_outside_html('<p title="[a]">')
    (True, False)
    >>> _brackets_outside_html('<!-- b > [a] -->'), _brackets_outside_html('<![CDATA[ x ]]>')
    (False, False)
    """
    if "<" not in text:
        return True
    find = text.find
    rfind = text.rfind
    comments = "!" in text and "<!--" in text  # (a one-character look is far cheaper than a longer one)
    o = find("[")
    c = find("]")
    while True:
        p = c if o == -1 else o if c == -1 or o < c else c
        if p == -1:
            return True
        a = rfind("<", 0, p)
        if a != -1:
            # (a slice and ``in`` cost less than ``find`` with bounds, and these stretches are short)
            if ">" not in text[a:p]:
                return False  # inside a tag
            if comments:
                s = rfind("<!--", 0, p)
                if s != -1 and "-->" not in text[s + 2:p]:
                    return False  # inside a comment
        a = find("<", p)
        if a == -1:
            return True
        if o != -1 and o < a:
            o = find("[", a)
        if c != -1 and c < a:
            c = find("]", a)


#: How many do_shortcode() calls are running (a handler calling do_shortcode() nests them).
_depth = 0
#: Past this nesting, each call makes sure the recursion limit leaves room for the next levels.
_DEEP = 100
_saved_limit: list[int] = []


def _make_room() -> None:
    """Raise the recursion limit while handlers nest ``do_shortcode()`` deeply (PHP has no such limit).

    A handler that renders its content with ``do_shortcode(content)`` nests
    one call per level, a few Python frames each; the limit is raised to
    twice the frames in use (and put back when the outermost call returns),
    so any depth that fits in memory works.
    """
    limit = sys.getrecursionlimit()
    if _depth % 25:
        return
    frames = 0
    f = sys._getframe()
    while f is not None:
        frames += 1
        f = f.f_back  # type: ignore[assignment]
    if frames * 2 > limit:
        if not _saved_limit:
            _saved_limit.append(limit)
        sys.setrecursionlimit(frames * 4)


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
    if "&" in text and "&#9" in text:
        text = text.replace("&#91;", "[").replace("&#93;", "]")
    return text


_PLUGIN_EMAIL = re.compile(r"^<\s*\[\[?[^\[\]]+\]", A)
_ALNUM = re.compile(r"[a-zA-Z0-9]+")


def _do_shortcodes_in_html_tags(content: str, ignore_html: bool, tags: tuple[str, ...],
                                callback: "Callable[[WPMatch], str]") -> str:
    """``do_shortcodes_in_html_tags()`` with the names ``tags``."""
    if "&#9" in content:
        content = content.replace("&#91;", "&#091;").replace("&#93;", "&#093;")
    return _html_tags_by(content, ignore_html, _head_search(tags), callback)


def _html_tags_by(content: str, ignore_html: bool, search: _HeadSearch,
                  callback: "Callable[[WPMatch], str]") -> str:
    """``do_shortcodes_in_html_tags()``: shortcodes in attributes, brackets in tags encoded.

    WordPress walks every piece of ``wp_html_split()``; here one C-level
    regex (:data:`_HTML_SKIP`) jumps over text and over the elements that
    WordPress would leave unchanged (no ``[``/``]``), so only the others are
    visited (:func:`html_elements`), each with WordPress's own logic.  (The
    ``&#91;``/``&#93;`` it escapes first are escaped by the caller.)
    """
    out: list[str] = []
    pos = 0
    for stop, end in html_elements(content):
        out.append(content[pos:stop])
        out.append(_html_element(content[stop:end], ignore_html, search, callback))
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


def _html_element(element: str, ignore_html: bool, search: _HeadSearch,
                  callback: "Callable[[WPMatch], str]") -> str:
    """The loop body of ``do_shortcodes_in_html_tags()`` for one element."""
    return expand_html_element(element, lambda piece, _offset: _subn_by(piece, search, callback),
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
    text = _do_shortcodes_in_html_tags(text, True, tagnames, _strip_shortcode_tag)
    text = _subn(text, tagnames, _strip_shortcode_tag)[0]
    return unescape_invalid_shortcodes(text)


def _strip_shortcode_tag(m: WPMatch) -> str:
    if m.pre and m.post:
        return m.source()[1:-1]
    return m.pre + m.post


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
    return any(found == tag for found in _nested_tags(text, registered))


def _nested_tags(text: str, tags: tuple[str, ...]) -> Iterator[str]:
    """The tag of every match, then those in its content (when not PHP-empty), depth first.

    What ``has_shortcode()`` and ``get_shortcode_tags_in_content()`` find by
    running the regex again on each match's content, without recursion and
    in linear time: the contents are regions of ``text``, scanned in place
    with one index of its closing tags.
    """
    if "[" not in text:
        return
    closers = _closer_index(text)
    stack = [shortcode_matches(text, tags, 0, len(text), closers)]
    while stack:
        m = next(stack[-1], None)
        if m is None:
            stack.pop()
            continue
        yield m.tag
        inner = m.content
        if inner is not None and not php_empty(inner) and "[" in inner:
            begin = m.start + 1 + len(m.pre) + len(m.tag) + len(m.attrs) + len(m.slash) + 1
            stack.append(shortcode_matches(text, tags, begin, begin + len(inner), closers))


def get_shortcode_tags_in_content(text: str, tags: Iterable[str]) -> list[str]:
    """``get_shortcode_tags_in_content()``: registered tags used, in order, nested ones too.

    >>> get_shortcode_tags_in_content('[a][b][/a] [a]', ['a', 'b'])
    ['a', 'b', 'a']
    """
    if "[" not in text:
        return []
    return list(_nested_tags(text, _tag_tuple(tags)))
