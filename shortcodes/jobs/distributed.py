"""Converting many exports on a Dask cluster, with the output of ``shortcodes convert --jobs 1``.

``shortcodes convert … --scheduler ADDRESS`` (an existing cluster's
scheduler) or ``--scheduler local:N`` (a :class:`distributed.LocalCluster` of
``N`` worker processes on this machine) runs :func:`convert_on_cluster`;
Dask is an optional extra, ``pip install 'wp-shortcodes[dask]'``.

How a run goes:

1. **Plan** (:func:`plan`, one task per export, on a worker): each input
   becomes its units of work, each a pure function of (export bytes,
   options).  A unit is a run of whole ``<item>``\\ s of one export given as
   a byte range with the line, column and item index at its start (the
   byte-range units of :mod:`shortcodes.exports.wxr.units`, cut at about
   :data:`UNIT_BYTES`) for a plain WordPress export, a local file or an
   fsspec URL (``s3://``, ``gs://``, ``https://``, ``file://``: the plan
   reads it once, in blocks, and each task reads only its range,
   :func:`read_range`), for every output format; a small
   export is one unit, and every other input (``--recover``; ``.gz``, as a
   gzip stream has no byte ranges, which the summary says once; REST JSON;
   a folder) is one unit, the whole input, read by the exact reader
   (:func:`~shortcodes.exports.read_posts`).  ``--to wxr`` units also
   carry the bytes between them (:attr:`Unit.cover`), so their parts,
   joined, are the whole export rewritten.  In ``render`` mode each
   export's site model (:func:`site_of`: the attachments the media tags
   need) is read once by a task of its own, which the units depend on.
2. **Ship the options once**: a :class:`~.dask_plugin.ConverterPlugin` is
   registered with the cluster; it carries the options and the files they
   name (``--templates`` folders, a ``--stats`` file) to every worker, and
   gives each worker one :class:`~.converter.Converter` for its life, so
   compiled templates and the card memo persist across tasks.
3. **Run** (:func:`run_unit`, one task per unit): the worker reads its byte
   range, or its whole input (a local path, or any fsspec URL such as
   ``s3://bucket/site.xml`` for a WordPress export), converts every post, serialises the posts as
   the output format wants them and writes them as one *part* under the
   parts folder (``parts=``; by default a hidden folder beside the output,
   which the workers must see: checked before anything runs), atomically
   (a temporary name, then a rename), so a task run twice, after its
   worker died, writes the same part again.  What it returns is small: the
   unit's :class:`~.results.ConvertReport`, its problems, read warnings and
   read failures, and the tally of post types and statuses.
4. **Join** (on the client, in input order, while later units still run):
   the parts of each export are joined in order into the output
   (``jsonl``: one file; ``wxr``: one export per input, each part the
   bytes of its range with the changed posts spliced in) through the same
   staged writers as a local run, and the reports are merged.  A site
   (``html``, ``markdown``) is written here by the output's own writer
   (:data:`~.outputs.OUTPUTS`), fed with the workers' converted posts
   (:class:`_SiteRun`): it names the pages in input order, links them
   (the links between posts, ``--media-url``, featured images) and, for
   ``markdown``, turns each page's HTML into Markdown, exactly as on one
   machine; the site models it needs are read on the cluster.  ``--in-place`` is refused
   (:data:`~.convert.IN_PLACE_ON_CLUSTER` says why).  A unit that
   sees anything unusual (:class:`~shortcodes.exports.wxr.units.Unusual`: a
   warning, an XML error, a file changed since it was planned), or a plan
   that does, sends its export to one sequential task reading the whole
   export, so results never differ from ``shortcodes convert``.

An input that cannot be read is reported and the others are converted,
exactly as on one machine; a unit whose worker died is run again by Dask
(a worker killed mid-run leaves the output complete and identical), and
one whose workers kept dying (:class:`distributed.KilledWorker`) or whose
task was cancelled too often fails its input alone.  The exit status and
summary are those of a local run (:attr:`ConvertReport.exit_status`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import io
import json
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Iterator, Sequence, cast

from ..common.errors import ExportError, InputError
from ..common.fileio import atomic_writer, refuse_overwrite
from ..exports.post import Post
from ..exports.problems import ReadError, ReadWarning
from ..exports.readers import READERS, detect_format, read_posts
from ..exports.site import Site, read_site
from ..exports.wxr.reader import WxrReader
from ..exports.wxr.rewriter import rewrite_wxr
from ..exports.wxr.units import Unit as ByteRange
from ..exports.wxr.units import UnitPlanner, Unusual, _read_range, read_unit
from ..markdown import MarkdownOptions
from .converter import Converter
from .inputs import InputFailure, Inputs
from .options import ConvertOptions, PostFilter
from .outputs import OUTPUTS, OVERWRITE_HINT, Run
from .outputs.jsonl import record
from .outputs.site import site_extra, used_dynamic_blocks
from .outputs.wxr import NOT_REWRITABLE, wxr_targets
from .results import ConvertReport, PostResult, Problem
from .units import Finish, convert_unit, stub
from .writing import StagedFiles, writing

if TYPE_CHECKING:  # pragma: no cover
    from .dask_plugin import ConverterPlugin

__all__ = ["DASK_EXTRA", "UNIT_BYTES", "Unit", "Plan", "Part", "JobSpec", "plan", "run_unit", "convert_on_cluster",
           "require_dask", "is_url", "open_client"]

#: What to install for ``--scheduler``.
DASK_EXTRA = "wp-shortcodes[dask]"

#: How many times a unit is submitted again after its task was cancelled (``client.restart()``).
RESUBMITS = 5

#: The size byte-range units are cut at on a cluster (a unit holds whole items, so it may be larger).
UNIT_BYTES = 4 << 20


def require_dask() -> None:
    """Raise :class:`InputError` naming the extra when Dask distributed is not installed."""
    try:
        import distributed  # noqa: F401  # reason: Dask is an optional extra, only for --scheduler
    except ImportError as exc:
        raise InputError(f"--scheduler needs Dask distributed, which is not installed ({exc}): "
                         f"pip install '{DASK_EXTRA}'") from None


def is_url(source: "str | os.PathLike[str]") -> bool:
    """Whether ``source`` is an fsspec URL (``s3://…``, ``https://…``, ``file://…``) rather than a path.

    >>> is_url("s3://bucket/site.xml"), is_url("site.xml"), is_url("C:/x.xml")
    (True, False, False)
    """
    text = os.fspath(source)
    scheme, sep, _ = text.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").replace("-", "").isalnum()


# -- units --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """One task's work: a run of whole ``<item>``\\ s of one input.

    ``source``: the input as given (a path or an fsspec URL); ``index``: its
    place among the inputs; ``part``: the unit's place in its export;
    ``span``: the byte range with the line, column and item index at its
    start (:class:`shortcodes.exports.wxr.units.Unit`), or ``None`` for the
    whole input, read by the exact reader; ``cover`` (``--to wxr``): the
    byte range its part holds, rewritten: from the end of the unit before
    (the file's start for the first) to its span's end (the file's end for
    the last), so that the parts joined in order are the whole file.
    """

    source: str
    index: int
    part: int = 0
    span: "ByteRange | None" = None
    cover: "tuple[int, int] | None" = None  # to="wxr": the bytes its part writes (its span and the gap before it)

    @property
    def whole(self) -> bool:
        """The unit is its whole input."""
        return self.span is None

    def name(self, output: str) -> str:
        """The part's file name (keeps a ``.gz`` ending, so a compressing writer compresses)."""
        gz = ".xml.gz" if output.lower().endswith(".gz") else ""
        return f"{self.index:06d}-{self.part:06d}{gz or '.part'}"


@dataclass(frozen=True)
class Plan:
    """An export's units in order, and the warnings the exact reader gives after its last item."""

    units: tuple[Unit, ...]
    warnings: tuple[ReadWarning, ...] = ()
    why_whole: str = ""
    size: int = 0  # the file's size when it was planned

    def covering(self) -> "Plan":
        """The plan with each unit's :attr:`Unit.cover` set (``--to wxr``: the parts are the whole file)."""
        units, ends = [], [u.span.end for u in self.units if u.span is not None]
        if len(ends) != len(self.units):
            return self
        for k, unit in enumerate(self.units):
            stop = self.size if k == len(self.units) - 1 else ends[k]
            units.append(dataclasses.replace(unit, cover=(ends[k - 1] if k else 0, stop)))
        return dataclasses.replace(self, units=tuple(units))


def by_ranges(source: str, to: str, recover: bool, output: str = "") -> bool:
    """Whether ``source`` is cut into byte ranges: a plain (not ``.gz``) WordPress export, a local file or an
    fsspec URL, converted without ``recover`` (``--to wxr``: into an export that is not ``.gz`` either, as
    gzip members joined are not the bytes of one gzip stream)."""
    if recover or compressed(source) or (to == "wxr" and output.lower().endswith(".gz")):
        return False
    try:
        if is_url(source):
            return detect_format(_url_path(source)) == "wxr"
        return Path(source).is_file() and detect_format(source) == "wxr"
    except ExportError:
        return False


def compressed(source: str) -> bool:
    """Whether ``source`` names a gzip-compressed export (read whole: a gzip stream has no byte ranges).

    >>> compressed("s3://b/site.xml.gz"), compressed("site.xml"), compressed("https://h/a.xml.GZ?x=1")
    (True, False, True)
    """
    return _url_path(source).lower().endswith(".gz")


def _url_path(source: str) -> str:
    return source.split("?", 1)[0] if is_url(source) else source


def site_of(source: str) -> Site:
    """The site model of one export (a path, or the URL of a WordPress export), as
    :func:`~.convert.read_sites` reads it for a local run (a task: empty for an input that has none, or one
    that cannot be read: reading its posts says why)."""
    if is_url(source):
        try:
            reader = READERS["wxr"].site_reader()
            if reader is None:
                return Site.empty()
            with _open_url(source) as stream:
                site: Site = reader(stream, recover=True)
                return site
        except (ExportError, OSError):
            return Site.empty()
    p = Path(source)
    try:
        if p.is_dir() or detect_format(p) not in READERS or READERS[detect_format(p)].site is None:
            return Site.empty()
        return read_site(p, recover=True)
    except (ExportError, OSError):
        return Site.empty()


def plan(source: str, index: int, *, unit_bytes: int = UNIT_BYTES) -> Plan:
    """The units of one WordPress export (a task: the bytes are scanned where the file is).

    The planner (:class:`~shortcodes.exports.wxr.units.UnitPlanner`) scans for
    item boundaries and checks everything between the items with the exact
    reader; when it meets anything it cannot cover, the export is one unit,
    read whole by the exact reader.  An fsspec URL is read once, in blocks of
    :data:`BLOCK_BYTES`, into a temporary file of the worker's that the scan
    maps (never whole in memory); its units name the URL, so each task reads
    only its range (:func:`read_range`).  A server that ignores ``Range``
    requests (a one-byte probe gets more) makes the export one unit.
    """
    if not is_url(source):
        try:
            size = os.path.getsize(source)
        except OSError as exc:  # unreadable: the exact reader says so, in its words
            return Plan((Unit(source, index),), why_whole=str(exc))
        return _plan(source, source, index, unit_bytes, size)
    try:
        with _spooled(source) as (local, size):
            got = _plan(local, source, index, unit_bytes, size)
        if len(got.units) > 1 and len(read_range(source, 0, 1)) != 1:  # a server that ignores Range
            return Plan((Unit(source, index),), why_whole="the server does not answer byte-range requests")
        return got
    except (OSError, ValueError) as exc:  # the exact reader (one task) says what is wrong with the URL
        return Plan((Unit(source, index),), why_whole=f"{type(exc).__name__}: {exc}")


def _plan(local: str, source: str, index: int, unit_bytes: int, size: int) -> Plan:
    planner = UnitPlanner(local, unit_bytes=unit_bytes, name=source)
    try:
        spans = list(planner)
    except OSError as exc:  # unreadable: the exact reader says so, in its words
        return Plan((Unit(source, index),), why_whole=str(exc))
    if planner.unusual is not None or len(spans) < 2:
        why = planner.unusual.reason if planner.unusual is not None else ""
        return Plan((Unit(source, index),), why_whole=why)
    if local != source:
        spans = [dataclasses.replace(span, path=source) for span in spans]
    return Plan(tuple(Unit(source, index, i, span) for i, span in enumerate(spans)), tuple(planner.final_warnings),
                size=size)


#: The block size a URL is read in (to plan it; whole-export reads stream it too).
BLOCK_BYTES = 4 << 20


@contextlib.contextmanager
def _spooled(url: str) -> Iterator[tuple[str, int]]:
    """``(temporary file, size)``: the bytes of ``url`` copied block by block to this machine's disk."""
    fs, path = _fs_of(url)
    fd, tmp = tempfile.mkstemp(prefix="shortcodes-plan-", suffix=".xml")
    try:
        size = 0
        # no read-ahead cache: each block is fetched once (an HTTP Range or ranged GET of its own)
        with os.fdopen(fd, "wb") as out, fs.open(path, "rb", block_size=BLOCK_BYTES, cache_type="none") as f:
            while True:
                block = f.read(BLOCK_BYTES)
                if not block:
                    break
                out.write(block)
                size += len(block)
        yield tmp, size
    finally:
        os.unlink(tmp)


def _fs_of(url: str) -> tuple[Any, str]:
    import fsspec  # reason: fsspec (the dask extra) only for inputs given as URLs

    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


def read_range(source: str, start: int, end: int) -> bytes:
    """The bytes ``[start, end)`` of ``source``, a local path or an fsspec URL: only those are read (an
    HTTP ``Range`` request, an object store's ranged GET), so a task reads its unit, not the export."""
    if not is_url(source):
        return _read_range(source, start, end)
    fs, path = _fs_of(source)
    data: bytes = fs.cat_file(path, start=start, end=end)
    return data


@dataclass(frozen=True)
class JobSpec:
    """What every task of a run needs besides its unit (the options travel once, with the plugin)."""

    to: str
    plugin: str
    parts: str
    recover: bool = False
    outputs: tuple[str, ...] = ()  # to="wxr": each input's target name (for the part's .gz ending)
    unit_bytes: int = UNIT_BYTES
    sites: bool = False  # render mode: the media tags need each export's site model


@dataclass
class Part:
    """What a task returns (its posts are in the part file ``location``).

    ``report``: the unit's own report (posts, counts, the first problems);
    ``shown``: every problem (and note) of its posts, in order, for the
    caller to print; ``warnings``: the readers' warnings; ``failures``: the
    inputs (or files of a folder input) that could not be read, with the
    posts read before; ``read``/``accepted``/``types``/``statuses``/``left_out``:
    the tally of what was read (:class:`~.inputs.Inputs`'s, for the filters'
    messages); ``unusual``: the unit asks for its whole
    export to be read by the exact reader; ``changed``: ``to="wxr"``, some
    post changed; ``cpu``: the task's CPU seconds.
    """

    unit: Unit
    location: "str | None" = None
    report: ConvertReport = field(default_factory=ConvertReport)
    shown: list[Problem] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    failures: list[tuple[str, ExportError, int]] = field(default_factory=list)
    not_rewritable: bool = False
    read: int = 0
    accepted: int = 0
    types: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    unusual: str = ""
    changed: bool = False
    cpu: float = 0.0


# -- parts: a local folder or an fsspec URL -----------------------------------------------------------

class _Parts:
    """Where parts are written (by workers) and read (by the client): a folder, or an fsspec URL."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.url = is_url(base)

    def _fs(self) -> Any:
        import fsspec  # reason: fsspec (the dask extra) only for parts on a URL

        return fsspec.core.url_to_fs(self.base)[0]

    def where(self, name: str) -> str:
        return f"{self.base}/{name}"

    def scratch(self, name: str) -> str:
        """A temporary local file to write ``name`` into before :meth:`publish`."""
        folder = self.base if not self.url else None
        suffix = ".xml.gz" if name.endswith(".gz") else ".tmp"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=folder)
        os.close(fd)
        return tmp

    def publish(self, tmp: str, name: str) -> str:
        """Move the finished ``tmp`` to ``name``, atomically (a rename; on a URL, upload then move)."""
        final = self.where(name)
        if not self.url:
            os.replace(tmp, final)
            return final
        fs = self._fs()
        try:
            fs.put_file(tmp, final + ".tmp")
            fs.mv(final + ".tmp", final)
        finally:
            os.unlink(tmp)
        return final

    def open(self, location: str) -> IO[bytes]:
        if not self.url:
            return open(location, "rb")
        f: IO[bytes] = self._fs().open(location, "rb")
        return f

    def remove(self, location: str) -> None:
        try:
            if self.url:
                self._fs().rm(location)
            else:
                os.unlink(location)
        except (OSError, FileNotFoundError):
            pass


# -- the worker's side ----------------------------------------------------------------------------------

def _plugin(name: str) -> "ConverterPlugin":
    from distributed import get_worker  # reason: Dask is an optional extra, only on a cluster

    plugin = cast("ConverterPlugin", get_worker().plugins[name])
    return plugin


class _Collect:
    """The reading side of a task: warnings, failures (named as :class:`~.inputs.Inputs` names them), tally."""

    def __init__(self, part: Part, source: str, accepts: PostFilter) -> None:
        self.part, self.source = part, source
        self.tallied = Inputs([], accepts=accepts)  # the same tally as a local run's, for this unit

    def warn(self, w: ReadWarning) -> None:
        self.part.warnings.append(w)

    def failed(self, error: ReadError) -> None:
        exc = error.error or ExportError(error.reason, error.file, error.line, error.column)
        path = self.source if error.file in ("", self.source) else error.file
        self.part.failures.append((path, exc, error.posts))

    def posts(self, recover: bool, *, catch: bool = True) -> Iterator[Post]:
        """The posts of the unit's input, by the exact reader, tallied."""
        if is_url(self.source):
            stream = _open_url(self.source)
            try:
                reader = WxrReader(stream, recover=recover, on_warning=self.warn, name=self.source)
                try:
                    for post in reader:
                        self.tally(post)
                        yield post
                except ExportError as exc:
                    if not catch:
                        raise
                    self.part.failures.append((self.source, exc, self.part.read))
            finally:
                stream.close()
            return
        for post in read_posts([self.source], recover=recover, on_warning=self.warn,
                               on_error=self.failed if catch else None):
            self.tally(post)
            yield post

    def tally(self, post: Post) -> None:
        part, tallied = self.part, self.tallied
        tallied.tally(post)
        part.read, part.accepted = tallied.read, tallied.accepted
        part.types, part.statuses, part.left_out = tallied.types, tallied.statuses, tallied.left_out


def _open_url(url: str) -> IO[bytes]:
    """A stream of the export at ``url`` (decompressed when it is ``.gz``), fetched in blocks of
    :data:`BLOCK_BYTES`, each once (no read-ahead cache that fetches a block again)."""
    if detect_format(_url_path(url)) != "wxr":
        raise ExportError("only WordPress exports (.xml, .xml.gz) can be read from a URL", url)
    fs, path = _fs_of(url)
    raw = fs.open(path, "rb", block_size=BLOCK_BYTES, cache_type="none")
    stream: IO[bytes] = io.BufferedReader(raw, buffer_size=BLOCK_BYTES)
    if compressed(url):
        unzipped = gzip.GzipFile(fileobj=stream, mode="rb")
        unzipped.myfileobj = stream  # type: ignore[assignment]  # closed with it, as a file it opened itself
        return cast(IO[bytes], unzipped)
    return stream


def _step(part: Part, post: Post, result: PostResult) -> None:
    part.report.add(post, result)
    for p in result.problems:
        part.shown.append(p)
    for n in result.notes:
        part.shown.append(n)


def run_unit(unit: Unit, spec: JobSpec, site: "Site | None" = None, converter: "Converter | None" = None) -> Part:
    """Convert one unit into its part (a task; ``converter`` defaults to the worker's, from the plugin).

    ``site``: the export's site model (read once per export by a task of its
    own, brought to each worker once by Dask); a whole export with
    ``spec.sites`` reads its own.
    Never raises for a bad input: what could not be read is in :attr:`Part.failures`.
    """
    cpu = time.process_time()
    conv = converter if converter is not None else _plugin(spec.plugin).converter()
    if spec.sites:
        conv.sites[unit.source] = site if site is not None else site_of(unit.source)
    try:
        return _run_unit(unit, spec, conv, cpu)
    finally:
        conv.sites.pop(unit.source, None)  # a worker's converter lives long: keep only what is in use


def _run_unit(unit: Unit, spec: JobSpec, conv: Converter, cpu: float) -> Part:
    part = Part(unit)
    parts = _Parts(spec.parts)
    name = unit.name(spec.outputs[unit.index] if spec.outputs else "")
    tmp = parts.scratch(name)
    try:
        collect = _Collect(part, unit.source, conv.options.filter)
        if unit.span is not None:
            kept = _ranged(part, collect, conv, spec, tmp)
        else:
            kept = _whole(part, collect, conv, spec, tmp)
        if kept:
            part.location = parts.publish(tmp, name)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    part.cpu = time.process_time() - cpu
    return part


def _ranged(part: Part, collect: _Collect, conv: Converter, spec: JobSpec, tmp: str) -> bool:
    """A byte range of an export, read exactly as the sequential reader reads it
    (:func:`~shortcodes.exports.wxr.units.read_unit`; only the range is read, from a path or a URL), or
    :attr:`Part.unusual`."""
    span = part.unit.span
    assert span is not None
    if spec.to == "wxr":
        return _ranged_wxr(part, collect, conv, tmp)
    try:
        posts = read_unit(span, read_range(part.unit.source, span.start, span.end), name=part.unit.source)
    except Unusual as exc:
        part.unusual = exc.reason
        return False
    except OSError as exc:  # the URL or file went away: the exact reader, reading it whole, says it
        part.unusual = f"{type(exc).__name__}: {exc}"
        return False
    for post in posts:
        collect.tally(post)
    return _WRITERS[spec.to](part, iter(posts), conv, tmp, spec)


def _ranged_wxr(part: Part, collect: _Collect, conv: Converter, tmp: str) -> bool:
    """``--to wxr`` by a byte range: the bytes of :attr:`Unit.cover` with the changed posts' content and
    excerpts spliced in (the rewriter's replacements, :func:`~.units.convert_unit` with ``splice``),
    every other byte kept."""
    unit, span = part.unit, part.unit.span
    assert span is not None and unit.cover is not None
    lo, hi = unit.cover
    try:
        data = read_range(unit.source, lo, hi)
    except OSError as exc:
        part.unusual = f"{type(exc).__name__}: {exc}"
        return False
    if len(data) != hi - lo:
        part.unusual = "the file changed since it was planned"
        return False
    got = convert_unit(conv, span, data=data[span.start - lo:span.end - lo], name=unit.source, keep_text=False,
                       splice=True)
    if got.unusual is not None:
        part.unusual = got.unusual
        return False
    with open(tmp, "wb") as out:
        written = lo
        for post, result, edits in zip(got.posts, got.results, got.extras):
            collect.tally(post)
            _step(part, post, result)
            part.report.posts_written += 1
            part.changed = part.changed or bool(edits)
            for start, end, new in edits:
                out.write(data[written - lo:start - lo])
                out.write(new)
                written = end
        out.write(data[written - lo:])
    return True


def _whole(part: Part, collect: _Collect, conv: Converter, spec: JobSpec, tmp: str) -> bool:
    if spec.to == "wxr":
        return _wxr(part, collect, conv, spec, tmp)
    return _WRITERS[spec.to](part, collect.posts(spec.recover), conv, tmp, spec)


def _jsonl(part: Part, posts: Iterator[Post], conv: Converter, tmp: str, spec: JobSpec) -> bool:
    with open(tmp, "wb") as out:
        for post in posts:
            result = conv.convert_post(post)
            _step(part, post, result)
            if result.skipped:
                continue
            out.write((json.dumps(record(post, result), ensure_ascii=False) + "\n").encode("utf-8"))
            part.report.posts_written += 1
    return True


def _site(part: Part, posts: Iterator[Post], conv: Converter, tmp: str, spec: JobSpec) -> bool:
    """A site output's posts (``--to html``, ``--to markdown``): each converted here, written as a record
    ``(post, result, dynamic blocks)``, the post without its original text; the join hands them to the
    output's own writer on the submitting machine (:class:`_SiteRun`), which names the pages, links them
    and writes them as on one machine."""
    with open(tmp, "wb") as out:
        for post in posts:
            result = conv.convert_post(post)  # reported by the join, as the output's writer steps it
            pickle.dump((stub(post), result, used_dynamic_blocks(post, result)), out, protocol=pickle.HIGHEST_PROTOCOL)
    return True


def _wxr(part: Part, collect: _Collect, conv: Converter, spec: JobSpec, tmp: str) -> bool:
    """The export rewritten whole (as :mod:`.outputs.wxr` does): only changed content replaced."""
    source = part.unit.source
    if spec.recover:  # a malformed export cannot be rewritten byte for byte
        try:
            for _ in _Collect(Part(part.unit), source, conv.options.filter).posts(False, catch=False):
                pass
        except ExportError as exc:
            part.not_rewritable = True
            part.failures.append((source, exc, 0))
            return False
    posts = collect.posts(spec.recover, catch=False)
    changed = 0

    def transform(post: Post) -> "Post | None":
        nonlocal changed
        mine = next(posts)
        if mine.item_index != post.item_index or mine.id != post.id:  # pragma: no cover - defensive
            raise RuntimeError(f"{post.where()}: the reader and the writer disagree about the items")
        result = conv.convert_post(mine)
        _step(part, mine, result)
        part.report.posts_written += 1
        if not result.changed:
            return None
        changed += 1
        return dataclasses.replace(post, content=result.content, excerpt=result.excerpt)

    silent: Callable[[ReadWarning], None] = lambda w: None  # noqa: E731 - the reader reports them
    try:
        if is_url(source):
            with _open_url(source) as stream:
                rewrite_wxr(stream, tmp, transform, on_warning=silent)
        else:
            rewrite_wxr(source, tmp, transform, on_warning=silent)
    except ExportError as exc:
        part.report.posts_written = 0
        part.failures.append((source, exc, part.read))
        return False
    finally:
        posts.close()  # type: ignore[attr-defined]
    part.changed = bool(changed)
    return True


#: How a task writes its posts, by output format (``wxr`` by ranges: :func:`_ranged_wxr`; whole: :func:`_wxr`).
_WRITERS: dict[str, Callable[[Part, Iterator[Post], Converter, str, "JobSpec"], bool]] = {
    "jsonl": _jsonl, "html": _site, "markdown": _site}


# -- the client's side ----------------------------------------------------------------------------------

def open_client(scheduler: Any) -> "tuple[Any, Callable[[], None]]":
    """``(client, close)`` for ``scheduler``: a :class:`distributed.Client` (used as it is), ``local:N``
    (a LocalCluster of N worker processes, one thread each) or a scheduler's address."""
    require_dask()
    from distributed import Client  # reason: Dask is an optional extra, only for --scheduler

    if isinstance(scheduler, Client):
        return scheduler, lambda: None
    text = str(scheduler).strip()
    if text.startswith("local"):
        _, _, n = text.partition(":")
        try:
            workers = int(n) if n else os.cpu_count() or 1
        except ValueError:
            workers = 0
        if workers < 1:
            raise InputError(f"--scheduler {text}: give local:N with N worker processes, 1 or more")
        import logging

        from distributed import LocalCluster  # reason: Dask is an optional extra, only for --scheduler

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        client = Client(cluster)

        def close() -> None:
            client.close(timeout=30)
            cluster.close(timeout=30)

        return client, close
    try:
        client = Client(text, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--scheduler {text}: cannot reach the scheduler ({exc})") from None
    return client, client.close


def _plugin_for(options: ConvertOptions) -> "ConverterPlugin":
    from .dask_plugin import ConverterPlugin, bundle_files  # reason: it imports Dask (the optional extra)

    templates = tuple(bundle_files(t) for t in options.templates)
    stats = None
    if options.stats and not is_url(options.stats) and Path(options.stats).is_file():
        stats = bundle_files(options.stats)
    return ConverterPlugin(options, templates, stats)


def _check_parts(client: Any, parts: _Parts) -> None:
    """Refuse a parts folder that some worker cannot see (a cluster on other machines needs a shared one)."""
    if parts.url:
        return
    probe = Path(parts.base) / f".probe-{uuid.uuid4().hex}"
    probe.write_bytes(b"")
    try:
        seen = client.run(os.path.exists, str(probe))
    finally:
        probe.unlink()
    blind = sorted(w for w, ok in seen.items() if not ok)
    if blind:
        raise InputError(f"the workers {', '.join(blind)} cannot see the parts folder {parts.base}: give --parts "
                         "a folder or URL (s3://bucket/tmp/) that they and this machine share")


def convert_on_cluster(
    paths: Sequence[str],
    output: "str | os.PathLike[str]",
    converter: Converter,
    *,
    to: str,
    scheduler: Any,
    report: "ConvertReport | None" = None,
    recover: bool = False,
    site_title: "str | None" = None,
    clean: bool = False,
    parts: "str | None" = None,
    on_problem: "Callable[[Problem], None] | None" = None,
    on_warning: "Callable[[ReadWarning], None] | None" = None,
    on_failure: "Callable[[InputFailure], None] | None" = None,
    progress: bool = False,
    unit_bytes: "int | None" = None,
    flavor: str = "hugo",
    markdown: "MarkdownOptions | None" = None,
    media_urls: "Sequence[tuple[str, str]]" = (),
    uploads: "Path | None" = None,
) -> ConvertReport:
    """Convert ``paths`` on a Dask cluster into ``output``, as :func:`~.convert.convert` does on one machine.

    Called by :func:`~.convert.convert` with ``scheduler=`` (after it has
    checked the arguments, as for a local run); see the module docs.
    ``scheduler``: a :class:`distributed.Client`, ``"local:N"`` or a
    scheduler address.  ``parts``: where the workers write their parts (a
    folder or an fsspec URL that they and this machine share; default: a
    hidden folder beside the output).  ``on_problem`` gets every problem
    (and note) of every post, in input order; ``on_warning`` the readers'
    warnings; ``on_failure`` each input that could not be read.
    ``progress``: Dask's progress bar (on standard output) and the
    dashboard's address (on standard error).  ``unit_bytes``: the size
    byte-range units are cut at (default :data:`UNIT_BYTES`).  ``flavor``,
    ``markdown``, ``media_urls`` and ``uploads`` (a folder on this machine:
    the site is written here): as for :func:`~.convert.convert`.
    """
    report = report if report is not None else ConvertReport()
    out = Path(os.fspath(output))
    targets: list[Path] = []
    if to == "wxr":
        targets = wxr_targets([Path(p) for p in paths], out, [Path(p) for p in paths if not is_url(p)])
    client, close = open_client(scheduler)
    token = uuid.uuid4().hex[:12]
    made_parts = parts is None
    if parts is None:
        near = out.parent if str(out) != "-" else Path.cwd()
        near.mkdir(parents=True, exist_ok=True)
        parts = tempfile.mkdtemp(prefix=f".{out.name if str(out) != '-' else 'stdout'}.parts-", dir=near)
    store = _Parts(parts)
    plugin_name = f"shortcodes-converter-{token}"
    try:
        _check_parts(client, store)
        client.register_plugin(_plugin_for(converter.options), name=plugin_name)
        spec = JobSpec(to=to, plugin=plugin_name, parts=store.base, recover=recover,
                       outputs=tuple(str(t) for t in targets),
                       unit_bytes=unit_bytes if unit_bytes is not None else UNIT_BYTES,
                       sites=converter.options.mode == "render")
        runner = _Runner(client, spec, token, list(paths), progress=progress)
        join = _Join(paths, report, converter, store, recover, on_problem, on_warning, on_failure)
        parts_of = (runner.parts(i) for i in range(len(paths)))
        try:
            if to == "jsonl":
                join.jsonl(out, parts_of)
            elif to == "wxr":
                join.wxr(targets, parts_of)
            else:  # a site: the output's own writer, fed with the workers' posts
                if converter.options.mode == "render":  # as a local run reads them (read_sites)
                    converter.sites = runner.site_models()
                local = [Path(p) for p in paths if not is_url(p)]
                run = _SiteRun(local, out, converter, report, local, join.step, join.warn, recover=recover,
                               site_title=site_title, clean=clean, on_failure=on_failure, flavor=flavor,
                               markdown=markdown, media_urls=tuple(media_urls), uploads=uploads)
                run.join, run.exports, run.inputs = join, parts_of, join.inputs
                try:
                    OUTPUTS[to].writer()(run)
                finally:
                    run.close()
        finally:
            runner.stop()
        report.notes.extend(_whole_notes(paths, to, recover))
    finally:
        try:
            with_plugin = getattr(client, "unregister_worker_plugin", None)
            if with_plugin is not None:
                try:
                    with_plugin(plugin_name)
                except Exception:  # noqa: BLE001 - never registered (an error before), or a worker gone
                    pass
        finally:
            close()
            if made_parts:
                shutil.rmtree(parts, ignore_errors=True)
    return report


@dataclass
class _SiteRun(Run):
    """A site output's :class:`~.outputs.Run` on the submitting machine: the output's own writer runs as on
    one machine, and its posts come converted from the workers' parts, in input order (their reports,
    warnings and failures merged as they come)."""

    join: "_Join | None" = field(init=False, default=None)
    exports: Iterator[list[Part]] = field(init=False, default_factory=lambda: iter(()))

    def convert_inputs(self, finish: "Finish | None" = None, *,
                       keep_text: bool = True) -> Iterator[tuple[Post, PostResult, Any]]:
        join = self.join
        assert join is not None
        for parts in self.exports:
            for part in parts:
                join.merge(part)
                for post, result, names in join._records(part):
                    # the workers ran used_dynamic_blocks, where the posts' text is (and no site output's
                    # share of writing the post: the writer here marks and converts each text itself)
                    if finish is used_dynamic_blocks:
                        extra: Any = names
                    elif isinstance(finish, functools.partial) and finish.func is site_extra:
                        extra = (names, None)
                    else:
                        extra = None if finish is None else finish(post, result)
                    yield post, result, extra
        self.inputs.finish()


def _whole_notes(paths: Sequence[str], to: str, recover: bool) -> list[str]:
    """What the summary says once about the exports no worker could share: the compressed ones."""
    gz = [p for p in paths if compressed(p) and not recover]
    if not gz:
        return []
    n = len(gz)
    return [f"{n} compressed export{'s were' if n != 1 else ' was'} read whole, by one task each (e.g. {gz[0]}): "
            "a gzip stream cannot be read by byte ranges; uncompressed exports are shared out among the workers"]


class _Runner:
    """Plans every export (a task each, where byte ranges apply), submits the units as the plans come in,
    and hands each export's parts back in order, submitting again what a restart cancelled."""

    def __init__(self, client: Any, spec: JobSpec, token: str, paths: list[str], *, progress: bool = False) -> None:
        self.client, self.spec, self.token, self.paths = client, spec, token, paths
        self.progress = progress
        self.tries: Counter[tuple[int, int]] = Counter()
        self.lock = threading.Lock()
        self.ready = threading.Condition(self.lock)
        self.exports: dict[int, tuple[Plan, list[Any]]] = {}
        self.sites: dict[int, Any] = {}  # export -> the future of its site model's task
        self.failed: "BaseException | None" = None
        self.stopped = False
        self.feeder = threading.Thread(target=self._feed, name="shortcodes-plans", daemon=True)
        self.feeder.start()

    def submit(self, unit: Unit) -> Any:
        with self.lock:
            n = self.tries[(unit.index, unit.part)]
            self.tries[(unit.index, unit.part)] += 1
        kind = "unit" if unit.span is not None else "export"
        key = f"shortcodes-{kind}-{self.token}-{unit.index}-{unit.part}-{n}"
        return self.client.submit(run_unit, unit, self.spec, self._site(unit.index), key=key, pure=False)

    def _site(self, index: int) -> Any:
        """The future of export ``index``'s site model (``None``: the task reads its own), submitted again
        when a restart cancelled it."""
        with self.lock:
            future = self.sites.get(index)
            if future is not None and future.status in ("cancelled", "lost", "error"):
                n = self.tries[(index, -1)]
                self.tries[(index, -1)] += 1
                future = self.sites[index] = self.client.submit(
                    site_of, self.paths[index], key=f"shortcodes-site-{self.token}-{index}-{n + 1}", pure=False)
        return future

    def site_models(self) -> dict[str, Site]:
        """Every input's site model, read on the cluster (a task each, those of the byte-range exports
        shared with their units), by input name: what a site output's links and featured images need."""
        with self.lock:
            for i, source in enumerate(self.paths):
                if i not in self.sites:
                    self.sites[i] = self.client.submit(site_of, source, key=f"shortcodes-site-{self.token}-{i}",
                                                       pure=False)
        models: dict[str, Site] = {}
        for i, source in enumerate(self.paths):
            for attempt in range(RESUBMITS + 1):
                try:
                    models[source] = self._site(i).result()
                    break
                except Exception:  # noqa: BLE001 - cancelled by a restart, or its worker died: again
                    if attempt == RESUBMITS:
                        raise
                    with contextlib.suppress(Exception):
                        self.client.wait_for_workers(1, timeout=60)
        return models

    def _feed(self) -> None:
        from distributed import as_completed  # reason: Dask is an optional extra, only for --scheduler

        try:
            planning: dict[Any, int] = {}
            for i, source in enumerate(self.paths):
                if self.stopped:
                    return
                output = self.spec.outputs[i] if self.spec.outputs else ""
                if by_ranges(source, self.spec.to, self.spec.recover, output):
                    future = self.client.submit(plan, source, i, unit_bytes=self.spec.unit_bytes,
                                                key=f"shortcodes-plan-{self.token}-{i}", pure=False)
                    planning[future] = i
                    if self.spec.sites:  # a task, not scattered data: recomputed if its worker dies
                        with self.lock:
                            self.sites.setdefault(i, self.client.submit(
                                site_of, source, key=f"shortcodes-site-{self.token}-{i}", pure=False))
                else:
                    self._planned(i, Plan((Unit(source, i),)))
            for future in as_completed(list(planning)):
                if self.stopped:
                    return
                i = planning[future]
                try:
                    got: Plan = future.result()
                except Exception as exc:  # noqa: BLE001 - planning only saves time: the exact reader reads it
                    got = Plan((Unit(self.paths[i], i),), why_whole=f"{type(exc).__name__}: {exc}")
                future.release()
                self._planned(i, got.covering() if self.spec.to == "wxr" else got)
            if self.progress:
                self._show_progress()
        except BaseException as exc:  # noqa: BLE001 - handed to the joining thread
            with self.ready:
                self.failed = exc
                self.ready.notify_all()

    def _planned(self, index: int, got: Plan) -> None:
        futures = [self.submit(u) for u in got.units]
        with self.ready:
            self.exports[index] = (got, futures)
            self.ready.notify_all()

    def _show_progress(self) -> None:
        from distributed import progress  # reason: Dask is an optional extra, only for --scheduler

        with self.lock:
            futures = [f for _, fs in self.exports.values() for f in fs]
        link = getattr(self.client, "dashboard_link", None)
        if link:
            print(f"dask dashboard: {link}", file=sys.stderr)
        threading.Thread(target=progress, args=(futures,), kwargs={"multi": False}, name="dask-progress",
                         daemon=True).start()

    def stop(self) -> None:
        """Cancel what has not run (the run ended, or failed)."""
        with self.ready:
            self.stopped = True
            pending = [f for _, fs in self.exports.values() for f in fs]
        for future in pending:
            if not future.done():
                future.cancel()

    def result(self, unit: Unit, future: Any) -> Part:
        from distributed import KilledWorker  # reason: Dask is an optional extra, only for --scheduler

        while True:
            try:
                part: Part = future.result()
                return part
            except KilledWorker as exc:
                return self._lost(unit, f"the workers running it died ({exc})")
            except Exception as exc:  # noqa: BLE001 - a cancelled task, a task that raised (a bug), a lost result
                cancelled = type(exc).__name__ in ("CancelledError", "FutureCancelledError") or future.cancelled()
                if cancelled and self.tries[(unit.index, unit.part)] <= RESUBMITS:
                    time.sleep(min(0.25 * self.tries[(unit.index, unit.part)], 2.0))  # a restart under way
                    with contextlib.suppress(Exception):
                        self.client.wait_for_workers(1, timeout=60)
                    future = self.submit(unit)
                    continue
                return self._lost(unit, f"{type(exc).__name__}: {exc}")

    def _lost(self, unit: Unit, why: str) -> Part:
        part = Part(unit)
        part.failures.append((unit.source, ExportError(f"not converted on the cluster: {why}", unit.source), 0))
        return part

    def parts(self, index: int) -> list[Part]:
        """The parts of export ``index``, in order; the whole export read by one task when a unit (or
        its plan) asks for it."""
        with self.ready:
            while index not in self.exports and self.failed is None:
                self.ready.wait(1.0)
            if self.failed is not None and index not in self.exports:
                raise self.failed
            got, futures = self.exports[index]
        parts = []
        for unit, future in zip(got.units, futures):
            parts.append(self.result(unit, future))
            future.release()
        if any(p.unusual for p in parts):
            store = _Parts(self.spec.parts)
            for p in parts:
                if p.location:
                    store.remove(p.location)
            whole = Unit(self.paths[index], index)
            parts = [self.result(whole, self.submit(whole))]
        elif got.warnings:  # what the exact reader says after the last item
            parts[-1].warnings.extend(got.warnings)
        site = self.sites.pop(index, None)
        if site is not None:
            site.release()
        return parts


class _Join:
    """The client's half: parts joined in input order through the local writers, reports merged."""

    def __init__(self, paths: Sequence[str], report: ConvertReport, converter: Converter, store: _Parts,
                 recover: bool, on_problem: "Callable[[Problem], None] | None",
                 on_warning: "Callable[[ReadWarning], None] | None",
                 on_failure: "Callable[[InputFailure], None] | None") -> None:
        self.paths = list(paths)
        self.report = report
        self.converter = converter
        self.store = store
        self.on_problem, self.on_warning, self.on_failure = on_problem, on_warning, on_failure
        self.inputs = Inputs(self.paths, recover=recover, accepts=converter.options.filter,
                             on_failure=self._failed)

    def _failed(self, failure: InputFailure) -> None:
        self.report.input_failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def merge(self, part: Part) -> None:
        """Add one part's report (and say its warnings and problems); raise as a local run does for the
        failure of a single input."""
        for w in part.warnings:
            self.report.read_warnings.append(w)
            if self.on_warning is not None:
                self.on_warning(w)
        if self.on_problem is not None:
            for p in part.shown:
                self.on_problem(p)
        _merge_reports(self.report, part.report)
        ins = self.inputs
        ins.read += part.read
        ins.accepted += part.accepted
        ins.types.update(part.types)
        ins.statuses.update(part.statuses)
        ins.left_out.update(part.left_out)
        for path, error, posts in part.failures:
            if part.not_rewritable:
                reason = error.reason.split(" (recover=True")[0]
                if len(self.paths) == 1:
                    raise InputError(f"{str(error).split(' (recover=True')[0]}; {NOT_REWRITABLE}") from None
                error = ExportError(f"{reason}; {NOT_REWRITABLE}", error.file, error.line, error.column)
            ins.fail(Path(path), error, posts)

    def finish(self) -> None:
        self.inputs.finish()
        self.report.notes.extend(self.inputs.notes())

    def _bytes(self, part: Part) -> Iterator[bytes]:
        if part.location is None:
            return
        with self.store.open(part.location) as f:
            while True:
                block = f.read(1 << 20)
                if not block:
                    break
                yield block
        self.store.remove(part.location)

    def jsonl(self, out: Path, exports: Iterator[list[Part]]) -> None:
        refuse_overwrite(out, [Path(p) for p in self.paths if not is_url(p)], hint=OVERWRITE_HINT)
        with writing(out), atomic_writer(out) as stream:
            for parts in exports:
                for part in parts:
                    self.merge(part)
                    for block in self._bytes(part):
                        stream.write(block)
            self.finish()
        self.report.outputs.append(str(out))

    def _records(self, part: Part) -> Iterator[tuple[Any, ...]]:
        """The records of a site part (:func:`_site`), in order; the part is removed after."""
        if part.location is None:
            return
        with self.store.open(part.location) as f:
            while True:
                try:
                    yield pickle.load(f)
                except EOFError:
                    break
        self.store.remove(part.location)

    def step(self, post: Post, result: PostResult) -> None:
        """A site output's post, reported (and its problems said) as the output's writer steps it."""
        self.report.add(post, result)
        if self.on_problem is not None:
            for p in (*result.problems, *result.notes):
                self.on_problem(p)

    def warn(self, warning: ReadWarning) -> None:
        self.report.read_warnings.append(warning)
        if self.on_warning is not None:
            self.on_warning(warning)

    def wxr(self, targets: list[Path], exports: Iterator[list[Part]]) -> None:
        with StagedFiles() as staged:
            for dest, parts in zip(targets, exports):
                tmp: "Path | None" = None
                written, broken = 0, False
                for part in parts:
                    self.merge(part)
                    written += part.report.posts_written
                    if part.location is None:
                        # a byte range that did not come back (its workers died): the rest is not an export
                        broken = broken or part.unit.cover is not None
                        continue
                    if tmp is None:
                        tmp = staged.path_for(dest)
                    with writing(dest), open(tmp, "ab") as f:
                        for block in self._bytes(part):
                            f.write(block)
                if broken and tmp is not None:  # its failure is reported; the target stays as it was
                    staged.discard(tmp)
                    self.report.posts_written -= written
                    tmp = None
                if tmp is not None:
                    self.report.outputs.append(str(dest))
            self.inputs.finish()
            self.report.notes.extend(self.inputs.notes())


def _merge_reports(into: ConvertReport, part: ConvertReport) -> None:
    """Add ``part`` (a unit's report) into ``into``, as if its posts had been added one by one."""
    into.merge(part)
