"""What each post's shortcodes become: the table of conversion modes.

============  ==============================================================
``render``    shortcodes become HTML (the :class:`~shortcodes.renderer.Renderer`:
              templates, handlers, plugins such as the COVID-19 card)
``normalize`` only the quotes of curly/entity-quoted attribute values are
              repaired (:func:`~shortcodes.core.normalize.normalize_document`)
``strip``     the counted tags are removed as WordPress's ``strip_shortcodes()``
              removes registered ones, byte for byte: **what they enclose goes
              too** (a ``[caption]``'s image), so a post that loses enclosed
              text gets a ``content-dropped`` warning saying how much;
              ``[[tag]]`` becomes ``[tag]``; tags inside HTML tags stay
``unwrap``    the counted tags are removed and what they enclose is kept
              (nested counted tags are unwrapped too); otherwise as ``strip``
``keep``      the content is untouched (byte-identical)
============  ==============================================================

The counted tags are the converter's ``tags`` (by default those with a
template or handler here); with ``all_tags``, the names that count as
shortcodes in each post by the rule of :mod:`shortcodes.core.classify`
(never ``[1]`` or ``[citation needed]``).

A mode is ``run(converter, text, job) -> (new text, counts, diagnostics)``;
add one with ``MODES.register(name, Mode(run, ...))`` (the command line's
``--mode`` offers every registered one).

>>> MODES.names()
('render', 'normalize', 'strip', 'unwrap', 'keep')
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Mapping

from ..common.registry import Registry
from ..core.classify import longest_first, probable_names, shortcodes_only
from ..core.nodes import Diagnostic, Document, Shortcode
from ..core.normalize import normalize_document
from ..core.parser import parse
from ..media.embed import after_embed_pass
from ..renderer.context import RenderResult
from ..renderer.html import html_view, parse_view
from ..wordpress.content import ContentPage, get_the_password_form, the_content
from ..wordpress.shortcodes import strip_shortcodes
from .results import COUNT_KEYS

if TYPE_CHECKING:  # pragma: no cover
    from ..exports.post import Post
    from ..exports.site import Site
    from ..renderer.engine import Renderer
    from .converter import Converter

__all__ = ["Mode", "TextJob", "MODES", "Counts", "Outcome", "render_the_content"]

Counts = Mapping[str, Mapping[str, int]]
#: (new text, per-tag counts, diagnostics with spans in the text given)
Outcome = tuple[str, Counts, tuple[Diagnostic, ...]]


@dataclass(frozen=True)
class TextJob:
    """One text to convert: the post it belongs to, the date of the figures, whether a whole page is wanted,
    whether stylesheets stay in the text (else the mode names them in ``stylesheets``)."""

    post: "Post | None" = None
    as_of: "_dt.date | None" = None
    page: bool = False
    #: ``False``: the stylesheets go to :attr:`stylesheets` (in order), not into the text.
    inline_styles: bool = True
    stylesheets: list[str] = field(default_factory=list)


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
    site = conv.prepare(job.post)
    if conv.options.the_content:
        return _the_content(conv, site, text, job)
    res = (r.render_page_result(text, post=job.post, as_of=job.as_of) if job.page
           else r.render_result(text, post=job.post, as_of=job.as_of, inline_styles=job.inline_styles))
    if not job.inline_styles and not job.page:
        job.stylesheets.extend(res.stylesheets)
    return res.html, res.counts, res.diagnostics


def _the_content(conv: "Converter", site: "Site", text: str, job: TextJob) -> Outcome:
    """``render`` through WordPress's ``the_content`` filters (:func:`render_the_content`)."""
    theme = conv.options.theme_for(site.rtl)
    page = ContentPage(site=site, post=conv.post_info(job.post, site), content_width=theme.content_width)
    html, counts, diagnostics = render_the_content(conv.renderer, text, page, visitor=theme.visitor,
                                                   post=job.post, as_of=job.as_of)
    if job.page:
        html = conv.plain_page(html, job.post)
    return html, counts, diagnostics


def render_the_content(renderer: "Renderer", text: str, page: ContentPage, *, visitor: bool = False,
                       post: "Post | None" = None, as_of: "_dt.date | None" = None) -> Outcome:
    """``text`` through WordPress's ``the_content`` filters with ``renderer`` as their ``do_shortcode``
    (:func:`shortcodes.wordpress.content.the_content`): ``(html, counts, diagnostics)``.

    ``visitor``: a password-protected post shows its password form (through the filters), as
    ``get_the_content()`` gives a logged-out visitor.  The renderer's diagnostics are placed where their
    tag's source is in ``text`` (the filters move text around); ``[embed]`` tags are counted as ``embed``,
    and each embed with no cached HTML for its URL and width gets an ``embed-not-cached`` note.
    """
    if visitor and page.post is not None and page.post.password:
        text = get_the_password_form(page.post.id, page)
    results: list[tuple[str, RenderResult]] = []

    def do_shortcode(t: str) -> str:
        res = renderer.render_result(t, post=post, as_of=as_of)
        results.append((t, res))
        return res.html

    with after_embed_pass(renderer):
        html = the_content(text, tags=sorted(renderer.known_tags), do_shortcode=do_shortcode, page=page)
    counts: dict[str, dict[str, int]] = {}
    diagnostics: list[Diagnostic] = []
    for filtered, res in results:
        for tag, c in res.counts.items():
            entry = counts.setdefault(tag, dict.fromkeys(COUNT_KEYS, 0))
            for k, n in c.items():
                entry[k] = entry.get(k, 0) + n
        for d in res.diagnostics:
            diagnostics.append(_placed(d, filtered[d.span[0]:d.span[1]], text))
    if page.embeds:
        entry = counts.setdefault("embed", dict.fromkeys(COUNT_KEYS, 0))
        entry["rendered"] += page.embeds
    for url in page.not_ported:
        at = max(text.find(url), 0)
        line, col = _line_col(text, at)
        diagnostics.append(Diagnostic("not-ported", f"embed of {url[:80]!r} written as it is: WordPress's esc_url() "
                                      "of it is not ported", (at, at + len(url)), line, col, "warning"))
    for url in page.misses:
        at = max(text.find(url), 0)
        line, col = _line_col(text, at)
        diagnostics.append(Diagnostic("embed-not-cached", f"no cached oEmbed HTML for {url} at content width "
                                      f"{page.content_width or 500} in the export: written as a link, as WordPress "
                                      "does offline", (at, at + len(url)), line, col, "info"))
    return html, counts, tuple(diagnostics)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _placed(d: Diagnostic, source: str, original: str) -> Diagnostic:
    """``d`` (spans in a filtered text, ``source`` what they cover) placed at that source in the original text,
    else at the text's start."""
    at = original.find(source) if source else -1
    if at < 0:
        at = 0
    line, col = _line_col(original, at)
    return dataclasses.replace(d, span=(at, at + len(source)), line=line, column=col)


def _counted(conv: "Converter", text: str) -> "tuple[str, ...]":
    """The names that count as shortcodes in ``text``: the converter's, else by the rule (``all_tags``)."""
    if conv.tags is not None:
        return conv.tags
    doc = parse(text)
    return tuple(longest_first(probable_names(doc, conv.renderer.known_tags)))


def _parsed(conv: "Converter", text: str) -> tuple[Document, _Counter]:
    if conv.tags is None:
        return shortcodes_only(text, conv.renderer.known_tags), _Counter()
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


def _removed(text: str, tags: "tuple[str, ...]") -> tuple[Document, _Counter]:
    """The document of ``text`` as ``strip_shortcodes()`` sees it (no tag inside an HTML tag), and its counts."""
    doc = parse_view(html_view(text), tags)
    count = _Counter()
    for node in doc.shortcodes:
        count(node.name, "kept" if node.escaped else "stripped")
    return doc, count


def _strip(conv: "Converter", text: str, job: TextJob) -> Outcome:
    tags = _counted(conv, text)
    new = strip_shortcodes(text, tags) if tags else text
    doc, count = _removed(text, tags)
    return new, count.counts, (*doc.diagnostics, *_dropped(doc))


def _dropped(doc: Document) -> "tuple[Diagnostic, ...]":
    """One ``content-dropped`` warning when stripping ``doc``'s tags drops text they enclose."""
    first: "Shortcode | None" = None
    tags = chars = nested = 0
    for node in doc.children:
        if isinstance(node, Shortcode) and not node.escaped and node.content:
            first = first or node
            tags += 1
            chars += len(node.content)
            nested += sum(1 for n in Document(node.children).walk() if isinstance(n, Shortcode))
    if first is None:
        return ()
    names = sorted({n.name for n in doc.children if isinstance(n, Shortcode) and not n.escaped and n.content})
    what = f"{chars} character{'s' if chars != 1 else ''}"
    if nested:
        what += f" holding {nested} shortcode{'s' if nested != 1 else ''}"
    message = (f"--mode strip dropped what {tags} enclosing tag{'s' if tags != 1 else ''} "
               f"({', '.join('[' + n + ']' for n in names)}) enclosed: {what}, as WordPress's "
               "strip_shortcodes() does (--mode unwrap keeps it)")
    line, col = doc.line_col(first.span[0])
    return (Diagnostic("content-dropped", message, first.span, line, col, "warning"),)


def _unwrap(conv: "Converter", text: str, job: TextJob) -> Outcome:
    tags = _counted(conv, text)
    if not tags:
        return text, {}, ()
    r = conv.unwrapper
    r.tags = tags
    res = r.render_result(text)
    return res.html, res.counts, res.diagnostics


#: Conversion modes by name (``ConvertOptions(mode=...)``, ``--mode``).
MODES: Registry[Mode] = Registry("conversion mode")
MODES.register("render", Mode(_render, "shortcodes become HTML", makes_pages=True))
MODES.register("normalize", Mode(_normalize, "repair curly quotes only"))
MODES.register("strip", Mode(_strip, "remove the tags and what they enclose, as WordPress's strip_shortcodes() does"))
MODES.register("unwrap", Mode(_unwrap, "remove the tags, keep what they enclose"))
MODES.register("keep", Mode(_keep, "leave the content as it is"))
