"""What each post's shortcodes become: the table of conversion modes.

============  ==============================================================
``render``    shortcodes become HTML (the :class:`~shortcodes.renderer.Renderer`:
              templates, handlers, plugins such as the COVID-19 card)
``normalize`` only the quotes of curly/entity-quoted attribute values are
              repaired (:func:`~shortcodes.core.normalize.normalize_document`)
``strip``     the counted tags are removed as WordPress's ``strip_shortcodes()``
              removes registered ones (enclosed content too; ``[[tag]]``
              becomes ``[tag]``; tags inside HTML attributes stay)
``keep``      the content is untouched (byte-identical)
============  ==============================================================

A mode is ``run(converter, text, job) -> (new text, counts, diagnostics)``;
add one with ``MODES.register(name, Mode(run, ...))``.

>>> MODES.names()
('render', 'normalize', 'strip', 'keep')
"""
from __future__ import annotations

import bisect
import datetime as _dt
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from ..common.registry import Registry
from ..core.nodes import Diagnostic, Document
from ..core.normalize import normalize_document
from ..core.parser import parse
from ..wordpress.formatting import wp_html_split
from ..wordpress.shortcodes import strip_shortcodes
from .results import COUNT_KEYS

if TYPE_CHECKING:  # pragma: no cover
    from ..exports.post import Post
    from .converter import Converter

__all__ = ["Mode", "TextJob", "MODES", "Counts", "Outcome"]

Counts = Mapping[str, Mapping[str, int]]
#: (new text, per-tag counts, diagnostics with spans in the text given)
Outcome = tuple[str, Counts, tuple[Diagnostic, ...]]


@dataclass(frozen=True)
class TextJob:
    """One text to convert: the post it belongs to, the date of the figures, whether a whole page is wanted."""

    post: "Post | None" = None
    as_of: "_dt.date | None" = None
    page: bool = False


@dataclass(frozen=True)
class Mode:
    """A conversion mode.  ``makes_pages``: ``run`` writes whole pages itself when asked
    (else the converter wraps the new text in a plain page)."""

    run: Callable[["Converter", str, TextJob], Outcome]
    description: str
    makes_pages: bool = False


class _Counter:
    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = {}

    def __call__(self, name: str, key: str) -> None:
        entry = self.counts.get(name)
        if entry is None:
            entry = self.counts[name] = dict.fromkeys(COUNT_KEYS, 0)
        entry[key] += 1


def _render(conv: "Converter", text: str, job: TextJob) -> Outcome:
    r = conv.renderer
    res = (r.render_page_result(text, post=job.post, as_of=job.as_of) if job.page
           else r.render_result(text, post=job.post, as_of=job.as_of))
    return res.html, res.counts, res.diagnostics


def _parsed(conv: "Converter", text: str) -> tuple[Document, _Counter]:
    return parse(text, conv.tags), _Counter()


def _keep(conv: "Converter", text: str, job: TextJob) -> Outcome:
    doc, count = _parsed(conv, text)
    for node in doc.shortcodes:
        count(node.name, "kept")
    return text, count.counts, doc.diagnostics


def _normalize(conv: "Converter", text: str, job: TextJob) -> Outcome:
    doc, count = _parsed(conv, text)
    new = normalize_document(doc)
    for node in doc.shortcodes:
        count(node.name, "repaired" if node.recovered and not node.escaped else "kept")
    return new, count.counts, doc.diagnostics


def _strip(conv: "Converter", text: str, job: TextJob) -> Outcome:
    doc, count = _parsed(conv, text)
    tags = conv.tags if conv.tags is not None else sorted({n.name for n in doc.shortcodes})
    new = strip_shortcodes(text, tags) if tags else text
    inside_html = _html_element_spans(text) if "<" in text else []
    for node in doc.shortcodes:
        if node.escaped or _inside(node.span[0], inside_html):
            count(node.name, "kept")
        else:
            count(node.name, "stripped")
    return new, count.counts, doc.diagnostics


def _html_element_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the HTML elements of ``text`` (as ``wp_html_split`` finds them)."""
    spans = []
    pos = 0
    for i, piece in enumerate(wp_html_split(text)):
        if i % 2:
            spans.append((pos, pos + len(piece)))
        pos += len(piece)
    return spans


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (offset, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] < offset < spans[i][1]


#: Conversion modes by name (``ConvertOptions(mode=...)``, ``--mode``).
MODES: Registry[Mode] = Registry("conversion mode")
MODES.register("render", Mode(_render, "shortcodes become HTML", makes_pages=True))
MODES.register("normalize", Mode(_normalize, "repair curly quotes only"))
MODES.register("strip", Mode(_strip, "remove the tags as WordPress's strip_shortcodes() does"))
MODES.register("keep", Mode(_keep, "leave the content as it is"))
