"""The strict reader of items: expat with Python callbacks, collecting each ``<item>``'s fields and their positions."""
from __future__ import annotations

import os
from typing import Callable
from xml.parsers import expat

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ...common.errors import UnsafeXmlError, WxrError
from ..post import Meta, Post, Term
from ..problems import ReadWarning, WarningHandler
from .encoding import HEAD_LIMIT, XmlEncoding, check_declared, detect_encoding
from .fastitems import FastItem, Names, allowed_chars, line_breaks, names_for, scan_item
from .items import _build_post, _check_version, _Item, _Ranges, _SyntaxProblem
from .schema import _CANONICAL_URI, _CHANNEL_FIELDS, _CONVENTIONAL, _FIELDS, _XML_NS, _ns_kind
from .xmltext import _START_TAG_STR, _codec_name, _decode_inner, _start_tag_end, _Text


class _ItemParser:
    """Expat-driven state machine that turns ``<item>`` elements into posts.

    Namespace prefixes are resolved here (expat runs without namespace
    processing, so that oddities WordPress accepts, such as ``xmlns:xmlns``
    or ``xmlns:p=""``, do not stop the reading).  ``shift`` translates
    positions when a fragment is parsed inside a wrapper (recovery).

    The fast path (:attr:`fast`, UTF-8 input): expat is given the input up to
    the end of each ``<item>`` start tag; when that started an item (this
    class's own test: directly in the channel, of the channel's namespaces)
    and the item is of the plain shape, :func:`~.fastitems.scan_item` reads it
    from its bytes, and expat is given for its content only line breaks and
    spaces (the content's lines and its last line's columns, so that expat's
    lines and columns stay the file's; :attr:`byte_delta` takes the bytes
    left out).  Every position, warning and error outside such an item is
    expat's as before; any other item is read by expat with the callbacks
    below.  :attr:`fast_items` counts the items the fast path read.
    """

    #: read plain items with :func:`~.fastitems.scan_item` (``False``, or the environment variable
    #: ``SHORTCODES_WXR_FAST=0``: every item through the callbacks)
    fast = os.environ.get("SHORTCODES_WXR_FAST", "") != "0"

    def __init__(self, name: str, warn: WarningHandler, *, ranges: bool = False,
                 shift: tuple[int, int, int] = (0, 0, 0), first_index: int = 0) -> None:
        self.name = name
        self.warn = warn
        self.want_ranges = ranges
        self.byte_delta, self.line_delta, self.col_delta = shift
        self.p = self._expat(None)
        self.xml_encoding: "XmlEncoding | None" = None  # known once the first bytes are in (feed)
        self.encoding = "utf-8"  # the Python codec of the file's bytes
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
        self.channel: dict[str, str] = {}  # the channel's title, link, language... (_CHANNEL_FIELDS)
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
        # qname -> (the scope it was resolved in, kind, local name, prefix, URI): scopes are
        # shared by all the elements that declare no namespace, so this is looked up once
        self._names: dict[str, tuple[dict[str, "str | None"], str, str, str, "str | None"]] = {}
        # the fast path: the names of the scope the items were last scanned in
        self._fast_names: "Names | None" = None
        self._fast_scope: "dict[str, str | None] | None" = None
        self.fast_items = 0

    def _expat(self, encoding: "str | None") -> expat.XMLParserType:
        p = expat.ParserCreate(encoding)
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
        return p

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
        if self.xml_encoding is None:
            # Hold the first bytes back until the encoding is known (see encoding.py).
            found = detect_encoding(bytes(self.buf[:HEAD_LIMIT]), self.name, final=final)
            if found is None:
                return
            self.xml_encoding, self.encoding = found, found.codec
            if found.expat is not None:
                self.p = self._expat(found.expat)
            data = bytes(self.buf)
        try:
            if self.fast and self.encoding == "utf-8" and b"<item" in data:
                self._parse_fast(data, final)
            else:
                self.p.Parse(data, final)
        except expat.ExpatError as exc:
            p = self.p
            line = (exc.lineno or 1)
            col = (exc.offset or 0) + (self.col_delta if line == 1 else 0) + 1
            raise _SyntaxProblem(expat.ErrorString(exc.code), line + self.line_delta, col,
                                 p.ErrorByteIndex + self.byte_delta) from None

    # -- the fast path -------------------------------------------------------

    def _parse_fast(self, data: bytes, final: bool) -> None:
        """``self.p.Parse(data, final)``, with the plain items read by :func:`scan_item` (see the class docs).

        Expat is given the bytes up to the end of each ``<item>`` start tag;
        when that started an item there (the reader's own test), and
        :func:`scan_item` reads it, the item is filled from the scan and expat
        is given, for its content, only line breaks and spaces (its lines and
        its last line's columns: expat's positions stay the file's), and
        :attr:`byte_delta` takes the bytes left out.
        """
        if not allowed_chars(data):
            self.p.Parse(data, final)
            return
        base = self.buf_start + len(self.buf) - len(data)  # the absolute offset of data[0]
        parse = self.p.Parse
        pieces: list[bytes] = []
        pos = 0  # data[:pos] is parsed or in pieces
        find = data.find
        ranges = self.want_ranges
        k = find(b"<item")
        while k >= 0:
            if data[k + 5:k + 6] == b">":
                te: "int | None" = k + 6
            elif data[k + 5:k + 6] in (b" ", b"\t", b"\r", b"\n"):
                te = _start_tag_end(data, k)
            else:
                te = None
            if te is None:
                k = find(b"<item", k + 5)
                continue
            pieces.append(data[pos:te])
            parse(b"".join(pieces), False)
            pieces = []
            pos = te
            item = self.item
            got = None
            if item is not None and item.start == base + k and self.collect is None \
                    and len(self.open) == self.item_depth:  # expat has just started this item
                if self._fast_scope is not item.scope:
                    self._fast_scope = item.scope
                    self._fast_names = names_for(item.scope)
                got = scan_item(data, k, self._fast_names, ranges=ranges)  # type: ignore[arg-type]
            if got is None:
                k = find(b"<item", te)
                continue
            end, after = got[0], got[1]
            lines, cols = self._fill(item, base, got, te)  # type: ignore[arg-type]
            pieces += (b"\n" * lines + b" " * cols, data[end:after])
            self.byte_delta += (end - te) - (lines + cols)
            pos = after
            k = find(b"<item", after)
        pieces.append(data[pos:])
        parse(b"".join(pieces), final)

    def _fill(self, item: _Item, delta: int, got: FastItem, te: int) -> tuple[int, int]:
        """Give ``item`` (just started) what :func:`scan_item` read of it (``delta``: added to the scan's offsets);
        returns the line breaks in its content (from ``te``, the end of its start tag, to ``</item>``) and the
        characters after the last one (after ``te`` when there is none)."""
        self.fast_items += 1
        end, _, values, where, terms, meta = got
        item.values = values
        item.terms = terms
        item.meta = meta
        buf, b0 = self.buf, self.buf_start
        # lines and columns, counted on through the item once: the start tag, the content, the excerpt, the rest
        n, chars = line_breaks(buf, item.start - b0, te + delta - b0)
        line, col = (item.line, item.col + chars) if not n else (item.line + n, chars + 1)
        line0, col0, at = line, col, te + delta
        if where:
            if self.want_ranges:
                item.ranges = {fld: (start + delta, stop + delta, qname)
                               for fld, (start, stop, qname, _) in where.items()}
            anchored = [(where[fld], fld) for fld in ("content", "excerpt") if fld in where]
            if len(anchored) == 2 and anchored[1][0][0] < anchored[0][0][0]:
                anchored.reverse()  # the excerpt first
            for (start, stop, _, head), fld in anchored:
                start += delta
                n, chars = line_breaks(buf, at - b0, start - b0)
                line, col = (line, col + chars) if not n else (line + n, chars + 1)
                at = start
                if head >= 0:  # <qname><![CDATA[...]]></qname>: what _one_cdata finds
                    item.anchors[fld] = ((0, line, col + head + 9),)
                else:
                    item.anchors[fld] = self._anchors_at(values[fld], start, stop + delta, line, col)
        n, chars = line_breaks(buf, at - b0, end + delta - b0)
        line, col = (line, col + chars) if not n else (line + n, chars + 1)
        return line - line0, col - (col0 if line == line0 else 1)

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

    def close(self) -> None:
        """Let go of expat and of the bytes held: expat holds this parser's bound methods and this parser
        holds expat, a cycle that only the garbage collector would free, with the input still in it (a
        unit's 4 MB).  The parser is not used after."""
        self.p = None  # type: ignore[assignment]
        self.buf = bytearray()

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
                     ExternalReferenceForbidden(context or "", base, sysid, pubid))
        return 0  # pragma: no cover - _unsafe raises

    def _xml_decl(self, version: "str | None", encoding: "str | None", standalone: int) -> None:
        if encoding and self.xml_encoding is not None and self.xml_encoding.expat is None \
                and encoding != self.xml_encoding.name:
            # A declaration detect_encoding() did not see whole (longer than its look-ahead):
            # refuse a name pyexpat would fail on with a LookupError or ValueError.
            _, line, col = self._here()
            check_declared(encoding, self.name, col if line == 1 else 0)

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
        names = self._names.get(qname)
        if names is not None and names[0] is scope:  # the usual case: the same scope as last time
            _, kind, local, prefix, uri = names
        else:
            prefix, _, local = qname.rpartition(":")
            if prefix in scope:
                uri = scope[prefix]
            elif prefix:
                uri = self._undeclared(prefix)
            else:
                uri = None
            kind = _ns_kind(uri)
            if len(self._names) >= 1024:
                self._names.clear()
            self._names[qname] = (scope, kind, local, prefix, uri)
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
            elif depth == 3 and (kind, local) in _CHANNEL_FIELDS:
                self._begin("channel:" + _CHANNEL_FIELDS[kind, local], depth, qname, anchors=False)
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
        return self._anchors_at(text, start, self.p.CurrentByteIndex + self.byte_delta, line, col)

    def _anchors_at(self, text: str, start: int, end: int, line: int, col: int) -> tuple:
        """:meth:`_anchors` of the element from absolute offset ``start`` (at ``line``, ``col``) to its end event
        at ``end``."""
        skip = self._one_cdata(start, end)
        if skip is not None:
            return ((0, line, col + skip),)
        return self._decoded_anchors(text, start, end, line, col)

    def _one_cdata(self, start: int, end: int) -> "int | None":
        """For the usual shape, ``<content:encoded><![CDATA[…]]>``, the columns to the text; else None.

        The usual shape: an ASCII start tag on one line, then exactly one CDATA section
        filling the element.  Its text is the field's value, and it starts ``len(tag) + 9``
        columns after the tag, which :meth:`_decoded_anchors` would also find, by decoding.
        """
        if self.xml_encoding is None or not self.xml_encoding.ascii_compatible:
            return None
        buf, lo, hi = self.buf, start - self.buf_start, end - self.buf_start
        gt = buf.find(b">", lo, hi)
        if gt < 0 or buf[gt - 1] == 0x2F:  # "/>": an empty element
            return None
        tag = buf[lo:gt]
        if not tag.isascii() or b'"' in tag or b"'" in tag or b"\n" in tag or b"\r" in tag:
            return None
        body = gt + 1
        if hi - body < 12 or not buf.startswith(b"<![CDATA[", body) or buf.find(b"]]>", body + 9, hi) != hi - 3:
            return None
        return body + 9 - lo

    def _decoded_anchors(self, text: str, start: int, end: int, line: int, col: int) -> tuple:
        """:meth:`_anchors` for any shape: the element decoded and scanned again."""
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
            key = fld[8:]  # "channel:..."
            if key == "wxr_version" and self.version is None:
                self.version = text.strip()
            elif key == "base_site_url" and self.base_site_url is None:
                self.base_site_url = text.strip()
            self.channel.setdefault(key, text.strip())
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
