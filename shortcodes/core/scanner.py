"""Finding shortcode tags in text, with WordPress's rules, in linear time.

This is the "tokens" stage: :class:`Scanner` finds where each tag starts and
ends and how it pairs with a closing tag; it knows nothing about nodes.
The rules are those of WordPress's ``get_shortcode_regex()`` and
``do_shortcode()`` (see ``research/wordpress-semantics.md`` §1-§6):

* a tag ends at its first ``]``, also inside quotes; ``/]`` makes it
  self-closing;
* an opening tag encloses content when the literal ``[/name]`` occurs later
  in the text being scanned; the *first* one closes it (no nesting of one
  name); inner text is scanned again for the tags it holds;
* ``[[name]]`` is escaped only when doubled on both sides;
* with a list of registered names, a name must not be followed by
  ``[A-Za-z0-9_-]``, and WordPress's pre-filter applies: a registered name
  that is only a *prefix* of what follows ``[`` (``[tag.x]``) is recognised
  only when ``[tag`` itself also occurs in the same text.

WordPress runs one backtracking regex per call, which is quadratic on input
such as ``"[a " * 10**5``.  Here the searches only move forward: the next
``]`` and the next ``[/name]`` are found with ``str.find`` and remembered
with where the search started, so a later query in the stretch already
searched costs nothing, and every stretch of text is searched once per
needle.  Past a budget of searching (many distinct names without a closing
tag), the closing tags are indexed once and resolved by binary search, as
are the candidate names the prefix rule needs (on first use); so the whole
scan stays O(n log n) whatever the input.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

from ..common.compiled import adopt
from .grammar import tag_name_regex, terminal_regex

__all__ = ["TagMatch", "Scanner"]

_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class TagMatch(NamedTuple):
    """One shortcode found by the scanner (offsets into the scanned text).

    ``start``/``end`` cover the whole shortcode (escape brackets included
    when ``escaped``); ``open_start``/``open_end`` the opening tag without
    escape brackets; ``attr_start``/``attr_end`` its attribute text (after the
    name, before ``/]`` or ``]``); ``content`` the inner text's bounds for an
    enclosing tag; ``close_start`` where ``[/name]`` begins.
    """

    name: str
    start: int
    end: int
    open_start: int
    open_end: int
    attr_start: int
    attr_end: int
    self_closing: bool
    escaped: bool
    content: tuple[int, int] | None
    close_start: int | None


class Scanner:
    """Index of one text: where the ``]``, closing tags and candidate names are."""

    __slots__ = ("text", "tags", "_tagset", "_rb", "_closers", "_budget", "_closer_index", "_cands",
                 "_prefix_cache", "_name_rx", "_close_rx", "_heads")

    def __init__(self, text: str, tags: "tuple[str, ...] | None" = None) -> None:
        self.text = text
        self.tags = tags
        # shared by every Scanner with the same tags (see _shared): the names as a set, the cache of
        # registered prefixes (most posts repeat the same runs) and the two regexes
        shared = _SHARED.get(tags)
        if shared is None:
            shared = _shared(tags)
        self._tagset, self._prefix_cache, self._name_rx, self._close_rx, self._heads = shared
        # (searched from, the first "]" from there or -1): see match_fields
        self._rb = _UNSEARCHED
        # name -> (searched from, the first "[/name]" from there or -1), until the budget is spent
        self._closers: dict[str, tuple[int, int]] = {}
        self._budget = _SEARCH_BUDGET * len(text) + 64  # characters the closer searches may read
        self._closer_index: "dict[str, list[int]] | None" = None  # name -> positions of "[/name]"
        self._cands: "dict[str, list[int]] | None" = None  # registered name -> positions of "[name", on first use

    # -- helpers --------------------------------------------------------------
    def _next_closer(self, name: str, pos: int) -> int:
        """Index of the first ``[/name]`` at or after ``pos``, or -1."""
        index = self._closer_index
        if index is None:
            searched = self._closers
            start, found = searched.get(name, _UNSEARCHED)
            if start <= pos and (found == -1 or pos <= found):
                return found
            text = str(self.text)  # the same str (typed as one for the compiled twin)
            closer = _CLOSERS.get(name)
            if closer is None:
                closer = _closer(name)
            found = text.find(closer, pos)
            searched[name] = (pos, found)
            budget = self._budget = self._budget - ((len(text) if found == -1 else found) - pos)
            if budget >= 0:
                return found
            # many names searched far: index every closing tag once from now on
            index = self._closer_index = {}
            if "[/" in self.text:
                for m in self._close_rx.finditer(self.text):
                    index.setdefault(m.group()[2:-1], []).append(m.start())
        closers = index.get(name)
        if not closers:
            return -1
        j = bisect_left(closers, pos)
        return closers[j] if j < len(closers) else -1

    def _candidates(self) -> dict[str, list[int]]:
        cands = self._cands
        if cands is None:
            cands = self._cands = {}
            tagset = self._tagset
            assert tagset is not None
            for m in _cand_rx().finditer(self.text):
                name = m.group(1)
                if name in tagset:
                    cands.setdefault(name, []).append(m.start())
        return cands

    def _registered_prefixes(self, run: str) -> tuple[str, ...]:
        """Registered names that ``run`` starts with, followed by a non-word char."""
        hit = self._prefix_cache.get(run)
        if hit is None:
            assert self.tags is not None
            hit = tuple(
                t for t in self.tags
                if run.startswith(t) and (len(t) == len(run) or run[len(t)] not in _WORD)
            )
            if len(run) <= _PREFIX_CACHE_RUN_LEN:  # bounded: runs come from the text
                cache = self._prefix_cache
                if len(cache) >= _PREFIX_CACHE_RUNS:
                    cache.clear()
                cache[run] = hit
        return hit

    def _present(self, name: str, start: int, end: int) -> bool:
        pos = self._candidates().get(name)
        if not pos:
            return False
        i = bisect_left(pos, start)
        return i < len(pos) and pos[i] < end

    # -- matching -------------------------------------------------------------
    def match_at(self, p: int, start: int, end: int) -> TagMatch | None:
        """The shortcode starting at the ``[`` at ``p``, scanning ``text[start:end]``."""
        found = self.match_fields(p, start, end)
        return None if found is None else _TUPLE_NEW(TagMatch, found)

    def match_fields(self, p: int, start: int, end: int) -> "tuple | None":
        """:meth:`match_at`'s fields as a plain tuple, in :class:`TagMatch`'s order (what the parser reads)."""
        text = str(self.text)  # the same str (typed as one for the compiled twin)
        q = p + 1
        esc_open = q < end and text[q] == "["
        if esc_open:
            q += 1
        heads = self._heads
        if heads is not None:
            # _registered_prefixes' rule without the run of name characters: a registered name (all
            # name characters, see _shared) at q is one of the prefixes of the run when no word
            # character follows it, and is the run itself when no name character follows it.
            if q >= end or text[q] not in heads:
                return None
            name = None
            for cand in heads[text[q]]:  # in the order of the tags, as _registered_prefixes gives them
                if not text.startswith(cand, q, end):
                    continue
                k = q + len(cand)
                if k < end:
                    after = text[k]
                    if after in _NOT_NAME:
                        pass  # the run ends here: cand is the run
                    elif after in _WORD_NAME:
                        continue  # the run goes on with a word character: not a prefix
                    elif self._name_rx.match(text, k, k + 1) is not None:  # the run goes on
                        if after in _WORD or not self._present(cand, start, end):
                            continue  # not a prefix, or a prefix whose "[cand" is not in the text scanned
                name = cand
                break
            if name is None:
                return None
        else:
            m = self._name_rx.match(text, q, end)
            if m is None:
                return None
            run = m.group()
            if self.tags is None:
                name = run
            else:  # "" is a tag
                name = None
                for cand in self._registered_prefixes(run):
                    if cand == run or self._present(cand, start, end):
                        name = cand
                        break
                if name is None:
                    return None
        assert name is not None
        name_end = q + len(name)
        # the first "]" from name_end: the memo answers while no "]" lies between where it searched and
        # what it found
        searched, r = self._rb
        if not (searched <= name_end and (r == -1 or name_end <= r)):
            r = text.find("]", name_end)
            self._rb = (name_end, r)
        if r == -1 or r >= end:
            return None
        self_closing = r > name_end and text[r - 1] == "/"
        attr_end = r - 1 if self_closing else r
        tag_end = r + 1
        content = None
        close_start = None
        if not self_closing:
            c = self._next_closer(name, tag_end)
            if c != -1 and c + len(name) + 3 <= end:
                close_start = c
                content = (tag_end, close_start)
                tag_end = close_start + len(name) + 3
        open_start = q - 1
        # positional, in the field order: name, start, end, open_start, open_end, attr_start, attr_end,
        # self_closing, escaped, content, close_start
        if esc_open and tag_end < end and text[tag_end] == "]":  # escaped: [[name]]
            return (name, p, tag_end + 1, open_start, r + 1, name_end, attr_end, self_closing, True,
                    content, close_start)
        return (name, open_start, tag_end, open_start, r + 1, name_end, attr_end, self_closing, False,
                content, close_start)

    def stray_closer_at(self, p: int, end: int) -> str | None:
        """The name of a closing tag ``[/name]`` at ``p`` that counts as a tag here."""
        m = self._close_rx.match(self.text, p, end)
        if m is None:
            return None
        name = m.group()[2:-1]
        if self._tagset is not None and name not in self._tagset:
            return None
        return name

    def unterminated_at(self, p: int, end: int) -> str | None:
        """A registered name at ``p`` whose tag never ends (no ``]``): for diagnostics."""
        if self.tags is None:
            return None
        m = self._name_rx.match(self.text, p + 1, end)
        if m is None:
            return None
        for cand in self._registered_prefixes(m.group()):
            return cand
        return None



#: ``TagMatch`` from a tuple of its fields without the named tuple's Python-level ``__new__``.
_TUPLE_NEW = tuple.__new__
#: A memo that answers no query (see Scanner.match_fields).
_UNSEARCHED = (1 << 62, -1)
#: How far the closing-tag searches may read, in multiples of the text, before the closers are indexed.
_SEARCH_BUDGET = 4
#: Bounds of the shared ``run -> registered prefixes`` caches (see :func:`_shared`).
_PREFIX_CACHE_RUNS = 4096
_PREFIX_CACHE_RUN_LEN = 64
_PREFIX_CACHE_TAGSETS = 64
#: name -> "[/name]" (bounded: with tags=None the names come from the text)
_CLOSERS: dict[str, str] = {}


def _closer(name: str) -> str:
    """``"[/" + name + "]"``, kept in :data:`_CLOSERS` for the names met before."""
    closer = "[/" + name + "]"
    if len(name) <= _PREFIX_CACHE_RUN_LEN:
        if len(_CLOSERS) >= _PREFIX_CACHE_RUNS:
            _CLOSERS.clear()
        _CLOSERS[name] = closer
    return closer


#: tags -> what every Scanner of those tags shares (see :func:`_shared`)
_SHARED: "dict[tuple[str, ...] | None, _Shared]" = {}
_Shared = tuple[frozenset[str] | None, dict[str, tuple[str, ...]], "re.Pattern[str]", "re.Pattern[str]",
                dict[str, tuple[str, ...]] | None]


def _shared(tags: "tuple[str, ...] | None") -> _Shared:
    """``(frozenset(tags), the run -> registered prefixes cache, the tag-name regex, the closing-tag regex,
    the names by first character)`` shared by the scanners of one tag tuple (``tags=None``: no set, a
    cache that stays empty and no names; with ``""`` among the tags no names either: the scanner reads
    the run of name characters)."""
    shared = _SHARED.get(tags)
    if shared is None:
        if len(_SHARED) >= _PREFIX_CACHE_TAGSETS:
            _SHARED.clear()
        name_rx = _name_rx()
        if not _WORD_NAME:
            _set_classes(name_rx)
        heads: "dict[str, tuple[str, ...]] | None" = None
        if tags is not None and "" not in tags:
            by_first: dict[str, list[str]] = {}
            for t in tags:
                if name_rx.fullmatch(t):  # only names made of name characters can be a run's prefix
                    by_first.setdefault(t[0], []).append(t)
            heads = {c: tuple(names) for c, names in by_first.items()}
        shared = _SHARED[tags] = (None if tags is None else frozenset(tags), {}, name_rx, _close_rx(), heads)
    return shared


#: Shortcuts of match_fields' look at the character after a registered name, set with the first
#: _shared(): characters that are no name characters, and word characters that are.  Any other character
#: is asked of the tag-name regex; so are all of them while these are empty.
_NOT_NAME: frozenset[str] = frozenset()
_WORD_NAME: frozenset[str] = frozenset()


def _set_classes(name_rx: "re.Pattern[str]") -> None:
    global _NOT_NAME, _WORD_NAME
    _NOT_NAME = frozenset(c for c in " \t\n\r\x0b\x0c\xa0]/[=<>&\"'" if not name_rx.fullmatch(c))
    _WORD_NAME = frozenset(c for c in _WORD if name_rx.fullmatch(c))


_CLOSE_RX: "re.Pattern[str] | None" = None
_CAND_RX: "re.Pattern[str] | None" = None


def _name_rx() -> "re.Pattern[str]":
    return tag_name_regex()


def _close_rx() -> "re.Pattern[str]":
    global _CLOSE_RX
    if _CLOSE_RX is None:
        _CLOSE_RX = re.compile(terminal_regex("CLOSE_TAG"))
    return _CLOSE_RX


def _cand_rx() -> "re.Pattern[str]":
    global _CAND_RX
    if _CAND_RX is None:
        _CAND_RX = re.compile(r"\[(" + terminal_regex("TAG_NAME") + ")")
    return _CAND_RX


# The compiled twin of this very file (built by setup.py when Cython and a C compiler are there) takes
# over its names; SHORTCODES_PURE=1 keeps the code above.  See shortcodes.common.compiled.
adopt(globals())
