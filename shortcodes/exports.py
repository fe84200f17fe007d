"""Posts read from exports: WordPress WXR, REST API JSON, and plain files.

Every reader yields :class:`Post` records, one per exported item, whatever the
input format; :func:`read_posts` takes a mix of files and folders and picks
the reader from each file's type:

=====================================  ==========  =============================
file                                   ``fmt``     reader
=====================================  ==========  =============================
``.xml``, ``.wxr`` (also ``.gz``)      ``wxr``     :func:`shortcodes.wxr.read_wxr`
``.json`` (array, object, or lines)    ``rest``    :func:`read_rest_json`
``.jsonl``, ``.ndjson``                ``rest``    :func:`read_rest_json`
``.html``, ``.htm``                    ``html``    :func:`read_text_file`
``.txt``                               ``text``    :func:`read_text_file`
``.md``, ``.markdown``                 ``markdown``:func:`read_text_file`
a folder (its plain files)             (as above)  :func:`read_folder`
=====================================  ==========  =============================

Readers never print and never raise a traceback for bad input: a file that
cannot be read raises :class:`ExportError` (a :class:`~shortcodes.fileio.InputError`)
whose message starts with ``file:line:column``; problems that do not stop the
reading are reported as :class:`ReadWarning` records to the ``on_warning``
callback (by default they are issued as Python warnings of category
:class:`ExportWarning`).

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "about.html").write_text('<p>[gallery ids="1,2"]</p>', encoding="utf-8")
>>> _ = (folder / "posts.json").write_text(json.dumps([
...     {"id": 7, "type": "post", "title": {"rendered": "Hi"},
...      "content": {"raw": "[caption]x[/caption]", "rendered": "<p>x</p>"}}]))
>>> for post in read_posts([folder, folder / "posts.json"]):  # the folder gives its .html
...     print(post.fmt, repr(post.id), post.content_field, post.content)
html 'about.html' file <p>[gallery ids="1,2"]</p>
rest '7' content.raw [caption]x[/caption]
"""
from __future__ import annotations

import bisect
import gzip
import io
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Union

from .fileio import InputError

__all__ = [
    "Post",
    "Term",
    "Meta",
    "ReadWarning",
    "ExportWarning",
    "ExportError",
    "WarningHandler",
    "PathLike",
    "FORMATS",
    "TEXT_SUFFIXES",
    "detect_format",
    "read_posts",
    "read_rest_json",
    "read_text_file",
    "read_folder",
]

PathLike = Union[str, "os.PathLike[str]"]

#: Values of :attr:`Post.fmt`.
FORMATS = ("wxr", "rest", "html", "text", "markdown")

#: Plain-file suffixes and the :attr:`Post.fmt` each gives.
TEXT_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text", ".md": "markdown", ".markdown": "markdown"}
_WXR_SUFFIXES = (".xml", ".wxr")
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


# --------------------------------------------------------------------------
# Errors and warnings


class ExportError(InputError):
    """An export that cannot be read; the message starts with ``file:line:column``.

    ``file``, ``line`` and ``column`` (1-based; ``None`` when unknown) are
    also kept as attributes, and ``reason`` is the message without the place.

    >>> str(ExportError("unknown file type", "a.docx"))
    'a.docx: unknown file type'
    >>> e = ExportError("mismatched tag", "x.xml", 90, 3)
    >>> str(e), e.line, e.reason
    ('x.xml:90:3: mismatched tag', 90, 'mismatched tag')
    """

    def __init__(self, reason: str, file: str = "", line: "int | None" = None, column: "int | None" = None) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        self.column = column
        super().__init__(f"{_place(file, line, column)}{reason}")


class ExportWarning(UserWarning):
    """Category of the Python warnings issued when no ``on_warning`` is given."""


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """A problem that did not stop the reading: something skipped or guessed.

    >>> str(ReadWarning("a.xml", 12, 5, "second <wp:post_id> ignored"))
    'a.xml:12:5: second <wp:post_id> ignored'
    """

    file: str
    line: "int | None"
    column: "int | None"
    message: str

    def __str__(self) -> str:
        return f"{_place(self.file, self.line, self.column)}{self.message}"


WarningHandler = Callable[[ReadWarning], None]


def _place(file: str, line: "int | None", column: "int | None") -> str:
    parts = [file] if file else []
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts) + ": " if parts else ""


def _python_warning(w: ReadWarning) -> None:
    warnings.warn(str(w), ExportWarning, stacklevel=3)


def _warner(on_warning: "WarningHandler | None") -> WarningHandler:
    return on_warning if on_warning is not None else _python_warning


# --------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True)
class Term:
    """A category, tag or other taxonomy term of a post.

    ``domain`` is the taxonomy (``category``, ``post_tag``; WXR 1.0 writes
    ``tag``), ``nicename`` the slug and ``name`` the display name.
    """

    domain: str
    nicename: str
    name: str


@dataclass(frozen=True, slots=True)
class Meta:
    """One custom field (``wp:postmeta``): the raw ``key`` and ``value`` strings.

    Values are exactly as exported: serialized PHP stays serialized.
    """

    key: str
    value: str


Anchor = tuple[int, int, int]  # (offset in the text, line, column), 1-based line/column


@dataclass(frozen=True, slots=True, kw_only=True)
class Post:
    """One exported post (or page, attachment, menu item...), whatever the format.

    Data fields (missing ones are ``""``, or ``0`` for numbers):

    * ``id``: the post ID as text (``wp:post_id``, REST ``id``), or for a plain
      file its path relative to the folder given (the file name for a file
      given directly);
    * ``type`` (``post``, ``page``, ``attachment``...), ``status``,
      ``title``, ``slug`` (``wp:post_name``), ``author`` (the login in WXR,
      the user ID or embedded slug in REST JSON), ``date`` (local time, as
      exported) and ``date_gmt``, ``link``, ``guid``;
    * ``content`` and ``excerpt``: the post body and excerpt, decoded (CDATA
      and entities resolved) but otherwise exactly as stored; ``content_field``
      names where ``content`` came from: ``content:encoded`` (WXR),
      ``content.raw`` or ``content.rendered`` (REST; *rendered* content has
      been through ``the_content`` filters, so quotes are usually texturized
      and shortcodes already expanded), or ``file``;
    * ``terms`` (categories and tags, see :attr:`categories` and
      :attr:`tags`), ``meta`` (custom fields, in order), ``attachment_url``,
      ``parent`` (post ID, 0 for none) and ``menu_order``.

    Where and how the post was read (not part of equality, so a post read
    back from a rewritten file compares equal to the original):

    * ``content_field`` (above), ``fmt``: one of :data:`FORMATS`; ``source_file``; ``item_index``
      (0-based position of the item in its file);
    * ``source_line``/``source_column``: where the item starts (the
      ``<item>`` tag, the JSON object or line, or 1:1 for a plain file);
    * ``content_line``/``content_column``: where the content starts in the
      file, i.e. just after the ``<content:encoded>`` tag in WXR (``None``
      when not known, as in JSON);
    * ``recovered``: read by the tolerant scanner after an XML error (see
      :func:`shortcodes.wxr.read_wxr`), so fields may be incomplete.

    Use :meth:`position` or :meth:`where` to turn an offset in ``content``
    (such as a shortcode's ``span[0]``) into a place in the file.

    >>> p = Post(id="12", source_file="site.xml", fmt="wxr", content="a\\n[b]",
    ...          source_line=40, _content_anchors=((0, 45, 35),))
    >>> p.position(2), p.where(2), p.label
    ((46, 1), 'site.xml:46:1', 'post 12')
    """

    id: str = ""
    type: str = ""
    status: str = ""
    title: str = ""
    slug: str = ""
    author: str = ""
    date: str = ""
    date_gmt: str = ""
    link: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    terms: tuple[Term, ...] = ()
    meta: tuple[Meta, ...] = ()
    attachment_url: str = ""
    parent: int = 0
    menu_order: int = 0
    # -- where and how it was read: not compared
    content_field: str = field(default="", compare=False)
    fmt: str = field(default="", compare=False)
    source_file: str = field(default="", compare=False)
    item_index: int = field(default=0, compare=False)
    source_line: int = field(default=1, compare=False)
    source_column: int = field(default=1, compare=False)
    recovered: bool = field(default=False, compare=False)
    _content_anchors: tuple[Anchor, ...] = field(default=(), compare=False, repr=False)
    _excerpt_anchors: tuple[Anchor, ...] = field(default=(), compare=False, repr=False)

    # -- convenience -------------------------------------------------------

    @property
    def label(self) -> str:
        """A short human name: ``post 12``, ``page 3``, ``item 5`` (no ID) or the file name."""
        if self.fmt in TEXT_SUFFIXES.values():
            return self.id
        if self.id:
            return f"{self.type or 'post'} {self.id}"
        return f"item {self.item_index + 1}"

    @property
    def categories(self) -> tuple[Term, ...]:
        """The terms whose domain is ``category``."""
        return tuple(t for t in self.terms if t.domain == "category")

    @property
    def tags(self) -> tuple[Term, ...]:
        """The terms whose domain is ``post_tag`` (or ``tag``, as WXR 1.0 writes it)."""
        return tuple(t for t in self.terms if t.domain in ("post_tag", "tag"))

    @property
    def is_rendered(self) -> bool:
        """True when ``content`` is REST ``content.rendered`` (filtered HTML, not the stored text)."""
        return self.content_field.endswith(".rendered")

    def meta_value(self, key: str, default: "str | None" = None) -> "str | None":
        """The value of the first custom field named ``key`` (``default`` if none)."""
        for m in self.meta:
            if m.key == key:
                return m.value
        return default

    @property
    def content_line(self) -> "int | None":
        """Line in the file of the first character of ``content`` (``None`` if unknown)."""
        return self._content_anchors[0][1] if self._content_anchors else None

    @property
    def content_column(self) -> "int | None":
        """Column in the file of the first character of ``content`` (``None`` if unknown)."""
        return self._content_anchors[0][2] if self._content_anchors else None

    def position(self, offset: int, *, field: str = "content") -> tuple[int, int]:
        """The 1-based ``(line, column)`` in :attr:`source_file` of ``content[offset]``.

        Exact for WXR (across CDATA sections, split ``]]>`` and entity
        references) and plain files; for JSON, where text is escaped, it is
        the start of the post's object.  ``field="excerpt"`` maps an offset
        in ``excerpt`` instead.
        """
        text, anchors = self._field(field)
        if not anchors:
            return self.source_line, self.source_column
        offset = max(0, min(offset, len(text)))
        i = bisect.bisect_right(anchors, offset, key=lambda a: a[0]) - 1
        a_off, a_line, a_col = anchors[max(i, 0)]
        if offset < a_off:  # before the first anchor: cannot happen, be safe
            return a_line, a_col
        newlines = text.count("\n", a_off, offset)
        if not newlines:
            return a_line, a_col + offset - a_off
        return a_line + newlines, offset - text.rfind("\n", a_off, offset)

    def where(self, offset: "int | None" = None, *, field: str = "content") -> str:
        """``file:line:column`` of ``content[offset]`` (of the item when ``offset`` is None)."""
        if offset is None:
            line, col = self.source_line, self.source_column
        else:
            line, col = self.position(offset, field=field)
        return f"{self.source_file}:{line}:{col}"

    def _field(self, name: str) -> tuple[str, tuple[Anchor, ...]]:
        if name == "content":
            return self.content, self._content_anchors
        if name == "excerpt":
            return self.excerpt, self._excerpt_anchors
        raise ValueError(f"field must be 'content' or 'excerpt', not {name!r}")


# --------------------------------------------------------------------------
# Dispatch


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
    shortcodes.exports.ExportError: photo.jpg: unknown file type '.jpg' (expected a WordPress export .xml, REST API .json/.jsonl, or .html/.htm/.txt/.md files)
    """
    p = Path(path)
    if p.is_dir():
        return "folder"
    name = p.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    if suffix in _WXR_SUFFIXES:
        return "wxr"
    if suffix in _JSON_SUFFIXES:
        return "rest"
    if suffix in TEXT_SUFFIXES and not p.name.lower().endswith(".gz"):
        return TEXT_SUFFIXES[suffix]
    shown = suffix or "(no suffix)"
    raise ExportError(
        f"unknown file type {shown!r} (expected a WordPress export .xml, REST API .json/.jsonl, "
        "or .html/.htm/.txt/.md files)",
        str(path),
    )


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
    (see :func:`shortcodes.wxr.read_wxr`).  Errors are :class:`ExportError`
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
            yield from _read_file(p, kind, recover=recover, on_warning=on_warning)


def _read_file(path: Path, kind: str, *, recover: bool, on_warning: "WarningHandler | None") -> Iterator[Post]:
    if kind == "wxr":
        from .wxr import read_wxr

        yield from read_wxr(path, recover=recover, on_warning=on_warning)
    elif kind == "rest":
        yield from read_rest_json(path, recover=recover, on_warning=on_warning)
    else:
        yield read_text_file(path)


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
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in TEXT_SUFFIXES:
                continue
            path = Path(dirpath) / name
            found.append((path.relative_to(root).as_posix(), path))
    for rel, path in sorted(found):
        yield read_text_file(path, id=rel)


# --------------------------------------------------------------------------
# Plain files


def read_text_file(path: PathLike, *, id: "str | None" = None) -> Post:
    """Read one ``.html``/``.htm``/``.txt``/``.md`` file as one post.

    The whole file (UTF-8, a BOM dropped) is the ``content``; ``id`` defaults
    to the file name and ``slug`` is the name without its suffix.  Offsets in
    the content map to the file directly (see :meth:`Post.position`).
    """
    from .fileio import read_text

    p = Path(path)
    try:
        text = read_text(p)
    except ExportError:
        raise
    except InputError as exc:  # already "file:line:column: reason"
        raise ExportError(str(exc)) from None
    name = p.name
    suffix = os.path.splitext(name)[1].lower()
    return Post(
        id=id if id is not None else name,
        slug=os.path.splitext(name)[0],
        content=text,
        content_field="file",
        fmt=TEXT_SUFFIXES.get(suffix, "text"),
        source_file=str(path),
        _content_anchors=((0, 1, 1),),
    )


# --------------------------------------------------------------------------
# REST API JSON


def read_rest_json(
    path: PathLike,
    *,
    recover: bool = False,
    on_warning: "WarningHandler | None" = None,
) -> Iterator[Post]:
    """Yield posts from WordPress REST API JSON (``/wp/v2/posts`` responses).

    Accepts a JSON array of post objects, a single object, or JSON Lines
    (one object per line; ``.jsonl``/``.ndjson``, or a ``.json`` file whose
    first line is a complete object).  ``content.raw`` (present with
    ``?context=edit``) is preferred over ``content.rendered``;
    :attr:`Post.content_field` says which was used.  ``title`` and
    ``excerpt`` likewise.  With ``?_embed``, ``_embedded["wp:term"]`` gives
    the terms and ``_embedded.author[0].slug`` the author.

    Invalid JSON raises :class:`ExportError` at ``file:line:column``; with
    ``recover=True`` a bad JSON line (JSON Lines only) or a non-object item is
    skipped with a warning instead.
    """
    name = str(path)
    warn = _warner(on_warning)
    try:
        raw = _open_bytes(path)
    except OSError as exc:
        raise ExportError(f"cannot read: {exc.strerror or exc}", name) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ExportError(f"not UTF-8 ({exc.reason})", name, line, col) from None
    del raw
    if text.startswith("\ufeff"):
        text = text[1:]
    stripped = text.lstrip()
    if not stripped:
        return
    index = 0
    if stripped[0] == "[":
        for start, obj in _json_array_items(text, name):
            post = _rest_post(obj, name, index, text, start, warn, recover)
            if post is not None:
                yield post
            index += 1
        return
    # One object, or JSON Lines.
    decoder = json.JSONDecoder()
    pos = len(text) - len(stripped)
    try:
        obj, end = decoder.raw_decode(text, pos)
        single = not text[end:].strip()
    except json.JSONDecodeError:
        single = False
    if single:
        post = _rest_post(obj, name, 0, text, pos, warn, recover)
        if post is not None:
            yield post
        return
    offset = 0
    for lineno, record in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is valid in JSON
        start = offset
        offset += len(record) + 1
        if not record.strip():
            continue
        try:
            obj = json.loads(record)
        except json.JSONDecodeError as exc:
            if not recover:
                raise ExportError(f"invalid JSON: {exc.msg}", name, lineno, exc.colno) from None
            warn(ReadWarning(name, lineno, exc.colno, f"invalid JSON ({exc.msg}); line skipped"))
            continue
        post = _rest_post(obj, name, index, text, start, warn, recover)
        if post is not None:
            yield post
        index += 1


def _open_bytes(path: PathLike) -> bytes:
    if str(path).lower().endswith(".gz"):
        with gzip.open(path, "rb") as f:
            return f.read()
    return Path(path).read_bytes()


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _json_array_items(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """(start offset, value) of each element of the top-level JSON array in ``text``."""
    decoder = json.JSONDecoder()
    ws = " \t\r\n"
    pos = text.index("[") + 1
    n = len(text)

    def skip(p: int) -> int:
        while p < n and text[p] in ws:
            p += 1
        return p

    def fail(p: int, msg: str) -> ExportError:
        line, col = _line_col(text, p)
        return ExportError(f"invalid JSON: {msg}", name, line, col)

    pos = skip(pos)
    if pos < n and text[pos] == "]":
        end = skip(pos + 1)
        if end < n:
            raise fail(end, "extra data after the array")
        return
    while True:
        pos = skip(pos)
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ExportError(f"invalid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
        yield pos, value
        pos = skip(end)
        if pos >= n:
            raise fail(pos, "the array is not closed (']' missing)")
        if text[pos] == ",":
            pos += 1
            continue
        if text[pos] == "]":
            end = skip(pos + 1)
            if end < n:
                raise fail(end, "extra data after the array")
            return
        raise fail(pos, "expected ',' or ']' between array items")


def _rendered(value: Any) -> tuple[str, str]:
    """(text, which) from a REST field that is a string or ``{"raw":..., "rendered":...}``."""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, dict):
        for key in ("raw", "rendered"):
            v = value.get(key)
            if isinstance(v, str):
                return v, key
    return "", ""


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return 0


def _as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _rendered(value)[0]
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _rest_post(obj: Any, name: str, index: int, text: str, start: int,
               warn: WarningHandler, recover: bool) -> "Post | None":
    line, col = _line_col(text, start)
    if not isinstance(obj, dict):
        msg = f"item {index + 1} is a JSON {type(obj).__name__}, not a post object"
        if not recover:
            raise ExportError(msg, name, line, col)
        warn(ReadWarning(name, line, col, msg + "; skipped"))
        return None
    content, which = _rendered(obj.get("content"))
    if "content" not in obj:
        warn(ReadWarning(name, line, col, f"item {index + 1} has no 'content'; read as empty"))
        content_field = ""
    else:
        content_field = f"content.{which}" if which else "content"
    title, _ = _rendered(obj.get("title"))
    excerpt, _ = _rendered(obj.get("excerpt"))
    guid, _ = _rendered(obj.get("guid"))
    embedded: dict[str, Any] = obj["_embedded"] if isinstance(obj.get("_embedded"), dict) else {}
    author = _as_str(obj.get("author"))
    authors = embedded.get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict) and authors[0].get("slug"):
        author = _as_str(authors[0]["slug"])
    terms: list[Term] = []
    for group in embedded.get("wp:term") or ():
        for t in group if isinstance(group, list) else ():
            if isinstance(t, dict):
                terms.append(Term(_as_str(t.get("taxonomy")), _as_str(t.get("slug")), _as_str(t.get("name"))))
    meta: list[Meta] = []
    raw_meta = obj.get("meta")
    if isinstance(raw_meta, dict):
        meta = [Meta(str(k), _as_str(v)) for k, v in raw_meta.items()]
    elif isinstance(raw_meta, list):
        for m in raw_meta:
            if isinstance(m, dict) and "key" in m:
                meta.append(Meta(_as_str(m["key"]), _as_str(m.get("value"))))
    return Post(
        id=_as_str(obj.get("id")),
        type=_as_str(obj.get("type")),
        status=_as_str(obj.get("status")),
        title=title,
        slug=_as_str(obj.get("slug")),
        author=author,
        date=_as_str(obj.get("date")),
        date_gmt=_as_str(obj.get("date_gmt")),
        link=_as_str(obj.get("link")),
        guid=guid,
        content=content,
        excerpt=excerpt,
        content_field=content_field,
        terms=tuple(terms),
        meta=tuple(meta),
        attachment_url=_as_str(obj.get("source_url")),
        parent=_as_int(obj.get("parent")),
        menu_order=_as_int(obj.get("menu_order")),
        fmt="rest",
        source_file=name,
        item_index=index,
        source_line=line,
        source_column=col,
    )


def _binary_stream(path: PathLike) -> IO[bytes]:
    """Open ``path`` for reading bytes (gzip-decompressed for ``.gz``)."""
    if str(path).lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return io.open(path, "rb")
