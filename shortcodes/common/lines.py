"""Offsets in a text to 1-based ``(line, column)``: the places every message names."""
from __future__ import annotations

import bisect

__all__ = ["LineIndex", "line_cols"]


class LineIndex:
    """Maps offsets of one text to 1-based ``(line, column)`` pairs.

    The first few lookups count the line breaks before the offset (in C:
    most texts are asked for a place or two, by a diagnostic); after
    :data:`COUNTED_LOOKUPS` of them the line starts are found once, and each
    lookup is a binary search.  An offset outside the text
    (``0 <= offset <= len(text)``) is refused with :class:`ValueError`.

    >>> LineIndex("ab\\ncd").line_col(4)
    (2, 2)
    >>> LineIndex("ab").line_col(-1)
    Traceback (most recent call last):
    ...
    ValueError: offset -1 is outside the text (0..2)
    """

    __slots__ = ("_text", "_starts", "_length", "_counted")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: "list[int] | None" = None
        self._length = len(text)
        self._counted = 0

    def line_col(self, offset: int) -> tuple[int, int]:
        if not 0 <= offset <= self._length:
            raise ValueError(f"offset {offset} is outside the text (0..{self._length})")
        starts = self._starts
        if starts is None:
            if self._counted < COUNTED_LOOKUPS:
                self._counted += 1
                text = self._text
                return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
            starts = self._starts = _line_starts(self._text)
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


#: How many lookups a :class:`LineIndex` answers by counting before it finds every line start.
COUNTED_LOOKUPS = 8


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def line_cols(text: str, offsets: "list[int]") -> list[tuple[int, int]]:
    """1-based ``(line, column)`` of each of ``offsets`` (ascending), as :meth:`LineIndex.line_col` gives.

    For a few places in a long text (a parse's diagnostics): the text is counted from one offset to
    the next (in C), never indexed whole, so the cost is one pass up to the last offset.

    >>> line_cols("ab\\ncd\\n\\nef", [0, 4, 6, 8])
    [(1, 1), (2, 2), (3, 1), (4, 2)]
    """
    out: list[tuple[int, int]] = []
    line, at, line_start = 1, 0, 0
    count, rfind = text.count, text.rfind
    for off in offsets:
        if off < at or off > len(text):
            raise ValueError(f"offset {off} is outside the text (0..{len(text)}) or before the one before it")
        if off > at:
            n = count("\n", at, off)
            if n:
                line += n
                line_start = rfind("\n", at, off) + 1
            at = off
        out.append((line, off - line_start + 1))
    return out
