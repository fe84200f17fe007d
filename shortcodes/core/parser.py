"""``parse(text) -> Document``: text to AST.

The scanner (:mod:`shortcodes.scanner`) finds the tags; the grammar's
attribute terminals (:func:`shortcodes.grammar.attribute_lexer`) split each
tag's attribute text; this module turns both into nodes and diagnostics.
It never raises on a ``str``.

>>> doc = parse('[covid19-ultimate-card region=”EG” region-name=”الإمارات العربية المتحدة”]')
>>> card = doc.children[0]
>>> dict(card.attrs)
{'region': 'EG', 'region-name': 'الإمارات العربية المتحدة'}
>>> [d.kind for d in doc.diagnostics]
['quotes-recovered']
>>> dict(parse('[x a=”EG”]', strict=True).children[0].attrs)   # what WordPress reads
{'a': '”EG”'}
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, Iterator, Mapping

from ..common.compiled import adopt
from ..common.lines import line_cols
from .grammar import attribute_lexer, single_curly_close, whitespace
from .nodes import (
    _NOTHING_DERIVED,
    LAZY_ATTRIBUTES,
    LAZY_CONTENT,
    Attribute,
    AttributesAt,
    Diagnostic,
    Document,
    Node,
    Shortcode,
    Text,
    _ShortcodeSlots,
    _TextSlots,
    derived_attributes,
)
from .quotes import DOUBLE_QUOTE_CHARS, SINGLE_QUOTE_CHARS, split_delimiters, untexturize
from .scanner import Scanner
from .values import finish_value

__all__ = ["parse", "parse_attributes"]

# terminal name -> (named?, form)
_QUOTED, _CURLY, _BARE = "quoted", "curly", "bare"
_FORMS = {
    "NAMED_DQ": (True, _QUOTED), "NAMED_SQ": (True, _QUOTED), "NAMED_BARE": (True, _BARE),
    "NAMED_CURLY_D": (True, _CURLY), "NAMED_CURLY_S": (True, _CURLY), "NAMED_EMPTY_CURLY": (True, _CURLY),
    "POS_DQ": (False, _QUOTED), "POS_SQ": (False, _QUOTED), "POS_BARE": (False, _BARE),
    "POS_CURLY_D": (False, _CURLY), "POS_CURLY_S": (False, _CURLY), "POS_EMPTY_CURLY": (False, _CURLY),
}
_RECOVERY_CHAR = re.compile("[&" + DOUBLE_QUOTE_CHARS + SINGLE_QUOTE_CHARS + "]")
_QUOTES = "\"'\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2018\u2019\u201a\u201b\u2032\u2039\u203a"

# (kind, message, (start, end), severity), turned into Diagnostics at the end
_Pending = tuple[str, str, tuple[int, int], str]


def parse(text: str, tags: "Iterable[str] | None" = None, *, strict: bool = False) -> Document:
    """Parse ``text`` into a :class:`~shortcodes.nodes.Document`.

    ``tags=None`` recognises every name WordPress accepts as a tag name; a
    collection recognises only those names (as WordPress does with its
    registered shortcodes) and leaves everything else as text.
    ``strict=True`` gives attribute values exactly as WordPress's
    ``shortcode_parse_atts()`` returns them; the default also reads values
    delimited by typographic quotes and their entities (see
    :mod:`shortcodes.quotes`).

    >>> str(parse('any [text] at all')) == 'any [text] at all'
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() needs a str, not {type(text).__name__}")
    last = _LAST_TAGS[0]  # one read: another thread may replace it
    if tags is None:
        tag_tuple = None
    elif tags is last[0] and type(tags) is tuple:  # the same tuple again (a tuple cannot change)
        tag_tuple = last[1]
    else:
        tag_tuple = tuple(dict.fromkeys(tags if not isinstance(tags, str) else (tags,)))
        if type(tags) is tuple:
            _LAST_TAGS[0] = (tags, tag_tuple)
    n = len(text)
    if "[" not in text:
        children: tuple[Node, ...] = (Text(text, (0, n)),) if text else ()
        return _document(children, (), text, tag_tuple, strict)
    # With registered names, only a `[` that starts one of them (after `[` of an escape or `/` of a
    # closer) can begin a tag (see _heads): every other one is text, and is passed over here.
    heads = None if tag_tuple is None else _heads(tag_tuple)
    scanner = None  # made at the first `[` that may begin a tag
    # `str(text)` is `text` itself (a str subclass: its str); for the compiled twin it says that this is a
    # str, whose find, startswith, indexing and slicing it calls directly.
    src = str(text)
    find = src.find
    pending: list[_Pending] = []
    # Explicit stack instead of recursion: any nesting depth works.
    # A frame is [start, end, pos, out, match-that-owns-it].
    root: list[Node] = []
    stack: list[list] = [[0, n, 0, root, None]]
    while stack:
        frame = stack[-1]
        start, end, pos, out, _owner = frame
        found = None
        p = pos - 1
        while True:
            p = find("[", p + 1, end)
            if p == -1:
                break
            if heads is not None:
                q = p + 1
                if q >= end:
                    continue
                c = src[q]
                if c not in heads or not src.startswith(heads[c], q, end):
                    if (c != "[" and c != "/") or q + 1 >= end:
                        continue
                    c = src[q + 1]
                    if c not in heads or not src.startswith(heads[c], q + 1, end):
                        continue
            if scanner is None:
                scanner = Scanner(src, tag_tuple)
            found = scanner.match_fields(p, start, end)
            if found is not None:
                break
            if src.startswith("[/", p):
                name = scanner.stray_closer_at(p, end)
                if name is not None:
                    pending.append(("stray-closing-tag", f"closing tag [/{name}] has no opening tag; kept as text",
                                    (p, p + len(name) + 3), "warning"))
            else:
                name = scanner.unterminated_at(p, end)
                if name is not None:
                    pending.append(("unterminated-tag", f"[{name} is never closed by ']'; kept as text",
                                    (p, min(end, p + len(name) + 1)), "warning"))
        if found is None:
            if pos < end:
                node = _TextSlots()  # Text(src[pos:end], (pos, end)): see nodes._TextSlots
                node.text = src[pos:end]
                node.span = (pos, end)
                node.__class__ = Text  # type: ignore[assignment]
                out.append(node)
            stack.pop()
            if frame[4] is not None:
                stack[-1][3].append(_shortcode(src, frame[4], tuple(out), strict, pending))
            continue
        # found: the fields of a TagMatch (name, start, end, open_start, open_end, attr_start, attr_end,
        # self_closing, escaped, content, close_start)
        at = found[1]
        if at > pos:
            node = _TextSlots()
            node.text = src[pos:at]
            node.span = (pos, at)
            node.__class__ = Text  # type: ignore[assignment]
            out.append(node)
        frame[2] = found[2]
        content = found[9]
        if content is not None and not found[8] and content[1] > content[0]:
            stack.append([content[0], content[1], content[0], [], found])
        else:
            out.append(_shortcode(src, found, (), strict, pending))

    diagnostics: tuple[Diagnostic, ...] = ()
    if pending:
        pending.sort(key=lambda d: d[2])
        places = line_cols(text, [d[2][0] for d in pending])
        diagnostics = tuple([Diagnostic(kind, msg, span, line, col, sev)
                             for (kind, msg, span, sev), (line, col) in zip(pending, places)])
    return _document(tuple(root), diagnostics, text, tag_tuple, strict)


#: ``(tags, names)``: the last ``tags`` tuple given to :func:`parse` and its names without repeats (callers
#: pass the same one, post after post).
_LAST_TAGS: "list[tuple[tuple[str, ...] | None, tuple[str, ...] | None]]" = [(None, None)]
_new = object.__new__
_set_attr = object.__setattr__


def _document(children: "tuple[Node, ...]", diagnostics: "tuple[Diagnostic, ...]", text: str,
              tags: "tuple[str, ...] | None", strict: bool) -> Document:
    """``Document(children, diagnostics, text, tags, strict, reparse)``, its fields set as its
    ``__init__`` sets them (in the same order), without the Python-level call."""
    doc = _new(Document)
    _set_attr(doc, "__dict__", {"children": children, "diagnostics": diagnostics, "source": text, "tags": tags,
                                "strict": strict, "reparse": _reparser(tags, strict)})
    return doc


@functools.lru_cache(maxsize=256)
def _heads(tags: tuple[str, ...]) -> "dict[str, tuple[str, ...]] | None":
    """The names of ``tags`` by their first character; ``None`` when ``""`` is one of them.

    A tag begins at a ``[`` only with a registered name at ``p + 1``, or at ``p + 2`` after the ``[``
    of an escape or the ``/`` of a closer (the scanner's rules): :func:`parse` passes over every other
    ``[`` as text, which is what :func:`_candidate_regex` finds (``tests/test_parse_shortcuts.py``).
    With the empty name every ``[`` may begin one.
    """
    if "" in tags:
        return None
    heads: dict[str, list[str]] = {}
    for t in tags:
        heads.setdefault(t[0], []).append(t)
    return {c: tuple(names) for c, names in heads.items()}


@functools.lru_cache(maxsize=256)
def _candidate_regex(tags: tuple[str, ...]) -> "re.Pattern[str]":
    """Where a tag of ``tags`` may begin: ``[`` before one of the names, or before ``[``/``/`` and one
    (the reference for :func:`_heads`, which :func:`parse` uses; tests/test_parse_shortcuts.py).

    Every ``[`` it skips is text whatever follows (the scanner needs a registered name at ``p + 1``, or
    at ``p + 2`` after the ``[`` of an escape; a closer ``[/name]`` needs one at ``p + 2``), so the
    parse is the same as trying every ``[``.  Longest names first only to keep the regex deterministic.
    """
    if not tags:
        return re.compile(r"(?!)")  # no names: nothing is a tag
    names = "|".join(re.escape(t) for t in sorted(tags, key=lambda t: (-len(t), t)))
    return re.compile(r"\[[\[/]?(?:" + names + ")")


@functools.lru_cache(maxsize=256)
def _reparser(tags: "tuple[str, ...] | None", strict: bool) -> "functools.partial[Document]":
    """``parse`` with these options, for :meth:`Document.replace` (nodes cannot import the parser)."""
    return functools.partial(parse, tags=tags, strict=strict)


#: Attribute texts parsed before, per (text, strict, tag): the attributes and diagnostics with spans
#: relative to the text's start, and what the attributes derive to (``attrs``, ``positional``).  Posts
#: repeat the same tags (a theme's cards, galleries): a hit costs one small tuple, and the nodes with
#: absolute spans are made only when asked for (:class:`~shortcodes.core.nodes.AttributesAt`).
#: Bounded: cleared when full; long texts are not kept.
_ATTRIBUTE_CACHE: "dict[tuple[str, bool, str], tuple[tuple[Attribute, ...], tuple[_Pending, ...], Mapping[str, str], tuple[str, ...]]]" = {}
_ATTRIBUTE_CACHE_SIZE = 4096
_ATTRIBUTE_CACHE_TEXT = 4096


def _shortcode(source: str, m: tuple, children: tuple[Node, ...], strict: bool,
               pending: list[_Pending]) -> Shortcode:
    """The :class:`Shortcode` of the scanner's match ``m`` (:meth:`Scanner.match_fields`), the node its
    constructor would make (filled as ``nodes._ShortcodeSlots``); its attributes through
    :data:`_ATTRIBUTE_CACHE` (same nodes, same diagnostics): the attributes themselves for a text too
    long to keep, else where to make them from."""
    text = str(source)  # the same str (typed as one for the compiled twin)
    name, start, end, open_start, open_end, attr_start, attr_end, self_closing, escaped, content, close_start = m
    node = _ShortcodeSlots()  # see nodes._ShortcodeSlots
    node.name = name
    if attr_start < attr_end and attr_end - attr_start <= _ATTRIBUTE_CACHE_TEXT:
        key = (text[attr_start:attr_end], strict, name)
        hit = _ATTRIBUTE_CACHE.get(key)
        if hit is None:
            found: list[_Pending] = []
            attrs = parse_attributes(key[0], 0, attr_end - attr_start, strict=strict, pending=found, tag=name)
            if len(_ATTRIBUTE_CACHE) >= _ATTRIBUTE_CACHE_SIZE:
                _ATTRIBUTE_CACHE.clear()
            named, positional = derived_attributes(attrs)
            hit = _ATTRIBUTE_CACHE[key] = (attrs, tuple(found), named, positional)
        relative, found_rel, named, positional = hit
        if found_rel:
            pending.extend([(kind, msg, (a + attr_start, b + attr_start), sev) for kind, msg, (a, b), sev in found_rel])
        node.attributes = LAZY_ATTRIBUTES
        node.attrs = named
        node.positional = positional
        node._attributes_at = _TUPLE_NEW(AttributesAt, (relative, attr_start, named, positional))
    else:
        attributes = () if attr_start >= attr_end else parse_attributes(
            text, attr_start, attr_end, strict=strict, pending=pending, tag=name)
        node.attributes = attributes
        node.attrs, node.positional = derived_attributes(attributes) if attributes else _NOTHING_DERIVED
        node._attributes_at = None
    node.span = (start, end)
    node.open_tag = text[open_start:open_end]
    node.children = children
    if content is None:
        node.content = None
        node._content_at = None
    else:
        node.content = LAZY_CONTENT
        node._content_at = (text, content[0], content[1])
    node.close_tag = None if close_start is None else text[close_start:close_start + len(name) + 3]
    node.self_closing = self_closing
    node.escaped = escaped
    node.__class__ = Shortcode  # type: ignore[assignment]
    return node  # type: ignore[return-value]


_TUPLE_NEW = tuple.__new__


def parse_attributes(text: str, start: int = 0, end: "int | None" = None, *, strict: bool = False,
                     pending: "list[_Pending] | None" = None, tag: str = "") -> tuple[Attribute, ...]:
    """Parse attribute text (what follows a tag name) into :class:`Attribute` nodes.

    Spans are offsets into ``text``; ``start``/``end`` bound the attribute text.

    >>> [(a.name, a.value) for a in parse_attributes(' a="1" B=2 "p" q')]
    [('a', '1'), ('b', '2'), (None, 'p'), (None, 'q')]
    """
    if end is None:
        end = len(text)
    if start >= end:
        return ()
    # Every recovery terminal needs a typographic quote or an entity; without
    # one the strict lexer gives the same tokens, faster.
    plain = strict or _RECOVERY_CHAR.search(text, start, end) is None
    ws = whitespace()
    tokens = [(_FORMS[m.lastgroup], m.group(), m.start(), m.end())  # type: ignore[index]
              for m in (attribute_lexer(True).finditer(text, start, end) if plain else _recovery_tokens(text, start, end))]
    if not tokens:
        return ()
    recovered = sum(1 for t in tokens if t[0][1] == _CURLY)
    attrs: list[Attribute] = []
    append = attrs.append
    for (named, form), raw, a, b in tokens:
        if named:
            i = raw.index("=")
            name: str | None = raw[:i].rstrip(ws).lower()
            rest = raw[i + 1:].lstrip(ws)
        else:
            name = None
            rest = raw
        if form == _QUOTED:
            open_, inner, close = rest[0], rest[1:-1], rest[-1]
        elif form == _CURLY:
            open_, inner, close = split_delimiters(rest)
        else:
            open_ = close = ""
            inner = rest
            if pending is not None and (rest[:1] in _QUOTES or (name is None and _has_open_quote(rest))):
                pending.append(("unterminated-quote",
                                f"quote in attribute {rest[:20]!r}{f' of [{tag}]' if tag else ''} is never closed; "
                                "read as WordPress does (a bare value)", (a, b), "warning"))
        if recovered:
            inner = untexturize(inner)
        value = finish_value(inner)
        if pending is not None and (name == "0" or (not value and "<" in inner)):
            if not value and "<" in inner:
                pending.append(("unclosed-html", f"value of {name or 'a positional attribute'} holds an unclosed '<' "
                                "and is read as '' (WordPress does the same)", (a, b), "warning"))
            if name == "0":
                pending.append(("dropped-attribute", "an attribute named 0 is ignored, as WordPress ignores it",
                                (a, b), "warning"))
        append(Attribute(name, value, raw, (a, b), open_, close, form == _CURLY))
    if recovered and pending is not None:
        pending.append(("quotes-recovered",
                        f"{recovered} value{'s' if recovered != 1 else ''}{f' of [{tag}]' if tag else ''} "
                        "delimited by typographic quotes or entities (wptexturize damage) read as quoted values",
                        (start, end), "info"))
    return tuple(attrs)


def _recovery_tokens(text: str, start: int, end: int) -> "Iterator[re.Match[str]]":
    """``attribute_lexer(False).finditer(text, start, end)``, in linear time.

    A single-quoted recovery value (``a=’b c’``) runs lazily to the first
    closing quote that ends an attribute, anywhere later: the regex looks
    for one from every candidate quote, and when none follows, each look
    runs to the end (quadratic on ``"a=&#8217;b " * n``).  A look that finds
    one makes a token that ends there, so only the looks past the last such
    quote fail: from there on the lexer without those terminals gives the
    same tokens.
    """
    last = -1
    for m in single_curly_close().finditer(text, start, end):
        last = m.start()
    lexer = attribute_lexer(False, last != -1)
    search = lexer.search
    pos = start
    while pos < end:
        found = search(text, pos, end)
        if found is None:
            return
        yield found
        pos = found.end()
        if found.start() > last and last != -1:
            break
    yield from attribute_lexer(False, False).finditer(text, pos, end)


def _has_open_quote(rest: str) -> bool:
    i = rest.find("=")
    return i != -1 and rest[i + 1:i + 2] in ('"', "'")


# The compiled twin of this very file (built by setup.py when Cython and a C compiler are there) takes
# over its names; SHORTCODES_PURE=1 keeps the code above.  See shortcodes.common.compiled.
adopt(globals())
