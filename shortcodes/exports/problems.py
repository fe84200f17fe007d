"""What readers report without stopping: :class:`ReadWarning` and :class:`ReadError`, and where they go."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

from ..common.errors import ExportError, place

__all__ = ["ReadWarning", "ReadError", "ExportWarning", "WarningHandler", "ErrorHandler"]


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
        return f"{place(self.file, self.line, self.column)}{self.message}"


WarningHandler = Callable[[ReadWarning], None]


@dataclass(frozen=True, slots=True)
class ReadError:
    """A file that could not be read, or not to its end: what ``read_posts(..., on_error=...)`` reports.

    ``posts`` says how many posts of the file were yielded before the error
    (a WXR file can fail after its first items); ``error`` is the
    :class:`ExportError` that would have been raised.

    >>> e = ReadError.of(ExportError("mismatched tag", "a.xml", 90, 3), posts=2)
    >>> str(e), e.line, e.posts
    ('a.xml:90:3: mismatched tag', 90, 2)
    """

    file: str
    line: "int | None"
    column: "int | None"
    reason: str
    posts: int = 0
    error: "ExportError | None" = None

    @classmethod
    def of(cls, exc: ExportError, *, posts: int = 0) -> "ReadError":
        return cls(exc.file, exc.line, exc.column, exc.reason, posts, exc)

    def __str__(self) -> str:
        return f"{place(self.file, self.line, self.column)}{self.reason}"


ErrorHandler = Callable[[ReadError], None]


def _python_warning(w: ReadWarning) -> None:
    warnings.warn(str(w), ExportWarning, stacklevel=3)


def _warner(on_warning: "WarningHandler | None") -> WarningHandler:
    return on_warning if on_warning is not None else _python_warning
