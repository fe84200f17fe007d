"""Where converted posts go: the table of output formats (``convert --to``).

===========  ===============================================================
``jsonl``    one JSON object per converted post (:mod:`.jsonl`)
``html``     a static site: one page per post plus ``index.html`` (:mod:`.html`)
``wxr``      the WordPress export rewritten, only post content changed (:mod:`.wxr`)
===========  ===============================================================

An output is ``write(run)``: it reads the inputs (``run.read_posts()``: one
input at a time, an unreadable one reported and skipped, see
:class:`~shortcodes.jobs.inputs.Inputs`), converts (``run.convert(posts)``),
reports each post (``run.step``) and writes so that an interrupted or
failed run leaves the previous output (:mod:`shortcodes.jobs.writing`).
Add one with ``OUTPUTS.register(name, Output(...))``.

>>> OUTPUTS.names()
('html', 'wxr', 'jsonl')
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ...common.registry import Registry, import_object
from ...exports.post import Post
from ...exports.problems import ReadWarning
from ..converter import Converter
from ..inputs import InputFailure, Inputs
from ..parallel import convert_posts
from ..results import ConvertReport, PostResult

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
    clean: bool = False
    on_failure: "Callable[[InputFailure], None] | None" = None
    inputs: Inputs = field(init=False)

    def __post_init__(self) -> None:
        self.inputs = Inputs(self.paths, recover=self.recover, on_warning=self.warn, on_failure=self._failed,
                             accepts=self.converter.options.filter)

    def _failed(self, failure: InputFailure) -> None:
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


@dataclass(frozen=True)
class Output:
    """One output format.  ``pages``: whole HTML pages are rendered for it;
    ``in_place``: it can rewrite its inputs (``--in-place``); ``folder``: it
    writes a folder (``--clean`` applies); ``xml``: its text must be XML 1.0
    (a post whose new text holds a character XML cannot hold fails alone);
    ``site``: it publishes a site, so it takes what a site owner expects
    (:meth:`~shortcodes.jobs.options.PostFilter.for_site`: published posts and
    pages unless told otherwise) and writes the stylesheets once, not in each
    post's text."""

    write: "Callable[[Run], None] | str"
    description: str
    pages: bool = False
    in_place: bool = False
    folder: bool = False
    xml: bool = False
    site: bool = False

    def writer(self) -> Callable[[Run], None]:
        if isinstance(self.write, str):
            return import_object(self.write)
        return self.write


#: Output formats by name (``convert(to=...)``, ``--to``).
OUTPUTS: Registry[Output] = Registry("output format", entry_points="wp_shortcodes.outputs")
OUTPUTS.register("html", Output("shortcodes.jobs.outputs.html:write", "a static site: a page per post + index.html",
                                folder=True, site=True))
OUTPUTS.register("wxr", Output("shortcodes.jobs.outputs.wxr:write", "the export rewritten, only content changed",
                               in_place=True, xml=True))
OUTPUTS.register("jsonl", Output("shortcodes.jobs.outputs.jsonl:write", "one JSON object per post"))
