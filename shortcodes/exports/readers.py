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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..common.errors import ExportError
from ..common.registry import Registry, import_object
from .files import TEXT_SUFFIXES, read_text_file
from .post import PathLike, Post
from .problems import WarningHandler

__all__ = ["Reader", "READERS", "FORMATS", "detect_format", "read_posts", "read_folder"]


@dataclass(frozen=True)
class Reader:
    """One kind of export file.

    ``suffixes``: the file-name suffixes it reads (lower case); ``read``:
    ``fn(path, *, recover, on_warning) -> Iterator[Post]``, or a
    ``"module:function"`` string imported on first use; ``label``: how
    messages name the kind; ``gzip``: also ``<suffix>.gz``; ``in_folders``:
    read when found inside a folder given as input.
    """

    suffixes: tuple[str, ...]
    read: "Callable[..., Iterator[Post]] | str"
    label: str
    gzip: bool = False
    in_folders: bool = False

    def reader(self) -> Callable[..., Iterator[Post]]:
        """The read function (imported if it was given as a string)."""
        return import_object(self.read) if isinstance(self.read, str) else self.read


#: Export readers by :attr:`Post.fmt`, in the order files are matched.
READERS: Registry[Reader] = Registry("export reader", entry_points="wp_shortcodes.readers")
READERS.register("wxr", Reader((".xml", ".wxr"), "shortcodes.exports.wxr.reader:read_wxr",
                               "a WordPress export .xml", gzip=True))
READERS.register("rest", Reader((".json", ".jsonl", ".ndjson"), "shortcodes.exports.rest:read_rest_json",
                                "REST API .json/.jsonl", gzip=True))
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
) -> Iterator[Post]:
    """Yield the posts of every file and folder in ``paths``, in order.

    Each file's reader is chosen by :func:`detect_format`; folders are read
    with :func:`read_folder`.  WXR files stream (memory stays flat however
    big the export).  ``recover=True`` continues past malformed XML or JSON
    as far as it can, reporting what it skipped through ``on_warning``
    (see :func:`shortcodes.exports.wxr.read_wxr`).  Errors are :class:`ExportError`
    naming the file and ``line:column``; a missing path is an error too.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for path in paths:
        p = Path(path)
        if not p.exists():
            raise ExportError("no such file or folder", str(path))
        kind = detect_format(p)
        if kind == "folder":
            yield from read_folder(p, recover=recover, on_warning=on_warning)
        else:
            yield from read_file(p, kind, recover=recover, on_warning=on_warning)


def read_file(path: PathLike, fmt: str, **options: Any) -> Iterator[Post]:
    """The posts of one file read as ``fmt`` (``recover``, ``on_warning`` go to its reader)."""
    return READERS[fmt].reader()(path, **options)


def read_folder(
    folder: PathLike,
    *,
    recover: bool = False,
    on_warning: "WarningHandler | None" = None,
) -> Iterator[Post]:
    """Yield one post per plain file under ``folder`` (recursively, sorted by path).

    Only ``.html``/``.htm``/``.txt``/``.md``/``.markdown`` files are read: a
    folder of posts also holds images, stylesheets and the like, and a stray
    ``.json`` or ``.xml`` is more likely a settings file than an export (name
    exports explicitly).  Hidden files and folders (``.name``) are skipped.
    A post's ``id`` is its path relative to ``folder``, with ``/`` separators.
    """
    root = Path(folder)
    if not root.is_dir():
        raise ExportError("not a folder", str(folder))
    suffixes = {s for name in READERS.names() if READERS[name].in_folders for s in READERS[name].suffixes}
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in suffixes:
                continue
            path = Path(dirpath) / name
            found.append((path.relative_to(root).as_posix(), path))
    for rel, path in sorted(found):
        yield read_text_file(path, id=rel)
