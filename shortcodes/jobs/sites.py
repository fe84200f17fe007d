"""The site models of the exports a run converts (the media tags read them), on one process or several.

:func:`read_sites` reads each export's :class:`~shortcodes.exports.site.Site`
before any post is converted, since an attachment may come after the posts
that use it.  On one process that is :func:`~shortcodes.exports.site.read_site`,
one streaming pass.  With ``jobs`` processes a WXR export is read by its
byte-range units (:class:`~shortcodes.exports.wxr.units.UnitPlanner`): each
process reads the items of its units (:func:`~shortcodes.exports.wxr.units.read_unit`,
which gives exactly the sequential reader's posts or raises
:class:`~shortcodes.exports.wxr.units.Unusual`) and keeps what the model needs
of each (:func:`~shortcodes.exports.site.site_entry`), and the entries are
joined here in item order under the sequential reader's rule
(:func:`~shortcodes.exports.site.site_of`: the first item with an ID wins),
with the channel's fields from the planner's skeleton, which the real reader
parsed.  Anything unusual in the plan or in a unit, and an export of one unit,
is read by the sequential pass instead: the model is always ``read_site``'s.

On one process, WXR exports that add up to at most :data:`READ_ONCE_BYTES`
are read only once: the sequential pass keeps their posts and what the reader
said (:class:`KeptRead`, put in ``keep``), and the conversion takes them from
there (:meth:`~shortcodes.jobs.inputs.Inputs.read_one`) instead of reading
each file again.  The exports after those (and any ``.gz`` one, whose size
does not say what its posts cost) are read twice, so that memory stays flat.
With processes, under the same budget, an export is read by units on the
conversion's own processes (``lanes``, a :class:`~shortcodes.jobs.units.UnitPool`
with lanes), each keeping the posts of the units it read for their conversion.
"""
from __future__ import annotations

import functools
import os
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from ..common.errors import ExportError, ShortcodesError
from ..exports.post import Post
from ..exports.problems import ReadWarning
from ..exports.readers import READERS, detect_format
from ..exports.site import Site, SiteEntry, read_site, site_entry, site_of
from ..exports.wxr.reader import WxrReader
from ..exports.wxr.units import Unit, UnitPlan, UnitPlanner, read_unit
from .parallel import in_order, process_pool

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import ProcessPoolExecutor

    from .units import UnitPool

__all__ = ["read_sites", "read_site_by_units", "read_site_keeping", "KeptRead", "READ_ONCE_BYTES"]

#: The largest WXR file (bytes on disk) whose posts the site pass keeps for the conversion on one process
#: (:class:`KeptRead`): they cost about 1.6 times the file's size in memory at first (the bench's 112 MB
#: export: a peak RSS of 255 MB instead of 78), and save the second read (an eighth of a one-process
#: ``--to jsonl`` run).  Larger exports are read twice, in flat memory.
READ_ONCE_BYTES = 128 * 2**20


@dataclass
class KeptRead:
    """An export's posts as the site pass read them, for the conversion to take instead of reading the file
    again: ``posts`` in order, ``said`` what the reader said and after how many posts (``(n, warning)``:
    said once ``n`` posts had been given), and ``recovered``: the reader met an XML error and read past it
    (the site pass always recovers; a conversion without ``recover`` must read the file itself, to stop
    there with the error)."""

    posts: list[Post] = field(default_factory=list)
    said: list[tuple[int, ReadWarning]] = field(default_factory=list)
    recovered: bool = False

    def replay(self, warn: Callable[[ReadWarning], None], skip: int = 0) -> Iterator[Post]:
        """The posts (after the first ``skip``), each after what the reader had said before giving it, as
        reading the file again gives them; what it said after the last one comes after it.  The posts are
        let go as they are given."""
        posts, said = self.posts, deque(self.said)
        posts.reverse()
        self.posts, self.said = [], []
        given = 0
        while posts:
            while said and said[0][0] <= given:
                warn(said.popleft()[1])
            post = posts.pop()
            given += 1
            if given > skip:
                yield post
        while said:
            warn(said.popleft()[1])


def read_site_keeping(path: "str | os.PathLike[str]") -> "tuple[Site, KeptRead]":
    """The site model of the WXR file ``path`` (``read_site(path, recover=True)``'s), and its posts and the
    reader's warnings kept (:class:`KeptRead`): one read serves the model and the conversion."""
    kept = KeptRead()
    posts, said = kept.posts, kept.said
    reader = WxrReader(path, recover=True, on_warning=lambda w: said.append((len(posts), w)))

    def entries() -> Iterator[SiteEntry]:
        for post in reader:
            posts.append(post)
            entry = site_entry(post)
            if entry is not None:
                yield entry

    site = site_of(lambda: reader.channel, entries())
    kept.recovered = reader.recovered
    return site, kept


def read_sites(paths: Sequence[Path], jobs: int = 1, *, plans: "dict[str, UnitPlan] | None" = None,
               while_waiting: "Callable[[], None] | None" = None,
               keep: "dict[str, KeptRead] | None" = None, lanes: "UnitPool | None" = None) -> dict[str, Site]:
    """The site model of each export among ``paths`` (WXR and REST JSON files), by file name (see the
    module docs; ``jobs`` > 1 reads WXR exports by units on that many processes).

    ``plans``: each export's :class:`~shortcodes.exports.wxr.units.UnitPlan` read by units is put there
    (by file name), for the conversion to use instead of planning it again.
    An export the site reader cannot read gets no site here; reading its posts reports why.
    ``while_waiting``: called once, when the processes have units to read (or at the end, if they never
    do): work for this process while it would wait for them (``Converter.warm``).
    ``keep``: each WXR export read on this process (not by units) has its posts kept there (by file name),
    for the conversion (see the module docs), while the files kept add up to at most :data:`READ_ONCE_BYTES`.
    ``lanes`` (with ``jobs`` > 1): a :class:`~shortcodes.jobs.units.UnitPool` with lanes, whose processes read
    the WXR exports by units and keep their posts for the conversion, under the same budget.
    """
    waiting = [while_waiting] if while_waiting is not None else []

    def wait() -> None:
        while waiting:
            waiting.pop()()

    sites: dict[str, Site] = {}
    pool: "ProcessPoolExecutor | None" = None
    budget = READ_ONCE_BYTES  # the exports kept are all held until each one's turn comes
    try:
        for p in paths:
            try:
                kind = detect_format(p)
                if kind not in READERS or READERS[kind].site is None:  # a folder, plain files
                    continue
                site = None
                if jobs > 1 and kind == "wxr":
                    if lanes is not None and 0 <= (size := _size(p)) <= budget:
                        site = read_site_by_units(p, None, plans=plans, while_waiting=wait, workers=jobs,
                                                  submit=lanes.read_for_site)
                        budget -= size  # what the lanes keep of it, used or not
                    else:
                        if pool is None:
                            pool = process_pool(jobs)
                        site = read_site_by_units(p, pool, plans=plans, while_waiting=wait, workers=jobs)
                if site is None and keep is not None and kind == "wxr" and 0 <= (size := _size(p)) <= budget:
                    site, keep[str(p)] = read_site_keeping(p)
                    budget -= size
                sites[str(p)] = site if site is not None else read_site(p, recover=True)
            except (ExportError, OSError):
                continue
        wait()
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return sites


def _size(path: Path) -> int:
    """The size of the WXR file ``path``, or -1 when it is compressed (the size would not say what
    keeping its posts costs) or not a plain file."""
    if path.name.lower().endswith(".gz") or not path.is_file():
        return -1
    return path.stat().st_size


def read_site_by_units(path: "str | os.PathLike[str]", pool: Any, *, unit_bytes: "int | None" = None,
                       plans: "dict[str, UnitPlan] | None" = None,
                       while_waiting: "Callable[[], None] | None" = None, workers: int = 2,
                       submit: "Callable[[Unit], Future[list[SiteEntry] | None]] | None" = None) -> "Site | None":
    """The :class:`~shortcodes.exports.site.Site` of the WXR file ``path`` read by units on ``pool`` (an
    executor with ``submit``), or ``None`` when the sequential pass must read it: an export of one unit, or
    anything unusual in the plan or a unit.

    Each unit goes to the pool as soon as it is planned (the processes read while the plan goes on),
    from the second one on.
    ``plans``: where the complete plan is put, by ``str(path)``, when it is usual; ``while_waiting``:
    called once, when a window of units is in flight (or every unit, if fewer: :func:`~.parallel.in_order`);
    ``workers``: the pool's processes (the window is sized by them); ``submit``: sends a unit to be read
    instead of ``pool.submit(unit_entries, unit)``
    (:meth:`~shortcodes.jobs.units.UnitPool.read_for_site`; ``pool`` is then unused).
    """
    if submit is None:
        submit = functools.partial(pool.submit, unit_entries)
    planner = UnitPlanner(path, unit_bytes=unit_bytes)
    units: list[Unit] = []

    def planned() -> Iterator[Unit]:  # from the second unit on: an export of one is not sent at all
        for unit in planner:
            units.append(unit)
            if len(units) == 2:
                yield units[0]
            if len(units) >= 2:
                yield unit

    # a window of units in flight, each piece joined as it comes back while the plan goes on: the pieces
    # (a PostInfo per post) are never all held at once, and the model is kept as a compact table
    pieces = in_order(submit, planned(), workers, when_busy=while_waiting)

    def entries() -> Iterator[SiteEntry]:
        for piece in pieces:
            if piece is None:
                raise _UnusualUnit
            yield from piece

    try:
        site = site_of(lambda: planner.channel, entries())
    except _UnusualUnit:
        site = None
    finally:
        pieces.close()  # the units still in flight are cancelled
    plan = planner.complete(units)
    if plan is None or len(units) < 2:
        return None
    if plans is not None:
        plans[str(path)] = plan
    return site


class _UnusualUnit(Exception):
    """A unit of the site pass was unusual: the sequential pass reads the model."""


def unit_entries(unit: Unit, keep: "Callable[[list[Post]], None] | None" = None) -> "list[SiteEntry] | None":
    """The :func:`site_entry` of each item of ``unit`` in order; ``None`` when the unit is unusual.
    ``keep``: given the unit's posts (:func:`read_unit`'s) when it is usual (a lane keeps them)."""
    try:
        posts = read_unit(unit)
    except ShortcodesError:  # Unusual, or an error the sequential reader reports itself
        return None
    if keep is not None:
        keep(posts)
    return [e for e in map(site_entry, posts) if e is not None]
