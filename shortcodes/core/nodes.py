"""The AST: small immutable nodes with source spans.

A parsed post is a :class:`Document` whose ``children`` are :class:`Text` and
:class:`Shortcode` nodes that tile the input exactly: concatenating the source
of every child gives the input back, byte for byte.  A shortcode's opening tag
is kept verbatim (``open_tag``), its attributes are :class:`Attribute` nodes,
and an enclosing shortcode's inner text is parsed again into ``children``.

Every node has ``span = (start, end)``: offsets (in code points) into the text
that was parsed.  :meth:`Document.line_col` turns an offset into a 1-based
line and column.

>>> from shortcodes import parse
>>> doc = parse('Hi [gallery ids="1,2"] there')
>>> [type(n).__name__ for n in doc.children]
['Text', 'Shortcode', 'Text']
>>> sc = doc.children[1]
>>> sc.name, dict(sc.attrs), sc.span
('gallery', {'ids': '1,2'}, (3, 22))
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, NamedTuple, Union

from ..common.lines import LineIndex
from ..php.strings import php_array_key
from .classify import probable_names

__all__ = [
    "Span",
    "Diagnostic",
    "Text",
    "Attribute",
    "Shortcode",
    "Node",
    "Document",
    "LineIndex",
    "to_source",
    "splice",
]

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem found while parsing (or rendering); never an exception.

    ``kind`` is a stable identifier (``"quotes-recovered"``,
    ``"unterminated-quote"``, ``"stray-closing-tag"``, ...), ``line`` and
    ``column`` are 1-based, ``severity`` is ``"info"``, ``"warning"`` or
    ``"error"``.
    """

    kind: str
    message: str
    span: Span
    line: int
    column: int
    severity: str = "warning"

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message} [{self.kind}]"


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text between shortcodes (kept exactly as written)."""

    text: str
    span: Span

    def to_source(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute of an opening tag, as written and as decoded.

    ``name`` is the lower-cased name (``None`` for a positional value),
    ``value`` the decoded value that code should use, ``raw`` the exact source
    text of the attribute (``region=”EG”``), ``quote``/``close_quote`` the
    delimiters as written (``'"'``, ``"'"``, ``'”'``, ``'&#8221;'``; ``''``
    for a bare value), ``recovered`` whether typographic or entity quotes were
    read as delimiters.
    """

    name: str | None
    value: str
    raw: str
    span: Span
    quote: str = ""
    close_quote: str = ""
    recovered: bool = False

    @property
    def positional(self) -> bool:
        return self.name is None

    def to_source(self) -> str:
        return self.raw


@dataclass(frozen=True, slots=True)
class Shortcode:
    """A shortcode: ``[name attrs]``, ``[name attrs /]`` or ``[name]…[/name]``.

    ``open_tag`` and ``close_tag`` are the exact source of the tags (without
    escape brackets); ``content`` is the raw inner text of an enclosing tag
    (``None`` when the tag encloses nothing) and ``children`` that text parsed
    again, as WordPress does when a handler calls ``do_shortcode($content)``.
    ``escaped`` marks ``[[name]]``, which WordPress prints as ``[name]``
    without running it; escaped tags have no children.

    ``attrs`` (named attributes, lower-cased names, in source order; a later
    duplicate wins, as in WordPress) and ``positional`` are derived from
    ``attributes``.

    A parsed shortcode does not hold a copy of its ``content``: it keeps its
    bounds in the parsed text (shared by every node of the document) and
    slices it when asked, so a document nested thousands of levels deep costs
    memory in proportion to its text, not to its text times its depth.
    Nor does it make its :class:`Attribute` nodes until ``attributes`` is
    read: ``attrs``, ``positional``, :meth:`php_atts` and ``recovered`` come
    from what the parser read once for the same attribute text
    (:class:`AttributesAt`).  Either way the node is equal, hashes, pickles
    and prints as if it had been built with its attributes.
    """

    name: str
    attributes: tuple[Attribute, ...]
    span: Span
    open_tag: str
    children: tuple["Node", ...] = ()
    content: str | None = None
    close_tag: str | None = None
    self_closing: bool = False
    escaped: bool = False
    attrs: Mapping[str, str] = field(init=False, repr=False, compare=False)
    positional: tuple[str, ...] = field(init=False, repr=False, compare=False)
    #: ``(text, start, end)``: where the parser found the content (see ``content``).
    _content_at: "tuple[str, int, int] | None" = field(default=None, repr=False, compare=False)
    #: With ``attributes=LAZY_ATTRIBUTES``: :class:`AttributesAt`, the attributes the parser read (spans
    #: relative to ``offset``), made on first use (see ``attributes``).
    _attributes_at: "AttributesAt | None" = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        at = self._attributes_at
        if at is not None and _ATTRIBUTES_SLOT.__get__(self) is LAZY_ATTRIBUTES:
            attrs, positional = at.attrs, at.positional
        else:
            if at is not None:  # attributes given (dataclasses.replace): the parser's are not these
                object.__setattr__(self, "_attributes_at", None)
            attrs, positional = derived_attributes(self.attributes)
        object.__setattr__(self, "attrs", attrs)
        object.__setattr__(self, "positional", positional)

    def __eq__(self, other: object) -> bool:
        """Field by field, children included, as a dataclass compares; without recursion (any depth)."""
        if not isinstance(other, Shortcode):
            return NotImplemented
        return _same_trees(self, other)

    def __hash__(self) -> int:
        # everything but the children and the content (equal nodes have equal hashes; any depth)
        return hash((self.name, self.attributes, self.span, self.open_tag, self.close_tag, self.self_closing,
                     self.escaped))

    @property
    def enclosing(self) -> bool:
        """True for ``[name]…[/name]``."""
        return _CONTENT_SLOT.__get__(self) is not None

    @property
    def recovered(self) -> bool:
        """True when any attribute's quotes were recovered (see :mod:`shortcodes.quotes`)."""
        return any(a.recovered for a in self._spanless_attributes())

    def _spanless_attributes(self) -> "tuple[Attribute, ...]":
        """The attribute nodes for what needs no spans: the parser's (relative spans) while the node's own
        are not made (see ``attributes``)."""
        at = self._attributes_at
        if at is not None and _ATTRIBUTES_SLOT.__get__(self) is LAZY_ATTRIBUTES:
            return at.relative
        return self.attributes

    def php_atts(self) -> "str | dict[int | str, str]":
        """The ``$atts`` WordPress would pass to this tag's handler.

        ``''`` when the tag has no attributes (WordPress 6.1), else a dict
        whose keys are ``str`` for named and ``int`` for positional values and
        numeric names, in WordPress's order (a name ``0`` is dropped, empty
        quoted positional values add nothing).  With ``strict=False`` parsing,
        recovered values are the recovered ones.

        >>> from shortcodes import parse
        >>> parse('[x a=1 "p" 5=y q]').children[0].php_atts()
        {'a': '1', 0: 'p', 5: 'y', 6: 'q'}
        """
        attributes = self._spanless_attributes()
        if not attributes:
            return ""
        out: dict[int | str, str] = {}
        next_index = 0
        for a in attributes:
            if a.name is None:
                if a.quote and len(a.raw) == len(a.quote) + len(a.close_quote):
                    continue  # "" or '' adds nothing
                key: int | str = next_index
            else:
                if a.name == "0":
                    continue
                key = php_array_key(a.name)
            out[key] = a.value
            if isinstance(key, int) and key >= next_index:
                next_index = key + 1
        return out

    def __reduce__(self) -> "tuple[Callable[[list[object]], Shortcode], tuple[list[object]]]":
        """Pickle the tree flat, node by node in document order (any depth; the parsed text the
        nodes share is pickled once).

        >>> import pickle
        >>> from shortcodes import parse
        >>> sc = parse('[a x="1"]hi [b][/b][/a]', tags=["a", "b"]).children[0]
        >>> back = pickle.loads(pickle.dumps(sc))
        >>> back == sc, back.content, dict(back.attrs), back.children[1].name
        (True, 'hi [b][/b]', {'x': '1'}, 'b')
        """
        return _unflatten, (_flatten(self),)

    def __repr__(self) -> str:
        """The dataclass's repr, built without recursion (any depth)."""
        return _repr_tree(self)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The named attribute ``name`` (case-insensitive), or ``default``."""
        return self.attrs.get(name.lower(), default)

    def to_source(self) -> str:
        """The exact source of the tag (escape brackets, content and closing tag included)."""
        return to_source(self)


def derived_attributes(attributes: Iterable[Attribute]) -> "tuple[Mapping[str, str], tuple[str, ...]]":
    """``(attrs, positional)`` of a shortcode with these attributes (see :class:`Shortcode`).

    >>> from shortcodes import parse_attributes
    >>> attrs, positional = derived_attributes(parse_attributes(' a=1 "p" A=2 0=x ""'))
    >>> dict(attrs), positional
    ({'a': '2'}, ('p',))
    """
    named: dict[str, str] = {}
    pos: list[str] = []
    for a in attributes:
        if a.name is None:
            if a.quote and len(a.raw) == len(a.quote) + len(a.close_quote):
                continue  # WordPress ignores an empty quoted positional value
            pos.append(a.value)
        elif a.name != "0":  # PHP's empty("0"): WordPress drops the pair
            named[a.name] = a.value
    return MappingProxyType(named), tuple(pos)


class AttributesAt(NamedTuple):
    """What a parsed :class:`Shortcode` keeps instead of its ``attributes`` until they are asked for.

    ``relative``: the attributes with spans relative to ``offset`` (shared by every tag with the same
    attribute text: the parser's cache); ``attrs``/``positional``: what they derive to (shared too,
    read-only).  Most code reads ``attrs`` only, so the nodes with absolute spans are made on first use.
    (A named tuple: the parser makes one per tag.)
    """

    relative: tuple[Attribute, ...]
    offset: int
    attrs: Mapping[str, str]
    positional: tuple[str, ...]

    def attributes(self) -> tuple[Attribute, ...]:
        """The attributes with their spans in the parsed text."""
        off = self.offset
        if not off:
            return self.relative
        return tuple([Attribute(a.name, a.value, a.raw, (a.span[0] + off, a.span[1] + off), a.quote,
                                a.close_quote, a.recovered) for a in self.relative])


def _same_content(a: Shortcode, b: Shortcode) -> bool:
    at_a, at_b = a._content_at, b._content_at
    if (at_a is not None and at_b is not None and at_a[1:] == at_b[1:] and at_a[0] is at_b[0]
            and _CONTENT_SLOT.__get__(a) is LAZY_CONTENT and _CONTENT_SLOT.__get__(b) is LAZY_CONTENT):
        return True  # the same bounds of the same text
    return a.content == b.content


def _same_trees(a: Shortcode, b: Shortcode) -> bool:
    stack: list[tuple[object, object]] = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x is y:
            continue
        if type(x) is not type(y):
            return False
        if isinstance(x, Shortcode):
            assert isinstance(y, Shortcode)
            if (x.name != y.name or x.span != y.span or x.open_tag != y.open_tag or x.close_tag != y.close_tag
                    or x.self_closing != y.self_closing or x.escaped != y.escaped or x.attributes != y.attributes
                    or len(x.children) != len(y.children) or not _same_content(x, y)):
                return False
            stack.extend(zip(x.children, y.children))
        elif x != y:
            return False
    return True


def _flatten(root: Shortcode) -> list[object]:
    """``root``'s tree in document order: a :class:`Text` as itself, a shortcode as a tuple of its own
    fields with its number of children (see :func:`_unflatten`)."""
    out: list[object] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Shortcode):
            slot = _CONTENT_SLOT.__get__(node)
            lazy = slot is LAZY_CONTENT
            out.append((node.name, node.attributes, node.span, node.open_tag, len(node.children),
                        None if lazy else slot, lazy, node._content_at, node.close_tag, node.self_closing,
                        node.escaped))
            stack.extend(reversed(node.children))
        else:
            out.append(node)
    return out


def _unflatten(flat: list[object]) -> Shortcode:
    """The tree :func:`_flatten` gave, built again bottom-up (no recursion)."""
    built: list[Node] = []
    for item in reversed(flat):
        if not isinstance(item, tuple):
            assert isinstance(item, Text)
            built.append(item)
            continue
        (name, attributes, span, open_tag, n, content, lazy, content_at, close_tag, self_closing,
         escaped) = item
        children = tuple(reversed(built[len(built) - n:])) if n else ()
        if n:
            del built[len(built) - n:]
        built.append(Shortcode(name, attributes, span, open_tag, children,
                               LAZY_CONTENT if lazy else content, close_tag, self_closing, escaped,
                               content_at))
    node = built.pop()
    assert isinstance(node, Shortcode) and not built
    return node


_REPR_FIELDS = ("name", "attributes", "span", "open_tag", "children", "content", "close_tag", "self_closing",
                "escaped")


def _repr_tree(root: Shortcode) -> str:
    """``repr(root)`` as the dataclass would write it, with an explicit stack instead of recursion."""
    parts: list[str] = []
    # each entry: a string to write, or a shortcode whose repr is to be written there
    todo: list["str | Node"] = [root]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Shortcode):
            pieces: list["str | Node"] = []
            for name in _REPR_FIELDS:
                sep = "Shortcode(" if name == "name" else ", "
                if name == "children":
                    pieces.append(f"{sep}children=(")
                    for i, child in enumerate(item.children):
                        if i:
                            pieces.append(", ")
                        pieces.append(child)
                    pieces.append(",)" if len(item.children) == 1 else ")")
                else:
                    pieces.append(f"{sep}{name}={getattr(item, name)!r}")
            pieces.append(")")
            todo.extend(reversed(pieces))
        else:
            parts.append(repr(item))
    return "".join(parts)


class _Lazy:
    """The ``content`` a parsed shortcode keeps as bounds into the parsed text (see :class:`Shortcode`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<content in the parsed text>"


#: What the parser passes as ``content`` together with ``_content_at``.
LAZY_CONTENT: "str" = _Lazy()  # type: ignore[assignment]
_CONTENT_SLOT = Shortcode.__dict__["content"]


class _LazyAttributes(tuple):
    """The ``attributes`` a parsed shortcode makes on first use (see :class:`AttributesAt`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<attributes in the parsed text>"


#: What the parser passes as ``attributes`` together with ``_attributes_at``.
LAZY_ATTRIBUTES: "tuple[Attribute, ...]" = _LazyAttributes()
_ATTRIBUTES_SLOT = Shortcode.__dict__["attributes"]


def _attributes(self: Shortcode) -> "tuple[Attribute, ...]":
    value = _ATTRIBUTES_SLOT.__get__(self)
    if value is LAZY_ATTRIBUTES:
        at = self._attributes_at
        value = () if at is None else at.attributes()
        _ATTRIBUTES_SLOT.__set__(self, value)  # made once: the node stays equal to itself
    return value


# ``attributes`` reads the slot, or makes the nodes from the parser's (once); as with ``content``, the
# generated __init__, dataclasses.replace() and pickling all go through it.
_attributes_property = property(_attributes, _ATTRIBUTES_SLOT.__set__,
                                doc="The attribute nodes of the opening tag, in source order.")
type.__setattr__(Shortcode, "attributes", _attributes_property)


# -- what the parser makes nodes from -------------------------------------------
# The parser makes a node for every tag and every run of text; a frozen dataclass's __init__ sets each
# field through object.__setattr__ (and Shortcode's __post_init__ two more), which is most of the cost
# of a parse.  The parser fills one of these instead, plain attribute by plain attribute, and then
# makes it the node by assigning its ``__class__``: a class with the very slots of the node has its
# layout (CPython allows the assignment exactly then), so it is the same node as the dataclass's
# constructor makes (tests/test_parse_shortcuts.py checks every slot against the constructors'), made
# in a fraction of the time.  The slot ``attributes`` (``content``) is written as stored: the
# ``LAZY_ATTRIBUTES`` (``LAZY_CONTENT``) marker stays a marker.
class _TextSlots:
    """:class:`Text`'s slots, writable (see above)."""

    __slots__ = Text.__slots__
    text: str
    span: Span


class _ShortcodeSlots:
    """:class:`Shortcode`'s slots, writable (see above)."""

    __slots__ = Shortcode.__slots__
    name: str
    attributes: tuple[Attribute, ...]
    span: Span
    open_tag: str
    children: tuple[Node, ...]
    content: str | None
    close_tag: str | None
    self_closing: bool
    escaped: bool
    attrs: Mapping[str, str]
    positional: tuple[str, ...]
    _content_at: tuple[str, int, int] | None
    _attributes_at: AttributesAt | None


#: What no attributes derive to (shared by every parsed tag without any: read-only).
_NOTHING_DERIVED = derived_attributes(())


def _content(self: Shortcode) -> "str | None":
    value = _CONTENT_SLOT.__get__(self)
    if value is LAZY_CONTENT and self._content_at is not None:
        text, start, end = self._content_at
        return text[start:end]
    return value


# ``content`` reads the slot, or slices the parsed text; the generated __init__, __eq__,
# __hash__, __repr__, dataclasses.replace() and pickling all go through it.
_content_property = property(_content, _CONTENT_SLOT.__set__,
                             doc="The raw inner text of an enclosing tag (None when the tag encloses nothing).")
type.__setattr__(Shortcode, "content", _content_property)

Node = Union[Text, Shortcode]


@dataclass(frozen=True)
class Document:
    """The result of :func:`shortcodes.parse`.

    ``str(doc)`` and ``doc.to_source()`` give the parsed text back exactly.
    ``source``, ``tags`` and ``strict`` remember what was parsed and how;
    ``reparse`` is the parser that made the document (set by
    :func:`shortcodes.parse`), which :meth:`replace` uses to parse the
    spliced text again with the same options.
    """

    children: tuple[Node, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    source: str = field(default="", repr=False)
    tags: tuple[str, ...] | None = field(default=None, repr=False)
    strict: bool = field(default=False, repr=False)
    reparse: "Callable[[str], Document] | None" = field(default=None, repr=False, compare=False)

    @property
    def span(self) -> Span:
        return (0, len(self.source))

    def to_source(self) -> str:
        """The text this document was parsed from (or serialised from its nodes)."""
        return to_source(self)

    def __str__(self) -> str:
        return self.to_source()

    @functools.cached_property
    def _line_index(self) -> LineIndex:
        return LineIndex(self.source)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of ``offset`` in :attr:`source`.

        The line starts are indexed once per document, so asking for many
        positions (every shortcode of a large post) stays cheap.
        """
        return self._line_index.line_col(offset)

    # -- tree helpers ---------------------------------------------------------
    def walk(self) -> Iterator[Node]:
        """Every node, depth first, in source order (iterative: any depth).

        >>> from shortcodes import parse
        >>> [getattr(n, 'name', 'text') for n in parse('[a][b]x[/b][/a]').walk()]
        ['a', 'b', 'text']
        """
        stack: list[Iterator[Node]] = [iter(self.children)]
        while stack:
            for node in stack[-1]:
                yield node
                if isinstance(node, Shortcode) and node.children:
                    stack.append(iter(node.children))
                    break  # go down; this level's iterator goes on where it stopped
            else:
                stack.pop()

    def find(self, name: str) -> Iterator[Shortcode]:
        """Every (non-escaped) shortcode called ``name``, at any depth."""
        for node in self.walk():
            if isinstance(node, Shortcode) and node.name == name and not node.escaped:
                yield node

    @property
    def shortcodes(self) -> list[Shortcode]:
        """All shortcodes at any depth, escaped ones included, in source order."""
        return [n for n in self.walk() if isinstance(n, Shortcode)]

    def probable_shortcodes(self, known: Iterable[str] = ()) -> list[Shortcode]:
        """The shortcodes that count as shortcodes, not bracketed text (:mod:`shortcodes.core.classify`).

        ``parse()`` keeps every bracketed name (``[1]``, ``[citation needed]``,
        the JSON arrays of block comments) in the AST; this is the rule the
        inventory and the renderer use to tell real shortcodes from them, by
        name over this document's occurrences.  ``known``: names with a
        template or handler, which always count.

        >>> from shortcodes import parse
        >>> doc = parse('<!-- wp:image {"style":{"color":{"duotone":["#8c00b7","#fcff41"]}}} --> [caption]a[/caption]')
        >>> [sc.name for sc in doc.shortcodes]
        ['"#8c00b7","#fcff41"', 'caption']
        >>> [sc.name for sc in doc.probable_shortcodes()]
        ['caption']
        """
        names = probable_names(self, known)
        return [n for n in self.shortcodes if n.name in names]

    def replace(self, old: Node, new: "Node | str") -> "Document":
        """Replace one node and parse the result again with the same options.

        Every byte outside ``old.span`` is kept.  ``new`` is a node or text.

        >>> from shortcodes import parse
        >>> doc = parse('a [x k=”v”] b')
        >>> str(doc.replace(doc.children[1], '[y]'))
        'a [y] b'
        """
        return self.replace_many({old: new})

    def replace_many(self, replacements: "Mapping[Node, Node | str]") -> "Document":
        """Replace several nodes at once (nested ones inside a replaced one are ignored).

        Each node must belong to this document: a node whose span does not
        hold its own source here (one from an earlier parse, before an edit)
        is refused with :class:`ValueError` instead of splicing at stale
        offsets.  To edit many nodes, collect them from one document and
        replace them in one call.
        """
        if self.reparse is None:
            raise TypeError("this Document was not made by shortcodes.parse(), so it cannot be parsed again")
        source = self.source
        for old in replacements:
            start, end = old.span
            if not (0 <= start <= end <= len(source)) or source[start:end] != to_source(old):
                raise ValueError(f"{_describe(old)} at {start}..{end} is not a node of this document "
                                 "(is it from an earlier parse? replace nodes of the latest document, "
                                 "or all at once with replace_many)")
        return self.reparse(splice(source, replacements))


def _describe(node: object) -> str:
    if isinstance(node, Shortcode):
        return f"[{node.name}]"
    return type(node).__name__


def to_source(node: "Document | Node | Attribute") -> str:
    """The text of ``node``: exactly what was parsed, for a parsed node.

    Iterative, so a document nested ten thousand levels deep serialises too.
    """
    parts: list[str] = []
    stack: list[object] = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            parts.append(x)
        elif isinstance(x, Text):
            parts.append(x.text)
        elif isinstance(x, Shortcode):
            if x.escaped:
                parts.append("[")
            parts.append(x.open_tag)
            tail: list[object] = []
            if x.enclosing:
                if x.children and not x.escaped:
                    tail.extend(x.children)
                else:
                    tail.append(x.content)
                tail.append(x.close_tag if x.close_tag is not None else f"[/{x.name}]")
            if x.escaped:
                tail.append("]")
            stack.extend(reversed(tail))
        elif isinstance(x, Document):
            stack.extend(reversed(x.children))
        elif isinstance(x, Attribute):
            parts.append(x.raw)
        else:
            raise TypeError(f"cannot serialise {type(x).__name__}")
    return "".join(parts)


def splice(source: str, replacements: "Mapping[Node, Node | str] | Iterable[tuple[Span, str]]") -> str:
    """``source`` with the spans of some nodes replaced; every other byte kept.

    ``replacements`` maps nodes to nodes or text, or is an iterable of
    ``((start, end), text)``.  A replacement nested inside another one is
    ignored (the outer one wins).

    >>> splice("a [x] b", [((2, 5), "[y]")])
    'a [y] b'
    """
    items: list[tuple[Span, str]] = []
    if isinstance(replacements, Mapping):
        for old, new in replacements.items():
            items.append((old.span, new if isinstance(new, str) else to_source(new)))
    else:
        items.extend(replacements)
    items.sort(key=lambda it: (it[0][0], -it[0][1]))
    out: list[str] = []
    pos = 0
    for (a, b), new in items:
        if a < pos:  # nested in (or overlapping) a replacement already made
            continue
        out.append(source[pos:a])
        out.append(new)
        pos = b
    out.append(source[pos:])
    return "".join(out)
