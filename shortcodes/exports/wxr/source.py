"""Opening a WXR source (a path, ``-``, a ``.gz`` file or a stream) and reading it in chunks."""
from __future__ import annotations

import codecs
import os
import sys
from typing import IO, Any

from ...common.errors import WxrError
from ..streams import binary_stream


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
                self.stream = binary_stream(self.source)
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


class _Transcoded:
    """A stream read through ``codec`` and handed on as UTF-8 (the tolerant scanner searches bytes for ASCII markup)."""

    def __init__(self, stream: IO[bytes], codec: str, name: str) -> None:
        self.stream, self.name = stream, name
        self.decoder = codecs.getincrementaldecoder(codec)("replace")
        self.eof = False

    def convert(self, data: bytes, final: bool = False) -> bytes:
        return self.decoder.decode(data, final).encode("utf-8")

    def read(self, size: int) -> bytes:
        while not self.eof:
            chunk = _read_chunk(self.stream, size, self.name)
            self.eof = not chunk
            out = self.convert(chunk, final=self.eof)
            if out:
                return out
        return b""
