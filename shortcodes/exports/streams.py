"""Opening input files: bytes, transparently gunzipped for ``.gz``."""
from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import IO

from .post import PathLike

__all__ = ["binary_stream", "read_bytes"]


def read_bytes(path: PathLike) -> bytes:
    if str(path).lower().endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return f.read()
    return Path(path).read_bytes()


def binary_stream(path: PathLike) -> IO[bytes]:
    """Open ``path`` for reading bytes (gzip-decompressed for ``.gz``)."""
    if str(path).lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return io.open(path, "rb")
