"""The worker side of :mod:`.distributed`: one :class:`~.converter.Converter` per Dask worker, made once.

This module imports Dask at its top (``pip install 'wp-shortcodes[dask]'``; without it the module
still imports, with a stand-in base class, so its doctests and docs work);
:mod:`.distributed` imports it only when a cluster is used.

:class:`ConverterPlugin` is a :class:`distributed.WorkerPlugin` carrying
the run's :class:`~.options.ConvertOptions` and the files they name (the
``--templates`` folders and a ``--stats`` file), so both reach every worker
once, when the plugin is registered, and again on a worker that joins or is
restarted later.  In :meth:`~ConverterPlugin.setup` each file is put where
the worker can read it: a folder that exists on the worker with the same
files is used where it is (a worker on the same machine, or a shared path),
any other is unpacked into a temporary folder of the worker's and the
options point there.  The converter itself is made on the first task of
each worker thread and kept for the worker's life, so compiled templates
and the card memo serve every later task (one thread per worker, as
``--scheduler local:N`` starts them, gives one converter per process).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

try:
    from distributed import WorkerPlugin
except ImportError:  # the [dask] extra is missing: the module still imports (for its doctests and docs);
    # registering the plugin needs a Client, which distributed.py asks for with the extra's name.
    class WorkerPlugin:  # type: ignore[no-redef]
        """Stand-in for :class:`distributed.WorkerPlugin` where Dask is not installed."""

from .converter import Converter
from .options import ConvertOptions

__all__ = ["ConverterPlugin", "bundle_files"]

#: A folder or file the options name, carried with the plugin: (path on the client, {relative path: bytes}).
Bundle = tuple[str, dict[str, bytes]]


def bundle_files(path: str) -> Bundle:
    """The files of a ``--templates`` folder (or one ``--stats`` file, as ``{"": bytes}``), read now."""
    p = Path(path)
    if p.is_dir():
        files = {q.relative_to(p).as_posix(): q.read_bytes() for q in sorted(p.rglob("*")) if q.is_file()}
        return path, files
    return path, {"": p.read_bytes()}


def _same(path: str, files: dict[str, bytes]) -> bool:
    """Whether ``path`` on this worker holds exactly ``files`` (so it can be used where it is)."""
    p = Path(path)
    try:
        if "" in files:
            return p.is_file() and _digest(p.read_bytes()) == _digest(files[""])
        if not p.is_dir():
            return False
        here = {q.relative_to(p).as_posix() for q in p.rglob("*") if q.is_file()}
        return here == set(files) and all(_digest((p / rel).read_bytes()) == _digest(data)
                                          for rel, data in files.items())
    except OSError:
        return False


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ConverterPlugin(WorkerPlugin):
    """Makes the run's options usable on a worker, and hands each worker thread one converter for its life.

    ``templates``: one :data:`Bundle` per ``options.templates`` folder;
    ``stats``: the ``--stats`` file's bundle when it is a local file (a URL
    is fetched by each worker itself, once).
    """

    def __init__(self, options: ConvertOptions, templates: "tuple[Bundle, ...]" = (),
                 stats: "Bundle | None" = None) -> None:
        self.options = options
        self.templates = templates
        self.stats = stats
        self._local: "threading.local | None" = None
        self._folder: "str | None" = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_local"] = None
        state["_folder"] = None
        return state

    def setup(self, worker: Any) -> None:
        """Put the options' files where this worker can read them (see the module docs)."""
        self._local = threading.local()
        templates = []
        for path, files in self.templates:
            templates.append(path if _same(path, files) else self._unpack(path, files))
        stats = self.options.stats
        if self.stats is not None and not _same(*self.stats):
            stats = self._unpack(*self.stats)
        self.options = dataclasses.replace(self.options, templates=tuple(templates), stats=stats)

    def _unpack(self, path: str, files: dict[str, bytes]) -> str:
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="shortcodes-worker-")
        n = len(os.listdir(self._folder))
        if "" in files:  # one file: keep its name (a provider may tell formats by the suffix)
            target = Path(self._folder, str(n))
            target.mkdir()
            dest = target / Path(path).name
            dest.write_bytes(files[""])
            return str(dest)
        target = Path(self._folder, f"{n}-{Path(path).name}")
        for rel, data in files.items():
            dest = target.joinpath(*rel.split("/"))
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        target.mkdir(parents=True, exist_ok=True)
        return str(target)

    def teardown(self, worker: Any) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def converter(self) -> Converter:
        """This thread's converter, made on its first call and kept for the worker's life."""
        if self._local is None:  # used without setup (in the same process as the client)
            self._local = threading.local()
        conv: "Converter | None" = getattr(self._local, "converter", None)
        if conv is None:
            conv = self._local.converter = Converter(self.options)
        return conv
