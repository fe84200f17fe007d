"""``--to wxr``: each export copied with only the changed post content and excerpts replaced.

Every output (or, with ``--in-place``, every replaced export) is written
under a temporary name beside its target and renamed into place only when
all are complete (:class:`~shortcodes.jobs.writing.StagedFiles`): an
interrupted or failed run leaves the previous files.  An export that cannot
be read or rewritten is reported and left out; the others are written.

``--in-place`` keeps a copy of each export it replaces as ``FILE`` + the
backup suffix (``.bak``); a backup already there is never replaced: the next
free ``FILE.bak.1``, ``FILE.bak.2``… is used.  A ``.gz`` export is written
back gzip-compressed.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import IO, Callable, Iterator, Sequence

from ...common.errors import ExportError, InputError
from ...common.fileio import atomic_writer, refuse_overwrite
from ...exports.post import Post
from ...exports.problems import ReadWarning
from ...exports.readers import detect_format
from ...exports.wxr.reader import read_wxr
from ...exports.wxr.rewriter import rewrite_wxr
from ..parallel import convert_posts
from ..results import PostResult
from ..units import convert_export
from ..writing import StagedFiles, writing
from . import OVERWRITE_HINT, Run

__all__ = ["write", "backup_path", "wxr_targets", "NOT_REWRITABLE"]

#: Why ``--recover`` cannot go with ``--to wxr`` for a malformed export.
NOT_REWRITABLE = ("--to wxr rewrites well-formed exports only: use --recover with --to jsonl or --to html")


def wxr_targets(paths: "Sequence[Path]", output: "Path | None", originals: "Sequence[Path]", *,
                in_place: bool = False) -> list[Path]:
    """Where each input export is rewritten to (``output`` a file for one input, else a folder; the inputs
    themselves with ``in_place``), after checking that every input is a WordPress export and that no
    target is an input."""
    for p in paths:
        kind = "folder" if p.is_dir() else detect_format(p)
        if kind != "wxr":
            raise InputError(f"{p}: --to wxr needs WordPress exports (.xml), and this is "
                             f"{'a folder' if kind == 'folder' else f'a {kind} input'}; use --to jsonl or --to html")
    if in_place:
        return list(paths)
    assert output is not None
    out = output
    as_folder = len(paths) > 1 or out.is_dir() or str(output).endswith(("/", os.sep))
    if as_folder:
        if out.exists() and not out.is_dir():
            raise InputError(f"{out}: several exports are written to a folder, and this is a file")
        names = [p.name for p in paths]
        if len(set(names)) != len(names):
            raise InputError("two inputs have the same file name: convert them separately")
        targets = [out / p.name for p in paths]
    else:
        targets = [out]
    for t in targets:
        refuse_overwrite(t, originals, hint=OVERWRITE_HINT)
    return targets


def write(run: Run) -> None:
    """Rewrite each input export to ``run.output`` (a file, or a folder for several), or in place."""
    paths = run.paths
    targets = wxr_targets(paths, run.output, run.originals, in_place=run.in_place)
    usable = list(paths)
    if run.recover:
        # A malformed export cannot be rewritten byte for byte: say so before writing anything.
        for p in paths:
            try:
                for _ in read_wxr(p, on_warning=lambda w: None):
                    pass
            except ExportError as exc:
                reason = exc.reason.split(" (recover=True")[0]
                if len(paths) == 1:
                    raise InputError(f"{str(exc).split(' (recover=True')[0]}; {NOT_REWRITABLE}") from None
                run.inputs.fail(p, ExportError(f"{reason}; {NOT_REWRITABLE}", exc.file, exc.line, exc.column))
                usable.remove(p)
    replaced: list[Path] = []
    with StagedFiles() as staged:
        for src, dest in zip(paths, targets):
            if src not in usable:
                continue
            tmp = staged.path_for(dest)
            written_before, read_before = run.report.posts_written, run.inputs.read
            changed, skip = False, 0
            units = run.by_units(src, one_process=True) and os.access(src, os.R_OK)
            if units:
                # by units even on one process: the export is read once, not once to convert and once to write
                changed, skip = _rewrite_by_units(run, src, tmp, dest)
            if skip >= 0:  # not by units, or something only the sequential path says exactly
                posts = run.inputs.read_one(src, catch=False, skip=skip)
                # after units, on this process: the warnings come where the sequential reader puts them
                results = convert_posts(posts, run.converter) if units else run.convert(posts)
                try:
                    changed = _rewrite_one(run, src, tmp, dest, results, skip)
                except ExportError as exc:
                    staged.discard(tmp)
                    run.report.posts_written = written_before
                    run.inputs.fail(src, exc, run.inputs.read - read_before)
                    continue
                finally:
                    results.close()  # type: ignore[attr-defined]
            if run.in_place and not changed:
                staged.discard(tmp)
                continue
            if run.in_place:
                replaced.append(src)
            run.report.outputs.append(str(dest))
        run.inputs.finish()
        run.finish()
        for src in replaced:
            backup = backup_path(src, run.backup_suffix)
            refuse_overwrite(backup, [p for p in run.originals if p != src], hint=OVERWRITE_HINT)
            _copy_atomic(src, backup)
            run.report.backups.append(str(backup))


def backup_path(src: Path, suffix: str = ".bak") -> Path:
    """Where the backup of ``src`` goes: ``src`` + ``suffix``, or, when that exists, the first free
    ``src`` + ``suffix`` + ``.1``, ``.2``… (an earlier backup is never replaced).

    >>> import pathlib, tempfile
    >>> src = pathlib.Path(tempfile.mkdtemp()) / "site.xml"
    >>> backup_path(src).name
    'site.xml.bak'
    >>> _ = src.with_name("site.xml.bak").write_text("first")
    >>> backup_path(src).name
    'site.xml.bak.1'
    """
    candidate = src.with_name(src.name + suffix)
    n = 0
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = src.with_name(f"{src.name}{suffix}.{n}")
    return candidate


def _rewrite_one(run: Run, src: Path, tmp: Path, dest: Path, results: Iterator[tuple[Post, PostResult]],
                 skip: int = 0) -> bool:
    """Rewrite ``src`` into ``tmp`` (to become ``dest``); whether any post changed.

    ``skip``: the first items were reported already (by units): they are converted again here, to
    be written, but not reported; ``results`` starts after them.
    """
    report, step = run.report, run.step
    changed = 0

    def transform(post: Post, results: Iterator[tuple[Post, PostResult]] = results) -> "Post | None":
        nonlocal changed
        if post.item_index < skip:
            result = run.converter.convert_post(post)
        else:
            mine, result = next(results)
            if mine.item_index != post.item_index or mine.id != post.id:  # pragma: no cover - defensive
                raise RuntimeError(f"{post.where()}: the reader and the writer disagree about the items")
            step(post, result)
            report.posts_written += 1
        if not result.changed:
            return None
        changed += 1
        return dataclasses.replace(post, content=result.content, excerpt=result.excerpt)

    silent: Callable[[ReadWarning], None] = lambda w: None  # noqa: E731 - the reader reports them
    with writing(dest):
        rewrite_wxr(src, tmp, transform, on_warning=silent)
    for _ in results:  # pragma: no cover - the writer saw fewer items than the reader
        raise RuntimeError(f"{src}: the reader and the writer disagree about the items")
    return bool(changed)


def _rewrite_by_units(run: Run, src: Path, tmp: Path, dest: Path) -> "tuple[bool, int]":
    """:func:`_rewrite_one` by byte-range units: the workers convert their parts of ``src`` and return
    the replacement bytes of the changed posts, and this process copies ``src`` with them spliced in
    (it never parses an item).  Posts are reported as they are committed
    (:func:`~shortcodes.jobs.units.convert_export`).  Returns whether a post changed and, when
    something unusual turned up, how many items were reported (the partial output is dropped and
    the caller rewrites the file the sequential way, reporting the items from there on); else -1.
    """
    changed = 0
    source = open(src, "rb")  # it was planned from: an error here is an input's, for the sequential path
    try:
        with source, writing(dest), atomic_writer(tmp) as out:
            fd = source.fileno()
            written = 0
            for post, result, edits in convert_export(str(src), run.converter, run.pool(), replay=_give_up,
                                                      splice=True, keep_text=False, on_warning=run.warn,
                                                      on_read=run.inputs.tally, name=str(src),
                                                      plan=run.plans.get(str(src))):
                run.step(post, result)
                run.report.posts_written += 1
                changed += bool(edits)
                for start, end, data in edits:
                    _copy_range(fd, out, written, start)
                    out.write(data)
                    written = end
            _copy_range(fd, out, written, os.fstat(fd).st_size)
    except _Sequential as exc:
        return False, exc.committed
    return bool(changed), -1


class _Sequential(Exception):
    """A unit or the plan saw something unusual after ``committed`` items were reported."""

    def __init__(self, committed: int) -> None:
        super().__init__(committed)
        self.committed = committed


def _give_up(committed: int) -> Iterator[Post]:
    raise _Sequential(committed)


def _copy_range(fd: int, out: IO[bytes], start: int, end: int) -> None:
    while start < end:
        data = os.pread(fd, min(end - start, 1 << 20), start)
        if not data:
            raise ExportError(f"the file changed while it was read (at byte {start})")
        out.write(data)
        start += len(data)


def _copy_atomic(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` atomically (temporary file + rename), keeping its mode and times."""
    with writing(dest):
        with open(src, "rb") as data, atomic_writer(dest) as out:
            shutil.copyfileobj(data, out, 1 << 20)
        shutil.copystat(src, dest)
