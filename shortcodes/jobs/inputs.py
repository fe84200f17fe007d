"""Reading a job's inputs one file at a time: a file that cannot be read is reported, and the others are read.

:class:`Inputs` yields the posts of every input path in order.  An input
that raises :class:`~shortcodes.common.errors.ExportError` (malformed XML
without ``--recover``, a file that is not an export, an unreadable file) is
recorded as an :class:`InputFailure` (passed to ``on_failure`` as it happens)
and the next input is read; the posts it gave before the error are kept.
Only when *every* input fails is that an error of the whole run
(:class:`~shortcodes.common.errors.InputError`, exit status 2): with one
input, its own error.

It also tallies what the posts are, so that a filter that lets nothing
through can say which values exist (:meth:`PostFilter.unmatched`).

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("[gallery]", encoding="utf-8")
>>> _ = (folder / "b.xml").write_text("<catalog/>", encoding="utf-8")
>>> failures = []
>>> [p.id for p in Inputs([folder / "b.xml", folder / "a.txt"], on_failure=failures.append)]
['a.txt']
>>> print(failures[0])  # doctest: +ELLIPSIS
/.../b.xml:1:1: error: not a WordPress export (WXR): the root element is <catalog>, expected <rss>; this input is skipped
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from ..common.errors import ExportError, InputError, place
from ..exports.post import Post
from ..exports.problems import ReadError, WarningHandler, _warner
from ..exports.readers import read_posts
from .options import PostFilter

if TYPE_CHECKING:  # pragma: no cover
    from .sites import KeptRead

__all__ = ["InputFailure", "Inputs", "Tally"]


@dataclass(frozen=True)
class InputFailure:
    """An input that could not be read (in full): the error, and how many of its posts were read before it."""

    path: str
    error: ExportError
    posts_read: int = 0

    def __str__(self) -> str:
        e = self.error
        head = f"{place(e.file, e.line, e.column)}error: {e.reason}" if e.file else f"error: {e}"
        if self.posts_read:
            n = self.posts_read
            return f"{head}; the rest of this input is skipped ({n} post{'s' if n != 1 else ''} read before)"
        return f"{head}; this input is skipped"


def _count(counts: "Tally | Inputs", post: Post) -> None:
    """Add ``post`` to the counts of a :class:`Tally` or of :class:`Inputs` (the same fields)."""
    counts.read += 1
    counts.types[post.type] += 1
    counts.statuses[post.status] += 1
    why = counts.filter.reason(post)
    if why is None:
        counts.accepted += 1
    else:
        counts.left_out[why] += 1


@dataclass
class Tally:
    """What some posts are, as :class:`Inputs` tallies them (how many read, how many ``filter`` takes, by
    type, by status, and why the others were left out), kept where the posts are read (a worker process
    with ``--jobs N``) and added to the run's with :meth:`Inputs.add_tally`."""

    filter: PostFilter
    read: int = 0
    accepted: int = 0
    types: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)

    def add(self, post: Post) -> None:
        """Count ``post`` (as :meth:`Inputs.tally` does)."""
        _count(self, post)


class Inputs:
    """The posts of ``paths``, one input at a time (see the module docs).

    ``accepts``: the filter the job applies (its tally is :attr:`types`,
    :attr:`statuses` and :attr:`accepted`); after the last post, a filter
    that let no post through raises :class:`InputError` naming the values
    that do exist.  ``failures`` lists the inputs that could not be read.
    ``kept``: inputs already read by the site pass (by file name, see
    :func:`~shortcodes.jobs.sites.read_sites`): their posts are taken from there, once.
    """

    def __init__(self, paths: "Sequence[str | os.PathLike[str]]", *, recover: bool = False,
                 on_warning: "WarningHandler | None" = None,
                 on_failure: "Callable[[InputFailure], None] | None" = None,
                 accepts: "PostFilter | None" = None, kept: "dict[str, KeptRead] | None" = None) -> None:
        self.paths = [Path(p) for p in paths]
        self.kept: "dict[str, KeptRead]" = kept if kept is not None else {}
        self.recover = recover
        self.on_warning = on_warning
        self.on_failure = on_failure
        self.filter = accepts or PostFilter()
        self.failures: list[InputFailure] = []
        self.unreadable = 0  # inputs (not files inside a folder input) that failed
        self.read = 0
        self.accepted = 0
        self.types: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.left_out: Counter[str] = Counter()  # why posts were left out -> how many

    def __iter__(self) -> Iterator[Post]:
        for path in self.paths:
            yield from self.read_one(path)
        self.finish()

    def read_one(self, path: Path, *, catch: bool = True, skip: int = 0) -> Iterator[Post]:
        """The posts of one input, tallied.  A file that cannot be read is recorded with :meth:`fail`
        (for a folder, each of its files on its own: the others are read); ``catch=False`` raises
        the :class:`ExportError` instead, for a caller that records it itself.  ``skip``: the first
        posts are read but neither tallied nor yielded (a caller that has them already)."""
        def failed(error: ReadError) -> None:
            exc = error.error or ExportError(error.reason, error.file, error.line, error.column)
            self.fail(path if error.file in ("", str(path)) else Path(error.file), exc, error.posts)

        kept = self.kept.pop(str(path), None)
        if kept is not None and (self.recover or not kept.recovered):  # what reading it again would give
            for post in kept.replay(_warner(self.on_warning), skip):
                self._tally(post)
                yield post
            return
        for post in read_posts([path], recover=self.recover, on_warning=self.on_warning,
                               on_error=failed if catch else None):
            if skip:
                skip -= 1
                continue
            self._tally(post)
            yield post

    def tally(self, post: Post) -> None:
        """Count ``post`` as read (for a caller that reads an input by other means than :meth:`read_one`)."""
        self._tally(post)

    def add_tally(self, tally: Tally) -> None:
        """Count the posts of ``tally`` as read (they were tallied where they were read)."""
        self.read += tally.read
        self.accepted += tally.accepted
        self.types.update(tally.types)
        self.statuses.update(tally.statuses)
        self.left_out.update(tally.left_out)

    def fail(self, path: Path, error: ExportError, posts_read: int = 0) -> InputFailure:
        """Record that ``path`` could not be read (in full).  With a single input this is the run's
        error: ``error`` is raised again."""
        failure = InputFailure(str(path), error, posts_read)
        self.failures.append(failure)
        if path in self.paths:
            self.unreadable += 1
        if len(self.paths) == 1 and not self.paths[0].is_dir():
            raise error
        if self.on_failure is not None:
            self.on_failure(failure)
        return failure

    def _tally(self, post: Post) -> None:
        _count(self, post)

    def finish(self) -> None:
        """Raise :class:`InputError` when no input could be read, or when the filter let no post through."""
        if self.paths and self.unreadable == len(self.paths):
            raise InputError(f"none of the {len(self.paths)} inputs could be read (the errors are above)")
        if self.filter and self.read and not self.accepted:
            raise InputError("no post passes the filters: " + "; ".join(
                self.filter.unmatched(self.types, self.statuses) or [self.filter.describe()]))
        if self.filter.strict and self.read:
            unknown = self.filter.unmatched(self.types, self.statuses)
            if unknown:
                raise InputError("; ".join(unknown))

    def notes(self) -> list[str]:
        """Filter values that matched no post while others did (said, not fatal), and what a site
        filter left out and why."""
        if not self.filter or not self.accepted:
            return []
        out = self.filter.unmatched(self.types, self.statuses)
        if self.filter.strict:
            line = self.filter.left_out(self.left_out, self.read)
            if line:
                out.append(line)
        return out
