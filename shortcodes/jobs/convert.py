"""Bulk conversion of exported posts: render, repair, strip or keep their shortcodes.

The pipeline behind ``shortcodes convert``, usable from Python:

* :class:`ConvertOptions` says what to do with each post (the ``mode``, which
  tags count, the date of the figures, filters);
* :class:`Converter` converts one post (:meth:`Converter.convert_post`) into a
  :class:`PostResult`: the new content and excerpt, per-tag counts, and the
  problems found, each placed at ``file:line:column`` inside the export;
* :func:`convert_posts` converts a stream of posts in order, on several
  processes if asked (``jobs``), with the same output as on one;
* :func:`convert` reads inputs and writes one of the outputs of
  :data:`~.outputs.OUTPUTS` — a rewritten WordPress export (``wxr``), a
  static site (``html``: one page per post plus ``index.html``) or JSON
  Lines (``jsonl``) — and returns a :class:`ConvertReport`.

Each has a module: :mod:`.options`, :mod:`.modes` (the table of modes),
:mod:`.converter`, :mod:`.results`, :mod:`.parallel`, :mod:`.outputs`;
:mod:`.distributed` runs the same conversion on a Dask cluster
(``scheduler=``).

Modes (:mod:`.modes`): ``render`` (shortcodes become HTML), ``normalize``
(repair curly quotes only), ``strip`` (WordPress's ``strip_shortcodes()``:
enclosed content goes too, with a ``content-dropped`` warning), ``unwrap``
(the tags go, what they enclose stays), ``keep`` (byte-identical).

Which tags count: ``tags`` (default: the tags with a template or handler
here, :attr:`Renderer.known_tags`, as only registered tags are shortcodes on
a WordPress site), or with ``all_tags=True`` every name that counts as a
shortcode in the post by the rule of :mod:`shortcodes.core.classify` (the
inventory's rule: never ``[1]``, ``[citation needed]`` or a JSON array).

A post whose conversion raises is passed through unchanged and reported
(:attr:`PostResult.error`); the run goes on.

>>> from shortcodes.exports import Post
>>> conv = Converter(ConvertOptions(mode="normalize", tags=("x",)))
>>> res = conv.convert_post(Post(id="7", content='a [x k=”v”] [y k=”v”]'))
>>> res.content, dict(res.counts["x"])["repaired"], res.changed
('a [x k="v"] [y k=”v”]', 1, True)
>>> Converter(ConvertOptions(mode="strip", tags=("x",))).convert_post(Post(content="a[x]b[/x]c")).content
'ac'
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
from concurrent.futures import BrokenExecutor
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..common.errors import InputError, NoData, WorkerError
from ..common.status import FAIL_ON
from ..exports.post import Post
from ..exports.problems import ReadWarning
from ..exports.wxr.units import UnitPlan
from ..markdown import MarkdownOptions, flavour_names
from .converter import Converter, post_as_of
from .inputs import InputFailure
from .modes import MODES
from .options import ConvertOptions, PostFilter
from .outputs import OUTPUTS, Run
from .outputs.html import page_path
from .parallel import convert_posts
from .results import COUNT_KEYS, ConvertReport, PostResult, Problem, merge_counts
from .sites import KeptRead, read_sites
from .units import UnitPool

__all__ = [
    "MODES",
    "OUTPUTS",
    "OUTPUT_FORMATS",
    "COUNT_KEYS",
    "ConvertOptions",
    "PostFilter",
    "InputFailure",
    "Problem",
    "PostResult",
    "Converter",
    "ConvertReport",
    "convert_posts",
    "convert",
    "page_path",
    "post_as_of",
    "merge_counts",
    "read_sites",
]

#: Why ``--in-place`` does not go with ``--scheduler``.
IN_PLACE_ON_CLUSTER = (
    "--in-place is not available with --scheduler: replacing the exports is safe only where one process "
    "keeps a backup of each and renames every new file into place once all are complete, on the file system "
    "that holds them; the workers write parts elsewhere (an object store cannot rename atomically) and the "
    "inputs may be URLs. Write the rewritten exports to -o FOLDER, then move them")

#: The built-in output formats' names.
OUTPUT_FORMATS: tuple[str, ...] = OUTPUTS.names()


def convert(
    inputs: "Sequence[str | os.PathLike[str]]",
    output: "str | os.PathLike[str] | None" = None,
    *,
    to: str = "jsonl",
    options: "ConvertOptions | None" = None,
    converter: "Converter | None" = None,
    jobs: int = 1,
    recover: bool = False,
    in_place: bool = False,
    backup_suffix: str = ".bak",
    on_post: "Callable[[Post, PostResult], None] | None" = None,
    on_warning: "Callable[[ReadWarning], None] | None" = None,
    on_failure: "Callable[[InputFailure], None] | None" = None,
    site_title: "str | None" = None,
    flavor: str = "hugo",
    markdown: "MarkdownOptions | None" = None,
    media_urls: "Sequence[tuple[str, str]]" = (),
    uploads: "str | os.PathLike[str] | None" = None,
    clean: bool = False,
    fail_on: str = "error",
    scheduler: Any = None,
    parts: "str | None" = None,
    on_problem: "Callable[[Problem], None] | None" = None,
    progress: bool = False,
) -> ConvertReport:
    """Convert every post of ``inputs`` and write the result to ``output``.

    ``to="wxr"``: every input must be a WordPress export; each is copied with
    only the changed ``content:encoded``/``excerpt:encoded`` replaced
    (:func:`shortcodes.exports.wxr.rewrite_wxr`: every other byte kept).  ``output``
    is the file for one input, else a folder (one file per input, same name).
    With ``in_place=True`` (and no ``output``) each input that changes is
    replaced, after a copy of it is kept as ``FILE`` + ``backup_suffix``.

    ``to="html"``: ``output`` is a folder; each post becomes a whole page at
    :func:`page_path`, and ``index.html`` lists them (input order).  The site
    is built beside the folder and moved into place complete; pages an
    earlier run wrote there and this one did not are kept and named in
    :attr:`ConvertReport.notes`, or removed with ``clean=True`` (only files
    this tool wrote, by the folder's manifest).

    ``to="markdown"``: ``output`` is a folder; each post the site takes
    becomes a Markdown file for ``flavor`` (``hugo``, ``jekyll``, ``astro``,
    ``commonmark``: :mod:`.outputs.markdown`), as ``markdown``
    (:class:`~shortcodes.markdown.MarkdownOptions`) says; the tags of
    ``options.keep_shortcodes`` are written through, not rendered.

    ``media_urls``: ``(old, new)`` prefixes: in a site (``html``, ``markdown``) every ``old`` in a
    post's text and featured image becomes ``new`` (``--media-url``: the uploads moved).
    ``uploads``: a local copy of the site's ``wp-content/uploads``: the files the written posts use are
    copied from it into the site and their URLs point at the copies (:mod:`.outputs.links`; ``media_urls``
    then applies to what it does not have).

    ``to="jsonl"``: ``output`` is a file (``-``: standard output), one JSON
    object per converted post.

    Every file is written atomically, and a run that fails or is
    interrupted leaves the previous output; an input is never written over
    (except by ``in_place``), and an output inside an input folder (or an
    input inside the output folder) is refused.  ``on_post(post, result)``
    is called for each post read (progress), ``on_problem(problem)`` for each
    problem and then each note of each post, in input order (without
    ``on_post``, ``jobs`` processes can report a unit's posts at once:
    ``--to jsonl`` then gets no post or result back from its workers, only
    their lines and what they found); ``on_warning`` gets the
    readers' warnings; ``on_failure`` each input that could not be read
    (an :class:`InputFailure`; the other inputs are read, and the failures
    are in :attr:`ConvertReport.input_failures`).  ``fail_on`` (``"error"``
    or ``"warning"``) decides :attr:`ConvertReport.exit_status`.

    ``scheduler``: convert on a Dask cluster instead (a
    :class:`distributed.Client`, ``"local:N"`` for a LocalCluster of N
    processes, or a scheduler address; ``pip install 'wp-shortcodes[dask]'``),
    with the same output, report and exit status (see
    :mod:`.distributed`): inputs may then also be fsspec URLs of WordPress
    exports, ``parts`` is where the workers write their parts (a folder or
    URL they share with this machine), ``on_problem`` gets each post's
    problems (and notes) in input order instead of ``on_post``, and
    ``progress`` shows Dask's progress bar; ``jobs`` and ``in_place`` are
    not available there (:data:`IN_PLACE_ON_CLUSTER` says why).

    Raises :class:`~shortcodes.common.errors.InputError` (an
    :class:`ExportError` for an unreadable export) for unusable arguments,
    when no input could be read, or when the filters let no post through
    (naming the post types and statuses the inputs have); an
    :class:`~shortcodes.common.errors.OutputError` naming the file for an
    output that cannot be written.
    """
    if to not in OUTPUTS:
        raise InputError(f"--to {to}: expected one of {', '.join(OUTPUTS.names())}")
    kind = OUTPUTS[to]
    if flavor not in flavour_names():
        raise InputError(f"--flavor {flavor}: expected one of {', '.join(flavour_names())}")
    sources = [os.fspath(p) for p in inputs]
    if scheduler is not None:
        from .distributed import convert_on_cluster, is_url, require_dask  # reason: only for --scheduler
    urls = [scheduler is not None and is_url(s) for s in sources]
    paths = [Path(p) for p in sources]
    if not paths:
        raise InputError("no input given")
    for p, url in zip(paths, urls):
        if not url and not p.exists():
            raise InputError(f"{p}: no such file or folder")
    if scheduler is not None:
        if jobs > 1:
            raise InputError("--jobs and --scheduler exclude each other (the cluster's workers are the processes)")
        if in_place:
            raise InputError(IN_PLACE_ON_CLUSTER)
        require_dask()
    if fail_on not in FAIL_ON:
        raise InputError(f"fail_on={fail_on!r}: expected one of {', '.join(FAIL_ON)}")
    if clean and not kind.folder:
        folders = ", ".join(f"--to {n}" for n in OUTPUTS.names() if OUTPUTS[n].folder)
        raise InputError(f"--clean works only with an output that is a folder ({folders})")
    if output is not None:
        _refuse_nesting([p for p, url in zip(paths, urls) if not url], Path(os.fspath(output)), kind.folder)
    if in_place:
        if not kind.in_place:
            raise InputError("--in-place works only with --to wxr (an export rewritten in place)")
        if output is not None:
            raise InputError("--in-place and -o exclude each other")
        if not backup_suffix or "/" in backup_suffix or os.sep in backup_suffix:
            raise InputError(f"--backup-suffix {backup_suffix!r}: give a file-name suffix such as .bak")
    elif output is None:
        raise InputError("no output: give -o OUT" + (" (or --in-place)" if kind.in_place else ""))
    if options is None:
        options = converter.options if converter is not None else ConvertOptions()
    if (kind.pages, kind.xml, kind.site, not kind.site) != (options.page, options.xml, options.site,
                                                            options.inline_styles):
        try:
            options = dataclasses.replace(options, page=kind.pages, xml=kind.xml, site=kind.site,
                                          inline_styles=not kind.site)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    if converter is None or converter.options != options:
        try:
            converter = Converter(options, renderer=None if converter is None else converter.renderer)
        except NoData as exc:  # an unusable figures source
            raise InputError(f"--stats {options.stats}: {exc}") from None
        except (ValueError, TypeError, OSError) as exc:
            raise InputError(str(exc)) from None
    report = ConvertReport(fail_on=fail_on)
    if uploads is not None:
        if to not in ("html", "markdown"):
            raise InputError(f"--uploads copies the files a site uses: it goes with --to html or markdown, not {to}")
        if not Path(os.fspath(uploads)).is_dir():
            raise InputError(f"--uploads {os.fspath(uploads)}: no such folder (give the site's wp-content/uploads "
                             "backup)")
        if output is not None and _inside(Path(os.fspath(uploads)).resolve(), Path(os.fspath(output)).resolve()):
            raise InputError(f"--uploads {os.fspath(uploads)} is inside the output folder {os.fspath(output)}: the "
                             "site is rebuilt there; keep the backup elsewhere")
    if scheduler is not None:  # the workers read each export's site model where the export is
        assert output is not None
        named = [s if url else str(p) for s, p, url in zip(sources, paths, urls)]  # as a local run names them
        return convert_on_cluster(named, output, converter, to=to, scheduler=scheduler, report=report,
                                  recover=recover, site_title=site_title, clean=clean, parts=parts,
                                  on_problem=on_problem, on_warning=on_warning, on_failure=on_failure,
                                  progress=progress, flavor=flavor, markdown=markdown, media_urls=media_urls,
                                  uploads=None if uploads is None else Path(os.fspath(uploads)))
    plans: dict[str, UnitPlan] = {}  # each export is planned once, for its site model and its conversion
    kept: dict[str, KeptRead] = {}  # on one process, each small export is read once, for both (read_sites)
    lanes: "UnitPool | None" = None  # with processes, the same: the processes that read it keep its posts
    if options.mode == "render":
        if jobs > 1 and kind.reads_posts and not recover:  # (with recover nothing is converted by units)
            lanes = UnitPool(converter, jobs, lanes=True)
        with _on_failure(lanes.stop if lanes is not None else None):
            # with processes, the parent loads what converting loads while the site pass's processes read,
            # so that the conversion's processes, forked after, have it; lanes are forked before and each
            # warms itself (the parent's would only take a core from them)
            converter.sites = read_sites(paths, jobs, plans=plans,
                                         while_waiting=converter.warm if jobs > 1 and lanes is None else None,
                                         keep=kept if jobs <= 1 and kind.reads_posts else None, lanes=lanes)
            if lanes is not None:
                lanes.adopt_sites(converter.sites)

    def warn(w: ReadWarning) -> None:
        report.read_warnings.append(w)
        if on_warning is not None:
            on_warning(w)

    def step(post: Post, result: PostResult) -> None:
        report.add(post, result)
        if on_post is not None:
            on_post(post, result)
        if on_problem is not None:
            for p in result.problems:
                on_problem(p)
            for n in result.notes:
                on_problem(n)

    run = Run(paths, None if output is None else Path(os.fspath(output)), converter, report,
              _input_files(paths), step, warn, jobs=jobs, recover=recover, in_place=in_place,
              backup_suffix=backup_suffix, site_title=site_title, clean=clean, on_failure=on_failure,
              flavor=flavor, markdown=markdown, media_urls=tuple(media_urls),
              uploads=None if uploads is None else Path(os.fspath(uploads)), plans=plans, kept=kept,
              batches=on_post is None, on_problem=on_problem, unit_pool=lanes)
    with _on_failure(functools.partial(run.close, failed=True)):  # the output is removed, not written
        kind.writer()(run)
    run.close()
    return report


@contextlib.contextmanager
def _on_failure(cleanup: "Callable[[], object] | None") -> Iterator[None]:
    """Run ``cleanup`` when the block raises, then raise on: a worker process that died (SIGKILL, the
    out-of-memory killer) as one :class:`WorkerError`, anything else as it is."""
    try:
        yield
    except BaseException as exc:
        if cleanup is not None:
            cleanup()
        if isinstance(exc, BrokenExecutor):
            raise WorkerError() from exc
        raise


def _inside(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def _refuse_nesting(inputs: Sequence[Path], output: Path, folder_output: bool) -> None:
    """Refuse an output inside an input folder, and (for a folder output) an input inside the output."""
    if str(output) == "-":
        return
    out = output.resolve()
    for p in inputs:
        where = p.resolve()
        if p.is_dir() and _inside(out, where):
            raise InputError(f"{output}: refusing to write inside the input folder {p} (a later run would read "
                             "the output as input); choose an -o outside it")
        if folder_output and _inside(where, out):
            raise InputError(f"{output}: refusing to write a folder that holds the input {p}; choose another -o")


def _input_files(inputs: Sequence[Path]) -> list[Path]:
    """Every file an input names (the plain files of a folder too)."""
    files: list[Path] = []
    for p in inputs:
        if p.is_dir():
            files.extend(q for q in p.rglob("*") if q.is_file())
        else:
            files.append(p)
    return files
