"""Which reader a file needs, and reading many files and folders: the table of export readers.

Each kind of export is a :class:`Reader` in :data:`READERS`, found by the
file's suffix.  Adding a format is one new module with a
``read(path, *, recover, on_warning)`` function and one
``READERS.register(...)`` (or an entry point in the group
``wp_shortcodes.readers``); :func:`detect_format`, :func:`read_posts`, the
command line and its messages take it from there.

=====================================  ==========  ============================================
file                                   ``fmt``     reader
=====================================  ==========  ============================================
``.xml``, ``.wxr`` (also ``.gz``)      ``wxr``     :func:`shortcodes.exports.wxr.read_wxr`
``.json`` (array, object, or lines)    ``rest``    :func:`shortcodes.exports.rest.read_rest_json`
``.jsonl``, ``.ndjson``                ``rest``    :func:`shortcodes.exports.rest.read_rest_json`
``.html``, ``.htm``                    ``html``    :func:`shortcodes.exports.files.read_text_file`
``.txt``                               ``text``    :func:`shortcodes.exports.files.read_text_file`
``.md``, ``.markdown``                 ``markdown``:func:`shortcodes.exports.files.read_text_file`
a folder (its plain files)             (as above)  :func:`read_folder`
=====================================  ==========  ============================================
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..common.errors import ExportError
from ..common.fileio import decode_utf8
from ..common.registry import Registry, import_object
from .files import TEXT_SUFFIXES, text_post
from .post import PathLike, Post
from .problems import ErrorHandler, ReadError, ReadWarning, WarningHandler, _warner

__all__ = ["Reader", "READERS", "FORMATS", "detect_format", "read_posts", "read_folder", "folder_root"]


@dataclass(frozen=True)
class Reader:
    """One kind of export file.

    ``suffixes``: the file-name suffixes it reads (lower case); ``read``:
    ``fn(path, *, recover, on_warning) -> Iterator[Post]``, or a
    ``"module:function"`` string imported on first use; ``label``: how
    messages name the kind; ``gzip``: also ``<suffix>.gz``; ``in_folders``:
    read when found inside a folder given as input; ``site``: the function
    reading the file's :class:`~shortcodes.exports.site.Site` (``fn(path, *,
    recover, on_warning)``, or a ``"module:function"`` string), ``None`` for
    formats that carry no site (:func:`~shortcodes.exports.site.read_site` then
    gives an empty one).
    """

    suffixes: tuple[str, ...]
    read: "Callable[..., Iterator[Post]] | str"
    label: str
    gzip: bool = False
    in_folders: bool = False
    site: "Callable[..., Any] | str | None" = None

    def reader(self) -> Callable[..., Iterator[Post]]:
        """The read function (imported if it was given as a string)."""
        return import_object(self.read) if isinstance(self.read, str) else self.read

    def site_reader(self) -> "Callable[..., Any] | None":
        """The site-model read function (imported if it was given as a string), or None."""
        return import_object(self.site) if isinstance(self.site, str) else self.site


#: Export readers by :attr:`Post.fmt`, in the order files are matched.
READERS: Registry[Reader] = Registry("export reader", entry_points="wp_shortcodes.readers")
READERS.register("wxr", Reader((".xml", ".wxr"), "shortcodes.exports.wxr.reader:read_wxr",
                               "a WordPress export .xml", gzip=True, site="shortcodes.exports.site:read_wxr_site"))
READERS.register("rest", Reader((".json", ".jsonl", ".ndjson"), "shortcodes.exports.rest:read_rest_json",
                                "REST API .json/.jsonl", gzip=True, site="shortcodes.exports.site:read_rest_site"))
for _fmt in dict.fromkeys(TEXT_SUFFIXES.values()):
    READERS.register(_fmt, Reader(tuple(s for s, f in TEXT_SUFFIXES.items() if f == _fmt),
                                  "shortcodes.exports.files:read_text_posts", ".html/.htm/.txt/.md files",
                                  in_folders=True))
del _fmt

#: Values of :attr:`Post.fmt` (the built-in readers).
FORMATS: tuple[str, ...] = READERS.names()


def _labels() -> str:
    labels = list(dict.fromkeys(READERS[name].label for name in READERS.names()))
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + ", or " + labels[-1]


def detect_format(path: PathLike) -> str:
    """The reader a file needs: ``wxr``, ``rest``, ``html``, ``text``, ``markdown`` or ``folder``.

    Raises :class:`ExportError` for an unknown file type.

    >>> detect_format("site.WordPress.2024-01-01.xml"), detect_format("posts.jsonl")
    ('wxr', 'rest')
    >>> detect_format("notes.md"), detect_format("export.xml.gz")
    ('markdown', 'wxr')
    >>> detect_format("photo.jpg")
    Traceback (most recent call last):
    ...
    shortcodes.common.errors.ExportError: photo.jpg: unknown file type '.jpg' (expected a WordPress export .xml, REST API .json/.jsonl, or .html/.htm/.txt/.md files)
    """
    p = Path(path)
    if p.is_dir():
        return "folder"
    name = p.name.lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    for fmt in READERS.names():
        spec = READERS[fmt]
        if suffix in spec.suffixes and (spec.gzip or not gzipped):
            return fmt
    shown = suffix or "(no suffix)"
    raise ExportError(f"unknown file type {shown!r} (expected {_labels()})", str(path))


def read_posts(
    paths: "Iterable[PathLike] | PathLike",
    *,
    recover: bool = False,
    on_warning: "WarningHandler | None" = None,
    on_error: "ErrorHandler | None" = None,
    follow_links: bool = False,
) -> Iterator[Post]:
    """Yield the posts of every file and folder in ``paths``, in order.

    Each file's reader is chosen by :func:`detect_format`; folders are read
    with :func:`read_folder` (``follow_links`` goes to it).  WXR and REST
    JSON stream (memory stays flat however big the export).
    ``recover=True`` continues past malformed XML or JSON as far as it can,
    reporting what it skipped through ``on_warning`` (see
    :func:`shortcodes.exports.wxr.read_wxr`).  Errors are :class:`ExportError`
    naming the file and ``line:column``; a missing path is an error too.

    ``on_error``: one bad input never sinks the others.  Instead of raising
    the :class:`ExportError` of a file that cannot be read (an unknown file
    type, a missing path, malformed XML without ``recover``, a file of a
    folder that is not UTF-8...), pass it to ``on_error`` as a
    :class:`~shortcodes.exports.problems.ReadError` (``file``, ``line``,
    ``column``, ``reason``) and go on with the next file.  A file that fails
    part-way has had its posts up to the error yielded; ``ReadError.posts``
    says how many.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "ok.txt").write_text("[gallery]", encoding="utf-8")
    >>> _ = (folder / "bad.txt").write_bytes(b"caf\\xe9")
    >>> errors = []
    >>> [p.id for p in read_posts([folder / "nope.xml", folder], on_error=errors.append)]
    ['ok.txt']
    >>> [(e.file[-8:], e.line, e.column, e.reason) for e in errors]
    [('nope.xml', None, None, 'no such file or folder'), ('/bad.txt', 1, 4, 'not UTF-8 (unexpected end of data)')]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in paths:
        p = Path(path)
        count = 0
        try:
            if not p.exists():
                raise ExportError("no such file or folder", str(path))
            kind = detect_format(p)
            if kind == "folder":
                yield from read_folder(p, recover=recover, on_warning=on_warning, on_error=on_error,
                                       follow_links=follow_links)
                continue
            for post in read_file(p, kind, recover=recover, on_warning=on_warning):
                count += 1
                yield post
        except ExportError as exc:
            if on_error is None:
                raise
            on_error(ReadError.of(exc, posts=count))


def read_file(path: PathLike, fmt: str, **options: Any) -> Iterator[Post]:
    """The posts of one file read as ``fmt`` (``recover``, ``on_warning`` go to its reader)."""
    return READERS[fmt].reader()(path, **options)


def folder_root(folder: PathLike) -> Path:
    """The folder :func:`read_folder` reads, resolved: without ``follow_links`` it reads nothing outside it.

    (Check an output folder against it before writing into the input.)
    """
    return Path(folder).resolve()


def read_folder(
    folder: PathLike,
    *,
    recover: bool = False,
    on_warning: "WarningHandler | None" = None,
    on_error: "ErrorHandler | None" = None,
    follow_links: bool = False,
    exclude: "Iterable[PathLike]" = (),
) -> Iterator[Post]:
    """Yield one post per plain file under ``folder`` (recursively, sorted by path).

    The ``.html``/``.htm``/``.txt``/``.md``/``.markdown`` files are read, one
    post each, and the ``.xml``/``.wxr`` files that are WordPress exports (an
    ``<rss>`` root with the export namespace near the start), each post of
    theirs; a folder of posts also holds images, stylesheets and the like, so
    an ``.xml`` file that is no export is skipped with a warning, and a
    ``.json`` is more likely a settings file than an export (name REST
    exports explicitly).  Hidden files and folders (``.name``) are skipped,
    and so is everything under ``exclude`` (an output folder inside the input).
    A plain file's post ``id`` is its path relative to ``folder``, with ``/``
    separators (an export's posts keep their own).

    Symbolic links are not followed out of the folder unless
    ``follow_links=True``: a link to a file inside it is read, a link that
    leads outside it (to ``/etc/passwd``, say) is skipped with a
    :class:`ReadWarning` naming it, and links to folders are not descended
    into (a warning says so when they lead outside).  With
    ``follow_links=True`` every link is followed, and a folder reached twice
    (through a link, or a loop of links) is read once, by its real path if it has one there.  Whatever the option, a broken link and a
    file that is not a regular file (a named pipe, a socket, a device) are
    skipped with a warning: reading a FIFO would wait forever.  A file that
    cannot be read raises :class:`ExportError`, or goes to ``on_error`` (see
    :func:`read_posts`) and the other files are read.  ``recover`` is
    accepted for the signature's sake (plain files have nothing to recover).
    """
    root = Path(folder)
    if not root.is_dir():
        raise ExportError("not a folder", str(folder))
    warn = _warner(on_warning)
    real_root = folder_root(root)
    excluded = [Path(e).resolve() for e in exclude]
    suffixes = {s for name in READERS.names() if READERS[name].in_folders for s in READERS[name].suffixes}
    suffixes |= _FOLDER_EXPORTS
    found: list[tuple[str, Path]] = []
    visited: set[tuple[int, int]] = set()

    def unlisted(exc: OSError) -> None:
        raise ExportError(f"cannot read the folder: {exc.strerror or exc}", str(exc.filename or root))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links, onerror=unlisted):
        if follow_links:
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in visited:
                warn(ReadWarning(dirpath, None, None, "a folder already read by another path (a link): skipped"))
                dirnames[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
        keep = []
        for d in dirnames:
            full = Path(dirpath) / d
            if d.startswith(".") or (excluded and _under(full.resolve(), excluded)):
                continue
            if not follow_links and full.is_symlink():
                target = full.resolve()
                if not _under(target, [real_root]):
                    warn(ReadWarning(str(full), None, None, f"a link to the folder {target}, outside {root}: not "
                                     "followed (follow_links=True follows it)"))
                continue  # inside: its files are read where they are
            keep.append(d)
        # real folders before links, by name: which path a folder is read by does not depend on the disk
        dirnames[:] = sorted(keep, key=lambda d: (os.path.islink(os.path.join(dirpath, d)), d))
        for name in filenames:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in suffixes:
                continue
            path = Path(dirpath) / name
            if excluded and _under(path.resolve(), excluded):
                continue
            found.append((path.relative_to(root).as_posix(), path))
    for rel, path in sorted(found):
        count = 0
        try:
            posts = _folder_file(path, rel, root, real_root, follow_links, warn, recover=recover,
                                 on_warning=on_warning)
            for post in posts or ():
                count += 1
                yield post
        except ExportError as exc:
            if on_error is None:
                raise
            on_error(ReadError.of(exc, posts=count))
            continue


def _under(path: Path, roots: "list[Path]") -> bool:
    return any(path == r or path.is_relative_to(r) for r in roots)


_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def _special(mode: int) -> "str | None":
    """What a file that is not a regular file is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _SPECIAL if test(mode)), "not a regular file")


def _folder_file(path: Path, rel: str, root: Path, real_root: Path, follow_links: bool,
                 warn: WarningHandler, *, recover: bool = False,
                 on_warning: "WarningHandler | None" = None) -> "Iterator[Post] | None":
    """The posts of one file found in a folder (a plain file: one; a WordPress export: its items), or
    None (with a warning) for what is not read."""
    name = str(path)

    def skip(why: str) -> None:
        warn(ReadWarning(name, None, None, f"{why}: skipped"))

    try:
        st = os.lstat(path)
    except OSError as exc:
        raise ExportError(f"cannot read: {exc.strerror or exc}", name) from None
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # O_NONBLOCK: a FIFO does not block
    if stat.S_ISLNK(st.st_mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a loop of links
            skip("a broken symbolic link")
            return None
        if not follow_links and not _under(target, [real_root]):
            warn(ReadWarning(name, None, None, f"a symbolic link to {target}, outside {root}: not followed "
                             "(follow_links=True reads it)"))
            return None
    else:
        what = _special(st.st_mode)
        if what is not None:
            skip(f"{what}, not a regular file")
            return None
        flags |= getattr(os, "O_NOFOLLOW", 0)  # not a link when looked at: it must not become one
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ExportError(f"cannot read: {exc.strerror or exc}", name) from None
    f = os.fdopen(fd, "rb")
    try:
        what = _special(os.fstat(f.fileno()).st_mode)
        if what is not None:
            skip(f"{what}, not a regular file")
            f.close()
            return None
        if os.path.splitext(path.name)[1].lower() in _FOLDER_EXPORTS:
            head = f.read(_SNIFF)
            if not _looks_like_wxr(head):
                skip("an .xml file that is not a WordPress export (no <rss> with the export namespace)")
                f.close()
                return None
            f.seek(0)
            return _export_posts(f, name, recover, on_warning)
        try:
            data = f.read()
        except OSError as exc:
            raise ExportError(f"cannot read: {exc.strerror or exc}", name) from None
        f.close()
    except BaseException:
        f.close()
        raise
    return iter((text_post(path, decode_utf8(data, name), id=rel),))


#: Export suffixes read inside a folder given as input, when the file is a WordPress export.
_FOLDER_EXPORTS = frozenset({".xml", ".wxr"})
_SNIFF = 1 << 14


def _looks_like_wxr(head: bytes) -> bool:
    """True when the start of a file is a WordPress export's (an ``<rss`` root and the export namespace).

    >>> _looks_like_wxr(b'<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">')
    True
    >>> _looks_like_wxr(b'<?xml version="1.0"?><settings/>')
    False
    """
    text = head.replace(b"\x00", b"").lower()  # UTF-16 read as bytes keeps its ASCII letters
    return b"<rss" in text and b"wordpress.org/export/" in text


def _export_posts(f: Any, name: str, recover: bool, on_warning: "WarningHandler | None") -> Iterator[Post]:
    from .wxr.reader import WxrReader  # reason: the WXR reader is loaded only when a folder holds an export

    with f:
        yield from WxrReader(f, recover=recover, on_warning=on_warning, name=name)
