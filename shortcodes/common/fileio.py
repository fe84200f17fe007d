"""Reading inputs and writing outputs safely.

Outputs are written atomically: to a temporary file in the same folder, then
renamed over the target, so a crash never leaves half a file.  Inputs are
never written to unless the caller asks (see ``refuse_overwrite``).
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import ExportError, InputError

__all__ = ["atomic_writer", "atomic_write_text", "atomic_write_bytes", "read_text", "decode_utf8", "refuse_overwrite",
           "same_file"]


@contextlib.contextmanager
def atomic_writer(path: "str | os.PathLike[str]", *, gzip_suffix: bool = False) -> Iterator[IO[bytes]]:
    """A binary stream whose bytes appear at ``path`` only if the block succeeds.

    Written to a temporary file in the same folder, flushed to disk, then
    renamed over ``path`` (keeping an existing file's permissions); on an
    exception the temporary file is removed and ``path`` is untouched.
    ``-`` writes to standard output.  With ``gzip_suffix``, a name ending in
    ``.gz`` is gzip-compressed (with a fixed timestamp, so output is
    reproducible).
    """
    if str(path) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            if gzip_suffix and path.name.lower().endswith(".gz"):
                import gzip

                with gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0) as zipped:
                    yield zipped  # type: ignore[misc]
            else:
                yield raw
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_bytes(path: "str | os.PathLike[str]", data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + rename)."""
    with atomic_writer(path) as f:
        f.write(data)


def atomic_write_text(path: "str | os.PathLike[str]", text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_text(source: "str | os.PathLike[str]") -> str:
    """Read a UTF-8 text file, or standard input for ``-``.

    Raises :class:`~shortcodes.common.errors.ExportError` (an :class:`InputError`)
    naming the file (and, for bad UTF-8, the line and column of the first bad byte).
    """
    if str(source) == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        name = str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise ExportError(f"cannot read: {exc.strerror or exc}", name) from None
    return decode_utf8(data, name)


def decode_utf8(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text (a BOM dropped), or :class:`ExportError` at the first bad byte's line and column.

    >>> decode_utf8(b"ok\\nab\\xff", "a.txt")
    Traceback (most recent call last):
    ...
    shortcodes.common.errors.ExportError: a.txt:2:3: not UTF-8 (invalid start byte)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ExportError(f"not UTF-8 ({exc.reason})", name, line, col) from None
    return text[1:] if text.startswith("\ufeff") else text


def same_file(a: "str | os.PathLike[str]", b: "str | os.PathLike[str]") -> bool:
    """True when ``a`` and ``b`` name the same file (the same path, or hard/soft links to one file)."""
    try:
        pa, pb = Path(a), Path(b)
        return pa.resolve() == pb.resolve() or (pa.exists() and pb.exists() and os.path.samefile(pa, pb))
    except OSError:
        return False


def refuse_overwrite(output: "str | os.PathLike[str]", inputs: Iterable["str | os.PathLike[str]"], *,
                     hint: str = "use a different -o") -> None:
    """Raise :class:`InputError` if ``output`` is one of ``inputs`` (``-`` is never a file)."""
    if str(output) == "-":
        return
    for item in inputs:
        if str(item) != "-" and same_file(output, item):
            raise InputError(f"{output}: refusing to write over an input file ({hint})")
