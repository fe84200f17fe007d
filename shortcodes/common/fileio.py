"""Reading inputs and writing outputs safely.

Outputs are written atomically: to a temporary file in the same folder, then
renamed over the target, so a crash never leaves half a file, and a failure
to write is one :class:`~shortcodes.common.errors.OutputError` naming the
file, with the temporary file removed.  Inputs are never written to unless
the caller asks (see ``refuse_overwrite``).
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from .errors import ExportError, InputError, OutputError

__all__ = ["atomic_writer", "atomic_write_text", "atomic_write_bytes", "output_error", "read_text", "decode_utf8",
           "refuse_overwrite", "same_file", "OverwriteGuard"]


#: The buffer of the streams :func:`atomic_writer` opens.  With the default (4-8 KiB, the file system's block),
#: a stream of records of a few kB each (``--to jsonl``: 8 kB a post on average) makes a system call or two per
#: record, each updating the file's times: 37,700 calls for the 100 MB bench export, 0.45 s of system time against
#: 0.06 s for 256 KiB (the same bytes, one process).  Larger gains nothing more and holds more memory per open
#: output (``tests/test_wxr.py`` bounds a rewrite's peak).
WRITE_BUFFER_SIZE = 1 << 18


@contextlib.contextmanager
def atomic_writer(path: "str | os.PathLike[str]", *, gzip_suffix: bool = False) -> Iterator[IO[bytes]]:
    """A binary stream whose bytes appear at ``path`` only if the block succeeds.

    Written to a temporary file in the same folder, flushed to disk, then
    renamed over ``path`` (keeping an existing file's permissions); on an
    exception the temporary file is removed and ``path`` is untouched.
    ``-`` writes to standard output.  With ``gzip_suffix``, a name ending in
    ``.gz`` is gzip-compressed (with a fixed timestamp, so output is
    reproducible).

    A failure to write (a full disk, ``ulimit -f``, a read-only folder, a
    file where a folder should be, ``path`` being a folder) raises one
    :class:`~shortcodes.common.errors.OutputError` naming ``path`` (an
    :class:`OSError` whose ``errno`` is the cause's), after the temporary
    file is removed; an error of the block's own (not a write to this
    stream) passes through unchanged.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes").write_text("a file", encoding="utf-8")
    >>> with atomic_writer(folder / "notes" / "page.html") as out:
    ...     _ = out.write(b"<p>hi</p>")
    Traceback (most recent call last):
    ...
    shortcodes.common.errors.OutputError: .../notes/page.html: cannot write: .../notes is a file, not a folder
    """
    if str(path) == "-":
        stdout = _Checked(sys.stdout.buffer, "<stdout>")
        yield stdout  # type: ignore[misc]
        stdout.flush()
        return
    path = Path(path)
    name = str(path)
    fd, tmp = _temporary(path)
    raw = os.fdopen(fd, "wb", buffering=WRITE_BUFFER_SIZE)
    try:
        out = _Checked(raw, name)
        if gzip_suffix and path.name.lower().endswith(".gz"):
            import gzip  # only for .gz outputs

            with gzip.GzipFile(fileobj=out, mode="wb", filename="", mtime=0) as zipped:
                yield zipped  # type: ignore[misc]
        else:
            yield out  # type: ignore[misc]
        _checked(name, raw.flush)
        _checked(name, lambda: os.fsync(raw.fileno()))
        _checked(name, raw.close)
        _checked(name, lambda: os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~umask()))
        _checked(name, lambda: os.replace(tmp, path))
    except BaseException:
        with contextlib.suppress(OSError):  # data still buffered cannot be written either
            raw.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _Checked:
    """A binary stream whose write errors are :class:`OutputError` naming the file being written."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        self._raw, self._name = raw, name

    def write(self, data: "bytes | bytearray | memoryview") -> int:
        try:
            return self._raw.write(data)
        except BrokenPipeError:  # the reader went away: the command line ends quietly
            raise
        except OSError as exc:
            raise output_error(self._name, exc) from exc

    def flush(self) -> None:
        _checked(self._name, self._raw.flush)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._raw, attr)


def output_error(name: "str | os.PathLike[str]", exc: OSError, reason: "str | None" = None) -> OutputError:
    """The :class:`OutputError` for ``exc``, raised while writing ``name``: the file, and why in words.

    ``errno`` is kept; ``reason`` says it better than ``exc`` does.  A parent
    that is a file is named ("``x`` is a file, not a folder").

    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "a-file"
    >>> _ = f.write_text("x")
    >>> str(output_error(f / "out.html", FileExistsError(17, "File exists"))).endswith("is a file, not a folder")
    True
    """
    if isinstance(exc, OutputError) and reason is None:
        return exc
    target = Path(name)
    if reason is None:
        reason = exc.strerror or str(exc) or type(exc).__name__
        for parent in target.parents:
            try:
                if parent.exists() and not parent.is_dir():
                    reason = f"{os.fspath(parent)} is a file, not a folder"
                    break
            except OSError:
                break
        else:
            try:
                in_the_way = target.is_dir()
            except OSError:  # a name the file system refuses (too long): exc says it
                in_the_way = False
            if in_the_way and exc.errno in (errno.EISDIR, errno.EEXIST, errno.ENOTEMPTY):
                reason = "a folder is in the way"
    err = OutputError(os.fspath(name), reason)
    err.errno, err.strerror, err.filename = exc.errno, exc.strerror, os.fspath(name)
    return err


def _checked(name: str, fn: Callable[[], object]) -> None:
    try:
        fn()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise output_error(name, exc) from exc


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (its folders made), or :class:`OutputError` saying why not."""
    name = str(path)
    if os.path.isdir(path):
        raise OutputError(name, "it is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise output_error(name, exc) from exc  # names a parent that is a file
    except OSError as exc:
        raise output_error(name, exc) from exc
    # The temporary name holds at most 64 bytes of the final one, so a name that fits fits with it.
    stem = os.fsencode(path.name)[:64].decode("utf-8", "ignore") if len(os.fsencode(path.name)) > 64 else path.name
    try:
        return tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise output_error(name, exc) from exc


def atomic_write_bytes(path: "str | os.PathLike[str]", data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file + rename)."""
    with atomic_writer(path) as f:
        f.write(data)


def atomic_write_text(path: "str | os.PathLike[str]", text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def umask() -> int:
    """The process's file-creation mask (read without changing it)."""
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


class OverwriteGuard:
    """:func:`refuse_overwrite` for many outputs against the same inputs (a site's pages), each output
    checked by one ``stat`` against the inputs' device and inode numbers taken once: the same answer
    (two paths that resolve to one existing file have its numbers), without resolving every path.
    When an input cannot be looked at, or an output not for a reason other than its absence, the
    full :func:`refuse_overwrite` is used.

    ``within``: a folder every output lies in (a site's); when it does not exist as the guard is made
    (the site is written elsewhere and moved there at the end) and every input could be looked at, no
    output can be an input, and none is looked at."""

    def __init__(self, inputs: Iterable["str | os.PathLike[str]"], *, hint: str = "use a different -o",
                 within: "str | os.PathLike[str] | None" = None) -> None:
        self.inputs = [item for item in inputs if str(item) != "-"]
        self.hint = hint
        self.ids: "set[tuple[int, int]] | None" = set()
        for item in self.inputs:
            try:
                st = os.stat(item)
            except OSError:
                self.ids = None
                break
            self.ids.add((st.st_dev, st.st_ino))
        self.nothing_there = False
        if within is not None and self.ids is not None:
            try:
                os.stat(within)
            except FileNotFoundError:
                self.nothing_there = True
            except OSError:
                pass

    def __call__(self, output: "str | os.PathLike[str]") -> None:
        """Raise :class:`InputError` if ``output`` is one of the inputs."""
        if self.nothing_there:
            return
        if self.ids is not None:
            try:
                st = os.stat(output)
            except (FileNotFoundError, NotADirectoryError):
                return
            except OSError:
                pass
            else:
                if (st.st_dev, st.st_ino) not in self.ids:
                    return
        refuse_overwrite(output, self.inputs, hint=self.hint)


def refuse_overwrite(output: "str | os.PathLike[str]", inputs: Iterable["str | os.PathLike[str]"], *,
                     hint: str = "use a different -o") -> None:
    """Raise :class:`InputError` if ``output`` is one of ``inputs`` (``-`` is never a file)."""
    if str(output) == "-":
        return
    for item in inputs:
        if str(item) != "-" and same_file(output, item):
            raise InputError(f"{output}: refusing to write over an input file ({hint})")
