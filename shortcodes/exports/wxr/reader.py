"""Streaming posts out of a WXR file: :class:`WxrReader` and :func:`read_wxr`."""
from __future__ import annotations

from typing import IO, Iterator

from ...common.errors import WxrError
from ..post import PathLike, Post
from ..problems import ReadWarning, WarningHandler, _warner
from .items import _check_version, _SyntaxProblem
from .parser import _ItemParser
from .recovery import _Recovery
from .schema import CHUNK_SIZE
from .source import _open_source, _read_chunk, _source_name, _Transcoded


class WxrReader:
    """Iterate over the posts of one WXR file, streaming.

    ``source`` is a path (``.gz`` is decompressed) or a binary file object.
    After (or during) the iteration, ``version`` and ``base_site_url`` hold
    the channel's ``<wp:wxr_version>`` and ``<wp:base_site_url>``, ``channel``
    the channel's ``title``, ``link``, ``language``, ``description``,
    ``base_site_url``, ``base_blog_url`` and ``wxr_version`` (the first of
    each, stripped; the ones the file has), and
    ``warnings`` the warnings given (the first 10,000; when no ``on_warning``
    callback was passed, they are also issued as Python warnings), and
    ``recovered`` whether an XML error was met (and, with ``recover``, read
    past).

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
        self.channel: dict[str, str] = {}
        self.warnings: list[ReadWarning] = []
        self.recovered = False
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
        try:
            yield from self._parse(stream, parser)
        finally:
            parser.close()

    def _parse(self, stream: IO[bytes], parser: _ItemParser) -> Iterator[Post]:
        while True:
            chunk = _read_chunk(stream, self.chunk_size, self.name)
            final = not chunk
            try:
                parser.feed(chunk, final)
            except _SyntaxProblem as exc:
                self.recovered = True
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
        self.channel = dict(parser.channel)

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
        data, encoding = parser.raw(restart, parser.buf_start + len(parser.buf)), parser.encoding
        if parser.xml_encoding is not None and not parser.xml_encoding.ascii_compatible:
            transcoded = _Transcoded(stream, encoding, self.name)  # UTF-16: scan it as UTF-8
            stream, data, encoding = transcoded, transcoded.convert(data), "utf-8"  # type: ignore[assignment]
        scanner = _Recovery(self, stream, data, restart, line, col, encoding, scope, parser.count)
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
