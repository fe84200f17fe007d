"""Where converted posts go: the table of output formats (``convert --to``).

===========  ===============================================================
``jsonl``    one JSON object per converted post (:mod:`.jsonl`)
``html``     a static site: one page per post plus ``index.html`` (:mod:`.html`)
``wxr``      the WordPress export rewritten, only post content changed (:mod:`.wxr`)
===========  ===============================================================

An output is ``write(run)``: it reads the inputs (``run.read_posts()``),
converts (``run.convert(posts)``), reports each post (``run.step``) and
writes atomically.  Add one with ``OUTPUTS.register(name, Output(...))``.

>>> OUTPUTS.names()
('html', 'wxr', 'jsonl')
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ...common.registry import Registry, import_object
from ...exports.post import Post
from ...exports.problems import ReadWarning
from ...exports.readers import read_posts
from ..converter import Converter
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
    site_title: str = "Converted posts"

    def read_posts(self) -> Iterator[Post]:
        """Every post of the inputs, read with the run's ``recover`` and warnings."""
        return read_posts(self.paths, recover=self.recover, on_warning=self.warn)

    def convert(self, posts: Iterable[Post]) -> Iterator[tuple[Post, PostResult]]:
        """``(post, result)`` for each post, in order, on ``jobs`` processes."""
        return convert_posts(posts, self.converter, jobs=self.jobs)


@dataclass(frozen=True)
class Output:
    """One output format.  ``pages``: whole HTML pages are rendered for it;
    ``in_place``: it can rewrite its inputs (``--in-place``)."""

    write: "Callable[[Run], None] | str"
    description: str
    pages: bool = False
    in_place: bool = False

    def writer(self) -> Callable[[Run], None]:
        if isinstance(self.write, str):
            return import_object(self.write)
        return self.write


#: Output formats by name (``convert(to=...)``, ``--to``).
OUTPUTS: Registry[Output] = Registry("output format", entry_points="wp_shortcodes.outputs")
OUTPUTS.register("html", Output("shortcodes.jobs.outputs.html:write", "a static site: a page per post + index.html",
                                pages=True))
OUTPUTS.register("wxr", Output("shortcodes.jobs.outputs.wxr:write", "the export rewritten, only content changed",
                               in_place=True))
OUTPUTS.register("jsonl", Output("shortcodes.jobs.outputs.jsonl:write", "one JSON object per post"))
