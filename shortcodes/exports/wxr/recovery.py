"""Reading a malformed export as WordPress's importer does: item by item after the first XML error."""
from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING, Iterator

from ...common.errors import UnsafeXmlError, WxrError
from ..post import Meta, Post, Term
from ..problems import ReadWarning
from .items import _build_post, _Item, _SyntaxProblem
from .parser import _ItemParser
from .schema import _CANONICAL_URI, _FIELDS, _ns_kind
from .source import _read_chunk
from .xmltext import _ATTR_RE, _attr_escape, _codec_name, _decode_inner, _mask, _start_tag_end, _Text

if TYPE_CHECKING:  # pragma: no cover
    from .reader import WxrReader


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
        finally:
            sub.close()
        done = sub.take()
        if len(done) != 1:
            return None, "not a single <item>"
        for w in held:
            self.reader._warn(w)
        return done[0][0], ""


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
