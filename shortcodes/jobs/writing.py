"""Writing the jobs' outputs so that a run leaves either the previous output or a complete new one.

* :func:`writing` / :func:`write_text`: an :class:`OSError` while writing
  (disk full, ``ulimit -f``, a read-only folder, a file where a folder should
  be) becomes one :class:`~shortcodes.common.errors.OutputError` naming the
  file; the temporary file is removed and nothing appears under the final name.
* :class:`StagedFiles`: several output files (``convert --to wxr``, one per
  export, or ``--in-place``) written under temporary names beside their
  targets and renamed into place together once every one is complete
  (:meth:`~StagedFiles.commit`), or all removed (:meth:`~StagedFiles.abort`).
* :class:`StagedSite`: a folder output (``convert --to html``) built in a
  hidden folder beside the target and moved into place when complete, with a
  manifest (:data:`MANIFEST`) of the files this tool wrote there, so that the
  next run can say which pages of an earlier run are stale and ``--clean``
  can remove them, and only them.

How a site is moved into place: when the target does not exist, or holds
nothing but what an earlier run wrote (by the manifest, and unchanged since),
the new folder replaces it in one atomic step (``renameat2(RENAME_EXCHANGE)``
on Linux; elsewhere two renames); the pages of the earlier run that this run
did not write are kept (hard-linked into the new folder) unless ``clean``.
When the target also holds files this tool did not write, those are never
moved or removed: the new files are then renamed into place one by one, the
index and the manifest last.

>>> import pathlib, tempfile
>>> site = pathlib.Path(tempfile.mkdtemp()) / "site"
>>> with StagedSite(site) as staged:
...     _ = staged.write("2021/10/a.html", "<p>a</p>")
...     _ = staged.write("index.html", "<ul></ul>")
>>> sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
['.shortcodes-site.json', '2021/10/a.html', 'index.html']
>>> with StagedSite(site) as staged:                       # a second run without a.html
...     _ = staged.write("index.html", "<ul></ul>")
>>> staged.stale, (site / "2021/10/a.html").exists()
(['2021/10/a.html'], True)
>>> with StagedSite(site, clean=True) as staged:
...     _ = staged.write("index.html", "<ul></ul>")
>>> staged.removed, (site / "2021/10/a.html").exists()
(['2021/10/a.html'], False)
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Self

from ..common.errors import OutputError
from ..common.fileio import atomic_write_bytes, output_error, umask
from ..common.version import __version__

__all__ = ["MANIFEST", "writing", "write_text", "read_manifest", "StagedFiles", "StagedSite", "write_staged"]

#: The manifest a site folder gets: which files this tool wrote there (and their SHA-256).
MANIFEST = ".shortcodes-site.json"


@contextlib.contextmanager
def writing(path: "str | os.PathLike[str]") -> Iterator[None]:
    """Turn an :class:`OSError` raised in the block into an :class:`OutputError` naming ``path``.

    (A :class:`BrokenPipeError` is let through: standard output closed by a
    reader such as ``head`` is no error of the file.)
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OutputError as exc:
        name = os.fspath(path)
        if exc.file != name and Path(exc.file).parent == Path(name).parent:
            raise output_error(name, exc, exc.reason) from None  # the staged temporary file of `path`
        raise
    except OSError as exc:
        raise output_error(path, exc) from None


def write_text(path: "str | os.PathLike[str]", text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; a failure is an :class:`OutputError` naming ``path``."""
    with writing(path):
        atomic_write_bytes(path, text.encode("utf-8"))


def _fsync(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.fsync(fd)


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding ``folder`` in one call (Linux ``syncfs``); ``False`` where
    the system has no such call (then each file is synced instead)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs  # the C library the interpreter is linked with
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        syncfs(fd)  # its errors are ignored, as those of fsync are: the data was written
    finally:
        os.close(fd)
    return True


def _sync_files(folder: Path, rels: "Iterable[str]") -> None:
    """Make the staged files under ``folder`` durable: one ``syncfs``, else one ``fsync`` per file, in a batch."""
    with contextlib.suppress(OSError):
        if _syncfs(folder):
            return
    for rel in rels:
        with contextlib.suppress(OSError):
            fd = os.open(folder.joinpath(*rel.split("/")), os.O_RDONLY)
            try:
                _fsync(fd)
            finally:
                os.close(fd)


class _Staged:
    """An output staged beside its target: as a context manager, :meth:`open` on entry, then
    :meth:`commit` when the block succeeds and :meth:`abort` when it fails (Ctrl-C and SIGTERM too)."""

    def open(self) -> None:
        """Prepare the staging place (nothing by default)."""

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


class StagedFiles(_Staged):
    """Output files written under temporary names beside their targets, renamed into place together.

    ``path_for(target)`` gives the temporary path to write ``target``'s
    bytes to (it keeps a ``.gz`` ending, so a compressing writer still
    compresses); :meth:`commit` renames each over its target (taking the
    target's permissions when it exists); :meth:`abort` removes them all.
    As a context manager: commit when the block succeeds, abort otherwise.
    """

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def path_for(self, target: Path) -> Path:
        with writing(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            suffix = ".new.gz" if target.name.lower().endswith(".gz") else ".new"
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
            os.close(fd)
        self.pending.append((Path(tmp), target))
        return Path(tmp)

    def discard(self, tmp: Path) -> None:
        """Forget (and remove) one staged file: its target stays as it was."""
        self.pending = [(t, f) for t, f in self.pending if t != tmp]
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)

    def commit(self) -> None:
        try:
            for tmp, target in self.pending:
                with writing(target):
                    mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~umask()
                    os.chmod(tmp, mode)
                    os.replace(tmp, target)
        finally:
            self.abort()  # what was not renamed

    def abort(self) -> None:
        pending, self.pending = self.pending, []
        for tmp, _ in pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


# -- sites ---------------------------------------------------------------------------------------

def _sha256(path: Path) -> "str | None":
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def read_manifest(folder: Path) -> dict[str, str]:
    """``relative path -> sha256`` of the files a previous run wrote into ``folder`` (``{}`` if none)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}
    if not isinstance(files, dict):
        return {}
    # only plain relative paths inside the folder: a manifest never makes the tool touch anything outside it
    return {rel: digest for rel, digest in files.items()
            if isinstance(digest, str) and all(part not in ("", ".", "..") for part in rel.split("/"))
            and "\\" not in rel}


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2``); ``False`` when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), os.fspath(b))


def write_staged(staging: "str | os.PathLike[str]", rel: str, text: str, folders: "set[Path] | None" = None) -> str:
    """Write ``text`` (UTF-8) as ``rel`` of the site staged in ``staging`` (:class:`StagedSite`); returns its
    SHA-256 for the manifest (:meth:`StagedSite.record`, when another process wrote it).  ``folders``: the
    folders known to exist (one ``mkdir`` each).  An :class:`OSError` names the staged file."""
    data = text.encode("utf-8")
    path = Path(staging).joinpath(*rel.split("/"))
    if folders is None or path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return hashlib.sha256(data).hexdigest()


class StagedSite(_Staged):
    """A folder output built in a hidden folder beside ``target`` and moved into place complete (see the module docs).

    ``write(rel, text)`` writes one file (``rel`` is ``/``-separated) and
    returns its final path.  Used as a context manager, the site is moved
    into place when the block succeeds and the staging folder removed when
    it fails (an interrupted run leaves the previous output as it was).

    After :meth:`commit`: ``stale`` lists the files an earlier run wrote that
    this one did not (kept, unless ``clean``: then they are in ``removed``);
    ``foreign`` the files in the folder that this tool did not write (or
    that were changed since), which are never touched.
    """

    def __init__(self, target: "str | os.PathLike[str]", *, clean: bool = False) -> None:
        self.target = Path(target)
        self.clean = clean
        self.staging: "Path | None" = None
        self.files: dict[str, str] = {}
        self.stale: list[str] = []
        self.removed: list[str] = []
        self.foreign: list[str] = []
        self._folders: set[Path] = set()   # the staging's folders made so far

    def open(self) -> None:
        if self.target.exists() and not self.target.is_dir():
            raise OutputError(os.fspath(self.target), "a site is a folder, and this is a file")
        with writing(self.target):
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".new",
                                                 dir=self.target.parent))
            mode = self.target.stat().st_mode & 0o7777 if self.target.is_dir() else 0o777 & ~umask()
            os.chmod(self.staging, mode)

    def write(self, rel: str, text: str) -> Path:
        """Write ``text`` (UTF-8) as ``rel`` of the new site; returns where it will be."""
        assert self.staging is not None, "open() first"
        final = self.target.joinpath(*rel.split("/"))
        with writing(final):
            self.files[rel] = write_staged(self.staging, rel, text, self._folders)
        return final

    def record(self, rel: str, digest: str) -> Path:
        """Note that ``rel`` was written into :attr:`staging` by another process (:func:`write_staged`, which
        gave ``digest``); returns where it will be."""
        self.files[rel] = digest
        return self.target.joinpath(*rel.split("/"))

    def copy(self, rel: str, source: Path) -> Path:
        """Copy the file ``source`` (read only, never changed) as ``rel`` of the new site; returns where it
        will be."""
        assert self.staging is not None, "open() first"
        final = self.target.joinpath(*rel.split("/"))
        path = self.staging.joinpath(*rel.split("/"))
        digest = hashlib.sha256()
        with writing(final):
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            with open(source, "rb") as src, open(path, "wb") as dst:
                while block := src.read(1 << 20):
                    digest.update(block)
                    dst.write(block)
        self.files[rel] = digest.hexdigest()
        return final

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def _survey(self) -> tuple[dict[str, str], list[str], list[str]]:
        """(the manifest of the earlier run, its files that are there unchanged, the files this tool did not write)."""
        previous = read_manifest(self.target)
        ours: list[str] = []
        foreign: list[str] = []
        if not self.target.is_dir():
            return previous, ours, foreign
        if self.target.is_symlink():
            foreign.append(".")
        for dirpath, dirnames, filenames in os.walk(self.target):
            base = Path(dirpath)
            foreign.extend((base / name).relative_to(self.target).as_posix() for name in dirnames
                           if (base / name).is_symlink())
            for name in filenames:
                p = base / name
                rel = p.relative_to(self.target).as_posix()
                if rel == MANIFEST:
                    continue
                if rel in previous and not p.is_symlink() and _sha256(p) == previous[rel]:
                    ours.append(rel)
                else:
                    foreign.append(rel)
        return previous, sorted(ours), sorted(foreign)

    def commit(self) -> None:
        """Move the new site into place (see the module docs); the staging folder is removed in any case."""
        staging = self.staging
        assert staging is not None, "open() first"
        try:
            previous, ours, self.foreign = self._survey()
            self.stale = [rel for rel in ours if rel not in self.files]
            manifest = dict(self.files)
            if self.clean:
                self.removed = list(self.stale)
            else:
                manifest.update((rel, previous[rel]) for rel in self.stale)
                if not self.foreign:  # the folder is swapped: carry the earlier run's pages into the new one
                    for rel in self.stale:
                        self._carry(rel, staging)
            self._write_manifest(staging, manifest)
            # durable before it takes the final name: the staged files are synced here in one batch
            # (not one fsync per file as it is written: about half the wall time of a --to markdown run)
            _sync_files(staging, [*manifest, MANIFEST])
            if not self.target.exists():
                with writing(self.target):
                    os.rename(staging, self.target)
                self.staging = None
            elif self.foreign or not self._swap(staging):
                self._one_by_one(staging)
        finally:
            self.abort()

    def _carry(self, rel: str, staging: Path) -> None:
        src = self.target.joinpath(*rel.split("/"))
        dest = staging.joinpath(*rel.split("/"))
        with writing(dest):
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, dest)
            except OSError:
                shutil.copy2(src, dest)

    def _write_manifest(self, folder: Path, files: dict[str, str]) -> None:
        data = json.dumps({"tool": "wp-shortcodes", "version": __version__,
                           "note": "the files shortcodes convert wrote into this folder (--clean removes "
                                   "those a later run does not write again)",
                           "files": dict(sorted(files.items()))}, indent=1, ensure_ascii=False) + "\n"
        path = folder / MANIFEST
        with writing(self.target / MANIFEST):
            path.write_text(data, encoding="utf-8")

    def _swap(self, staging: Path) -> bool:
        """Put the new folder in the target's place in one step; ``False`` if that cannot be done here."""
        with writing(self.target):
            try:
                swapped = _exchange(staging, self.target)
            except OSError as exc:
                if exc.errno in (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES):
                    return False
                raise
            if not swapped:
                old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".old", dir=self.target.parent))
                os.rmdir(old)
                try:
                    os.rename(self.target, old)
                except OSError:
                    return False
                try:
                    os.rename(staging, self.target)
                except OSError:
                    os.rename(old, self.target)
                    raise
                shutil.rmtree(old, ignore_errors=True)
                self.staging = None
                return True
        # staging now holds the earlier site: removed by abort()
        return True

    def _one_by_one(self, staging: Path) -> None:
        """Rename each new file into the target (the index and the manifest last); remove the stale with clean."""
        order = sorted(self.files, key=lambda rel: (rel == "index.html", rel))
        for rel in [*order, MANIFEST]:
            src = staging.joinpath(*rel.split("/"))
            dest = self.target.joinpath(*rel.split("/"))
            with writing(dest):
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.replace(src, dest)
                except OSError as exc:
                    if exc.errno != errno.EXDEV:
                        raise
                    atomic_write_bytes(dest, src.read_bytes())
        for rel in self.removed:
            path = self.target.joinpath(*rel.split("/"))
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            parent = path.parent
            while parent != self.target:
                try:
                    parent.rmdir()
                except OSError:
                    break
                parent = parent.parent
