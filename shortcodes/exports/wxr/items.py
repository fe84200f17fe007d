"""One ``<item>`` as the parsers collect it, and how it becomes a :class:`~shortcodes.exports.Post`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ..post import Meta, Post, Term
from ..problems import ReadWarning, WarningHandler
from .schema import _EMPTY_ANCHORS, _INT_FIELDS, _STRIPPED


@dataclass
class _Ranges:
    """Absolute byte offsets in the source of what the writer may replace."""

    item: tuple[int, int]  # (start of <item>, start of </item>)
    fields: dict[str, tuple[int, int, str]]  # field -> (element start, end event, qname)
    scope: dict[str, "str | None"]  # namespace bindings in effect on the item


class _Item:
    __slots__ = ("start", "line", "col", "index", "values", "terms", "meta", "meta_cur",
                 "anchors", "warned", "ranges", "scope")

    def __init__(self, start: int, line: int, col: int, index: int) -> None:
        self.start, self.line, self.col, self.index = start, line, col, index
        self.values: dict[str, str] = {}
        self.terms: list[Term] = []
        self.meta: list[Meta] = []
        self.meta_cur: "dict[str, str] | None" = None
        self.anchors: dict[str, tuple] = {}
        self.warned: set[str] = set()
        self.ranges: dict[str, tuple[int, int, str]] = {}
        self.scope: dict[str, "str | None"] = {}


class _SyntaxProblem(Exception):
    """Expat failed; carries the translated place."""

    def __init__(self, message: str, line: int, column: int, offset: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.offset = message, line, column, offset


def _check_version(version: "str | None", name: str, warn: WarningHandler) -> None:
    if version is None:
        warn(ReadWarning(name, None, None, "no <wp:wxr_version>: this may not be a WordPress export "
                                           "(WordPress's importer refuses such files)"))
    elif not re.fullmatch(r"\d+\.\d+", version):
        warn(ReadWarning(name, None, None, f"<wp:wxr_version> is {version!r}, not a version number "
                                           "(WordPress's importer refuses such files)"))


def _build_post(item: _Item, name: str, warn: Callable[[str], None], *, recovered: bool = False) -> Post:
    values = item.values
    kwargs: dict[str, Any] = {}
    for fld, text in values.items():
        if fld in _INT_FIELDS:
            t = text.strip()
            try:
                kwargs[fld] = int(t) if t else 0
            except ValueError:
                warn(f"<wp:{'post_parent' if fld == 'parent' else fld}> is {t!r}, not a number: read as 0")
                kwargs[fld] = 0
        elif fld in _STRIPPED:
            kwargs[fld] = text.strip()
        else:
            kwargs[fld] = text
    return Post(
        **kwargs,
        content_field="content:encoded" if "content" in values else "",
        terms=tuple(item.terms),
        meta=tuple(item.meta),
        fmt="wxr",
        source_file=name,
        item_index=item.index,
        source_line=item.line,
        source_column=item.col,
        recovered=recovered,
        content_anchors=item.anchors.get("content", _EMPTY_ANCHORS),
        excerpt_anchors=item.anchors.get("excerpt", _EMPTY_ANCHORS),
    )
