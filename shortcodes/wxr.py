"""WordPress export files (WXR 1.0–1.2): stream posts out, write content back.

:func:`read_wxr` yields one :class:`~shortcodes.exports.Post` per ``<item>``
(posts, pages, attachments, menu items...), streaming: the file is fed to
expat in chunks and each item is dropped once yielded, so memory stays flat
whatever the size of the export.

:func:`rewrite_wxr` copies an export, replacing only the ``content:encoded``
(and ``excerpt:encoded``) of the items a callback changes, by splicing the
original bytes: every other byte (metadata, namespaces, comments, layout,
line ends) is kept, and an export nobody changed comes out byte-identical.

>>> import pathlib, tempfile
>>> src = pathlib.Path(tempfile.mkdtemp()) / "site.xml"
>>> _ = src.write_text('''<?xml version="1.0" encoding="UTF-8"?>
... <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
...      xmlns:wp="http://wordpress.org/export/1.2/">
... <channel><wp:wxr_version>1.2</wp:wxr_version>
...   <item><title>Hello</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>
...     <content:encoded><![CDATA[<p>[gallery ids="1,2"]</p>]]></content:encoded>
...   </item>
... </channel></rss>
... ''', encoding="utf-8")
>>> [post] = read_wxr(src)
>>> post.id, post.type, post.title, post.content, post.position(3)
('7', 'post', 'Hello', '<p>[gallery ids="1,2"]</p>', (6, 34))
>>> import dataclasses
>>> out = src.with_name("out.xml")
>>> rewrite_wxr(src, out, lambda p: dataclasses.replace(p, content=p.content.replace("1,2", "3]]>")))
RewriteResult(items=1, changed=1)
>>> print(out.read_text(encoding="utf-8").splitlines()[5].strip())
<content:encoded><![CDATA[<p>[gallery ids="3]]]]><![CDATA[>"]</p>]]></content:encoded>
>>> [p.content for p in read_wxr(out)]
['<p>[gallery ids="3]]>"]</p>']

API: :func:`read_wxr` (or :class:`WxrReader`, which also exposes the
channel's ``version`` and ``base_site_url``) reads; :func:`rewrite_wxr`
writes and returns a :class:`RewriteResult`; :func:`wxr_cdata` is
WordPress's ``wxr_cdata()``; errors are :class:`WxrError` and
:class:`UnsafeXmlError`, both :class:`~shortcodes.exports.ExportError`
(hence :class:`~shortcodes.fileio.InputError`, which the CLI reports
without a traceback).

Safety: a ``DOCTYPE`` (the door to entity expansion, "billion laughs", and
external entities) is refused with :class:`UnsafeXmlError`, as WordPress's
importer refuses it; the handlers raise defusedxml's exceptions.

Malformed XML raises :class:`WxrError` at ``file:line:column``.  With
``recover=True`` the reader behaves like WordPress's importer, which falls
back to a regular-expression parser when the XML parser fails: items before
the error are kept, and each later ``<item>…</item>`` block is parsed on its
own (strictly if it is well-formed, else by a tolerant scanner with
WordPress's CDATA rules); each skipped or guessed thing is reported as a
:class:`~shortcodes.exports.ReadWarning` with its line.

Namespaces are resolved by URI, not by prefix: ``wp:`` may be bound to
``http://`` or ``https://wordpress.org/export/1.0/``…``/1.2/`` (the theme
unit test data uses https), on the root or on an item; an element whose
prefix is ``wp`` but which is bound to another URI (a "hijacked" prefix) is
ignored with a warning, and an element bound to the WordPress URI under
another prefix counts.  When a field occurs twice the first one wins.
"""
from __future__ import annotations

import codecs
import dataclasses
import os
import re
import sys
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterator
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from .fileio import atomic_writer
from .nodes import LineIndex
from .exports import (
    ExportError,
    Meta,
    PathLike,
    Post,
    ReadWarning,
    Term,
    WarningHandler,
    _binary_stream,
    _warner,
)

__all__ = [
    "read_wxr",
    "WxrReader",
    "rewrite_wxr",
    "RewriteResult",
    "WxrError",
    "UnsafeXmlError",
    "wxr_cdata",
    "is_wordpress_namespace",
]

CHUNK_SIZE = 1 << 20

_WP_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/\Z")
_EXCERPT_NS = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/excerpt/\Z")
_CONTENT_NS = ("http://purl.org/rss/1.0/modules/content/", "https://purl.org/rss/1.0/modules/content/")
_DC_NS = ("http://purl.org/dc/elements/1.1/", "https://purl.org/dc/elements/1.1/")
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_CONVENTIONAL = {"wp": "wp", "content": "content", "excerpt": "excerpt", "dc": "dc"}
_CANONICAL_URI = {
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": _CONTENT_NS[0],
    "dc": _DC_NS[0],
}


class WxrError(ExportError):
    """A WXR file that cannot be read (or rewritten); the message starts with ``file:line:column``.

    ``offset`` is the byte offset of the problem in the file when known.
    """

    def __init__(self, reason: str, file: str = "", line: "int | None" = None,
                 column: "int | None" = None, offset: "int | None" = None) -> None:
        super().__init__(reason, file, line, column)
        self.offset = offset


class UnsafeXmlError(WxrError):
    """The file uses a DTD, entity declaration or external entity: refused, even with ``recover=True``."""


def is_wordpress_namespace(uri: "str | None") -> bool:
    """True for the URIs WordPress binds ``wp:`` to (any version, http or https).

    >>> is_wordpress_namespace("https://wordpress.org/export/1.2/")
    True
    >>> is_wordpress_namespace("http://malicious.example.com/hijack/")
    False
    """
    return bool(uri) and _WP_NS.match(uri) is not None  # type: ignore[arg-type]


def wxr_cdata(text: str) -> str:
    """Wrap ``text`` in CDATA as WordPress's exporter does (``wxr_cdata()``).

    A ``]]>`` inside is split as ``]]]]><![CDATA[>`` so that it survives.

    >>> wxr_cdata("a ]]> b")
    '<![CDATA[a ]]]]><![CDATA[> b]]>'
    """
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


_kind_cache: dict["str | None", str] = {}


def _ns_kind(uri: "str | None") -> str:
    """'rss' (no namespace), 'wp', 'excerpt', 'content', 'dc' or 'other'."""
    kind = _kind_cache.get(uri)
    if kind is None:
        if not uri:
            kind = "rss"
        elif _WP_NS.match(uri):
            kind = "wp"
        elif _EXCERPT_NS.match(uri):
            kind = "excerpt"
        elif uri in _CONTENT_NS:
            kind = "content"
        elif uri in _DC_NS:
            kind = "dc"
        else:
            kind = "other"
        if len(_kind_cache) < 256:
            _kind_cache[uri] = kind
    return kind


# Item children that become Post fields: (namespace kind, local name) -> field.
_FIELDS = {
    ("rss", "title"): "title",
    ("rss", "link"): "link",
    ("rss", "guid"): "guid",
    ("dc", "creator"): "author",
    ("content", "encoded"): "content",
    ("excerpt", "encoded"): "excerpt",
    ("wp", "post_id"): "id",
    ("wp", "post_date"): "date",
    ("wp", "post_date_gmt"): "date_gmt",
    ("wp", "post_name"): "slug",
    ("wp", "status"): "status",
    ("wp", "post_type"): "type",
    ("wp", "post_parent"): "parent",
    ("wp", "menu_order"): "menu_order",
    ("wp", "attachment_url"): "attachment_url",
}
_STRIPPED = frozenset({"id", "date", "date_gmt", "slug", "status", "type", "parent", "menu_order", "attachment_url"})
_INT_FIELDS = ("parent", "menu_order")
_EMPTY_ANCHORS: tuple = ()


@dataclass
class _Ranges:
    """Absolute byte offsets in the source of what the writer may replace."""

    item: tuple[int, int]  # (start of <item>, start of </item>)
    fields: dict[str, tuple[int, int, str]]  # field -> (element start, end event, qname)
    scope: dict[str, "str | None"]  # namespace bindings in effect on the item


class _Item:
    __slots__ = ("start", "line", "col", "index", "values", "terms", "meta", "meta_cur",
                 "anchors", "warned", "ranges", "scope")

    def __init__(self, start: int, line: int, col: int, index: int) -> None:
        self.start, self.line, self.col, self.index = start, line, col, index
        self.values: dict[str, str] = {}
        self.terms: list[Term] = []
        self.meta: list[Meta] = []
        self.meta_cur: "dict[str, str] | None" = None
        self.anchors: dict[str, tuple] = {}
        self.warned: set[str] = set()
        self.ranges: dict[str, tuple[int, int, str]] = {}
        self.scope: dict[str, "str | None"] = {}


class _SyntaxProblem(Exception):
    """Expat failed; carries the translated place."""

    def __init__(self, message: str, line: int, column: int, offset: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.offset = message, line, column, offset


class _ItemParser:
    """Expat-driven state machine that turns ``<item>`` elements into posts.

    Namespace prefixes are resolved here (expat runs without namespace
    processing, so that oddities WordPress accepts, such as ``xmlns:xmlns``
    or ``xmlns:p=""``, do not stop the reading).  ``shift`` translates
    positions when a fragment is parsed inside a wrapper (recovery).
    """

    def __init__(self, name: str, warn: WarningHandler, *, ranges: bool = False,
                 shift: tuple[int, int, int] = (0, 0, 0), first_index: int = 0) -> None:
        self.name = name
        self.warn = warn
        self.want_ranges = ranges
        self.byte_delta, self.line_delta, self.col_delta = shift
        self.p = p = expat.ParserCreate()
        p.buffer_text = True
        p.buffer_size = 1 << 16
        p.ordered_attributes = False
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.XmlDeclHandler = self._xml_decl
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity_decl
        p.UnparsedEntityDeclHandler = self._unparsed_entity_decl
        p.ExternalEntityRefHandler = self._external_ref
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = None  # set only while a field's text is collected
        self.encoding = "utf-8"
        self.scopes: list[dict[str, "str | None"]] = [{"xml": _XML_NS}]
        self.open: list[tuple[str, str, str]] = []  # (kind, local, qname) per open element
        self.item: "_Item | None" = None
        self.item_depth = 0
        self.count = first_index
        self.done: list[tuple[Post, "_Ranges | None"]] = []
        self.safe = 0
        self.channel_scope: dict[str, "str | None"] = {}
        self.version: "str | None" = None
        self.base_site_url: "str | None" = None
        self.undeclared_warned: set[str] = set()
        # text collection
        self.collect: "list[str] | None" = None
        self.collect_depth = -1
        self.collect_field = ""
        self.collect_qname = ""
        self.want_anchors = False
        self.collect_pos = (0, 1, 1)
        # the bytes from the earliest place still needed (see trim) to the end of the input fed
        self.buf = bytearray()
        self.buf_start = self.byte_delta
        self.child_warned = False
        self._cat_attrs = ("", "")
        self._unsafe_at: "tuple[int, int, int] | None" = None

    # -- positions -----------------------------------------------------------

    def _here(self) -> tuple[int, int, int]:
        """(absolute byte offset, line, 1-based column) of the current event."""
        p = self.p
        line = p.CurrentLineNumber
        col = p.CurrentColumnNumber + (self.col_delta if line == 1 else 0)
        return p.CurrentByteIndex + self.byte_delta, line + self.line_delta, col + 1

    def _warn(self, message: str, line: "int | None" = None, col: "int | None" = None) -> None:
        if line is None:
            _, line, col = self._here()
        self.warn(ReadWarning(self.name, line, col, message))

    # -- feeding -------------------------------------------------------------

    def feed(self, data: bytes, final: bool = False) -> None:
        self.buf += data
        try:
            self.p.Parse(data, final)
        except expat.ExpatError as exc:
            p = self.p
            line = (exc.lineno or 1)
            col = (exc.offset or 0) + (self.col_delta if line == 1 else 0) + 1
            raise _SyntaxProblem(expat.ErrorString(exc.code), line + self.line_delta, col,
                                 p.ErrorByteIndex + self.byte_delta) from None

    def trim(self, upto: int) -> None:
        """Forget the input before absolute offset ``upto`` (never past ``safe``)."""
        upto = min(upto, self.safe)
        if upto > self.buf_start:
            del self.buf[: upto - self.buf_start]
            self.buf_start = upto

    def raw(self, start: int, end: int) -> bytes:
        return bytes(self.buf[start - self.buf_start: end - self.buf_start])

    def take(self) -> list[tuple[Post, "_Ranges | None"]]:
        done, self.done = self.done, []
        return done

    def finish(self) -> None:
        """Checks once the whole document has been read."""
        _check_version(self.version, self.name, self.warn)

    # -- safety (the checks defusedxml's expat parsers install) --------------

    def _unsafe(self, what: str, cause: Exception) -> None:
        offset, line, col = self._unsafe_at or self._here()
        raise UnsafeXmlError(what, self.name, line, col, offset) from cause

    def _doctype(self, name: str, sysid: "str | None", pubid: "str | None", has_internal_subset: int) -> None:
        # Report the place of "<!DOCTYPE" (expat is past it by now); nothing has been trimmed yet.
        here = self.p.CurrentByteIndex + self.byte_delta - self.buf_start
        at = self.buf.rfind(b"<!DOCTYPE", 0, max(here, 0) + 9)
        if at >= 0:
            line = self.buf.count(b"\n", 0, at) + 1
            col = at - (self.buf.rfind(b"\n", 0, at) + 1) + 1
            if line == 1:
                col += self.col_delta
            self._unsafe_at = (at + self.buf_start, line + self.line_delta, col)
        self._unsafe(
            f"refusing the DOCTYPE declaration <!DOCTYPE {name}>: WordPress exports have none, and a "
            "DTD allows entity expansion ('billion laughs') and external entities "
            "(WordPress's importer refuses it too)", DTDForbidden(name, sysid, pubid))

    def _entity_decl(self, name: str, is_parameter_entity: int, value: "str | None", base: "str | None",
                     sysid: "str | None", pubid: "str | None", notation_name: "str | None") -> None:
        self._unsafe(f"refusing the entity declaration {name!r}: entity declarations are not allowed",
                     EntitiesForbidden(name, value, base, sysid, pubid, notation_name))

    def _unparsed_entity_decl(self, name: str, base: "str | None", sysid: "str | None",
                              pubid: "str | None", notation_name: "str | None") -> None:
        self._unsafe(f"refusing the entity declaration {name!r}: entity declarations are not allowed",
                     EntitiesForbidden(name, None, base, sysid, pubid, notation_name))

    def _external_ref(self, context: "str | None", base: "str | None", sysid: "str | None",
                      pubid: "str | None") -> int:
        self._unsafe(f"refusing the external entity {sysid!r}: external references are not allowed",
                     ExternalReferenceForbidden(context, base, sysid, pubid))
        return 0  # pragma: no cover - _unsafe raises

    def _xml_decl(self, version: "str | None", encoding: "str | None", standalone: int) -> None:
        if encoding:
            self.encoding = encoding

    # -- elements ------------------------------------------------------------

    def _start(self, qname: str, attrs: dict[str, str]) -> None:
        scope = self.scopes[-1]
        if attrs:
            decl = None
            for k, v in attrs.items():
                if k == "xmlns" or k.startswith("xmlns:"):
                    if decl is None:
                        decl = dict(scope)
                    decl[k[6:]] = v or None
            if decl is not None:
                scope = decl
        self.scopes.append(scope)
        prefix, _, local = qname.rpartition(":")
        if prefix in scope:
            uri = scope[prefix]
        elif prefix:
            uri = self._undeclared(prefix)
        else:
            uri = None
        kind = _ns_kind(uri)
        self.open.append((kind, local, qname))
        depth = len(self.open)

        if self.collect is not None:
            if depth > self.collect_depth and not self.child_warned:
                self.child_warned = True
                self._warn(f"<{self.collect_qname}> holds the element <{qname}>: only its text is read "
                           "(was the HTML not escaped?)")
            return
        item = self.item
        if item is None:
            if depth == 1:
                if not (kind == "rss" and local == "rss"):
                    _, line, col = self._here()
                    raise WxrError(f"not a WordPress export (WXR): the root element is <{qname}>, "
                                   "expected <rss>", self.name, line, col)
                return
            if depth == 2:
                self.channel_scope = scope
            elif depth == 3 and kind == "rss" and local == "item":
                offset, line, col = self._here()
                self.item = _Item(offset, line, col, self.count)
                self.item.scope = scope
                self.item_depth = depth
                self.safe = offset
                self.child_warned = False
                return
            elif depth == 3 and kind == "wp" and local in ("wxr_version", "base_site_url"):
                self._begin(local, depth, qname, anchors=False)
            self.safe = self.p.CurrentByteIndex + self.byte_delta
            return
        rel = depth - self.item_depth
        if rel == 1:
            fld = _FIELDS.get((kind, local))
            if fld is not None:
                if fld in item.values:
                    self._warn(f"a second <{qname}> in {self._item_label()}: ignored (the first is kept)")
                    return
                self._begin(fld, depth, qname, anchors=fld in ("content", "excerpt"))
            elif kind == "rss" and local == "category" and "nicename" in attrs:
                # WordPress reads only categories with a nicename: WXR 1.0 also
                # has plain RSS <category> twins without one.
                self._begin("category", depth, qname, anchors=False)
                self._cat_attrs = (attrs.get("domain", ""), attrs.get("nicename", ""))
            elif kind == "wp" and local == "postmeta":
                item.meta_cur = {}
            elif prefix in _CONVENTIONAL and kind != _CONVENTIONAL[prefix]:
                self._hijacked(qname, uri)
        elif rel == 2 and item.meta_cur is not None:
            if kind == "wp" and local in ("meta_key", "meta_value"):
                if local in item.meta_cur:
                    self._warn(f"a second <{qname}> in one <wp:postmeta>: ignored")
                    return
                self._begin("meta:" + local, depth, qname, anchors=False)
            elif prefix in _CONVENTIONAL and kind != _CONVENTIONAL[prefix]:
                self._hijacked(qname, uri)

    def _undeclared(self, prefix: str) -> "str | None":
        conventional = _CANONICAL_URI.get(prefix)
        if prefix not in self.undeclared_warned:
            self.undeclared_warned.add(prefix)
            how = (f"read as {conventional}" if conventional else "its elements are ignored")
            self._warn(f"the namespace prefix {prefix!r} is not declared: {how}")
        return conventional

    def _hijacked(self, qname: str, uri: "str | None") -> None:
        item = self.item
        assert item is not None
        if qname not in item.warned:
            item.warned.add(qname)
            self._warn(f"<{qname}> in {self._item_label()} is bound to {uri!r}, not a WordPress "
                       "export namespace: ignored")

    def _item_label(self) -> str:
        item = self.item
        if item is None:
            return "the channel"
        pid = item.values.get("id")
        return f"post {pid.strip()}" if pid else f"item {item.index + 1} (line {item.line})"

    def _begin(self, fld: str, depth: int, qname: str, *, anchors: bool) -> None:
        self.p.CharacterDataHandler = self._chars
        self.collect = []
        self.collect_depth = depth
        self.collect_field = fld
        self.collect_qname = qname
        self.child_warned = False
        self.want_anchors = anchors
        if anchors or self.want_ranges:
            self.collect_pos = self._here()

    def _chars(self, data: str) -> None:
        if len(self.open) == self.collect_depth:
            self.collect.append(data)  # type: ignore[union-attr]

    def _anchors(self, text: str) -> tuple:
        """Where each run of ``text`` (the field just read) is in the file.

        Computed from the element's bytes: CDATA sections and entity
        references are where the value and the file stop lining up.
        """
        start, line, col = self.collect_pos
        end = self.p.CurrentByteIndex + self.byte_delta
        raw = self.raw(start, end).decode(_codec_name(self.encoding) or "utf-8", "replace")
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        where = _Text(raw, line, col)
        m = _START_TAG_STR.match(raw)
        if m is None or m.group().endswith("/>"):
            return ((0, *where.at(len(raw))),)
        value, anchors = _decode_inner(raw[m.end():], m.end(), where, set())
        if value != text:  # mixed content: only the start is known
            return ((0, *where.at(m.end())),)
        return tuple(anchors)

    def _finish_field(self) -> None:
        fld = self.collect_field
        text = "".join(self.collect)  # type: ignore[arg-type]
        self.p.CharacterDataHandler = None
        self.collect = None
        self.collect_depth = -1
        item = self.item
        if item is None:
            if fld == "wxr_version" and self.version is None:
                self.version = text.strip()
            elif fld == "base_site_url" and self.base_site_url is None:
                self.base_site_url = text.strip()
            return
        if fld == "category":
            domain, nicename = self._cat_attrs
            item.terms.append(Term(domain, nicename, text))
            return
        if fld.startswith("meta:"):
            assert item.meta_cur is not None
            item.meta_cur[fld[5:]] = text
            return
        item.values[fld] = text
        if self.want_anchors:
            item.anchors[fld] = self._anchors(text)
        if self.want_ranges:
            end = self.p.CurrentByteIndex + self.byte_delta
            item.ranges[fld] = (self.collect_pos[0], end, self.collect_qname)

    def _end(self, qname: str) -> None:
        depth = len(self.open)
        if depth == self.collect_depth:
            self._finish_field()
        item = self.item
        if item is not None:
            rel = depth - self.item_depth
            if rel == 0:
                self._finish_item()
            elif rel == 1 and item.meta_cur is not None and self.open[-1][1] == "postmeta" \
                    and self.open[-1][0] == "wp":
                cur = item.meta_cur
                item.meta_cur = None
                if "meta_key" in cur:
                    item.meta.append(Meta(cur["meta_key"], cur.get("meta_value", "")))
                else:
                    self._warn(f"a <wp:postmeta> without <wp:meta_key> in {self._item_label()}: ignored")
        else:
            self.safe = self.p.CurrentByteIndex + self.byte_delta
        self.open.pop()
        self.scopes.pop()

    def _finish_item(self) -> None:
        item = self.item
        assert item is not None
        end = self.p.CurrentByteIndex + self.byte_delta
        self.item = None
        self.count += 1
        self.safe = end
        post = _build_post(item, self.name, self._warn_at(item))
        ranges = _Ranges((item.start, end), item.ranges, item.scope) if self.want_ranges else None
        self.done.append((post, ranges))

    def _warn_at(self, item: _Item) -> Callable[[str], None]:
        return lambda msg: self.warn(ReadWarning(self.name, item.line, item.col, msg))


def _check_version(version: "str | None", name: str, warn: WarningHandler) -> None:
    if version is None:
        warn(ReadWarning(name, None, None, "no <wp:wxr_version>: this may not be a WordPress export "
                                           "(WordPress's importer refuses such files)"))
    elif not re.fullmatch(r"\d+\.\d+", version):
        warn(ReadWarning(name, None, None, f"<wp:wxr_version> is {version!r}, not a version number "
                                           "(WordPress's importer refuses such files)"))


def _build_post(item: _Item, name: str, warn: Callable[[str], None], *, recovered: bool = False) -> Post:
    values = item.values
    kwargs: dict[str, Any] = {}
    for fld, text in values.items():
        if fld in _INT_FIELDS:
            t = text.strip()
            try:
                kwargs[fld] = int(t) if t else 0
            except ValueError:
                warn(f"<wp:{'post_parent' if fld == 'parent' else fld}> is {t!r}, not a number: read as 0")
                kwargs[fld] = 0
        elif fld in _STRIPPED:
            kwargs[fld] = text.strip()
        else:
            kwargs[fld] = text
    return Post(
        **kwargs,
        content_field="content:encoded" if "content" in values else "",
        terms=tuple(item.terms),
        meta=tuple(item.meta),
        fmt="wxr",
        source_file=name,
        item_index=item.index,
        source_line=item.line,
        source_column=item.col,
        recovered=recovered,
        _content_anchors=item.anchors.get("content", _EMPTY_ANCHORS),
        _excerpt_anchors=item.anchors.get("excerpt", _EMPTY_ANCHORS),
    )


# ----------------------------------------------------------------------------
# Reading


class WxrReader:
    """Iterate over the posts of one WXR file, streaming.

    ``source`` is a path (``.gz`` is decompressed) or a binary file object.
    After (or during) the iteration, ``version`` and ``base_site_url`` hold
    the channel's ``<wp:wxr_version>`` and ``<wp:base_site_url>``, and
    ``warnings`` the warnings given (the first 10,000; when no ``on_warning``
    callback was passed, they are also issued as Python warnings).

    A reader can be iterated once.  See :func:`read_wxr` for ``recover``.
    """

    def __init__(self, source: "PathLike | IO[bytes]", *, recover: bool = False,
                 on_warning: "WarningHandler | None" = None, chunk_size: int = CHUNK_SIZE,
                 name: "str | None" = None) -> None:
        self.source = source
        self.name = name if name is not None else _source_name(source)
        self.recover = recover
        self.chunk_size = chunk_size
        self.version: "str | None" = None
        self.base_site_url: "str | None" = None
        self.warnings: list[ReadWarning] = []
        self._on_warning = on_warning
        self._used = False

    def _warn(self, w: ReadWarning) -> None:
        if len(self.warnings) < 10_000:
            self.warnings.append(w)
        _warner(self._on_warning)(w)

    def __iter__(self) -> Iterator[Post]:
        if self._used:
            raise RuntimeError("a WxrReader can be iterated only once")
        self._used = True
        with _open_source(self.source, self.name) as stream:
            yield from self._read(stream)

    def _read(self, stream: IO[bytes]) -> Iterator[Post]:
        parser = _ItemParser(self.name, self._warn)
        while True:
            chunk = _read_chunk(stream, self.chunk_size, self.name)
            final = not chunk
            try:
                parser.feed(chunk, final)
            except _SyntaxProblem as exc:
                for post, _ in parser.take():
                    yield post
                self._sync(parser)
                if not self.recover:
                    raise WxrError(f"malformed XML: {exc.message} (recover=True reads what it can, "
                                   "as WordPress's importer does)", self.name, exc.line, exc.column,
                                   exc.offset) from None
                yield from self._recover(stream, parser, exc)
                return
            for post, _ in parser.take():
                yield post
            self._sync(parser)
            parser.trim(parser.safe)
            if final:
                break
        parser.finish()

    def _sync(self, parser: _ItemParser) -> None:
        self.version = parser.version
        self.base_site_url = parser.base_site_url

    # -- recovery --------------------------------------------------------------

    def _recover(self, stream: IO[bytes], parser: _ItemParser, exc: _SyntaxProblem) -> Iterator[Post]:
        item = parser.item
        if item is not None:
            restart, line, col = item.start, item.line, item.col
            where = f"{item.index + 1} (line {item.line}) onwards"
            self._warn(ReadWarning(self.name, exc.line, exc.column,
                                   f"malformed XML: {exc.message}; reading item {where} item by item "
                                   "with the tolerant scanner, as WordPress's importer does"))
        else:
            restart, line, col = exc.offset, exc.line, exc.column
            self._warn(ReadWarning(self.name, exc.line, exc.column,
                                   f"malformed XML: {exc.message}; looking for further items with "
                                   "the tolerant scanner, as WordPress's importer does"))
        scope = parser.channel_scope or parser.scopes[-1]
        scanner = _Recovery(self, stream, parser.raw(restart, parser.buf_start + len(parser.buf)), restart, line, col,
                            parser.encoding, scope, parser.count)
        yield from scanner.run()
        if self.version is None:
            self.version = scanner.version
        _check_version(self.version, self.name, self._warn)


def read_wxr(
    source: "PathLike | IO[bytes]",
    *,
    recover: bool = False,
    on_warning: "WarningHandler | None" = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[Post]:
    """Yield the posts of a WordPress export, one per ``<item>``, streaming.

    ``source`` is a path (``.xml``, or ``.xml.gz``) or a binary file object.
    Every item is yielded, whatever its ``wp:post_type`` (posts, pages,
    attachments, ``nav_menu_item``...); filter on :attr:`Post.type`.

    Raises :class:`WxrError` (``file:line:column: malformed XML: ...``) on
    the first XML error, or with ``recover=True`` keeps going: see the
    module documentation.  :class:`UnsafeXmlError` (a DOCTYPE, entity
    declaration or external entity) is raised in both modes, and so is
    :class:`WxrError` when the root element is not ``<rss>``.  Warnings
    (a hijacked ``wp:`` prefix, a duplicate field, a missing
    ``<wp:wxr_version>``, what recovery skipped...) go to ``on_warning``.
    """
    return iter(WxrReader(source, recover=recover, on_warning=on_warning, chunk_size=chunk_size))


def _source_name(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return str(getattr(source, "name", "<stream>"))


class _open_source:
    def __init__(self, source: Any, name: str) -> None:
        self.source, self.name = source, name
        self.stream: "IO[bytes] | None" = None
        self.owned = False

    def __enter__(self) -> IO[bytes]:
        if isinstance(self.source, (str, os.PathLike)):
            if str(self.source) == "-":
                self.stream = sys.stdin.buffer
                return self.stream
            try:
                self.stream = _binary_stream(self.source)
            except OSError as exc:
                raise WxrError(f"cannot read: {exc.strerror or exc}", self.name) from None
            self.owned = True
            return self.stream
        self.stream = self.source
        return self.source

    def __exit__(self, *exc: object) -> None:
        if self.owned and self.stream is not None:
            self.stream.close()


def _read_chunk(stream: IO[bytes], size: int, name: str) -> bytes:
    try:
        return stream.read(size)
    except (OSError, EOFError) as exc:  # gzip errors are OSError/EOFError
        raise WxrError(f"cannot read: {exc}", name) from None


# ----------------------------------------------------------------------------
# Recovery: item blocks after an XML error

_BLOCK_TOKENS = re.compile(rb"<!\[CDATA\[|<!--|</item\s*>|<item[\s>/]")
_NEXT_ITEM = re.compile(rb"<!\[CDATA\[|<!--|<item[\s>/]")
_VERSION_RE = re.compile(rb"<(?:[\w.-]+:)?wxr_version>\s*([^<]*?)\s*</(?:[\w.-]+:)?wxr_version>")


class _Recovery:
    """Find ``<item>…</item>`` blocks in the rest of a malformed file and read each one."""

    def __init__(self, reader: WxrReader, stream: IO[bytes], data: bytes, start: int, line: int,
                 col: int, encoding: str, scope: dict[str, "str | None"], first_index: int) -> None:
        self.reader = reader
        self.stream = stream
        self.buf = bytearray(data)
        self.buf_start = start          # absolute offset of buf[0]
        self.pos = start                # absolute offset we have line/col for
        self.line, self.col = line, col  # 1-based
        self.eof = False
        self.encoding = _codec_name(encoding) or "utf-8"
        self.scope = scope
        self.index = first_index
        self.version: "str | None" = None
        prefixes: dict[str, str] = {}
        for prefix, uri in scope.items():
            kind = _ns_kind(uri)
            if kind in _CANONICAL_URI and kind not in prefixes:
                prefixes[kind] = prefix
        for kind in _CANONICAL_URI:
            prefixes.setdefault(kind, kind)
        self.prefixes = prefixes

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = _read_chunk(self.stream, self.reader.chunk_size, self.reader.name)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _advance(self, to: int) -> None:
        """Move the line/column cursor to absolute offset ``to``."""
        seg = bytes(self.buf[self.pos - self.buf_start: to - self.buf_start])
        n = seg.count(b"\n")
        if n:
            self.line += n
            self.col = len(seg[seg.rfind(b"\n") + 1:].decode(self.encoding, "replace")) + 1
        else:
            self.col += len(seg.decode(self.encoding, "replace"))
        self.pos = to

    def _drop(self, upto: int) -> None:
        self._advance(upto)
        del self.buf[: upto - self.buf_start]
        self.buf_start = upto

    def _find(self, pattern: "re.Pattern[bytes]", start: int) -> "tuple[int, bytes, int] | None":
        """Next token of ``pattern`` at/after absolute ``start``, skipping CDATA and comments.

        Returns (absolute start, token, absolute end), or None at end of file.
        """
        at = start
        while True:
            m = pattern.search(self.buf, at - self.buf_start)
            if m is None:
                at = max(at, self.buf_start + len(self.buf) - 16)
                if not self._more():
                    return None
                continue
            tok = m.group()
            s = m.start() + self.buf_start
            if tok in (b"<![CDATA[", b"<!--"):
                close = b"]]>" if tok == b"<![CDATA[" else b"-->"
                while True:
                    j = self.buf.find(close, m.end())
                    if j >= 0:
                        at = j + len(close) + self.buf_start
                        break
                    if not self._more():
                        return None
                continue
            return s, tok, m.end() + self.buf_start

    def run(self) -> Iterator[Post]:
        reader = self.reader
        while True:
            found = self._find(_NEXT_ITEM, self.pos)
            skipped_to = found[0] if found else self.buf_start + len(self.buf)
            if self.version is None:
                m = _VERSION_RE.search(self.buf, 0, skipped_to - self.buf_start)
                if m:
                    self.version = m.group(1).decode(self.encoding, "replace")
            if found is None:
                self._drop(self.buf_start + len(self.buf))
                return
            start = found[0]
            self._drop(start)
            line, col = self.line, self.col
            # The start tag's end, then the block's end.
            tag_end = self._tag_end(start)
            if tag_end is None:
                reader._warn(ReadWarning(reader.name, line, col, "an <item> tag is cut off at the end of "
                                         "the file: skipped"))
                return
            if self.buf[tag_end - 2 - self.buf_start: tag_end - self.buf_start] == b"/>":
                end, closed = tag_end, True
            else:
                nxt = self._find(_BLOCK_TOKENS, tag_end)
                if nxt is None:
                    end, closed = self.buf_start + len(self.buf), False
                elif nxt[1].startswith(b"</"):
                    end, closed = nxt[2], True
                else:
                    end, closed = nxt[0], False
            block = bytes(self.buf[start - self.buf_start: end - self.buf_start])
            post = self._read_block(block, start, line, col, closed)
            self.index += 1
            yield post
            self._drop(end)

    def _tag_end(self, start: int) -> "int | None":
        while True:
            j = _start_tag_end(self.buf, start - self.buf_start)
            if j is not None:
                return j + self.buf_start
            if not self._more():
                return None

    def _read_block(self, block: bytes, start: int, line: int, col: int, closed: bool) -> Post:
        reader = self.reader
        problem = ""
        if closed:
            post, problem = self._strict(block, start, line, col)
            if post is not None:
                return post
        else:
            problem = "this <item> is not closed before the next <item> or the end of the file"
        text = block.decode(self.encoding, "replace")
        warnings: list[str] = []
        post = _scan_item(text, reader.name, line, col, self.index, self.prefixes, warnings)
        reader._warn(ReadWarning(reader.name, line, col,
                                 f"{problem}; {post.label} read by the tolerant scanner (check it)"))
        for msg in warnings:
            reader._warn(ReadWarning(reader.name, line, col, f"{post.label}: {msg}"))
        return post

    def _strict(self, block: bytes, start: int, line: int, col: int) -> "tuple[Post | None, str]":
        decls = "".join(
            f' xmlns{":" + p if p else ""}="{_attr_escape(u or "")}"'
            for p, u in self.scope.items() if p not in ("xml",)
        )
        prefix = f'<?xml version="1.0" encoding="{self.encoding}"?><rss{decls}><channel>'
        try:
            head = prefix.encode(self.encoding)
        except UnicodeEncodeError:
            return None, "namespace URIs that cannot be written in the file's encoding"
        held: list[ReadWarning] = []
        sub = _ItemParser(self.reader.name, held.append,
                          shift=(start - len(head), line - 1, (col - 1) - len(prefix)),
                          first_index=self.index)
        try:
            sub.feed(head + block + b"</channel></rss>", True)
        except _SyntaxProblem as exc:
            return None, f"{exc.message} at line {exc.line}, column {exc.column}"
        except UnsafeXmlError:
            raise
        except WxrError as exc:
            return None, exc.reason
        done = sub.take()
        if len(done) != 1:
            return None, "not a single <item>"
        for w in held:
            self.reader._warn(w)
        return done[0][0], ""


def _codec_name(encoding: str) -> "str | None":
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _attr_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


_START_TAG = re.compile(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_START_TAG_STR = re.compile(r"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")


def _start_tag_end(buf: "bytes | bytearray", i: int) -> "int | None":
    """Index just past the ``>`` closing the tag that starts at ``buf[i]`` (quotes respected)."""
    m = _START_TAG.match(buf, i)
    return m.end() if m else None


# -- the tolerant scanner (WordPress's WXR_Parser_Regex rules, made position-aware)

_MASK_RE = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.S)
_ENTITY_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED_ENTITY_RE = re.compile(r"&([A-Za-z][A-Za-z0-9._-]*);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ATTR_RE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class _Text:
    """A block of text with a base position, for offsets -> (line, column)."""

    def __init__(self, text: str, line: int, col: int) -> None:
        self.line, self.col = line, col
        self.index = LineIndex(text)

    def at(self, pos: int) -> tuple[int, int]:
        line, col = self.index.line_col(pos)
        if line == 1:
            return self.line, self.col + pos
        return self.line + line - 1, col


def _mask(text: str) -> str:
    """``text`` with CDATA sections and comments blanked (same length), to search tags in."""
    return _MASK_RE.sub(lambda m: " " * len(m.group()), text)


def _decode_text(seg: str, pos: int, out: list[str], anchors: list, unknown: set[str],
                 where: _Text, off: int) -> int:
    """Append ``seg`` (text outside CDATA at ``pos``) with entities decoded; returns the new offset."""
    last = 0
    for m in _ENTITY_RE.finditer(seg):
        if m.start() > last:
            out.append(seg[last:m.start()])
            off += m.start() - last
        if m.group(3):
            ch = _PREDEFINED[m.group(3)]
        else:
            code = int(m.group(1)) if m.group(1) else int(m.group(2), 16)
            ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else m.group()
        out.append(ch)
        off += len(ch)
        last = m.end()
        anchors.append((off, *where.at(pos + last)))
    out.append(seg[last:])
    unknown.update(n for n in _NAMED_ENTITY_RE.findall(seg) if n not in _PREDEFINED)
    return off + len(seg) - last


def _decode_inner(inner: str, pos: int, where: _Text, unknown: set[str]) -> tuple[str, list]:
    """Value of an element's inner text at ``pos``, with anchors, by WordPress's rules."""
    pieces: list[tuple[int, int, bool]] = []  # (start, end, is_cdata) in inner
    last = 0
    clean = True
    find = inner.find
    while True:
        s = find("<![CDATA[", last)
        if s < 0:
            break
        e = find("]]>", s + 9)
        if e < 0:
            break
        if s > last:
            pieces.append((last, s, False))
        pieces.append((s + 9, e, True))
        last = e + 3
    if last < len(inner):
        pieces.append((last, len(inner), False))
    for s, e, is_cdata in pieces:
        if not is_cdata and ("<" in inner[s:e] or "]]>" in inner[s:e]):
            clean = False
    out: list[str] = []
    anchors: list = [(0, *where.at(pos))]
    if clean:
        off = 0
        for s, e, is_cdata in pieces:
            if anchors[-1][0] == off:
                anchors[-1] = (off, *where.at(pos + s))
            else:
                anchors.append((off, *where.at(pos + s)))
            if is_cdata:
                out.append(inner[s:e])
                off += e - s
            else:
                off = _decode_text(inner[s:e], pos + s, out, anchors, unknown, where, off)
        return "".join(out), anchors
    body = inner.strip()
    if body.startswith("<![CDATA[") and body.endswith("]]>"):
        # WordPress's rule for broken CDATA: from the first <![CDATA[ to the last ]]>.
        s = inner.index("<![CDATA[") + 9
        e = inner.rindex("]]>")
        return inner[s:e], [(0, *where.at(pos + s))]
    off = _decode_text(inner, pos, out, anchors, unknown, where, 0)
    return "".join(out), anchors


def _scan_item(text: str, name: str, line: int, col: int, index: int, prefixes: dict[str, str],
               warnings: list[str]) -> Post:
    """Read one ``<item>`` block without an XML parser (after an XML error)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    masked = _mask(text)
    where = _Text(text, line, col)
    unknown: set[str] = set()
    item = _Item(0, line, col, index)

    def element(qname: str, within: tuple[int, int]) -> "tuple[int, int] | None":
        """(inner start, inner end) of the first <qname> in masked[within]."""
        lo, hi = within
        m = re.compile(r"<" + re.escape(qname) + r"(?=[\s/>])[^>]*>").search(masked, lo, hi)
        if m is None:
            return None
        if m.group().endswith("/>"):
            return m.end(), m.end()
        close = re.compile(r"</" + re.escape(qname) + r"\s*>").search(masked, m.end(), hi)
        if close is None:
            warnings.append(f"<{qname}> at line {where.at(m.start())[0]} is not closed: ignored")
            return None
        return m.end(), close.start()

    whole = (0, len(text))
    names = {"wp": prefixes["wp"], "content": prefixes["content"], "excerpt": prefixes["excerpt"],
             "dc": prefixes["dc"], "rss": ""}
    for (kind, local), fld in _FIELDS.items():
        qname = f"{names[kind]}:{local}" if names[kind] else local
        span = element(qname, whole)
        if span is None:
            continue
        value, anchors = _decode_inner(text[span[0]:span[1]], span[0], where, unknown)
        item.values[fld] = value
        if fld in ("content", "excerpt"):
            item.anchors[fld] = tuple(anchors)
    for m in re.finditer(r"<category(?=[\s/>])([^>]*)>", masked):
        if m.group().endswith("/>"):
            continue
        close = masked.find("</category>", m.end())
        if close < 0:
            continue
        attrs = {a.group(1): a.group(2) if a.group(2) is not None else a.group(3)
                 for a in _ATTR_RE.finditer(m.group(1))}
        value = _decode_inner(text[m.end():close], m.end(), where, unknown)[0]
        if "nicename" in attrs:
            item.terms.append(Term(attrs.get("domain", ""), attrs["nicename"], value))
    wp = prefixes["wp"]
    for m in re.finditer(r"<" + re.escape(wp) + r":postmeta(?=[\s>])[^>]*>", masked):
        close = masked.find(f"</{wp}:postmeta>", m.end())
        if close < 0:
            warnings.append(f"<{wp}:postmeta> at line {where.at(m.start())[0]} is not closed: ignored")
            continue
        key = element(f"{wp}:meta_key", (m.end(), close))
        if key is None:
            continue
        val = element(f"{wp}:meta_value", (m.end(), close))
        k = _decode_inner(text[key[0]:key[1]], key[0], where, unknown)[0]
        v = _decode_inner(text[val[0]:val[1]], val[0], where, unknown)[0] if val else ""
        item.meta.append(Meta(k, v))
    if unknown:
        shown = ", ".join(f"&{n};" for n in sorted(unknown))
        warnings.append(f"undefined entities kept as written: {shown}")
    return _build_post(item, name, warnings.append, recovered=True)


# ----------------------------------------------------------------------------
# Writing


@dataclass(frozen=True)
class RewriteResult:
    """What :func:`rewrite_wxr` did: how many items it saw and how many it changed."""

    items: int
    changed: int


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _cdata_bytes(text: str, encoding: str, crlf: bool, post: Post, fld: str) -> bytes:
    """``text`` as CDATA in ``encoding``; reading it back gives ``text`` exactly."""
    bad = _XML_INVALID.search(text)
    if bad:
        raise WxrError(f"the new {fld} of {post.label} has U+{ord(bad.group()):04X} at offset "
                       f"{bad.start()}, which XML 1.0 cannot hold", post.source_file,
                       post.source_line, post.source_column)
    body = text.replace("]]>", "]]]]><![CDATA[>")
    if "\r" in body:
        # A carriage return in CDATA would be read back as a line feed: write it as &#13;
        parts = body.split("\r")
        if crlf:
            parts = [part.replace("\n", "\r\n") for part in parts]
        body = "]]>&#13;<![CDATA[".join(parts)
    elif crlf:
        body = body.replace("\n", "\r\n")
    data = "<![CDATA[" + body + "]]>"
    try:
        return data.encode(encoding)
    except UnicodeEncodeError:
        out = []
        for ch in data:
            try:
                out.append(ch.encode(encoding))
            except UnicodeEncodeError:
                out.append(f"]]>&#{ord(ch)};<![CDATA[".encode(encoding))
        return b"".join(out)


def rewrite_wxr(
    source: "PathLike | IO[bytes]",
    destination: PathLike,
    transform: Callable[[Post], "Post | None"],
    *,
    on_warning: "WarningHandler | None" = None,
    chunk_size: int = CHUNK_SIZE,
) -> RewriteResult:
    """Copy a WXR file to ``destination``, letting ``transform`` change posts' content.

    ``transform`` gets each item's :class:`~shortcodes.exports.Post` and
    returns ``None`` (keep it) or a post that differs from it at most in
    ``content`` and ``excerpt`` (build it with :func:`dataclasses.replace`);
    any other change raises :class:`ValueError`.  Only the inner text of the
    item's first ``<content:encoded>``/``<excerpt:encoded>`` is replaced, by
    CDATA written as WordPress's exporter writes it (``]]>`` split as
    ``]]]]><![CDATA[>``; a carriage return as ``&#13;``; CRLF line ends kept
    when the element had them), so that reading the output gives back
    exactly the new text.  All other bytes are copied unchanged, so an
    export whose posts are all kept is reproduced byte for byte.

    The output is written to a temporary file and renamed over
    ``destination`` when complete (``-`` writes to standard output; a
    ``.gz`` destination is compressed); ``destination`` may be ``source``.
    Memory stays flat: bytes are passed through as soon as no later change
    can touch them.  The source must be well-formed: a malformed file
    raises :class:`WxrError` and nothing is written.
    """
    name = _source_name(source)
    warn = _warner(on_warning)
    parser = _ItemParser(name, warn, ranges=True)
    items = changed = 0
    with _open_source(source, name) as stream, atomic_writer(destination, gzip_suffix=True) as out:
        buf = parser.buf  # the parser keeps the bytes from parser.buf_start on
        written = 0       # absolute offset up to which the source has been handled
        while True:
            chunk = _read_chunk(stream, chunk_size, name)
            final = not chunk
            try:
                parser.feed(chunk, final)
            except _SyntaxProblem as exc:
                raise WxrError(f"malformed XML: {exc.message} (a malformed export cannot be rewritten; "
                               "nothing was written)", name, exc.line, exc.column, exc.offset) from None
            buf_start = parser.buf_start
            for post, ranges in parser.take():
                items += 1
                assert ranges is not None
                new = transform(post)
                if new is None or new is post:
                    continue
                edits = _edits(post, new, ranges, buf, buf_start, parser.encoding)
                if not edits:
                    continue
                changed += 1
                for start, end, data in edits:
                    out.write(buf[written - buf_start: start - buf_start])
                    out.write(data)
                    written = end
            if parser.safe > written:
                out.write(buf[written - buf_start: parser.safe - buf_start])
                written = parser.safe
            parser.trim(written)
            if final:
                break
        out.write(parser.raw(written, parser.buf_start + len(buf)))
    return RewriteResult(items, changed)


def _edits(post: Post, new: Post, ranges: _Ranges, buf: bytearray, buf_start: int,
           encoding: str) -> list[tuple[int, int, bytes]]:
    if not isinstance(new, Post):
        raise TypeError(f"transform must return a Post or None, not {type(new).__name__}")
    if dataclasses.replace(new, content=post.content, excerpt=post.excerpt) != post:
        diff = [f.name for f in dataclasses.fields(Post)
                if f.compare and f.name not in ("content", "excerpt")
                and getattr(new, f.name) != getattr(post, f.name)]
        raise ValueError(f"{post.where()}: {post.label}: only content and excerpt can be rewritten, "
                         f"but {', '.join(diff)} changed")
    codec = _codec_name(encoding) or "utf-8"
    if codec.startswith(("utf-16", "utf-32")):
        raise WxrError(f"cannot rewrite a {encoding} file (only ASCII-compatible encodings)", post.source_file)
    item_bytes = bytes(buf[ranges.item[0] - buf_start: ranges.item[1] - buf_start])
    edits = []
    for fld in ("content", "excerpt"):
        text = getattr(new, fld)
        if text == getattr(post, fld):
            continue
        rng = ranges.fields.get(fld)
        if rng is None:
            edits.append(_insertion(fld, text, ranges, buf, buf_start, codec, post))
            continue
        start, end_event, qname = rng
        tag_end = _start_tag_end(buf, start - buf_start)
        assert tag_end is not None
        tag_end += buf_start
        if buf[tag_end - 2 - buf_start: tag_end - buf_start] == b"/>":
            crlf = b"\r\n" in item_bytes
            head = bytes(buf[start - buf_start: tag_end - 2 - buf_start]).rstrip()
            data = (head + b">" + _cdata_bytes(text, codec, crlf, post, fld)
                    + f"</{qname}>".encode(codec))
            edits.append((start, tag_end, data))
        else:
            inner = bytes(buf[tag_end - buf_start: end_event - buf_start])
            crlf = b"\r\n" in inner if b"\n" in inner else b"\r\n" in item_bytes
            edits.append((tag_end, end_event, _cdata_bytes(text, codec, crlf, post, fld)))
    edits.sort(key=lambda e: e[0])
    return edits


def _insertion(fld: str, text: str, ranges: _Ranges, buf: bytearray, buf_start: int, codec: str,
               post: Post) -> tuple[int, int, bytes]:
    """Add a missing ``<content:encoded>``/``<excerpt:encoded>`` as the item's last child."""
    kind = "content" if fld == "content" else "excerpt"
    prefix = next((p for p, u in sorted(ranges.scope.items(), key=lambda pu: pu[0] != kind)
                   if p and _ns_kind(u) == kind), None)
    decl = ""
    if prefix is None:
        prefix = kind
        uri = _CONTENT_NS[0]
        if kind == "excerpt":
            wp = next((u for u in ranges.scope.values() if _ns_kind(u) == "wp"), _CANONICAL_URI["wp"])
            uri = f"{wp}excerpt/"
        decl = f' xmlns:{prefix}="{_attr_escape(uri)}"'
    item_start, item_end = ranges.item
    tag_end = _start_tag_end(buf, item_start - buf_start)
    assert tag_end is not None
    lead = bytes(buf[tag_end: item_end - buf_start])
    ws = lead[: len(lead) - len(lead.lstrip())]
    at = item_end - buf_start
    while at > tag_end and buf[at - 1] in b" \t\r\n":
        at -= 1
    sep = ""
    if b"\n" in ws:
        sep = ("\r\n" if b"\r\n" in ws else "\n") + ws[ws.rfind(b"\n") + 1:].decode(codec, "replace")
    crlf = sep.startswith("\r\n")
    data = (f"{sep}<{prefix}:encoded{decl}>".encode(codec) + _cdata_bytes(text, codec, crlf, post, fld)
            + f"</{prefix}:encoded>".encode(codec))
    return at + buf_start, at + buf_start, data
