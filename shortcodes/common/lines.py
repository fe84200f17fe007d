"""Offsets in a text to 1-based ``(line, column)``: the places every message names."""
from __future__ import annotations

import bisect

__all__ = ["LineIndex"]


class LineIndex:
    """Maps offsets of one text to 1-based ``(line, column)`` pairs.

    The line starts are found once; each lookup is a binary search.

    >>> LineIndex("ab\\ncd").line_col(4)
    (2, 2)
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1
