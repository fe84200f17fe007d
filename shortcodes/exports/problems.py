"""What readers report without stopping: :class:`ReadWarning`, and where warnings go."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

from ..common.errors import place

__all__ = ["ReadWarning", "ExportWarning", "WarningHandler"]


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


def _python_warning(w: ReadWarning) -> None:
    warnings.warn(str(w), ExportWarning, stacklevel=3)


def _warner(on_warning: "WarningHandler | None") -> WarningHandler:
    return on_warning if on_warning is not None else _python_warning
