"""Where converted posts go: the table of output formats (``convert --to``).

===========  ===============================================================
``jsonl``    one JSON object per converted post (:mod:`.jsonl`)
``markdown`` one Markdown file per post for Hugo, Jekyll, Astro or CommonMark (:mod:`.markdown`)
``html``     a static site: one page per post plus ``index.html`` (:mod:`.html`)
``wxr``      the WordPress export rewritten, only post content changed (:mod:`.wxr`)
===========  ===============================================================

An output is ``write(run)``: it reads the inputs (``run.read_posts()``: one
input at a time, an unreadable one reported and skipped, see
:class:`~shortcodes.jobs.inputs.Inputs`), converts (``run.convert(posts)``),
reports each post (``run.step``) and writes so that an interrupted or
failed run leaves the previous output (:mod:`shortcodes.jobs.writing`).
``run.convert_inputs(finish)`` reads and converts in one, and with
``--jobs N`` lets the workers read their own byte ranges of each export
(:mod:`shortcodes.jobs.units`) and run ``finish`` there (``--to jsonl``
serialises its lines so).
Add one with ``OUTPUTS.register(name, Output(...))``.

>>> OUTPUTS.names()
('html', 'wxr', 'jsonl', 'markdown')
"""
from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ...common.errors import ExportError
from ...common.registry import Registry, import_object
from ...exports.post import Post
from ...exports.problems import ReadWarning
from ...exports.readers import detect_format
from ...exports.wxr import units as wxr_units
from ...markdown import MarkdownOptions
from ..converter import Converter
from ..inputs import InputFailure, Inputs
from ..parallel import convert_posts
from ..results import ConvertReport, PostResult, Problem
from ..sites import KeptRead
from ..units import Finish, UnitBatch, UnitPool, convert_export, convert_export_batches

__all__ = ["Output", "Run", "OUTPUTS", "OVERWRITE_HINT"]

#: What the refusal to write over an input suggests instead.
OVERWRITE_HINT = "choose another -o, or --in-place with --to wxr"


@dataclass
class Run:
    """Everything an output needs for one :func:`~shortcodes.jobs.convert.convert` call."""

    paths: Sequence[Path]
    output: "Path | None"
    converter: Converter
    report: ConvertReport
    originals: Sequence[Path]
    step: Callable[[Post, PostResult], None]
    warn: Callable[[ReadWarning], None]
    jobs: int = 1
    recover: bool = False
    in_place: bool = False
    backup_suffix: str = ".bak"
    site_title: "str | None" = None
    flavor: str = "hugo"
    media_urls: tuple[tuple[str, str], ...] = ()
    uploads: "Path | None" = None
    markdown: "MarkdownOptions | None" = None
    clean: bool = False
    on_failure: "Callable[[InputFailure], None] | None" = None
    #: Each WXR export's plan of units made for its site model (by file name), used again to convert it.
    plans: "dict[str, wxr_units.UnitPlan]" = field(default_factory=dict)
    #: Each WXR export the site pass read and kept (by file name): its posts are taken from there.
    kept: "dict[str, KeptRead]" = field(default_factory=dict)
    #: Whether no caller needs each post (no ``on_post``): then :meth:`convert_batches` may give a unit's
    #: posts summed up (``step`` is not called for them: :meth:`step_batch` is).
    batches: bool = False
    #: Each problem (and note) of each post, in order (:meth:`step_batch` says a batch's).
    on_problem: "Callable[[Problem], None] | None" = None
    #: The worker processes for units when the site pass already started them (a pool with lanes that
    #: keeps the posts it read): :meth:`pool` gives it, :meth:`close` ends it.
    unit_pool: "UnitPool | None" = None
    inputs: Inputs = field(init=False)
    _pool: "UnitPool | None" = field(init=False, default=None, repr=False)
    # While posts are read ahead of their conversion (processes, not by units): what the reader said,
    # with how many posts it had given then, to be said when the conversions catch up.
    _said: "deque[tuple[int, Callable[[Any], None], Any]] | None" = field(init=False, default=None, repr=False)
    _given: int = field(init=False, default=0, repr=False)

    def __post_init__(self) -> None:
        self._pool = self.unit_pool
        self.inputs = Inputs(self.paths, recover=self.recover, on_warning=self._warning, on_failure=self._failed,
                             accepts=self.converter.options.filter, kept=self.kept)

    def _warning(self, warning: ReadWarning) -> None:
        if self._said is not None:
            self._said.append((self._given, self.warn, warning))
        else:
            self.warn(warning)

    def _failed(self, failure: InputFailure) -> None:
        if self._said is not None:
            self._said.append((self._given, self._report_failure, failure))
        else:
            self._report_failure(failure)

    def _report_failure(self, failure: InputFailure) -> None:
        self.report.input_failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def read_posts(self) -> Iterator[Post]:
        """Every post of the inputs, one input at a time, read with the run's ``recover`` and warnings.

        An input that cannot be read is reported (``on_failure``) and the next
        one is read; after the last post, :class:`~shortcodes.common.errors.InputError`
        if no input could be read or the filters let no post through.
        """
        return iter(self.inputs)

    def finish(self) -> None:
        """After the last input: what the run wants said (filter values that matched no post)."""
        self.report.notes.extend(self.inputs.notes())

    def convert(self, posts: Iterable[Post]) -> Iterator[tuple[Post, PostResult]]:
        """``(post, result)`` for each post, in order, on ``jobs`` processes."""
        return convert_posts(posts, self.converter, jobs=self.jobs)

    def convert_inputs(self, finish: "Finish | None" = None, *,
                       keep_text: bool = True) -> Iterator[tuple[Post, PostResult, Any]]:
        """``(post, result, extra)`` for every post of the inputs, in order: :meth:`read_posts` and
        :meth:`convert` in one, with ``extra = finish(post, result)`` (``None`` without ``finish``).

        With ``jobs > 1`` a plain WordPress export (not ``.gz``, not with
        ``recover``) is converted by byte-range units
        (:func:`~shortcodes.jobs.units.convert_export`): the workers read
        their own parts of the file and run ``finish``; the posts come
        back without their text (and, with ``keep_text=False``, the
        results too).  The output is the same as with ``jobs=1``.
        """
        return self._convert_inputs(finish, keep_text=keep_text, batches=False)

    def convert_batches(self, finish: Finish) -> "Iterator[UnitBatch | tuple[Post, PostResult, Any]]":
        """:meth:`convert_inputs` (``keep_text=False``), where a unit's posts may come summed up in a
        :class:`~shortcodes.jobs.units.UnitBatch` (with ``jobs > 1``, when :attr:`batches`; ``finish``
        must give bytes or ``None``): the output writes its ``data`` and calls :meth:`step_batch` for it,
        and :meth:`step` for each post that comes on its own."""
        return self._convert_inputs(finish, keep_text=False, batches=self.batches)

    def step_batch(self, batch: UnitBatch) -> None:
        """Report a batch's posts as :attr:`step` reports each post (and tally them as read)."""
        self.report.merge(batch.report)
        self.inputs.add_tally(batch.tally)
        if self.on_problem is not None:
            for p in batch.shown:
                self.on_problem(p)

    def _convert_inputs(self, finish: "Finish | None", *, keep_text: bool,
                        batches: bool) -> Iterator[Any]:
        inputs = self.inputs
        for path in inputs.paths:
            if self.by_units(path):
                replay = functools.partial(_replay, inputs, path)
                if batches and finish is not None:
                    yield from convert_export_batches(
                        str(path), self.converter, self.pool(), replay=replay, finish=finish,
                        on_warning=self.warn, plan=self.plans.get(str(path)))
                    continue
                yield from convert_export(
                    str(path), self.converter, self.pool(), replay=replay,
                    finish=finish, keep_text=keep_text, on_warning=self.warn, on_read=inputs.tally,
                    plan=self.plans.get(str(path)))
                continue
            if self.jobs <= 1:
                for post, result in convert_posts(inputs.read_one(path), self.converter):
                    yield post, result, None if finish is None else finish(post, result)
                continue
            yield from self._ahead(path, finish)
        inputs.finish()

    def _ahead(self, path: Path, finish: "Finish | None") -> Iterator[tuple[Post, PostResult, Any]]:
        """:func:`convert_posts` on ``jobs`` processes, the reader running ahead; what it says (warnings,
        a failed input, its error) comes out where the one-process run says it: after the posts it had
        given before saying it."""
        said: "deque[tuple[int, Callable[[Any], None], Any]]" = deque()
        self._said, self._given = said, 0
        error: "list[BaseException]" = []

        def counted(posts: Iterator[Post]) -> Iterator[Post]:
            try:
                for post in posts:
                    self._given += 1
                    yield post
            except ExportError as exc:  # the reader's, raised after the posts before it
                error.append(exc)

        done = 0
        try:
            for post, result in convert_posts(counted(self.inputs.read_one(path)), self.converter, jobs=self.jobs):
                while said and said[0][0] <= done:
                    _, say, what = said.popleft()
                    say(what)
                done += 1
                yield post, result, None if finish is None else finish(post, result)
        finally:
            self._said = None
        while said:
            _, say, what = said.popleft()
            say(what)
        if error:
            raise error[0]

    def by_units(self, path: Path, *, one_process: bool = False) -> bool:
        """Whether ``path`` is converted by byte-range units: ``jobs > 1`` (or ``one_process``: also with
        one, for an output that gains by it), no ``recover``, a plain (uncompressed) WordPress export, and
        (on processes) one large enough to give each process a unit."""
        if self.recover or not (self.jobs > 1 or one_process) or not _unit_input(path):
            return False
        # processes: at least a unit for each, else the posts are shared out as they are read
        return one_process or path.stat().st_size >= self.jobs * wxr_units.UNIT_BYTES

    def pool(self) -> UnitPool:
        """The run's worker processes for units (started on first use, ended by :meth:`close`)."""
        if self._pool is None:
            self._pool = UnitPool(self.converter, self.jobs)
        return self._pool

    def workers(self) -> "UnitPool | None":
        """The run's worker processes when the conversion started them (``None``: it did not, or ``jobs`` is 1),
        for more work once the posts are converted."""
        pool = self._pool
        return pool if pool is not None and pool.processes else None

    def close(self, *, failed: bool = False) -> None:
        """End the worker processes: wait for them, or (``failed``) stop them now."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop() if failed else pool.close()


def _replay(inputs: Inputs, path: Path, skip: int) -> Iterator[Post]:
    return inputs.read_one(path, skip=skip)


def _unit_input(path: Path) -> bool:
    """Whether ``path`` can be converted by byte-range units: a plain (uncompressed) WordPress export."""
    try:
        return path.is_file() and not path.name.endswith(".gz") and detect_format(path) == "wxr"
    except ExportError:
        return False


@dataclass(frozen=True)
class Output:
    """One output format.  ``pages``: whole HTML pages are rendered for it;
    ``in_place``: it can rewrite its inputs (``--in-place``); ``folder``: it
    writes a folder (``--clean`` applies); ``xml``: its text must be XML 1.0
    (a post whose new text holds a character XML cannot hold fails alone);
    ``site``: it publishes a site, so it takes what a site owner expects
    (:meth:`~shortcodes.jobs.options.PostFilter.for_site`: published posts and
    pages unless told otherwise) and writes the stylesheets once, not in each
    post's text; ``reads_posts``: on one process it reads its inputs' posts
    (:meth:`Run.read_posts`, :meth:`Run.convert_inputs`), so the site pass may
    keep them for it (:func:`~shortcodes.jobs.sites.read_sites`); ``wxr`` reads
    its exports by byte ranges itself."""

    write: "Callable[[Run], None] | str"
    description: str
    pages: bool = False
    in_place: bool = False
    folder: bool = False
    xml: bool = False
    site: bool = False
    reads_posts: bool = True

    def writer(self) -> Callable[[Run], None]:
        if isinstance(self.write, str):
            return import_object(self.write)
        return self.write


#: Output formats by name (``convert(to=...)``, ``--to``).
OUTPUTS: Registry[Output] = Registry("output format", entry_points="wp_shortcodes.outputs")
OUTPUTS.register("html", Output("shortcodes.jobs.outputs.html:write", "a static site: a page per post + index.html",
                                folder=True, site=True))
OUTPUTS.register("wxr", Output("shortcodes.jobs.outputs.wxr:write", "the export rewritten, only content changed",
                               in_place=True, xml=True, reads_posts=False))
OUTPUTS.register("jsonl", Output("shortcodes.jobs.outputs.jsonl:write", "one JSON object per post"))
OUTPUTS.register("markdown", Output("shortcodes.jobs.outputs.markdown:write",
                                    "Markdown for a static-site generator (--flavor hugo, jekyll, astro, commonmark)",
                                    folder=True, site=True))
