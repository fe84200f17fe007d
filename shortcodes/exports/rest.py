"""Reading WordPress REST API JSON (``/wp/v2/posts`` arrays, single objects, JSON Lines)."""
from __future__ import annotations

import json
from typing import Any, Iterator

from ..common.errors import ExportError
from .post import Meta, PathLike, Post, Term
from .problems import ReadWarning, WarningHandler, _warner
from .streams import read_bytes

__all__ = ["read_rest_json"]


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
        raw = read_bytes(path)
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
