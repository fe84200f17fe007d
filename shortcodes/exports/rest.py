"""Reading WordPress REST API JSON (``/wp/v2/posts`` arrays, single objects, JSON Lines)."""
from __future__ import annotations

import html
import json
import re
from typing import IO, Any, Iterator

from ..common.errors import ExportError
from .jsonstream import Record, _Chars, json_lines, json_values
from .post import Meta, PathLike, Post, Term
from .problems import ReadWarning, WarningHandler, _warner
from .streams import binary_stream

__all__ = ["read_rest_json"]

_JSON_WS = " \t\r\n"


def read_rest_json(
    path: PathLike,
    *,
    recover: bool = False,
    on_warning: "WarningHandler | None" = None,
) -> Iterator[Post]:
    """Yield posts from WordPress REST API JSON (``/wp/v2/posts`` responses), streaming.

    Accepts a JSON array of post objects, a single object (pretty-printed or
    not), or JSON Lines (one object per line: ``.jsonl``/``.ndjson``, or a
    ``.json`` file whose first line is a complete value).  ``content.raw``
    (present with ``?context=edit``) is preferred over ``content.rendered``;
    :attr:`Post.content_field` says which was used.  ``title`` and
    ``excerpt`` likewise.  With ``?_embed``, ``_embedded["wp:term"]`` gives
    the terms and ``_embedded.author[0].slug`` the author.

    The file is read as a stream (gzip-decompressed for ``.gz``): time is
    linear and memory bounded by the largest post, whatever the size of the
    file.  Each post's :attr:`~Post.source_line`/:attr:`~Post.source_column`
    is where its object starts.

    A record that cannot be decoded raises :class:`ExportError` at
    ``file:line:column``: invalid JSON, bad UTF-8, an integer of more digits
    than Python converts (4,300), nesting deeper than the JSON decoder reads,
    a lone UTF-16 surrogate (``"\\ud800"``, which is no character; PHP's
    ``json_decode`` refuses it too).  With ``recover=True`` such a record (a
    line of JSON Lines, an element of an array) is skipped with a
    :class:`ReadWarning` instead, and so is a record that is not an object;
    a syntax error inside an array still ends the reading there (with a
    warning), since nothing says where the next element starts.  A field of
    the wrong type is read as empty, or ``0`` with a warning for
    ``parent``/``menu_order``.
    """
    name = str(path)
    warn = _warner(on_warning)
    lower = name.lower()
    lines_only = lower.removesuffix(".gz").endswith((".jsonl", ".ndjson"))
    index = 0
    for record in _records(path, name, lines_only):
        error = record.error
        if error is None:
            try:
                post = _rest_post(record.value, name, index, record.line, record.column, warn, recover)
            except RecursionError:  # json.dumps of a field nested almost as deep as the decoder allows
                error = f"item {index + 1} is nested too deeply to be read as a post"
            else:
                if post is not None:
                    yield post
        if error is not None:
            if not recover:
                raise ExportError(error, name, record.line, record.column)
            skipped = "the rest of the file is skipped" if record.fatal else f"{record.unit} skipped"
            warn(ReadWarning(name, record.line, record.column, f"{error}; {skipped}"))
        index += 1


def _records(path: PathLike, name: str, lines_only: bool) -> Iterator[Record]:
    """The file's records: JSON Lines, the elements of an array, or the values of a document."""
    with _open(path, name) as stream:
        chars = _Chars(stream, name)
        pieces = [chars.read()]
        while pieces[-1] and not pieces[-1].lstrip(_JSON_WS):  # only whitespace so far
            pieces.append(chars.read())
        head = "".join(pieces)
        if not head.lstrip(_JSON_WS):
            return
        chars.unread(head)
        if head.lstrip(_JSON_WS)[0] == "[" and not lines_only:
            yield from json_values(chars, array=True)
            return
        lines = json_lines(chars)
        first = next(lines, None)
        if first is None:
            return
        if lines_only or first.error is None or not first.cut:
            yield first
            yield from lines
            return
    # The first line is not a whole value: one object over several lines (pretty-printed).
    with _open(path, name) as stream:
        yield from json_values(_Chars(stream, name), array=False)


#: The :attr:`Post.password` of a REST post whose ``content.protected`` is true (the API never gives the
#: password itself).
_REST_PROTECTED = "(password not exported)"


def _open(path: PathLike, name: str) -> IO[bytes]:
    try:
        return binary_stream(path)
    except OSError as exc:
        raise ExportError(f"cannot read: {exc.strerror or exc}", name) from None


def _json_type(value: Any) -> str:
    """What JSON calls the type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {"str": "string", "list": "array", "dict": "object"}.get(type(value).__name__, type(value).__name__)


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


_TAG = re.compile(r"<[^>]*>?")


def _text_of(value: Any) -> str:
    """A title or excerpt as text: ``raw`` as stored, ``rendered`` (HTML after WordPress's filters:
    ``Egypt &#8211; figures``, ``<p>…</p>``) with its tags removed and its references decoded.

    >>> _text_of({"rendered": "Egypt &#8211; <em>figures</em> &amp; more"}), _text_of({"raw": "a &amp; b"})
    ('Egypt – figures & more', 'a &amp; b')
    """
    text, which = _rendered(value)
    if which != "rendered":
        return text
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


_INTEGER = re.compile(r"[ \t\r\n]*[-+]?[0-9]{1,20}[ \t\r\n]*")


def _as_int(value: Any) -> "int | None":
    """An integer field: None when the value is not one (a string like ``"--5"``, a list...)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and (not value.strip() or _INTEGER.fullmatch(value)):
        return int(value) if value.strip() else 0
    return None


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


def _rest_post(obj: Any, name: str, index: int, line: int, col: int,
               warn: WarningHandler, recover: bool) -> "Post | None":
    if not isinstance(obj, dict):
        msg = f"item {index + 1} is a JSON {_json_type(obj)}, not a post object"
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
    title = _text_of(obj.get("title"))
    excerpt = _text_of(obj.get("excerpt"))
    guid, _ = _rendered(obj.get("guid"))
    embedded: dict[str, Any] = obj["_embedded"] if isinstance(obj.get("_embedded"), dict) else {}
    author = _as_str(obj.get("author"))
    authors = embedded.get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict) and authors[0].get("slug"):
        author = _as_str(authors[0]["slug"])
    terms: list[Term] = []
    groups = embedded.get("wp:term")
    for group in groups if isinstance(groups, list) else ():
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
    numbers = {}
    for key in ("parent", "menu_order"):
        number = _as_int(obj.get(key))
        if number is None:
            shown = _as_str(obj.get(key))
            warn(ReadWarning(name, line, col, f"item {index + 1}: {key!r} is "
                             f"{shown[:40] + '...' if len(shown) > 40 else shown!r}, not a number: read as 0"))
        numbers[key] = number or 0
    return Post(
        id=_as_str(obj.get("id")),
        type=_as_str(obj.get("type")),
        status=_as_str(obj.get("status")),
        title=title,
        slug=_as_str(obj.get("slug")),
        author=author,
        date=_as_str(obj.get("date")),
        date_gmt=_as_str(obj.get("date_gmt")),
        modified=_as_str(obj.get("modified")),
        modified_gmt=_as_str(obj.get("modified_gmt")),
        link=_as_str(obj.get("link")),
        guid=guid,
        content=content,
        excerpt=excerpt,
        content_field=content_field,
        terms=tuple(terms),
        meta=tuple(meta),
        attachment_url=_as_str(obj.get("source_url")),
        parent=numbers["parent"],
        menu_order=numbers["menu_order"],
        password=_as_str(obj.get("password")) or (
            _REST_PROTECTED if isinstance(obj.get("content"), dict) and obj["content"].get("protected") is True
            else ""),
        fmt="rest",
        source_file=name,
        item_index=index,
        source_line=line,
        source_column=col,
    )
