"""``--to wxr``: each export copied with only the changed post content and excerpts replaced."""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from ...common.errors import ExportError, InputError
from ...common.fileio import atomic_writer, refuse_overwrite
from ...exports.post import Post
from ...exports.problems import ReadWarning
from ...exports.readers import detect_format
from ...exports.wxr.reader import read_wxr
from ...exports.wxr.rewriter import rewrite_wxr
from ..results import PostResult
from . import OVERWRITE_HINT, Run

__all__ = ["write"]


def write(run: Run) -> None:
    """Rewrite each input export to ``run.output`` (a file, or a folder for several), or in place."""
    paths, output, originals = run.paths, run.output, run.originals
    for p in paths:
        kind = "folder" if p.is_dir() else detect_format(p)
        if kind != "wxr":
            raise InputError(f"{p}: --to wxr needs WordPress exports (.xml), and this is "
                             f"{'a folder' if kind == 'folder' else f'a {kind} input'}; use --to jsonl or --to html")
    targets: list[Path] = []
    if run.in_place:
        targets = list(paths)
    else:
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
    if run.recover:
        # A malformed export cannot be rewritten byte for byte: say so before writing anything.
        for p in paths:
            try:
                for _ in read_wxr(p, on_warning=lambda w: None):
                    pass
            except ExportError as exc:
                raise InputError(f"{str(exc).split(' (recover=True')[0]}; --to wxr "
                                 "rewrites well-formed exports only: use --recover with --to jsonl or "
                                 "--to html") from None
    for src, dest in zip(paths, targets):
        results = run.convert(read_wxr(src, on_warning=run.warn))
        try:
            _rewrite_one(run, src, dest, results)
        finally:
            results.close()  # type: ignore[attr-defined]


def _rewrite_one(run: Run, src: Path, dest: Path, results: Iterator[tuple[Post, PostResult]]) -> None:
    report, step = run.report, run.step

    def transform(post: Post, results: Iterator[tuple[Post, PostResult]] = results) -> "Post | None":
        mine, result = next(results)
        if mine.item_index != post.item_index or mine.id != post.id:  # pragma: no cover - defensive
            raise RuntimeError(f"{post.where()}: the reader and the writer disagree about the items")
        step(post, result)
        report.posts_written += 1
        if not result.changed:
            return None
        return dataclasses.replace(post, content=result.content, excerpt=result.excerpt)

    silent: Callable[[ReadWarning], None] = lambda w: None  # noqa: E731 - the reader reports them
    if run.in_place:
        fd, tmp = tempfile.mkstemp(prefix=f".{src.name}.", suffix=".new", dir=src.parent)
        os.close(fd)
        try:
            before = report.posts_changed
            rewrite_wxr(src, tmp, transform, on_warning=silent)
            if report.posts_changed > before:
                backup = src.with_name(src.name + run.backup_suffix)
                refuse_overwrite(backup, [p for p in run.originals if p != src], hint=OVERWRITE_HINT)
                _copy_atomic(src, backup)
                report.backups.append(str(backup))
                os.chmod(tmp, src.stat().st_mode & 0o7777)
                os.replace(tmp, src)
                report.outputs.append(str(src))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    else:
        rewrite_wxr(src, dest, transform, on_warning=silent)
        report.outputs.append(str(dest))
    for _ in results:  # pragma: no cover - the writer saw fewer items than the reader
        raise RuntimeError(f"{src}: the reader and the writer disagree about the items")


def _copy_atomic(src: Path, dest: Path) -> None:
    """Copy ``src`` to ``dest`` atomically (temporary file + rename), keeping its mode and times."""
    with open(src, "rb") as data, atomic_writer(dest) as out:
        shutil.copyfileobj(data, out, 1 << 20)
    shutil.copystat(src, dest)
