"""Byte-range units of a WordPress export: plan runs of whole ``<item>``\\ s, read each on its own.

A :class:`Unit` is a run of whole items of one export file, given as a
byte range with the line, column and item index at its start, plus the
namespace bindings the items see.  Reading it (:func:`read_unit`) is a pure
function of the file's bytes and the unit: it gives exactly the posts the
sequential reader (:func:`~shortcodes.exports.wxr.read_wxr`) gives for
those items, or raises :class:`Unusual` when it sees anything that reader
would treat specially (a warning, an XML error, an item that is not one),
so that the caller reads the file with the exact reader instead.

:class:`UnitPlanner` finds the units by scanning the bytes for item
boundaries (CDATA sections, comments and processing instructions skipped;
no decoding, no parse of the items), and checks everything *between* the
items by parsing a skeleton of the file, each item replaced by ``<item/>``,
with the real reader.  Only plain UTF-8 files are planned; anything else
(gzip, UTF-16, other encodings, a nested or unclosed item, a skeleton that
warns or fails) is :attr:`UnitPlanner.unusual`.  Small exports are one unit.

>>> import pathlib, tempfile
>>> from shortcodes.exports.wxr import read_wxr
>>> src = pathlib.Path(tempfile.mkdtemp()) / "site.xml"
>>> _ = src.write_text('''<?xml version="1.0" encoding="UTF-8"?>
... <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
...      xmlns:wp="http://wordpress.org/export/1.2/">
... <channel><wp:wxr_version>1.2</wp:wxr_version>
...   <item><title>One</title><content:encoded><![CDATA[<p>[gallery]</p>]]></content:encoded></item>
...   <item><title>Two</title><content:encoded><![CDATA[two]]></content:encoded></item>
... </channel></rss>
... ''', encoding="utf-8")
>>> planner = UnitPlanner(src, unit_bytes=80)
>>> units = list(planner)
>>> [(u.index, u.items, u.line, u.column) for u in units], planner.unusual
([(0, 1, 5, 3), (1, 1, 6, 3)], None)
>>> [p.title for u in units for p in read_unit(u)] == [p.title for p in read_wxr(src)]
True
>>> read_unit(units[1])[0].position(0) == next(p for p in read_wxr(src) if p.title == "Two").position(0)
True

The units are what a cluster engine distributes (issue 12): plan once per
export, :func:`read_unit` (or :func:`shortcodes.jobs.units.convert_unit`)
anywhere that can read the file's byte range (``data=`` takes the bytes
when the file is not local), and join the results in unit order.
"""
from __future__ import annotations

import mmap
import os
import re
from collections import deque
from dataclasses import dataclass
from typing import IO, Iterator, Sequence

from ...common.errors import ShortcodesError, WxrError
from ..post import PathLike, Post
from ..problems import ReadWarning
from .items import _Ranges, _SyntaxProblem
from .parser import _ItemParser
from .schema import CHUNK_SIZE
from .xmltext import _attr_escape, _start_tag_end

__all__ = ["Unit", "UnitPlanner", "UnitPlan", "Unusual", "read_unit", "read_unit_ranges", "UNIT_BYTES", "CHUNK_SIZE"]

#: The size a unit is cut at (a unit holds whole items, so it may be larger); an export smaller than
#: this is one unit.
UNIT_BYTES = 1 << 19

_TOKENS = re.compile(rb"<!\[CDATA\[|<!--|<\?|</item\s*>|<item(?=[\s>/])")
_CLOSERS = {b"<![CDATA[": b"]]>", b"<!--": b"-->", b"<?": b"?>"}


class Unusual(ShortcodesError):
    """A unit (or a plan) met something only the sequential reader handles exactly.

    ``offset``: the byte offset in the file from which the doubt starts (what
    was read before it is known to be usual).
    """

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(reason)
        self.reason, self.offset = reason, offset


@dataclass(frozen=True)
class Unit:
    """A run of whole ``<item>``\\ s of one export.

    ``path``: the file; ``start``/``end``: the byte range (from the first
    item's ``<`` to just past the last item's end); ``line``/``column``
    (1-based) and ``index`` (0-based item number in the file): where its
    first item is; ``items``: how many items it holds; ``scope``: the
    namespace bindings in effect on the channel (``(prefix, uri)`` pairs,
    ``""`` for the default namespace, ``None`` for an empty URI).
    """

    path: str
    start: int
    end: int
    line: int
    column: int
    index: int
    items: int
    scope: tuple[tuple[str, "str | None"], ...]

    @property
    def size(self) -> int:
        return self.end - self.start


def _lines(seg: bytes) -> int:
    """Line breaks in ``seg`` as expat counts them (CRLF, CR and LF each one)."""
    if b"\r" not in seg:
        return seg.count(b"\n")
    return seg.count(b"\n") + seg.count(b"\r") - seg.count(b"\r\n")


class UnitPlanner:
    """The units of one export, found by a byte scan as the iteration goes (see the module docs).

    Iterate to get the :class:`Unit`\\ s in order.  :attr:`verified` is the
    byte offset up to which everything outside the units handed out so far
    has been read by the exact reader without a warning.  When the file is
    not one this plan can cover, the iteration stops and :attr:`unusual`
    says why (an :class:`Unusual`: read the file from
    :attr:`Unusual.offset` on with the sequential reader, or all of it).
    After a complete iteration :attr:`final_warnings` holds the warnings the
    sequential reader gives after its last item (such as a missing
    ``<wp:wxr_version>``), :attr:`version`/:attr:`base_site_url` the
    channel's, and :attr:`channel` its fields as the sequential reader's
    ``WxrReader.channel`` has them (title, link, language…).
    """

    def __init__(self, source: PathLike, *, unit_bytes: "int | None" = None, name: "str | None" = None) -> None:
        self.path = os.fspath(source)
        self.name = name if name is not None else self.path
        self.unit_bytes = max(1, UNIT_BYTES if unit_bytes is None else unit_bytes)
        self.unusual: "Unusual | None" = None
        self.verified = 0
        self.items = 0
        self.final_warnings: list[ReadWarning] = []
        self.version: "str | None" = None
        self.base_site_url: "str | None" = None
        self.channel: dict[str, str] = {}
        self._held: list[ReadWarning] = []
        self._skeleton = _ItemParser(self.name, self._held.append, ranges=True)
        self._skel_len = 0  # skeleton bytes fed so far
        self._pending = 0   # skeleton bytes built and not yet fed
        self._expected: deque[int] = deque()  # skeleton offsets of the placeholders not yet matched
        self._scope: "tuple[tuple[str, str | None], ...] | None" = None
        #: The file's identity when it was opened (:func:`_stamp`), ``None`` before.
        self.stamp: "tuple[int, ...] | None" = None

    def __iter__(self) -> Iterator[Unit]:
        try:
            yield from self._plan()
        except Unusual as exc:
            self.unusual = exc

    def complete(self, units: "Sequence[Unit]") -> "UnitPlan | None":
        """After a complete iteration that gave ``units``: the :class:`UnitPlan` to plan the same file
        with again; ``None`` when the plan is :attr:`unusual` (or the iteration did not finish)."""
        if self.unusual is not None or self.stamp is None or self.verified != self.stamp[0]:
            return None
        return UnitPlan(self.path, self.name, self.unit_bytes, tuple(units), tuple(self.final_warnings),
                        self.stamp)

    # -- the skeleton ---------------------------------------------------------

    def _feed(self, data: bytes, final: bool, at: int) -> None:
        """Feed skeleton bytes; ``at``: the file offset the skeleton has reached with them."""
        parser = self._skeleton
        try:
            parser.feed(data, final)
        except _SyntaxProblem as exc:
            raise Unusual(f"malformed XML outside the items: {exc.message}", self.verified) from None
        except WxrError as exc:  # the root, an encoding, a DOCTYPE (UnsafeXmlError is one)
            raise Unusual(exc.reason, self.verified) from None
        self._skel_len += len(data)
        self._pending = 0
        enc = parser.xml_encoding
        if enc is not None and enc.codec != "utf-8":
            raise Unusual(f"a {enc.name} export is read sequentially", 0)
        for _, ranges in parser.take():
            assert ranges is not None
            if not self._expected or ranges.item[0] != self._expected[0]:
                raise Unusual("an <item> the byte scan did not see as one", self.verified)
            self._expected.popleft()
        if self._held:
            raise Unusual(f"a warning outside the items: {self._held[0].message}", self.verified)
        parser.trim(parser.safe)
        if final:
            if self._expected or parser.item is not None:
                raise Unusual("an <item> the reader does not see as one", self.verified)
            parser.warn = self.final_warnings.append
            parser.finish()
            self.version, self.base_site_url = parser.version, parser.base_site_url
            self.channel = dict(parser.channel)
        self.verified = at

    def _placeholder(self, gap: bytes) -> bytes:
        self._expected.append(self._skel_len + self._pending + len(gap))
        self._pending += len(gap) + 7
        return gap + b"<item/>"

    def _channel_scope(self) -> tuple[tuple[str, "str | None"], ...]:
        if self._scope is None:
            scope = self._skeleton.channel_scope
            if not scope:
                raise Unusual("an <item> outside a <channel>", self.verified)
            self._scope = tuple(sorted((k, v) for k, v in scope.items() if k != "xml"))
        return self._scope

    # -- the byte scan --------------------------------------------------------

    def _plan(self) -> Iterator[Unit]:
        if self.path == "-" or self.path.endswith(".gz"):
            raise Unusual("a stream or a compressed export is read sequentially", 0)
        try:
            with open(self.path, "rb") as f:
                st = os.fstat(f.fileno())
                size = st.st_size
                self.stamp = _stamp_of(st)
                if size == 0:
                    raise Unusual("an empty file", 0)
                with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                    yield from self._scan(mm, size)
        except OSError as exc:
            raise Unusual(f"cannot map the file: {exc}", 0) from None

    def _scan(self, mm: mmap.mmap, size: int) -> Iterator[Unit]:
        if mm[:3] == b"\xef\xbb\xbf" or mm[:2] in (b"\xff\xfe", b"\xfe\xff") or mm[:1] == b"\x00":
            raise Unusual("a byte-order mark or a UTF-16 export: read sequentially", 0)
        search, find = _TOKENS.search, mm.find
        pos = 0             # scan position
        done = 0            # file offset up to which the skeleton has been built
        line, line_at = 1, 0  # line number at offset line_at
        released = 0
        pieces: list[bytes] = []  # skeleton bytes not yet fed
        unit_start = -1
        unit_items = 0
        unit_line = unit_col = 0
        index = 0
        item_start = -1
        in_run = False  # the skeleton's last piece is a placeholder, and only white space has followed
        while True:
            m = search(mm, pos)
            if m is None:
                break
            tok = m.group()
            close = _CLOSERS.get(tok)
            if close is not None:
                j = find(close, m.end())
                if j < 0:
                    raise Unusual("an unterminated CDATA section, comment or processing instruction",
                                  self.verified)
                pos = j + len(close)
                continue
            if tok[1] == 0x2F:  # </item>
                if item_start < 0:
                    raise Unusual("a stray </item>", self.verified)
                start, end = item_start, m.end()
            else:
                if item_start >= 0:
                    raise Unusual("an <item> inside an <item>", self.verified)
                tag_end = _start_tag_end(mm, m.start())
                if tag_end is None:
                    raise Unusual("an <item> tag that is cut off", self.verified)
                if mm[tag_end - 2:tag_end] != b"/>":
                    item_start = m.start()
                    pos = tag_end
                    continue
                start, end = m.start(), tag_end
            # a whole item: [start, end)
            item_start = -1
            pos = end
            if unit_start < 0:
                seg = mm[line_at:start]
                line += _lines(seg)
                line_at = start
                brk = max(seg.rfind(b"\n"), seg.rfind(b"\r"))
                if brk < 0:
                    raise Unusual("an <item> on the line where the previous unit starts, or on the first line",
                                  self.verified)
                try:
                    unit_col = len(seg[brk + 1:].decode("utf-8")) + 1
                except UnicodeDecodeError:
                    raise Unusual("bytes that are not UTF-8 before an <item>", self.verified) from None
                unit_start, unit_line, unit_items = start, line, 0
            gap = mm[done:start]
            if not (in_run and not gap.translate(None, b" \t\r\n")):  # XML's white space only
                # One placeholder for each run of items with only white space between them: the
                # reader sees them as siblings of the placeholder; each is checked by its unit.
                pieces.append(self._placeholder(gap))
                in_run = True
            done = end
            unit_items += 1
            if end - unit_start >= self.unit_bytes:
                self._feed(b"".join(pieces), False, end)
                pieces.clear()
                yield Unit(self.path, unit_start, end, unit_line, unit_col, index, unit_items,
                           self._channel_scope())
                index += unit_items
                self.items = index
                unit_start, unit_items = -1, 0
                if end - released >= 8 << 20:  # give the pages scanned back (the file is read once)
                    # from 8 MB before the last release on: the kernel maps some pages near those it
                    # was asked for (read-ahead), and those left behind came to ~9 % of a 1 GB export
                    _release(mm, max(0, released - (8 << 20)), end)
                    released = end - end % mmap.PAGESIZE
        if item_start >= 0:
            raise Unusual("an <item> that is not closed", self.verified)
        pieces.append(mm[done:size])
        # The last feed holds the tail: the last unit is usual only if the whole skeleton is.
        self._feed(b"".join(pieces), True, size)
        if unit_start >= 0:
            yield Unit(self.path, unit_start, done, unit_line, unit_col, index, unit_items, self._channel_scope())
            self.items = index + unit_items


def _stamp_of(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


@dataclass(frozen=True)
class UnitPlan:
    """A complete, usual plan of one export (:meth:`UnitPlanner.complete`), to use again instead of a new
    scan (``--jobs N`` plans each export once for its site model and its conversion).

    It reads as a finished :class:`UnitPlanner` does: iterating gives the
    :attr:`units`, :attr:`unusual` is ``None``, :attr:`verified` the file's
    size and :attr:`final_warnings` the warnings after the last item.
    :meth:`current` says whether the file still is the one planned (same
    size, modification time and inode); plan it again when not.
    """

    path: str
    name: str
    unit_bytes: int
    units: tuple[Unit, ...]
    final_warnings: tuple[ReadWarning, ...]
    stamp: tuple[int, ...]

    @property
    def unusual(self) -> "Unusual | None":
        return None

    @property
    def verified(self) -> int:
        return self.stamp[0]

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def current(self) -> bool:
        """Whether the file is still the one that was planned."""
        try:
            return _stamp_of(os.stat(self.path)) == self.stamp
        except OSError:
            return False


def _release(mm: mmap.mmap, lo: int, hi: int) -> None:
    lo -= lo % mmap.PAGESIZE
    hi -= hi % mmap.PAGESIZE
    advice = getattr(mmap, "MADV_DONTNEED", None)
    if advice is not None and hi > lo:
        try:
            mm.madvise(advice, lo, hi - lo)
        except (OSError, ValueError):  # pragma: no cover - advisory only
            pass


def _wrapper(scope: tuple[tuple[str, "str | None"], ...]) -> str:
    decls = "".join(f' xmlns{":" + p if p else ""}="{_attr_escape(u or "")}"' for p, u in scope)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss{decls}><channel>'


def _read_range(path: str, start: int, end: int) -> bytes:
    with open(path, "rb") as f:
        return os.pread(f.fileno(), end - start, start) if hasattr(os, "pread") else _seek_read(f, start, end)


def _seek_read(f: IO[bytes], start: int, end: int) -> bytes:  # pragma: no cover - no pread
    f.seek(start)
    return f.read(end - start)


def read_unit(unit: Unit, data: "bytes | None" = None, *, name: "str | None" = None) -> "list[Post]":
    """The posts of ``unit``, exactly as the sequential reader gives them; or :class:`Unusual`.

    ``data``: the unit's bytes (``unit.size`` of them) when the caller has
    them, else they are read from ``unit.path``; ``name``: the file name
    posts carry (default ``unit.path``).
    """
    if data is None:
        data = _read_range(unit.path, unit.start, unit.end)
    return [post for post, _ in _read_items(unit, data, name, ranges=False)]


def read_unit_ranges(unit: Unit, data: "bytes | None" = None, *,
                     name: "str | None" = None) -> "list[tuple[Post, _Ranges, int]]":
    """:func:`read_unit`, each post with the byte ranges of its item and fields (for the rewriter) and
    the offset of its item's last byte (the ``>`` that ends it)."""
    if data is None:
        data = _read_range(unit.path, unit.start, unit.end)
    out: list[tuple[Post, _Ranges, int]] = []
    for post, rng in _read_items(unit, data, name, ranges=True):
        assert rng is not None
        at = rng.item[1] - unit.start
        if data.startswith(b"</", at):
            last = data.find(b">", at)
        else:  # <item/>: the end event is at its start
            last = (_start_tag_end(data, at) or at + 1) - 1
        out.append((post, rng, unit.start + last))
    return out


def _read_items(unit: Unit, data: bytes, name: "str | None", *, ranges: bool
                ) -> "list[tuple[Post, _Ranges | None]]":
    """The items of ``unit`` read from its bytes ``data`` by the real reader (with their byte ranges when
    ``ranges``: keeping them costs a position look-up per field), or :class:`Unusual`."""
    if len(data) != unit.size:
        raise Unusual("the file changed since it was planned", unit.start)
    prefix = _wrapper(unit.scope)
    head = prefix.encode("utf-8")
    held: list[ReadWarning] = []
    parser = _ItemParser(name if name is not None else unit.path, held.append, ranges=ranges,
                         shift=(unit.start - len(head), unit.line - 1, (unit.column - 1) - len(prefix)),
                         first_index=unit.index)
    try:
        parser.feed(head + data + b"</channel></rss>", True)
    except _SyntaxProblem as exc:
        raise Unusual(f"malformed XML in the unit: {exc.message}", unit.start) from None
    except WxrError as exc:
        raise Unusual(exc.reason, unit.start) from None
    finally:
        parser.close()
    if held:
        raise Unusual(f"a warning: {held[0].message}", unit.start)
    done = parser.take()
    if len(done) != unit.items:
        raise Unusual(f"{len(done)} items read where the scan saw {unit.items}", unit.start)
    return done
