"""Writing an export back with new post content, by splicing the original bytes: :func:`rewrite_wxr`."""
from __future__ import annotations

import contextlib
import dataclasses
import re
from dataclasses import dataclass
from typing import IO, Callable

from ...common.errors import WxrError
from ...common.fileio import atomic_writer
from ..post import PathLike, Post
from ..problems import WarningHandler, _warner
from .items import _Ranges, _SyntaxProblem
from .parser import _ItemParser
from .schema import _CANONICAL_URI, _CONTENT_NS, CHUNK_SIZE, _ns_kind
from .source import _open_source, _read_chunk, _source_name
from .xmltext import _attr_escape, _codec_name, _start_tag_end


def wxr_cdata(text: str) -> str:
    """Wrap ``text`` in CDATA as WordPress's exporter does (``wxr_cdata()``).

    A ``]]>`` inside is split as ``]]]]><![CDATA[>`` so that it survives.

    >>> wxr_cdata("a ]]> b")
    '<![CDATA[a ]]]]><![CDATA[> b]]>'
    """
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


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
    raises :class:`WxrError` and nothing is written; so does a file in an
    encoding where ASCII is not one byte (UTF-16), which cannot be spliced.
    """
    name = _source_name(source)
    warn = _warner(on_warning)
    parser = _ItemParser(name, warn, ranges=True)
    items = changed = 0
    # closing: the parser lets go of expat and its bytes at the end (see _ItemParser.close)
    with contextlib.closing(parser), _open_source(source, name) as stream, \
            atomic_writer(destination, gzip_suffix=True) as out:
        buf = parser.buf  # the parser keeps the bytes from parser.buf_start on
        written = 0       # absolute offset up to which the source has been handled
        while True:
            chunk = _read_chunk(stream, chunk_size, name)
            final = not chunk
            try:
                parser.feed(chunk, final)
            except _SyntaxProblem as exc:
                _refuse_encoding(parser, name)
                raise WxrError(f"malformed XML: {exc.message} (a malformed export cannot be rewritten; "
                               "nothing was written)", name, exc.line, exc.column, exc.offset) from None
            _refuse_encoding(parser, name)  # known before a byte is written
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


def _refuse_encoding(parser: _ItemParser, name: str) -> None:
    enc = parser.xml_encoding
    if enc is not None and not enc.ascii_compatible:
        raise WxrError(f"cannot rewrite a {enc.name} export: content is spliced into the original "
                       "bytes, which needs an encoding where ASCII is one byte (UTF-8, ISO-8859-1, "
                       "windows-1252...); save the export as UTF-8 first (nothing was written)", name, 1, 1)


def _edits(post: Post, new: Post, ranges: _Ranges, buf: "bytes | bytearray", buf_start: int,
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


def _insertion(fld: str, text: str, ranges: _Ranges, buf: "bytes | bytearray", buf_start: int, codec: str,
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
