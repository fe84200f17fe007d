"""Converting an export by byte-range units, on several processes, with the sequential result.

The unit of work is :class:`~shortcodes.exports.wxr.units.Unit` (a run of
whole ``<item>``\\ s given as a byte range).  :func:`convert_unit` is the
work a process does for one: read the range, convert each post, and
(``finish``) serialise; it is a pure function of the file's bytes, the unit
and the converter's options, so it can run anywhere (a pool here, a
cluster's workers in issue 12) and be retried.  :func:`convert_export`
runs one export: the parent only scans for item boundaries
(:class:`~shortcodes.exports.wxr.units.UnitPlanner`), the workers read and
convert their ranges, and the results come back in item order.

Exactness: results are committed (yielded) strictly in item order, and a
unit that sees anything unusual, or a plan that does, makes the rest of the
export go through the sequential reader from the first item not yet
committed (``replay``).  An item is committed only when no later doubt can
concern a warning the sequential reader would have printed before it: the
reader reads :data:`~shortcodes.exports.wxr.units.CHUNK_SIZE` bytes at a
time and reports each chunk's warnings before the posts that end in it, so
items wait until the first byte not yet known to be usual lies in a later
chunk than their end.  Output, warnings, errors and their order are then
those of ``--jobs 1``.

Read once (:class:`UnitPool` with ``lanes``): when the site pass reads an
export by units on the pool's own processes (:meth:`UnitPool.read_for_site`),
each process keeps the posts of the units it read, and the conversion sends
each unit to the process that holds it, which converts those posts instead
of reading the range again (they are :func:`read_unit`'s, so nothing it
gives changes).  The site model reaches the processes, forked before it was
complete, by :meth:`UnitPool.adopt_sites`.
"""
from __future__ import annotations

import dataclasses
import functools
import os
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..common.errors import WxrError
from ..exports.post import _POST_FIELDS, Post, _post_from_values, _post_values
from ..exports.problems import ReadWarning
from ..exports.site import Site, SiteEntry
from ..exports.wxr.items import _Ranges
from ..exports.wxr.rewriter import _edits  # the rewriter's splicing, applied to a unit's bytes
from ..exports.wxr.units import (
    CHUNK_SIZE,
    Unit,
    UnitPlan,
    UnitPlanner,
    Unusual,
    _read_range,
    read_unit,
    read_unit_ranges,
)
from ..renderer.engine import MEMO_SIZE
from .converter import Converter
from .inputs import Tally
from .parallel import _stop, process_pool, window_of, worker_converter
from .results import ConvertReport, PostResult, Problem
from .sites import unit_entries

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

__all__ = ["UnitResult", "UnitBatch", "Finish", "convert_unit", "convert_export", "convert_export_batches", "UnitPool", "stub"]

#: ``finish(post, result) -> extra``: run where the post was converted (a worker); ``extra`` (picklable:
#: the serialised record, say) comes back with the result.  A module-level function, so that it pickles
#: by name.
Finish = Callable[[Post, PostResult], Any]


_TEXT_FIELDS = {_POST_FIELDS.index(n): v for n, v in (("content", ""), ("excerpt", ""), ("content_anchors", ()),
                                                         ("excerpt_anchors", ()))}


def stub(post: Post) -> Post:
    """``post`` without its text (what travels back from a worker); its custom fields stay, as the site
    outputs read some of them (``_thumbnail_id``, ``_wp_attachment_image_alt``)."""
    values = list(_post_values(post))  # dataclasses.replace() costs a keyword __init__ call per post
    for i, v in _TEXT_FIELDS.items():
        values[i] = v
    return _post_from_values(tuple(values))


def _textless(result: PostResult) -> PostResult:
    """``result`` without its text (``content``, ``excerpt``, ``page``): a copy of its fields, as
    ``dataclasses.replace()`` would make it without a keyword ``__init__`` call per post."""
    out = object.__new__(PostResult)
    out.__dict__.update(result.__dict__, content="", excerpt="", page=None)
    return out


@dataclass
class UnitBatch:
    """A unit's posts summed up where they were converted (``convert_unit(batch=True)``), for an output
    that needs of each post only what ``finish`` made of it (``--to jsonl``: its line) and the run's
    report: no post or result travels back, only

    ``count`` (items of the unit), ``data`` (the ``finish`` extras that are not ``None``, joined in
    order: ``finish`` must give bytes), ``written`` (how many of them), ``report`` (the unit's own
    :class:`~shortcodes.jobs.results.ConvertReport`, each post added in order), ``shown`` (each post's
    problems, then its notes, in order: what ``on_problem`` gets) and ``tally`` (what the posts are,
    for the filters' messages).
    """

    count: int
    data: bytes
    written: int
    report: ConvertReport
    shown: tuple[Problem, ...]
    tally: Tally


@dataclass
class UnitResult:
    """What converting one unit gave: per item, the post (a :func:`stub`), its result, the ``finish``
    extra and the offset of its item's last byte (or of the unit's, later, when it was read without the
    byte ranges: then its items commit no sooner); or, in ``unusual``, why the unit must be read by the
    sequential reader."""

    unit: Unit
    posts: list[Post] = field(default_factory=list)
    results: list[PostResult] = field(default_factory=list)
    extras: list[Any] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    unusual: "str | None" = None
    #: What the worker's memo of pure renderings gained (:attr:`Renderer.memo_log`), and (its process
    #: ID, how many of the pool's shared entries it holds): see :class:`UnitPool`.
    memo: list[Any] = field(default_factory=list)
    shared: "tuple[int, int] | None" = None
    #: With ``batch``: the unit summed up (``posts``, ``results``, ``extras`` and ``ends`` are then empty).
    batch: "UnitBatch | None" = None


def convert_unit(converter: Converter, unit: Unit, *, finish: "Finish | None" = None,
                 data: "bytes | None" = None, name: "str | None" = None, keep_text: bool = True,
                 splice: bool = False, batch: bool = False, posts: "list[Post] | None" = None) -> UnitResult:
    """Read ``unit`` (its bytes from ``data`` or the file) and convert its posts with ``converter``.

    ``posts``: the unit's posts as :func:`read_unit` gives them (with ``name``), when the caller has them
    (the site pass kept them): then the range is not read again, but with ``splice`` (which needs its bytes).

    ``keep_text=False``: the results come without their text (``content``,
    ``excerpt``, ``page``: the caller has what it needs in ``finish``'s extra).
    ``splice=True`` (``--to wxr``): each extra is the list of ``(start, end,
    bytes)`` replacements of the file's bytes that write the post's new
    content and excerpt, as :func:`~shortcodes.exports.wxr.rewrite_wxr`
    writes them (empty for a post that did not change).
    ``batch=True`` (with a ``finish`` that gives bytes or ``None``, no ``splice``): the result is
    :attr:`UnitResult.batch`, the unit summed up (:class:`UnitBatch`).
    """
    items: "Iterable[tuple[Post, _Ranges | None, int]]"
    if posts is None or splice:
        if data is None:
            data = _read_range(unit.path, unit.start, unit.end)
        try:
            if splice:
                items = read_unit_ranges(unit, data, name=name)
            else:
                posts = read_unit(unit, data, name=name)
        except Unusual as exc:
            return UnitResult(unit, unusual=exc.reason)
    if not splice:  # no ranges to keep: each item's end is taken as the unit's (later: it commits no sooner)
        assert posts is not None
        items = [(post, None, unit.end - 1) for post in posts]
    if batch:
        return _batch(converter, unit, items, finish)
    out = UnitResult(unit)
    for post, ranges, last in items:
        result = converter.convert_post(post)
        extra = None if finish is None else finish(post, result)
        if splice:
            extra = []
            if result.changed:
                new = dataclasses.replace(post, content=result.content, excerpt=result.excerpt)
                assert ranges is not None and data is not None
                try:
                    extra = _edits(post, new, ranges, data, unit.start, "utf-8")
                except (WxrError, ValueError) as exc:  # the sequential rewriter says it, in its place
                    return UnitResult(unit, unusual=str(exc))
        if not keep_text:
            result = _textless(result)
        out.posts.append(stub(post))
        out.results.append(result)
        out.extras.append(extra)
        out.ends.append(last)
    return out


def _batch(converter: Converter, unit: Unit, items: "Iterable[tuple[Post, _Ranges | None, int]]",
           finish: "Finish | None") -> UnitResult:
    """:func:`convert_unit` with ``batch``: the posts converted, reported and tallied here, as the
    parent does it for each post it is given (:meth:`ConvertReport.add`, :meth:`Inputs.tally`)."""
    report = ConvertReport()
    tally = Tally(converter.options.filter)
    shown: list[Problem] = []
    pieces: list[bytes] = []
    count = 0
    for post, _, _ in items:
        result = converter.convert_post(post)
        count += 1
        tally.add(post)
        report.add(post, result)
        if result.problems:
            shown.extend(result.problems)
        if result.notes:
            shown.extend(result.notes)
        extra = None if finish is None else finish(post, result)
        if extra is not None:
            pieces.append(extra)
    return UnitResult(unit, batch=UnitBatch(count, b"".join(pieces), len(pieces), report, tuple(shown), tally))


_SHARED = 0  # in a worker: how many of its pool's shared memo entries it has (UnitPool)

#: The most memo entries a pool shares (a renderer keeps at most MEMO_SIZE).
SHARED_MEMO = MEMO_SIZE


#: In a worker of a pool with lanes: the posts of each unit its site pass read (:func:`_keep_entries`), by
#: :func:`_unit_key`, until the conversion takes them.
_KEPT: "dict[tuple[str, int, int], list[Post]]" = {}


def _unit_key(unit: Unit) -> tuple[str, int, int]:
    return unit.path, unit.start, unit.end


def _work(unit: Unit, finish: "Finish | None", name: "str | None", keep_text: bool, splice: bool,
          shared: "tuple[int, tuple[Any, ...]]" = (0, ()), batch: bool = False) -> UnitResult:
    global _SHARED
    renderer = worker_converter().renderer
    start, entries = shared
    if entries:
        renderer.remember(entries[max(0, _SHARED - start):])
        if start <= _SHARED:
            _SHARED = max(_SHARED, start + len(entries))
    posts = _KEPT.pop(_unit_key(unit), None)  # (none outside a lane)
    if name is not None and name != unit.path:  # the site pass read them under the file's own name
        posts = None
    log: list[Any] = []
    renderer.memo_log = log
    try:
        res = convert_unit(worker_converter(), unit, finish=finish, name=name, keep_text=keep_text, splice=splice,
                           batch=batch, posts=posts)
    finally:
        renderer.memo_log = None
    res.memo, res.shared = log, (os.getpid(), _SHARED)
    return res


def _keep_entries(unit: Unit) -> "list[SiteEntry] | None":
    """In a lane: the site pass's reading of ``unit`` (:func:`~shortcodes.jobs.sites.unit_entries`), its posts
    kept for the conversion (:data:`_KEPT`) when it is usual."""
    return unit_entries(unit, keep=functools.partial(_KEPT.__setitem__, _unit_key(unit)))


def _adopt_sites(sites: "dict[str, Site]") -> None:
    """In a lane: the run's site models, complete now."""
    worker_converter().sites = sites


def _warm() -> None:
    worker_converter().warm()


class UnitPool:
    """``jobs`` worker processes, each with its own copy of ``converter`` (made once, by fork).

    ``jobs=1``: no process; each unit is converted here when it is submitted.

    ``lanes``: each process is a pool of its own (a lane), so that a unit can be sent to the process that
    read it: the site pass reads an export's units there (:meth:`read_for_site`, each process keeping
    the posts it read), :meth:`adopt_sites` gives the processes the site models, and :meth:`submit`
    sends each unit read so to its lane, where it is converted from the posts kept (the others go to
    the lanes in turn).  The processes are forked before the site models are complete.

    The workers share their memo of pure renderings (the bundled card's, for equal attributes, date
    and locale): each unit's new entries come back with its result (:meth:`learn`), and each unit
    submitted carries the entries some worker may not have yet, so that a rendering done in one
    process is not done again in the others (in one process the memo would have had it).  A memo hit
    gives what rendering gives: the output does not depend on it.
    """

    def __init__(self, converter: Converter, jobs: int, *, lanes: bool = False) -> None:
        self.jobs = jobs
        self.converter = converter
        self.pool: "ProcessPoolExecutor | None" = None
        self.lanes: "list[ProcessPoolExecutor]" = []
        self._started: list[bool] = []  # per lane: whether it was given work (its process is forked)
        self._lane_of: dict[tuple[str, int, int], int] = {}  # a unit read by read_for_site -> its lane
        self._turn = 0  # the lane given the next unit that none holds
        self._shared: list[Any] = []  # memo entries learned from the workers, in the order learned
        self._keys: set[Any] = set()
        self._applied: dict[int, int] = {}  # worker process -> how many of _shared it has
        if jobs <= 1:
            return
        if lanes:
            self.lanes = [process_pool(1, converter) for _ in range(jobs)]
            self._started = [False] * jobs
        else:
            self.pool = process_pool(jobs, converter)

    def _to_lane(self, lane: int, fn: Callable[..., Any], *args: Any) -> "Future[Any]":
        if not self._started[lane]:
            self._started[lane] = True
            self.lanes[lane].submit(_warm)  # what the first post loads, while the parent plans
        return self.lanes[lane].submit(fn, *args)

    def _next_lane(self) -> int:
        lane = self._turn
        self._turn = (lane + 1) % len(self.lanes)
        return lane

    def read_for_site(self, unit: Unit) -> "Future[list[SiteEntry] | None]":
        """(With lanes.)  The site entries of ``unit``'s items, read on a lane that keeps its posts for
        :meth:`submit` (``None``: the unit is unusual)."""
        if not self.lanes:
            raise ValueError("read_for_site needs a pool with lanes")
        lane = self._next_lane()
        self._lane_of[_unit_key(unit)] = lane
        return self._to_lane(lane, _keep_entries, unit)

    def adopt_sites(self, sites: "dict[str, Site]") -> None:
        """(With lanes.)  Give the lanes already forked the run's complete site models (the conversion's
        own processes would have had them by fork); lanes forked later get them so."""
        done = [self.lanes[i].submit(_adopt_sites, sites) for i, started in enumerate(self._started) if started]
        for future in done:
            future.result()

    def learn(self, result: UnitResult) -> None:
        """Take the memo entries of a unit's result, and how many of the shared ones its worker has."""
        for key, entry in result.memo:
            if key not in self._keys and len(self._shared) < SHARED_MEMO:
                self._keys.add(key)
                self._shared.append((key, entry))
        if result.shared is not None:
            pid, have = result.shared
            self._applied[pid] = have

    def submit(self, unit: Unit, finish: "Finish | None", name: "str | None",
               keep_text: bool = True, splice: bool = False, batch: bool = False) -> "Future[UnitResult]":
        if self.pool is not None or self.lanes:
            low = min(self._applied.values()) if len(self._applied) >= self.jobs else 0
            shared = (low, tuple(self._shared[low:]))
            lane = self._lane_of.pop(_unit_key(unit), None)  # the lane that read it keeps its posts
            if lane is not None:
                return self._to_lane(lane, _work, unit, finish, name, keep_text, splice, shared, batch)
            return self.call(_work, unit, finish, name, keep_text, splice, shared, batch)
        done: "Future[UnitResult]" = Future()
        done.set_result(convert_unit(self.converter, unit, finish=finish, name=name, keep_text=keep_text,
                                     splice=splice, batch=batch))
        return done

    @property
    def processes(self) -> bool:
        """Whether the pool has processes (``jobs`` > 1)."""
        return self.pool is not None or bool(self.lanes)

    def call(self, fn: Callable[..., Any], *args: Any) -> "Future[Any]":
        """``fn(*args)`` on one of the processes (the lanes in turn), or here without processes: other work for
        the conversion's processes once the units are done (``--to html`` renders its pages there).  ``fn``
        and ``args`` must pickle; on a process ``fn`` may use :func:`~shortcodes.jobs.parallel.worker_converter`
        (here it may not: callers check :attr:`processes`)."""
        if self.pool is not None:
            return self.pool.submit(fn, *args)
        if self.lanes:
            return self._to_lane(self._next_lane(), fn, *args)
        done: "Future[Any]" = Future()
        done.set_result(fn(*args))
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        for lane in self.lanes:
            lane.shutdown(wait=True)

    def stop(self) -> None:
        if self.pool is not None:
            _stop(self.pool)
        for lane in self.lanes:
            _stop(lane)


def convert_export(
    path: str,
    converter: Converter,
    pool: UnitPool,
    *,
    replay: Callable[[int], Iterator[Post]],
    finish: "Finish | None" = None,
    keep_text: bool = True,
    splice: bool = False,
    on_warning: "Callable[[ReadWarning], None] | None" = None,
    on_read: "Callable[[Post], None] | None" = None,
    name: "str | None" = None,
    unit_bytes: "int | None" = None,
    plan: "UnitPlan | None" = None,
) -> Iterator[tuple[Post, PostResult, Any]]:
    """``(post, result, extra)`` for each item of the WXR file ``path``, in order (see the module docs).

    ``replay(n)`` must give the posts of the file from item ``n`` on, read
    by the sequential reader (warnings and errors included): it is used
    from the first item that cannot be committed when something unusual
    turns up.  ``on_warning`` gets the warnings the sequential reader gives
    after the last item, and ``on_read`` each post a unit gave as it is
    committed (the replayed ones come from ``replay``); ``splice``: see
    :func:`convert_unit` (the extras of replayed posts are ``finish``'s).  Posts from units
    are :func:`stub`\\ s, and their results have no text with
    ``keep_text=False``; replayed posts and results are whole, and
    ``finish`` runs on them here.  ``plan``: the file's plan made before (for its site model), used
    instead of a new scan while the file is unchanged (with the same ``name`` and ``unit_bytes``).
    """
    return _convert(path, converter, pool, replay=replay, finish=finish, keep_text=keep_text, splice=splice,
                    on_warning=on_warning, on_read=on_read, name=name, unit_bytes=unit_bytes, plan=plan)


def convert_export_batches(
    path: str,
    converter: Converter,
    pool: UnitPool,
    *,
    replay: Callable[[int], Iterator[Post]],
    finish: Finish,
    on_warning: "Callable[[ReadWarning], None] | None" = None,
    name: "str | None" = None,
    unit_bytes: "int | None" = None,
    plan: "UnitPlan | None" = None,
) -> "Iterator[UnitBatch | tuple[Post, PostResult, Any]]":
    """:func:`convert_export` by units summed up in the workers: for each unit, in order, its
    :class:`UnitBatch` (``finish`` must give bytes or ``None``; the batch's tally is not added anywhere:
    the caller adds it), and for the posts read by the sequential reader after something unusual (see
    the module docs) ``(post, result, extra)`` as :func:`convert_export` gives them (whole posts and
    results, ``finish`` run here, not tallied by this function either: ``replay`` does it).
    The same items, reports, problems and warnings in the same order as :func:`convert_export`."""
    return _convert(path, converter, pool, replay=replay, finish=finish, on_warning=on_warning, name=name,
                    unit_bytes=unit_bytes, plan=plan, batch=True)


def _convert(
    path: str,
    converter: Converter,
    pool: UnitPool,
    *,
    replay: Callable[[int], Iterator[Post]],
    finish: "Finish | None" = None,
    keep_text: bool = True,
    splice: bool = False,
    on_warning: "Callable[[ReadWarning], None] | None" = None,
    on_read: "Callable[[Post], None] | None" = None,
    name: "str | None" = None,
    unit_bytes: "int | None" = None,
    plan: "UnitPlan | None" = None,
    batch: bool = False,
) -> Iterator[Any]:
    """:func:`convert_export`, and with ``batch`` :func:`convert_export_batches`."""
    planner: "UnitPlanner | UnitPlan"
    if (plan is not None and plan.path == path and plan.name == (path if name is None else name)
            and (unit_bytes is None or plan.unit_bytes == max(1, unit_bytes)) and plan.current()):
        planner = plan
    else:
        planner = UnitPlanner(path, name=name, unit_bytes=unit_bytes)
    units = iter(planner)
    inflight: deque[tuple[Unit, "Future[UnitResult]"]] = deque()
    ready: "deque[tuple[Post | UnitBatch, PostResult | None, Any, int]]" = deque()
    window = window_of(pool.jobs)
    committed = 0
    planned_all = False
    try:
        while True:
            while not planned_all and len(inflight) < window:
                unit = next(units, None)
                if unit is None:
                    planned_all = True
                    break
                inflight.append((unit, pool.submit(unit, finish, name, keep_text, splice, batch)))
            doubt = planner.unusual is not None and not inflight
            if inflight:
                unit, future = inflight.popleft()
                res = future.result()
                pool.learn(res)
                if res.unusual is not None:
                    doubt = True
                    inflight.appendleft((unit, future))
                elif res.batch is not None:  # its items end where the unit does (read without ranges)
                    ready.append((res.batch, None, None, unit.end - 1))
                else:
                    ready.extend(zip(res.posts, res.results, res.extras, res.ends))
            # the first byte not known to be usual
            if inflight:
                frontier: "int | None" = inflight[0][0].start
            elif planned_all and planner.unusual is None:
                frontier = None
            else:
                frontier = planner.verified if planner.unusual is None else planner.unusual.offset
            if frontier is not None and planner.unusual is not None:
                frontier = min(frontier, planner.unusual.offset)
            limit = None if frontier is None else frontier // CHUNK_SIZE
            while ready and (limit is None or ready[0][3] // CHUNK_SIZE < limit):
                post, result, extra, _ = ready.popleft()
                if isinstance(post, UnitBatch):
                    committed += post.count
                    yield post
                    continue
                committed += 1
                if on_read is not None:
                    on_read(post)
                yield post, result, extra
            if doubt:
                break
            if not inflight and planned_all:
                if planner.unusual is None:
                    if on_warning is not None:
                        for w in planner.final_warnings:
                            on_warning(w)
                    return
                break
    except BaseException:
        for _, future in inflight:
            future.cancel()
        raise
    for _, future in inflight:
        future.cancel()
    ready.clear()
    for post in replay(committed):
        result = converter.convert_post(post)
        yield post, result, None if finish is None else finish(post, result)
